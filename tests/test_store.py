"""The embedded store: named graphs, atomic writes, stable IRIs, safe bindings."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Literal, URIRef

from metrokg.errors import MetrokgError
from metrokg.kg.graph.ingest import doc_id_for, ingest_paths, remove_document
from metrokg.kg.records.listing import list_documents
from metrokg.kg.store.base import bind_values
from metrokg.kg.store.embedded import EmbeddedStore
from metrokg.kg.store.registry import open_store
from metrokg.ontology.namespace import MKG, graph_iri, provision_iri

from conftest import DATA

G = URIRef("http://example.org/g")
EX = "http://example.org/"


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "s")
    yield s
    s.close()


def test_fresh_store_is_empty(store):
    assert store.is_empty()
    assert store.generation() == 0
    assert list_documents(store) == []


def test_replace_graph_is_whole_and_bumps_generation(store):
    store.replace_graphs({G: [(URIRef(EX + "a"), URIRef(EX + "p"), Literal("1"))]})
    store.replace_graphs({G: [(URIRef(EX + "b"), URIRef(EX + "p"), Literal("2"))]})
    assert set(store.graph_triples(G)) == {(URIRef(EX + "b"), URIRef(EX + "p"), Literal("2"))}
    assert store.generation() == 2


def test_failed_write_leaves_the_store_unchanged(store):
    store.replace_graphs({G: [(URIRef(EX + "a"), URIRef(EX + "p"), Literal("1"))]})
    before = set(store.graph_triples(G))

    class Boom:
        def __iter__(self):
            yield URIRef(EX + "x"), URIRef(EX + "p"), Literal("2")
            raise RuntimeError("extraction crashed half-way")

    other = URIRef("http://example.org/other")
    with pytest.raises(RuntimeError):
        store.replace_graphs({other: [], G: Boom()})
    assert set(store.graph_triples(G)) == before
    assert other not in store.graph_iris()
    assert store.generation() == 1


def test_bound_values_are_text_never_syntax(store):
    store.replace_graphs({G: [(URIRef(EX + "a"), URIRef(EX + "label"), Literal("碳计量"))]})
    q = "SELECT ?s WHERE { ?s ?p ?term }"
    for hostile in ['"} ; DROP ALL ; {"', '" . ?s ?p ?o . FILTER("', "碳计量\"}"]:
        assert list(store.query(q, {"term": Literal(hostile)})) == []
    assert [str(r.s) for r in store.query(q, {"term": Literal("碳计量")})] == [EX + "a"]
    assert G in store.graph_iris()


def test_bind_values_goes_into_the_where_clause():
    q = bind_values("PREFIX x: <http://x/> SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('a"b')})
    assert 'VALUES (?o) { ("a\\"b") }' in q
    q = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": URIRef(EX)})
    assert q.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES")


def test_ingest_twice_changes_nothing_and_iris_are_stable(store):
    path = DATA / "structure" / "city_plan.txt"
    first = ingest_paths(store, [path])
    gen = store.generation()
    second = ingest_paths(store, [path])
    assert first[0].status == "added" and second[0].status == "unchanged"
    assert store.generation() == gen
    doc_id = doc_id_for(path.name)
    p = provision_iri(doc_id, "2.1")
    assert (p, MKG.number, Literal("2.1")) in set(store.graph_triples(graph_iri(doc_id)))


def test_bad_file_in_a_batch_writes_nothing(store, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(MetrokgError):
        ingest_paths(store, [DATA / "structure" / "city_plan.txt", empty])
    assert store.is_empty()


def test_remove_document(store):
    path = DATA / "structure" / "law_style.txt"
    ingest_paths(store, [path])
    remove_document(store, doc_id_for(path.name))
    assert list_documents(store) == []
    with pytest.raises(MetrokgError) as err:
        remove_document(store, "nope")
    assert err.value.code == "E010"


def test_doc_ids_are_stable_and_safe():
    assert doc_id_for("My Plan 2023.docx") == "my-plan-2023"
    cn = doc_id_for("湖北 实施意见.txt")
    assert cn == doc_id_for("湖北 实施意见.txt") and cn.startswith("hubei-shishi-yijian-")  # pinyin, read aloud
    assert "/" not in doc_id_for("../../etc/passwd")


def test_second_process_reads_while_one_writes(tmp_path):
    path = tmp_path / "s"
    writer = open_store(str(path), write=True)
    writer.replace_graphs({G: [(URIRef(EX + "a"), URIRef(EX + "p"), Literal("1"))]})
    code = ("from metrokg.kg.store.registry import open_store; from rdflib import URIRef;"
            f"s = open_store({str(path)!r}); print(len(list(s.graph_triples(URIRef({str(G)!r})))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "1", out.stderr
    code_w = f"from metrokg.kg.store.registry import open_store; open_store({str(path)!r}, write=True)"
    out = subprocess.run([sys.executable, "-c", code_w], capture_output=True, text=True, timeout=60)
    assert "E012" in out.stderr
    writer.close()


def test_store_path_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(MetrokgError) as err:
        open_store(str(f))
    assert err.value.code == "E011"
    with pytest.raises(MetrokgError) as err:
        open_store("ftp://example.org/x")
    assert err.value.code == "E013"


def test_the_registry_opens_each_spec_with_its_backend(tmp_path):
    """A directory opens the embedded store without importing the HTTP backend; a sparql+http(s)
    URL opens a remote store; a writer gets a writable store, a reader a read-only snapshot."""
    code = ("import sys; from metrokg.kg.store.registry import open_store; "
            f"s = open_store({str(tmp_path / 's')!r}, write=True); "
            "print(type(s).__name__, s.read_only, 'metrokg.kg.store.remote' in sys.modules, 'requests' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["EmbeddedStore", "False", "False", "False"], out.stderr
    with open_store(str(tmp_path / "s")) as reader:
        assert isinstance(reader, EmbeddedStore) and reader.read_only
    from metrokg.kg.store.remote import RemoteStore

    for spec in ("sparql+http://127.0.0.1:9/query", "sparql+https://127.0.0.1:9/sparql"):
        remote = open_store(spec)  # opening sends nothing
        assert isinstance(remote, RemoteStore) and remote.query_url == spec[len("sparql+"):]
        remote.close()
    for spec in ("ftp://example.org/x", "SPARQL+HTTP://127.0.0.1:9/query", "x/sparql+http://h/q"):
        with pytest.raises(MetrokgError) as err:
            open_store(spec)
        assert err.value.code == "E013"


def test_fast_rows_agree_with_query(store):
    from rdflib import XSD, BNode

    ex = URIRef(EX + "a")
    store.replace_graphs({G: [(ex, URIRef(EX + "n"), Literal(3)), (ex, URIRef(EX + "d"), Literal("0.90", datatype=XSD.decimal)),
                              (ex, URIRef(EX + "l"), Literal("计量", lang="zh")), (ex, URIRef(EX + "b"), BNode("x"))]})
    q = ("SELECT ?p ?o ?none WHERE { GRAPH <http://example.org/g> { ?s ?p ?o "
         "OPTIONAL { ?o <http://example.org/missing> ?none } } } ORDER BY ?p")
    full = [(str(r.p), r.o, r.none) for r in store.query(q)]
    fast = store.rows(q)
    assert len(full) == len(fast) == 4
    for (p, o, none), (fp, fo, fnone) in zip(full, fast):
        assert p == fp and none is None and fnone is None
        if isinstance(o, Literal):
            assert str(fo) == str(o) and fo.toPython() == o.toPython() and fo.language == o.language
        else:
            assert isinstance(fo, str)
    with pytest.raises(MetrokgError):
        store.rows("ASK { ?s ?p ?o }")


def test_view_cache_follows_the_store_generation(store):
    from metrokg.kg.records.factview import cached

    calls = []
    build = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cached(store, ("probe",), build) == 1
    assert cached(store, ("probe",), build) == 1  # unchanged store: no rebuild
    store.replace_graphs({G: [(URIRef(EX + "a"), URIRef(EX + "p"), Literal("1"))]})
    assert cached(store, ("probe",), build) == 2  # a write invalidates it


def test_every_write_stamps_the_graphs_it_wrote(store):
    """New graphs go in as one transaction with their stamps; replacing or removing a graph moves
    only its own stamp, so records derived from the other graphs stay valid."""
    t = (URIRef(EX + "a"), URIRef(EX + "p"), Literal("1"))
    g2 = URIRef("http://example.org/g2")
    store.replace_graphs({G: [t]})
    store.replace_graphs({g2: [t]})
    assert store.generation() == 2
    assert store.graph_versions() == {str(G): 1, str(g2): 2}
    store.replace_graphs({G: [t, (URIRef(EX + "b"), URIRef(EX + "p"), Literal("2"))]})
    assert store.generation() == 3 and store.graph_versions() == {str(G): 3, str(g2): 2}
    store.remove_graphs([g2])
    assert store.generation() == 4 and store.graph_versions() == {str(G): 3}
    assert len(list(store.graph_triples(G))) == 2 and g2 not in store.graph_iris()


# ----------------------------------------------------------------- damaged and missing stores, doctor

def _hashes(root) -> dict:
    import hashlib

    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _small_store(path):
    with EmbeddedStore(path) as s:
        ingest_paths(s, [DATA / "structure" / "city_plan.txt"])
    return path


def test_reading_a_missing_store_creates_nothing(tmp_path):
    for spec in (tmp_path / "a" / "b", tmp_path):
        with pytest.raises(MetrokgError) as err:
            open_store(str(spec))
        assert err.value.code == "E380"
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_view_writes_nothing(tmp_path):
    path = _small_store(tmp_path / "s")
    before = _hashes(path / "oxigraph")
    with open_store(str(path)) as s:
        assert s.read_only and [d["id"] for d in list_documents(s)] == ["city-plan"]
        with pytest.raises(MetrokgError):
            s.replace_graphs({G: []})
    assert _hashes(path / "oxigraph") == before


def test_a_writer_refuses_a_damaged_store_and_repair_brings_it_back(tmp_path):
    from metrokg.kg.store.recovery import repair_current

    path = _small_store(tmp_path / "s")
    (path / "oxigraph" / "CURRENT").unlink()
    before = _hashes(path)
    for read_only in (False, True):
        with pytest.raises(MetrokgError) as err:
            EmbeddedStore(path, read_only=read_only)
        assert err.value.code == "E381" and "CURRENT" in err.value.message
    assert _hashes(path) == before  # RocksDB never got to "recover" it into an empty database
    assert repair_current(path).status == "repaired"
    assert repair_current(path) is None  # nothing left to repair
    with EmbeddedStore(path) as s:
        assert [d["id"] for d in list_documents(s)] == ["city-plan"]


def test_full_scan_counts_agree_with_the_generic_path(tmp_path):
    from metrokg.kg.store.base import Store

    with EmbeddedStore(_small_store(tmp_path / "s")) as s:
        counts = s.triple_counts()
        assert counts == Store.triple_counts(s) and sum(counts.values()) > 100
        assert s.read_all_indexes() > len(counts)


def test_doctor_finds_and_repairs_stale_and_foreign_caches(tmp_path):
    import json

    from metrokg.kg.store.recovery import diagnose, repair
    from metrokg.kg.search.index import SearchIndex

    path = _small_store(tmp_path / "s")
    with EmbeddedStore(path) as s:
        SearchIndex.build(s)
        list_documents(s)  # derives and saves the document records
        generation = s.generation()
    assert {f.status for f in diagnose(str(path))} == {"ok"}
    derived = sorted((path / "index" / "derived").glob("*/*/*.json"))
    assert derived
    derived[0].write_text(json.dumps({"key": f"v{generation + 5}|f1", "value": []}))  # another store's record
    derived[1].write_text("{not json")
    meta = path / "index" / "search" / "meta.json"
    meta.write_text(json.dumps({"generation": generation - 1, "version": 2}))
    found = {f.check: f for f in diagnose(str(path))}
    assert found["derived records"].status == "error" and "newer" in found["derived records"].detail
    assert found["search index"].status == "warning" and "rebuilds" in found["search index"].detail
    report = repair(str(path))
    assert {f.check for f in report if f.status == "repaired"} == {"derived records", "search index"}
    assert {f.status for f in report if f.status != "repaired"} == {"ok"}
    assert json.loads(meta.read_text())["generation"] == generation
