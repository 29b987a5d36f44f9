"""Attack material for the SPARQL security tests: a loopback listener and generated SERVICE disguises.

Kept apart from the tests so the before/after measurement of issue 13 can import the same
generator (`python tests/security/sparql_attacks.py` prints how many disguises an unguarded
Oxigraph would send to the listener).
"""

from __future__ import annotations

import itertools
import json
import random
import socket
import threading
import time
from dataclasses import dataclass, field

MARKER = "listener-marker-5c1e"  # the listener's answer: seen in a reply means a SERVICE call came back
_BODY = json.dumps({"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": [
    {v: {"type": "literal", "value": MARKER} for v in "spo"}]}}).encode()
_REPLY = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n"
          b"Content-Length: " + str(len(_BODY)).encode() + b"\r\n\r\n" + _BODY)


@dataclass
class Listener:
    """A TCP port on 127.0.0.1 that counts connections and answers each with a result naming MARKER."""

    hits: list[bytes] = field(default_factory=list)
    _sock: socket.socket | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def __enter__(self) -> "Listener":
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)  # the accept loop checks the stop flag this often
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:  # timeout (check the flag) or closed
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.hits.append(conn.recv(500))
                    conn.sendall(_REPLY)
                except OSError:
                    self.hits.append(b"")

    def __exit__(self, *exc) -> None:
        time.sleep(0.2)  # a connection made at the last moment is still counted
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


# ------------------------------------------------------------------ disguises
# Triples the leading patterns of the disguises match, so that a join reaches the clause.
BAIT = """\
<urn:a> <urn:b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<urn:a> <urn:b> "1.0E0"^^<http://www.w3.org/2001/XMLSchema#double> .
<urn:a> <urn:b> "#" .
<urn:a> <urn:b> "x#" .
<urn:a> <urn:p#x> <urn:c> .
<urn:a> <urn:p> <urn:c> .
<urn:a> <urn:trick:a#> <urn:c> .
"""
BAIT_GRAPH = "urn:bait"

# A disguise is a query whose federated part reaches `url`. Each axis below hides the SERVICE
# clause one more way; the generator combines them, so a new trick on one axis meets all others.

KEYWORDS = ["SERVICE", "service", "Service", "sErViCe", "\\u0053ERVICE", "SERV\\u0049CE", "\\U00000053ervice"]
SILENT = ["", " SILENT", " silent", " \\u0053ILENT"]
GAPS = [" ", "\t", "\n", "\r\n", "\r", " # c\n", " # c\r", "#\\\n", "\n#\"\n"]


def _endpoints(url: str) -> list[tuple[str, str, str]]:
    """(prologue, endpoint, binding before the clause): every way to name the remote endpoint."""
    return [
        ("", f"<{url}/iri>", ""),
        (f"PREFIX ex: <{url}/>", "ex:pname", ""),
        (f"PREFIX : <{url}/>", ":empty", ""),
        (f"PREFIX : <{url}/>", "", ""),  # `SERVICE:glued`: the keyword and the name share a token
        (f"BASE <{url}/>", "<relative>", ""),
        (f"PREFIX ex: <{url}/>", "ex:a\\#b", ""),
        ("", "?svc", f"VALUES ?svc {{ <{url}/var> }} "),
        ("", "?svc", f"BIND(<{url}/bind> AS ?svc) "),
    ]


LEADS = [  # what comes before the clause in its group
    "", "?a ?b ?c . ", "?a ?b 1", "?a ?b 1.", "?a ?b 1e0 ", "?a ?b 0x1 ",
    "?a <urn:p#x> ?c . ", "?a ?b \"#\" . ", "?a ?b '#' . ", "?a ?b '''x#''' . ",
    "?a ?b ?c # hidden?\r", "?a <urn:p> ?c . # \\\n",
    "PREFIX_NAME_TRICK",  # replaced by `?a ex:a\# ?c .` with a prefix of its own
    "?a ?b ?c FILTER(?c != \"x\\u0022) } # \") ",  # \u0022 ends the string for a global unescaper only
    "?a ?b ?c FILTER(?c != 'x\\u0027) } # ') ",
    "?a ?b ?c FILTER(?c != \"\"\"x\\\"\"\"\") ",
]
WRAPPERS = [  # "@" is where the clause goes
    "{@}", "{ { @ } }", "{ OPTIONAL { @ } }", "{ { ?s ?p ?o } UNION { @ } }", "{ ?s ?p ?o MINUS { @ } }",
    "{ FILTER EXISTS { @ } }", "{ FILTER NOT EXISTS { @ } }", "{ { SELECT * WHERE { @ } } }",
    "{ GRAPH ?g { @ } }", "{ { SELECT ?s (COUNT(*) AS ?n) WHERE { @ } GROUP BY ?s } }",
    "{ BIND(EXISTS { @ } AS ?e) }", "{ ?s ?p ?o OPTIONAL { ?s ?p ?o OPTIONAL { @ } } }",
]
FORMS = [
    "SELECT * WHERE BODY", "select * BODY", "ASK BODY", "CONSTRUCT { ?s ?p ?o } WHERE BODY",
    "DESCRIBE ?s WHERE BODY", "SELECT (COUNT(*) AS ?n) WHERE BODY LIMIT 1",
    "# first line\nSELECT DISTINCT ?s WHERE BODY ORDER BY ?s",
]


def _compose(url: str, keyword: str, silent: str, gap: str, endpoint: tuple[str, str, str], lead: str,
             wrapper: str, form: str) -> str:
    prologue, name, binding = endpoint
    if not name:  # the glued form: no gap may separate the keyword from `:glued`
        gap, name = "", ":glued"
    if lead == "PREFIX_NAME_TRICK":
        prologue += "\nPREFIX tr: <urn:trick:>"
        lead = "?a tr:a\\# ?c . "
    clause = f"{keyword}{silent}{gap}{name} {{ ?s ?p ?o }}"
    body = wrapper.replace("@", f"{binding}{lead}{clause}")
    return f"{prologue}\n{form.replace('BODY', body)}" if prologue else form.replace("BODY", body)


def disguises(url: str, count: int = 400, seed: int = 13) -> list[str]:
    """``count`` distinct disguised federated queries to ``url``: every value of every axis at least
    once (each paired with random others), the rest drawn from the full product by a seeded RNG."""
    axes = [KEYWORDS, SILENT, GAPS, _endpoints(url), LEADS, WRAPPERS, FORMS]
    rng = random.Random(seed)
    picks: list[tuple] = []
    for i, axis in enumerate(axes):  # cover each value of each axis
        for value in axis:
            combo = [rng.choice(a) for a in axes]
            combo[i] = value
            picks.append(tuple(combo))
    total = 1
    for axis in axes:
        total *= len(axis)
    for index in rng.sample(range(total), min(total, count)):
        combo = []
        for axis in axes:
            index, pos = divmod(index, len(axis))
            combo.append(axis[pos])
        picks.append(tuple(combo))
    return list(dict.fromkeys(_compose(url, *combo) for combo in picks))


def federates(query: str, listener: Listener, store=None) -> bool:
    """Whether an unguarded Oxigraph (in this process, with the network) sends ``query`` to the listener."""
    import pyoxigraph as ox

    if store is None:
        store = ox.Store()
        store.load(BAIT.encode(), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(BAIT_GRAPH))
    before = len(listener.hits)
    try:
        result = store.query(query, use_default_graph_as_union=True)
        if not isinstance(result, (bool, ox.QueryBoolean)):
            list(itertools.islice(result, 10))
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return len(listener.hits) > before  # the call is synchronous: a hit is counted before it returns


if __name__ == "__main__":  # the measurement quoted in the closing note
    import importlib.util
    import sys

    with Listener() as lst:
        queries = disguises(lst.url)
        federated = [q for q in queries if federates(q, lst)]
        print(f"{len(queries)} disguises, {len(federated)} federate on an unguarded Oxigraph")
        if len(sys.argv) > 1:  # path of a kg/store/user_sparql.py whose check_read_only to measure
            spec = importlib.util.spec_from_file_location("old_sparql", sys.argv[1])
            old = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(old)
            passed = []
            for q in federated:
                try:
                    old.check_read_only(q)
                    passed.append(q)
                except Exception:  # noqa: BLE001 - refused, whatever the error
                    pass
            print(f"{len(passed)} of them pass {sys.argv[1]}'s check_read_only")
            for q in passed[:8]:
                print("  ", repr(q)[:160])
