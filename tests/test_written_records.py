"""Derived records of new documents come from the triples the ingest writes (#19): the same bytes
as derived from the graphs read back, in any triple order, and the search index after an ingest
does not read the new graphs back."""

from __future__ import annotations

import random

import orjson
import pytest
from rdflib import URIRef

from conftest import ROOT, SEED
from metrokg.kg.graph.ingest import ingest_paths, prepare, write_documents
from metrokg.kg.records.factview import _decode_document, _derive_document, document_graphs, document_parts, load_facts
from metrokg.kg.store.embedded import EmbeddedStore

TASK_TABLE_PLAN = ROOT / "corpus" / "docs" / "guangdong-2025-metrology-action-plan.txt"
LAW = ROOT / "tests" / "data" / "structure" / "law_style.txt"
REAL_LAW = ROOT.parent / "shared" / "real" / "laws" / "henan-tiaoli-2016.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = EmbeddedStore(tmp_path_factory.mktemp("written") / "s")
    paths = [SEED, TASK_TABLE_PLAN, LAW] + ([REAL_LAW] if REAL_LAW.exists() else [])
    results = ingest_paths(s, paths)
    assert {r.status for r in results} == {"added"}
    yield s
    s.close()


def _read_back(store, graph: str) -> bytes:
    return orjson.dumps(_derive_document({graph: store.plain_triples(URIRef(graph))}))


def test_records_after_an_ingest_are_read_without_reading_the_graphs_back(store, monkeypatch):
    graphs = document_graphs(store)
    expected = {g: orjson.loads(_read_back(store, g)) for g in graphs.values()}

    def refuse(graph):
        raise AssertionError(f"read back {graph}")
    monkeypatch.setattr(store, "plain_triples", refuse)
    for doc_id, g in graphs.items():
        for name, value in expected[g].items():
            assert document_parts(store, name, doc_id) == [_decode_document(name, value)], (doc_id, name)
    # the plan's task table and the law's articles are among what was kept
    assert any(f.get("role") == "lead" for f in load_facts(store, "responsibility", "guangdong-2025-metrology-action-plan"))
    assert any(p.citation for p in document_parts(store, "provisions", "law-style")[0].values())


def test_kept_records_are_the_read_back_ones_byte_for_byte(store):
    from metrokg.kg.graph.ingest import graph_for
    from metrokg.kg.records.factview import written_records

    for path in (SEED, TASK_TABLE_PLAN, LAW):
        doc = prepare(path)
        graph = str(document_graphs(store)[doc.doc_id])
        triples, _ = graph_for(store, doc)
        assert orjson.dumps(written_records(graph, triples)) == _read_back(store, graph), path


def test_records_do_not_depend_on_triple_order_or_repeats(store):
    for graph in document_graphs(store).values():
        triples = store.plain_triples(URIRef(graph))
        shuffled = list(triples)
        random.Random(7).shuffle(shuffled)
        expected = _read_back(store, graph)
        assert orjson.dumps(_derive_document({graph: shuffled + triples[:50]})) == expected
        assert orjson.dumps(_derive_document({graph: triples[::-1]})) == expected


def test_a_replaced_document_keeps_the_records_of_its_new_version(tmp_path, monkeypatch):
    s = EmbeddedStore(tmp_path / "s")
    try:
        ingest_paths(s, [TASK_TABLE_PLAN])
        changed = tmp_path / TASK_TABLE_PLAN.name
        changed.write_text(TASK_TABLE_PLAN.read_text(encoding="utf-8").replace("。", "，现予印发。", 1), encoding="utf-8")
        (result,) = write_documents(s, [prepare(changed)])
        assert result.status == "replaced"
        (graph,) = document_graphs(s).values()
        expected = orjson.loads(_read_back(s, graph))
        monkeypatch.setattr(s, "plain_triples", lambda g: pytest.fail("read back"))
        for name, value in expected.items():
            assert document_parts(s, name) == [_decode_document(name, value)], name
    finally:
        s.close()


def test_bulk_loaded_documents_keep_their_records_derived_in_the_workers(tmp_path, monkeypatch):
    """Documents that go through the bulk loader, extracted in worker processes, keep records too: the
    search index reads none of their graphs back, and they are the read-back ones byte for byte."""
    s = EmbeddedStore(tmp_path / "s")
    try:
        results = ingest_paths(s, [SEED, TASK_TABLE_PLAN, LAW], bulk=True, workers=2)
        assert {r.status for r in results} == {"added"}
        graphs = document_graphs(s)
        expected = {g: orjson.loads(_read_back(s, g)) for g in graphs.values()}
        monkeypatch.setattr(s, "plain_triples", lambda g: pytest.fail(f"read back {g}"))
        for doc_id, g in graphs.items():
            for name, value in expected[g].items():
                assert document_parts(s, name, doc_id) == [_decode_document(name, value)], (doc_id, name)
    finally:
        s.close()
