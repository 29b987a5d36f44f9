"""A child process that answers users' SPARQL queries over a read-only view of an embedded store.

Why a process: Oxigraph evaluates aggregates and sorts inside one native call that cannot be
interrupted, so a thread left behind by a time limit would keep a core busy (and the store's
lock held) until the query ends, minutes or hours later. A process can be killed. The parent
(:mod:`metrokg.kg.store.user_sparql`) keeps a few of these warm, sends one JSON request per line on stdin
and reads one JSON answer per line on stdout; it kills the process when the time is up.

The view is reopened whenever the parent's store generation changes, so answers follow writes.
Only ``pyoxigraph`` and the standard library are imported at start, to keep start-up short; the
read-only check (rdflib's parser, 0.8 s to import) is loaded only when a long query needs it here.

Two fences, set once at start (issue 13): the process is moved into a network namespace of its
own, which has no interface up, so a SERVICE clause that got past the parent's check reaches
nothing (pyoxigraph has no switch to turn federation off); and its address space is capped
(``--memory-mb``), so a query that sorts a cross product fails in this process instead of taking
the machine's memory. When a fence cannot be set, each answer says so under ``"unfenced"``.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import sys

import pyoxigraph as ox

from metrokg.processes import die_with_parent

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MEMORY_FAILED = "memory"  # the ``error`` of an answer whose query ran out of the capped memory


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def isolate_network() -> str | None:
    """Enter a new, empty network namespace; None when done, else why not.

    Privileged processes can do it directly; others first enter a user namespace of their own
    (allowed on most kernels), mapping their own ids so files look as before. Python 3.11 has
    no ``os.unshare``, hence ctypes.
    """
    try:
        libc = _libc()
        if libc.unshare(CLONE_NEWNET) == 0:
            return None
        uid, gid = os.getuid(), os.getgid()
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            return f"unshare refused: {os.strerror(ctypes.get_errno())}"
    except (OSError, AttributeError) as err:
        return f"unshare unavailable: {err}"
    try:  # cosmetic: without the maps the ids read as 'nobody'; access is checked on the real ids
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError:
        pass
    return None


def cap_memory(megabytes: int) -> str | None:
    """Limit this process's address space (0: no cap); None when done, else why not."""
    if megabytes <= 0:
        return None
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = megabytes * 2**20
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError) as err:
        return f"memory cap refused: {err}"
    return None


def memory_option(argv: list[str]) -> int:
    """The ``--memory-mb N`` of the command line (0 when absent)."""
    if "--memory-mb" in argv:
        return int(argv[argv.index("--memory-mb") + 1])
    return 0


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


def refusal(query: str) -> dict | None:
    """The parent's read-only check, run here for a long query (parsing it takes seconds of pure
    Python, which only a process can stop at the time limit); None when the query may run.
    Imported on first use: short queries never need it, and it costs this process 0.8 s."""
    from metrokg.errors import MetrokgError
    from metrokg.kg.store.sparql_check import check_read_only

    try:
        check_read_only(query)
    except MetrokgError as err:
        return {"error": "refused", "code": err.code, "fields": err.fields}
    return None


def respond(request: dict, opened: list) -> dict:
    """The answer to one request; ``opened`` holds the (db path, generation, store) view in use."""
    if request.get("check"):
        refused = refusal(request["query"])
        if refused or request.get("check_only"):
            return refused or {"checked": True}
    key = (request["db"], request.get("generation"))
    if not opened or opened[0][:2] != key:
        opened.clear()  # drop the old view before opening the new one
        opened.append((key[0], key[1], ox.Store.read_only(key[0])))
    return answer(opened[0][2], request)


def serve(stdin=None, stdout=None, unfenced: list[str] | None = None) -> None:
    """Answer requests until stdin closes; ``unfenced`` lists the fences that could not be set."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    opened: list = []
    for line in stdin:
        if not line.strip():
            continue
        try:
            reply = respond(json.loads(line), opened)
        except SyntaxError as err:
            reply = {"error": "syntax", "message": str(err)}
        except MemoryError:
            reply = {"error": MEMORY_FAILED, "message": "out of the capped memory"}
        except Exception as err:  # noqa: BLE001 - every failure goes back to the parent as a message
            reply = {"error": type(err).__name__, "message": str(err)[:500]}
        if unfenced:
            reply["unfenced"] = unfenced
        stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        stdout.flush()


def main(argv: list[str]) -> None:
    """Set the fences, then serve: the namespace first, as the parent-death signal must outlive it."""
    unfenced = [reason for reason in (isolate_network(), cap_memory(memory_option(argv))) if reason]
    die_with_parent()
    serve(unfenced=unfenced)


if __name__ == "__main__":
    main(sys.argv[1:])
