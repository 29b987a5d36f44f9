"""A child process that answers users' SPARQL queries over a read-only view of an embedded store.

Why a process: Oxigraph evaluates aggregates and sorts inside one native call that cannot be
interrupted, so a thread left behind by a time limit would keep a core busy (and the store's
lock held) until the query ends, minutes or hours later. A process can be killed. The parent
(:mod:`metrokg.kg.sparql`) keeps a few of these warm, sends one JSON request per line on stdin
and reads one JSON answer per line on stdout; it kills the process when the time is up.

The view is reopened whenever the parent's store generation changes, so answers follow writes.
Only ``pyoxigraph`` and the standard library are imported, to keep start-up short.
"""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the parent dies (no orphaned long queries)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def encode(term) -> list | None:
    """A pyoxigraph term as a small JSON list the parent turns back into an rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["u", term.value]
    if isinstance(term, ox.BlankNode):
        return ["b", term.value]
    if isinstance(term, ox.Literal):
        return ["l", term.value, term.language, term.datatype.value]
    return ["t", str(term)]  # an RDF-star triple term: shown as its N-Triples text


def answer(store: ox.Store, request: dict) -> dict:
    """Run one query; at most ``rows`` solutions (or triples) plus one to detect truncation."""
    raw = store.query(request["query"], use_default_graph_as_union=request.get("union", True))
    limit = int(request["rows"])
    if isinstance(raw, (bool, ox.QueryBoolean)):
        return {"type": "ASK", "value": bool(raw)}
    out: list = []
    if isinstance(raw, ox.QuerySolutions):
        names = [v.value for v in raw.variables]
        for solution in raw:
            if len(out) > limit:
                break
            out.append([encode(solution[n]) for n in names])
        return {"type": "SELECT", "vars": names, "rows": out[:limit], "truncated": len(out) > limit}
    for triple in raw:
        if len(out) > limit:
            break
        out.append([encode(triple.subject), encode(triple.predicate), encode(triple.object)])
    return {"type": "CONSTRUCT", "triples": out[:limit], "truncated": len(out) > limit}


def serve(stdin=None, stdout=None) -> None:
    """Answer requests until stdin closes."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    opened: tuple[str, object, ox.Store] | None = None  # (db path, generation, store)
    for line in stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            key = (request["db"], request.get("generation"))
            if opened is None or opened[:2] != key:
                opened = None  # drop the old view before opening the new one
                opened = (key[0], key[1], ox.Store.read_only(key[0]))
            reply = answer(opened[2], request)
        except SyntaxError as err:
            reply = {"error": "syntax", "message": str(err)}
        except Exception as err:  # noqa: BLE001 - every failure goes back to the parent as a message
            reply = {"error": type(err).__name__, "message": str(err)[:500]}
        stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        stdout.flush()


if __name__ == "__main__":
    _die_with_parent()
    serve()
