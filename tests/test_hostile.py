"""Hostile queries: the SPARQL console is read-only, time- and row-limited, and user text is
never pasted into SPARQL (issue 9).

The SERVICE tests listen on a local port: a refused query must not make the store fetch it,
and a query that only mentions SERVICE in a string, IRI, comment, variable or local name must
run (and fetch nothing).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time

import pytest

from conftest import cli_json, run_cli
from metrokg.errors import MetrokgError
from metrokg.kg.store.user_sparql import check_read_only, run_user_query
from metrokg.kg.store.embedded import EmbeddedStore

HOSTILE = ['"} ; DROP ALL ; {"', '" . ?s ?p ?o . FILTER("', '省市场监管局" . ?s ?p ?o . FILTER("']
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # hours of work
SMALL = ('SELECT ?d WHERE { ?d a <https://w3id.org/metrokg/ontology#Document> '
         'FILTER(STRSTARTS(STR(?d), "https://w3id.org/metrokg/doc/")) }')  # the one seed document


@pytest.fixture(scope="module")
def store(built_store):
    """The built store opened read-only in this process (as the web app's readers do)."""
    s = EmbeddedStore(built_store, read_only=True)
    yield s
    s.close()


@pytest.fixture
def listener():
    """A local TCP port that records every connection made to it."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    hits: list[bytes] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                hits.append(conn.recv(200))
            except OSError:
                hits.append(b"")
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}", hits
    srv.close()


def _store_state(store_path) -> tuple:
    docs = cli_json("documents", store=store_path)
    count = json.loads(run_cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                               "--format", "json", store=store_path).stdout)
    return docs, count["results"]["bindings"][0]["n"]["value"]


# ----------------------------------------------------------------- read-only


def _refused(url: str) -> list[str]:
    return [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "insert data { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "delete { ?s ?p ?o } where { ?s ?p ?o }",
        f"LOAD <{url}/data.ttl>",
        "CLEAR ALL",
        "clear default",
        "DROP ALL",
        "# a harmless comment\nDrop Graph <urn:g>",
        "CREATE GRAPH <urn:g>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "ADD <urn:a> TO <urn:b>", "MOVE DEFAULT TO <urn:b>", "COPY <urn:a> TO <urn:b>",
        f"SELECT * WHERE {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}/b> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}/> SELECT * WHERE {{ SERVICE:c {{ ?s ?p ?o }} }}",  # Oxigraph reads SERVICE + :c
        f"SELECT * WHERE {{ SERVICE#comment\n<{url}/d> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z . SERVICE\t<{url}/e> {{ ?s ?p ?o }} }}",
    ]


def test_updates_and_service_are_refused(store, listener):
    url, hits = listener
    for query in _refused(url):
        with pytest.raises(MetrokgError) as excinfo:
            run_user_query(store, query)
        assert excinfo.value.code == "E021", query
    time.sleep(0.2)
    assert hits == [], "a refused SERVICE query reached the network"


def test_keywords_in_strings_iris_comments_and_names_are_not_refused(store, listener):
    url, hits = listener
    allowed = [
        'SELECT ?s WHERE { ?s ?p "INSERT DATA { } ; DROP ALL" }',
        "SELECT ?s WHERE { ?s ?p 'delete where { ?s ?p ?o }' }",
        'SELECT ?s WHERE { ?s ?p """SERVICE <http://x/> { }\nCLEAR ALL""" }',
        f"SELECT ?s WHERE {{ ?s <{url}/service/drop#insert> ?o }}",
        "# DROP ALL ; SERVICE <http://x/>\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
        "SELECT ?insert ?service $copy ?with WHERE { ?insert ?service ?copy . BIND(1 AS ?with) } LIMIT 2",
        f"PREFIX ex: <{url}/> SELECT ?s WHERE {{ ?s ex:create ex:drop ; ex:SERVICE ?o }}",
        "SELECT ?created ?dropped WHERE { ?created ?dropped ?x } LIMIT 1",
    ]
    for query in allowed:
        check_read_only(query)
        result, _ = run_user_query(store, query)
        assert result.type == "SELECT", query
    time.sleep(0.2)
    assert hits == [], "a query that only mentions SERVICE fetched a URL"


@pytest.mark.slow
def test_cli_refuses_updates_and_keeps_the_store(store_copy):
    before = _store_state(store_copy)
    for query in ("DROP ALL", "clear all", "insert data { <urn:a> <urn:b> <urn:c> }"):
        proc = run_cli("sparql", query, store=store_copy, check=False)
        assert proc.returncode == 2 and "[E021]" in proc.stderr and "Traceback" not in proc.stderr
    assert _store_state(store_copy) == before


# ----------------------------------------------------------------- time and row limits


def _cpu_of_self_and_children() -> float:
    """CPU seconds used so far by this process and every live child of it."""
    total = time.process_time()
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def test_time_limit_stops_the_query(store):
    started = time.monotonic()
    with pytest.raises(MetrokgError) as excinfo:
        run_user_query(store, SLOW, timeout_s=1.0)
    assert excinfo.value.code == "E022"
    assert time.monotonic() - started < 5
    # The stopped query no longer uses a CPU (a thread left running would burn a core) ...
    cpu = _cpu_of_self_and_children()
    time.sleep(1.0)
    assert _cpu_of_self_and_children() - cpu < 0.4, "the timed-out query is still running"
    # ... and does not hold the store: a small query is answered at once.
    started = time.monotonic()
    result, truncated = run_user_query(store, SMALL, timeout_s=5)
    assert time.monotonic() - started < 3
    assert len(result.bindings) == 1 and not truncated


def test_cli_time_limit(built_store):
    started = time.monotonic()
    proc = run_cli("sparql", SLOW, "--timeout", "1", store=built_store, check=False)
    assert proc.returncode == 2 and "[E022]" in proc.stderr and "stopped" in proc.stderr
    assert time.monotonic() - started < 15


@pytest.mark.slow
def test_row_limit(store, built_store):
    result, truncated = run_user_query(store, "SELECT * WHERE { ?s ?p ?o }", row_limit=7)
    assert len(result.bindings) == 7 and truncated
    result, truncated = run_user_query(store, "CONSTRUCT WHERE { ?s ?p ?o }", row_limit=5)
    assert len(result.graph) == 5 and truncated
    result, truncated = run_user_query(store, SMALL, row_limit=1)
    assert len(result.bindings) == 1 and not truncated
    proc = run_cli("sparql", "SELECT * WHERE { ?s ?p ?o }", "--limit", "3", "--format", "json",
                   store=built_store)
    assert len(json.loads(proc.stdout)["results"]["bindings"]) == 3
    assert "only the first 3 rows" in proc.stderr
    for bad, code in (("0", "E351"), ("-5", "E351")):
        proc = run_cli("sparql", SMALL, "--limit", bad, store=built_store, check=False)
        assert proc.returncode == 2 and f"[{code}]" in proc.stderr
    proc = run_cli("sparql", SMALL, "--timeout", "0", store=built_store, check=False)
    assert proc.returncode == 2 and "[E352]" in proc.stderr


def test_results_keep_their_terms(store):
    result, _ = run_user_query(store, 'SELECT ?l ?n ?iri ?b WHERE { VALUES (?l ?n ?iri) '
                                      '{ ("计量"@zh 3 <urn:x>) } OPTIONAL { ?iri ?p ?b } }')
    row = result.bindings[0]
    assert [str(row[v]) for v in result.vars if v in row] == ["计量", "3", "urn:x"]
    assert row[result.vars[0]].language == "zh"
    assert str(row[result.vars[1]].datatype).endswith("#integer")
    ask_result, _ = run_user_query(store, "ASK { ?s ?p ?o }")
    assert ask_result.askAnswer is True
    with pytest.raises(MetrokgError) as excinfo:
        run_user_query(store, "SELECT WHERE {")
    assert excinfo.value.code == "E020"


# ----------------------------------------------------------------- user text is bound, never pasted


class SpyStore(EmbeddedStore):
    """Records every query text and its bound values."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.calls: list[tuple[str, dict]] = []

    def query(self, sparql, bindings=None, union=True):
        self.calls.append((sparql, dict(bindings or {})))
        return super().query(sparql, bindings, union)


@pytest.mark.parametrize("term", HOSTILE)
def test_user_text_never_enters_sparql_text(built_store, term):
    from metrokg.kg.analyses.entities import list_tasks
    from metrokg.kg.analyses.obligations import list_obligations
    from metrokg.kg.analyses.questions import ask

    spy = SpyStore(built_store, read_only=True)
    try:
        for call in (lambda: list_tasks(spy, industry=term), lambda: list_obligations(spy, actor=term),
                     lambda: ask(spy, f"{term}有哪些义务", mode="lexical"),
                     lambda: ask(spy, f"谁负责{term}？", mode="lexical"),
                     lambda: ask(spy, f"哪些任务涉及{term}", mode="lexical")):
            try:
                out = call()
            except MetrokgError as err:
                assert err.code != "E020" and term in str(err)
                continue
            if isinstance(out, list) and term in HOSTILE[:2]:  # the third names a real actor first:
                assert out == []  # the register's fuzzy name match may find it, in Python, not SPARQL
        assert spy.calls, "nothing was queried"
        assert not any(term in text or "DROP ALL" in text for text, _ in spy.calls)
    finally:
        spy.close()


@pytest.mark.slow
@pytest.mark.parametrize("term", HOSTILE[:2])
def test_hostile_terms_through_the_cli(store_copy, term):
    before = _store_state(store_copy)
    commands = [
        ("search", "计量", "--mode", "lexical", "--actor", term),
        ("search", "计量", "--mode", "lexical", "--industry", term),
        ("search", "计量", "--mode", "lexical", "--document", term),
        ("obligations", "--actor", term),
        ("tasks", "--industry", term),
        ("ask", f"{term}有哪些义务", "--mode", "lexical"),
    ]
    for args in commands:
        proc = run_cli(*args, "--json", store=store_copy, check=False)
        assert "Traceback" not in proc.stderr and "[E020]" not in proc.stderr, args
        if proc.returncode == 0:
            out = json.loads(proc.stdout)
            if args[0] == "ask":
                assert out["kind"] == "search" or all(term not in json.dumps(a, ensure_ascii=False)
                                                      for a in out["answers"])
            else:
                assert out == [], args
        else:  # refused as an unknown name, quoted back as text
            assert proc.returncode == 2 and term in proc.stderr, (args, proc.stderr)
    assert _store_state(store_copy) == before
