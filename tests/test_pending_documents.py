"""A large batch's parsed documents wait on disk while it is checked and written (#19): the store
ends the same as when they are held in memory, a refused file still writes nothing, a replacing
duplicate still takes the stored document's id, and the batch's file is gone afterwards."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from conftest import ROOT, SEED
from metrokg.errors import MetrokgError
from metrokg.kg.graph.ingest import ingest_paths, prepare
from metrokg.kg.graph.pending import DocumentShelf
from metrokg.kg.store.base import same_triples
from metrokg.kg.store.embedded import EmbeddedStore

PLAN = ROOT / "corpus" / "docs" / "guangdong-2025-metrology-action-plan.txt"
LAW = ROOT / "tests" / "data" / "structure" / "law_style.txt"


def _batch_files() -> set[str]:
    folder = Path(tempfile.gettempdir())
    return {p.name for prefix in ("metrokg-batch-", "metrokg-records-") for p in folder.glob(prefix + "*")}


def test_a_shelf_past_its_size_keeps_documents_on_disk_and_gives_them_back_whole():
    docs = [prepare(p) for p in (SEED, PLAN, LAW)]
    with DocumentShelf(spill_chars=len(docs[0].text) + 1) as shelf:
        first = shelf.add(docs[0])
        assert not shelf.spilled and first.doc is docs[0]
        pending = [first] + [shelf.add(d) for d in docs[1:]]
        assert shelf.spilled and all(p.doc is None for p in pending)  # those held so far went too
        pending[1].doc_id, pending[1].warnings = "renamed", ["[W229] note"]
        back = [p.load() for p in pending]
        assert [b.text for b in back] == [d.text for d in docs]
        assert [len(b.provisions) for b in back] == [p.provision_count for p in pending]
        assert back[1].doc_id == "renamed" and back[1].warnings == ["[W229] note"]
        name = pending[0].place[0]
        assert Path(name).exists()
    assert not Path(name).exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_on_disk_writes_what_a_batch_in_memory_writes(tmp_path, monkeypatch, workers):
    before = _batch_files()
    paths = [SEED, PLAN, LAW]
    held, spilled = EmbeddedStore(tmp_path / "held"), EmbeddedStore(tmp_path / "spilled")
    try:
        ingest_paths(held, paths, bulk=True, workers=workers)
        monkeypatch.setenv("METROKG_TRANSACTION_MAX_CHARS", "1")
        results = ingest_paths(spilled, paths, workers=workers)
        assert [(r.id, r.status, r.provisions, r.facts) for r in results] == [
            (prepare(p).doc_id, "added", len(prepare(p).provisions), r.facts) for p, r in zip(paths, results)]
        assert set(held.graph_iris()) == set(spilled.graph_iris())
        for g in held.graph_iris():
            assert same_triples(held.graph_triples(g), spilled.graph_triples(g)), g
    finally:
        held.close()
        spilled.close()
    assert _batch_files() == before


def test_a_refused_file_in_a_batch_on_disk_writes_nothing_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv("METROKG_TRANSACTION_MAX_CHARS", "1")
    before = _batch_files()
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    s = EmbeddedStore(tmp_path / "s")
    try:
        with pytest.raises(MetrokgError, match="empty.txt"):
            ingest_paths(s, [SEED, PLAN, empty])
        assert not list(s.graph_iris())
    finally:
        s.close()
    assert _batch_files() == before


def test_a_replacing_duplicate_on_disk_takes_the_stored_documents_id(tmp_path, monkeypatch):
    s = EmbeddedStore(tmp_path / "s")
    try:
        (first,) = ingest_paths(s, [PLAN])
        copy = tmp_path / "another-name.txt"
        copy.write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
        monkeypatch.setenv("METROKG_TRANSACTION_MAX_CHARS", "1")
        results = ingest_paths(s, [SEED, copy], replace=True)
        assert {r.id: r.status for r in results} == {prepare(SEED).doc_id: "added", first.id: "replaced"}  # its source file is the copy now
        assert any("[W229]" in w for r in results if r.id == first.id for w in r.warnings)
    finally:
        s.close()
