"""The same integration tests on every backend: embedded Oxigraph, Oxigraph's server, Virtuoso.

The servers are real processes started here on free loopback ports; a backend is skipped
only when its program is not installed (`oxigraph` comes with the PyPI package, Virtuoso
with Debian's virtuoso-opensource, installed by `make setup`).
"""

from __future__ import annotations

import json

import pytest
from rdflib import BNode, Literal, URIRef

from metrokg.errors import MetrokgError
from metrokg.kg.store.registry import open_store
from metrokg.ontology.namespace import META_GRAPH, STAGING
from metrokg.ontology.namespace import graph_iri

from conftest import DATA, cli_json, run_cli
from servers import free_port, oxigraph_binary, start_oxigraph, start_virtuoso, stop, virtuoso_binaries

pytestmark = pytest.mark.slow  # Oxigraph's server and Virtuoso, started here, and full ingests on each backend

G = URIRef("https://w3id.org/metrokg/graph/test-a")
G2 = URIRef("https://w3id.org/metrokg/graph/test-b")
EX = "http://example.org/"
SEED_ID = "hubei-2022-metrology-implementation"
CITY = DATA / "structure" / "city_plan.txt"


@pytest.fixture(scope="session")
def data_home(tmp_path_factory) -> str:
    """A data directory for the remote stores' indexes that shares the installed models."""
    from metrokg.config import data_dir

    home = tmp_path_factory.mktemp("data")
    models = data_dir() / "models"
    if models.is_dir():
        (home / "models").symlink_to(models)
    return str(home)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve`: /query, /update and /store (Graph Store Protocol)."""
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` program is not installed (pip install oxigraph==0.5.13)")
    proc, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        yield {"spec": f"sparql+{base}/query", "env": {"METROKG_UPDATE_URL": base + "/update"},
               "gsp": base + "/store"}
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """`virtuoso-t` with its own ini on loopback ports; SPARQL updates granted to the SPARQL user."""
    if virtuoso_binaries() is None:
        pytest.skip("Virtuoso is not installed (Debian package virtuoso-opensource)")
    proc, base = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield {"spec": f"sparql+{base}/sparql", "env": {}, "gsp": base + "/sparql-graph-crud"}
    finally:
        stop(proc)


@pytest.fixture(params=["embedded", "oxigraph-server", "virtuoso"])
def backend(request, tmp_path, monkeypatch, data_home):
    """A fresh, empty store on one backend: ``spec`` and the environment the CLI needs."""
    env = {"METROKG_DATA_DIR": data_home}
    if request.param == "embedded":
        info = {"spec": str(tmp_path / "store"), "env": {}, "gsp": None}
    else:
        info = request.getfixturevalue("oxigraph_server" if request.param == "oxigraph-server"
                                       else "virtuoso_server")
        env.update(info["env"])
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    if request.param != "embedded":
        with open_store(info["spec"], write=True) as s:  # the server is shared by the tests: empty it
            s.remove_graphs(s.graph_iris())
    return {"name": request.param, "spec": info["spec"], "env": env, "gsp": info["gsp"]}


def test_ingest_search_sparql_remove(backend):
    """Writes run in-process (the extraction models load once); reads and removal go through the CLI."""
    from metrokg.kg.graph.build import build
    from metrokg.kg.graph.ingest import ingest_paths

    spec, env = backend["spec"], backend["env"]
    with open_store(spec, write=True) as s:
        assert {r.status for r in build(s)} == {"added"}
        city = ingest_paths(s, [CITY])
        assert city[0].status == "added"
        assert ingest_paths(s, [CITY])[0].status == "unchanged"
        gen = s.generation()
        assert {r.status for r in build(s)} == {"unchanged"} and s.generation() == gen

    docs = cli_json("documents", store=spec, env=env)
    assert [d["id"] for d in docs] == sorted([SEED_ID, city[0].id])
    seed = next(d for d in docs if d["id"] == SEED_ID)
    assert (seed["provisions"], seed["date"], seed["implements"]) == (36, "2022-11-13", ["计量发展规划(2021—2035年)"])
    hits = cli_json("search", "充电桩", "--mode", "lexical", "--document", SEED_ID, "--k", "3", store=spec, env=env)
    assert hits[0]["number"] == "5.4" and "充电桩" in hits[0]["sentence"]["text"]
    goals = [t for t in cli_json("targets", "--document", SEED_ID, store=spec, env=env) if t["number"] == "1.2"]
    coverage = next(t for t in goals if "覆盖率" in t["indicator"])
    assert len(goals) == 16 and (coverage["value"], coverage["unit"], coverage["deadline"]) == (92, "%", 2025)

    q = ("PREFIX mkg: <https://w3id.org/metrokg/ontology#> SELECT ?id (COUNT(?p) AS ?n) WHERE "
         "{ ?p a mkg:Provision ; mkg:inDocument ?d . ?d mkg:documentId ?id } GROUP BY ?id ORDER BY ?id")
    out = json.loads(run_cli("sparql", q, "--format", "json", store=spec, env=env).stdout)
    counts = {b["id"]["value"]: int(b["n"]["value"]) for b in out["results"]["bindings"]}
    assert counts[SEED_ID] == 36 and len(counts) == 2

    removed = cli_json("remove", city[0].id, store=spec, env=env)
    assert removed[0]["status"] == "removed"
    with open_store(spec) as s:
        from metrokg.kg.records.listing import list_documents
        from metrokg.kg.search.index import SearchIndex

        assert [d["id"] for d in list_documents(s)] == [SEED_ID]
        hits = SearchIndex.open(s).search("计量", k=100, mode="lexical")
        assert hits and {h.provision.document for h in hits} == {SEED_ID}


def test_reads_match_the_embedded_store(backend, tmp_path):
    """SELECT, ASK and CONSTRUCT come back as the same rdflib results on every backend."""
    triples = [(URIRef(EX + "a"), URIRef(EX + "p"), Literal("碳计量")),
               (URIRef(EX + "a"), URIRef(EX + "n"), Literal(5)),
               (URIRef(EX + "a"), URIRef(EX + "d"), Literal("0.90", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))),
               (URIRef(EX + "a"), URIRef(EX + "l"), Literal("计量", lang="zh")),
               (URIRef(EX + "a"), URIRef(EX + "b"), BNode()),
               (URIRef(EX + "a"), URIRef(EX + "x"), Literal(1 / 3))]
    with open_store(backend["spec"], write=True) as s:
        s.replace_graphs({G: triples})
        gen = s.generation()
        assert gen > 0 and G in s.graph_iris()
        back = list(s.graph_triples(G))
        from metrokg.kg.store.base import same_triples

        assert same_triples(back, triples)
        sel = s.query("SELECT ?o WHERE { ?s ?p ?o }", {"s": URIRef(EX + "a"), "p": URIRef(EX + "p")})
        assert [r.o for r in sel] == [Literal("碳计量")] and [str(v) for v in sel.vars] == ["o"]
        assert s.query("ASK { ?s ?p ?o }", {"o": Literal(5)}).askAnswer is True
        assert s.query("ASK { ?s ?p ?o }", {"o": Literal(6)}).askAnswer is False
        graph = s.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"p": URIRef(EX + "l")}).graph
        assert set(graph) == {(URIRef(EX + "a"), URIRef(EX + "l"), Literal("计量", lang="zh"))}
        for hostile in ['"} ; DROP ALL ; {"', '" . ?s ?p ?o . FILTER("', '碳计量"}']:
            assert list(s.query("SELECT ?s WHERE { ?s ?p ?term }", {"term": Literal(hostile)})) == []
        assert G in s.graph_iris()
        dump = s.dump("nq").decode("utf-8")
        assert "碳计量" in dump and str(G) in dump


def test_failed_write_leaves_the_store_unchanged(backend):
    with open_store(backend["spec"], write=True) as s:
        s.replace_graphs({G: [(URIRef(EX + "a"), URIRef(EX + "p"), Literal("1"))]})
        gen = s.generation()

        def boom():
            yield URIRef(EX + "x"), URIRef(EX + "p"), Literal("2")
            raise RuntimeError("extraction crashed half-way")

        with pytest.raises(RuntimeError):
            s.replace_graphs({G2: [], G: boom()})
        assert set(s.graph_triples(G)) == {(URIRef(EX + "a"), URIRef(EX + "p"), Literal("1"))}
        assert G2 not in s.graph_iris() and s.generation() == gen


@pytest.mark.parametrize("server", ["oxigraph_server", "virtuoso_server"])
def test_bulk_write_through_the_graph_store_protocol(server, request, monkeypatch, data_home):
    """Staged GSP upload then one MOVE: the graphs land whole, staging graphs are gone."""
    from metrokg.kg.store import remote

    info = request.getfixturevalue(server)
    for k, v in {**info["env"], "METROKG_DATA_DIR": data_home, "METROKG_GSP_URL": info["gsp"],
                 "METROKG_MAX_UPDATE_BYTES": "20000"}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(remote, "BULK_TRIPLES", 100)
    big = [(URIRef(f"{EX}s{i}"), URIRef(EX + "p"), Literal(f"测试 {i}")) for i in range(3000)]
    big.append((URIRef(EX + "s0"), URIRef(EX + "list"), BNode()))
    with open_store(info["spec"], write=True) as s:
        s.remove_graphs(s.graph_iris())
        s.replace_graphs({G: [(URIRef(EX + "old"), URIRef(EX + "p"), Literal("x"))], G2: [big[0]]})
        s.replace_graphs({G: big}, remove=[G2])
        assert len(list(s.graph_triples(G))) == 3001
        assert G2 not in s.graph_iris()
        graphs = {str(r[0]) for r in s.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)}
        assert not any(g.startswith(STAGING) for g in graphs)


@pytest.mark.parametrize("server", ["oxigraph_server", "virtuoso_server"])
def test_large_write_without_gsp_is_split_into_whole_graph_requests(server, request, monkeypatch, data_home):
    info = request.getfixturevalue(server)
    for k, v in {**info["env"], "METROKG_DATA_DIR": data_home, "METROKG_MAX_UPDATE_BYTES": "50000"}.items():
        monkeypatch.setenv(k, v)
    graphs = {URIRef(f"https://w3id.org/metrokg/graph/part-{j}"):
              [(URIRef(f"{EX}s{j}-{i}"), URIRef(EX + "p"), Literal(f"值 {i}")) for i in range(800)]
              for j in range(4)}
    with open_store(info["spec"], write=True) as s:
        s.remove_graphs(s.graph_iris())
        s.replace_graphs(graphs)
        for g, triples in graphs.items():
            assert set(s.graph_triples(g)) == set(triples)
        assert s.generation() > 0


def test_migrate_between_backends(oxigraph_server, virtuoso_server, built_store, tmp_path, monkeypatch,
                                  data_home):
    """embedded -> Oxigraph server -> Virtuoso -> embedded keeps every graph, and search works after.

    No METROKG_UPDATE_URL here: it would apply to both stores; Oxigraph's /update is the default."""
    monkeypatch.delenv("METROKG_UPDATE_URL", raising=False)
    env = {"METROKG_DATA_DIR": data_home}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    for spec in (oxigraph_server["spec"], virtuoso_server["spec"]):
        with open_store(spec, write=True) as s:
            s.remove_graphs(s.graph_iris())
    back = tmp_path / "back"
    chain = [str(built_store), oxigraph_server["spec"], virtuoso_server["spec"], str(back)]
    for src, dst in zip(chain, chain[1:]):
        rows = cli_json("migrate", "--from", src, "--to", dst, env=env)
        assert {r["graph"] for r in rows} >= {str(graph_iri(SEED_ID))}
    with open_store(str(built_store)) as a, open_store(str(back)) as b:
        assert [g for g in a.graph_iris() if g != META_GRAPH] == [g for g in b.graph_iris() if g != META_GRAPH]
        from metrokg.kg.store.base import same_triples

        for g in a.graph_iris():
            if g != META_GRAPH:
                assert same_triples(a.graph_triples(g), b.graph_triples(g)), g
    hits = cli_json("search", "充电桩", "--mode", "lexical", "--k", "1", store=virtuoso_server["spec"], env=env)
    assert hits[0]["number"] == "5.4"
    again = run_cli("migrate", "--from", str(built_store), "--to", str(back), env=env, check=False)
    assert again.returncode == 2 and "E239" in again.stderr
    same = run_cli("migrate", "--from", str(back), "--to", str(back) + "/", env=env, check=False)
    assert same.returncode == 2 and "E238" in same.stderr


def test_unreachable_server_is_a_clear_error(tmp_path):
    spec = f"sparql+http://127.0.0.1:{free_port()}/query"
    proc = run_cli("documents", store=spec, env={"METROKG_DATA_DIR": str(tmp_path)}, check=False)
    assert proc.returncode == 2
    assert "E230" in proc.stderr and "Traceback" not in proc.stderr
    for bad in ("sparql+http://", "sparql+http://host:notaport/q"):
        with pytest.raises(MetrokgError) as err:
            open_store(bad)
        assert err.value.code == "E237"


def test_endpoint_urls_follow_the_spec(monkeypatch):
    from metrokg.kg.store.remote import RemoteStore

    monkeypatch.delenv("METROKG_UPDATE_URL", raising=False)
    monkeypatch.delenv("METROKG_GSP_URL", raising=False)
    s = RemoteStore("sparql+https://db.example.org:7878/query")
    assert (s.query_url, s.update_url, s.gsp_url) == ("https://db.example.org:7878/query",
                                                      "https://db.example.org:7878/update", None)
    assert RemoteStore("sparql+http://h:8890/sparql").update_url == "http://h:8890/sparql"
    monkeypatch.setenv("METROKG_UPDATE_URL", "http://h/u")
    monkeypatch.setenv("METROKG_GSP_URL", "http://h/g")
    s = RemoteStore("sparql+http://h:8890/sparql")
    assert (s.update_url, s.gsp_url) == ("http://h/u", "http://h/g")
    assert s.index_dir != RemoteStore("sparql+http://h:8891/sparql").index_dir


def test_query_form_and_redaction():
    from metrokg.kg.store.remote import query_form, redact

    assert query_form('PREFIX x: <http://x/ASK> # CONSTRUCT\nSELECT ?s WHERE { ?s ?p "ASK" }') == "SELECT"
    assert query_form("prefix x: <http://x/> construct { ?s ?p ?o } where { ?s ?p ?o }") == "CONSTRUCT"
    assert redact("http://u:secret@h:1/q") == "http://u:***@h:1/q"


def test_views_rederive_only_the_documents_a_write_touched(backend, tmp_path):
    """The views read records derived per document graph. A write keeps the records of the graphs
    it touched, derived from the triples it wrote, so no graph is read back; a new process reads
    them from the index folder; a replaced or removed document is never answered from its old
    records, and an untouched graph keeps its version."""
    from metrokg.kg.records import derived
    from metrokg.kg.records import factview
    from metrokg.kg.graph.build import build
    from metrokg.kg.graph.ingest import ingest_paths, remove_document
    from metrokg.kg.analyses.obligations import list_obligations

    city = tmp_path / CITY.name
    city.write_text(CITY.read_text(encoding="utf-8"), encoding="utf-8")
    with open_store(backend["spec"], write=True) as s:
        build(s)
        city_id = ingest_paths(s, [city])[0].id
        stamps = s.graph_versions()
        assert {str(graph_iri(SEED_ID)), str(graph_iri(city_id))} <= set(stamps)
        first = list_obligations(s)
        assert any("扭矩、力值计量标准" in r["text"] for r in first if r["document"] == city_id)

        reads = []
        plain = s.plain_triples
        s.plain_triples = lambda g: reads.append(str(g)) or plain(g)
        derived._memory.clear()  # as in a new process: records come from the index folder
        factview._CACHE.clear()
        assert list_obligations(s) == first and reads == []

        city.write_text(CITY.read_text(encoding="utf-8").replace("扭矩、力值", "扭矩、压力"), encoding="utf-8")
        assert ingest_paths(s, [city])[0].status == "replaced"
        after = list_obligations(s)
        rows = [r for r in after if r["document"] == city_id]
        assert any("扭矩、压力计量标准" in r["text"] for r in rows)
        assert not any("扭矩、力值" in r["text"] for r in rows)
        assert reads == []  # the writer kept the records it derived from the triples it wrote
        derived._memory.clear()  # a new process finds them saved under the graph's new version
        factview._CACHE.clear()
        assert list_obligations(s) == after and reads == []
        assert s.graph_versions()[str(graph_iri(SEED_ID))] == stamps[str(graph_iri(SEED_ID))]

        remove_document(s, city_id)
        assert {r["document"] for r in list_obligations(s)} == {SEED_ID}
        assert str(graph_iri(city_id)) not in s.graph_versions()
