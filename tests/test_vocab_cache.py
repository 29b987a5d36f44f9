"""The parsed shipped vocabulary is cached in the data dir, keyed by the Turtle files' contents."""

from __future__ import annotations

import shutil

import pytest

from metrokg.ontology import turtle_files, vocab

NEW_CONCEPT = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/metrokg/id/conduct/cache-test-conduct> a skos:Concept ; skos:prefLabel "缓存测试行为"@zh .
"""
IRI = "https://w3id.org/metrokg/id/conduct/cache-test-conduct"


@pytest.fixture
def vocabulary(tmp_path, monkeypatch):
    """A copy of the shipped Turtle files as the shipped vocabulary, and an empty data dir."""
    folder = tmp_path / "ontology"
    folder.mkdir()
    for path in turtle_files():
        shutil.copy(path, folder / path.name)
    monkeypatch.setenv("METROKG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(vocab, "turtle_files", lambda: sorted(folder.glob("*.ttl")))
    _fresh_process()
    yield folder
    monkeypatch.undo()
    _fresh_process()


def _fresh_process() -> None:
    """What a new process starts with: nothing parsed yet."""
    vocab.packaged.cache_clear()
    vocab._cached.cache_clear()


def _parsing_forbidden(monkeypatch) -> None:
    def fail():
        raise AssertionError("the Turtle was parsed although the cache matches it")

    monkeypatch.setattr(vocab, "_load", fail)


def test_a_second_process_reads_the_cache_instead_of_parsing(vocabulary, monkeypatch):
    graph = set(vocab.load_ontology())
    iris = [c.iri for c in vocab.packaged()]
    assert vocab.cache_path("graph").is_file() and vocab.cache_path("concepts").is_file()
    _fresh_process()
    _parsing_forbidden(monkeypatch)
    assert [c.iri for c in vocab.packaged()] == iris
    assert set(vocab.load_ontology()) == graph


def test_a_changed_turtle_file_is_parsed_again(vocabulary, monkeypatch):
    assert vocab.concept(IRI) is None
    (vocabulary / "zz-cache-test.ttl").write_text(NEW_CONCEPT, encoding="utf-8")
    _fresh_process()
    assert vocab.concept(IRI).pref_zh == "缓存测试行为"
    assert any(str(s) == IRI for s, _p, _o in vocab.load_ontology())
    _fresh_process()
    _parsing_forbidden(monkeypatch)  # and the new parse is what the next process reads
    assert vocab.concept(IRI).pref_zh == "缓存测试行为"


@pytest.mark.parametrize("damage", [b"not a pickle", b""])
def test_a_corrupt_cache_is_ignored_and_rewritten(vocabulary, damage):
    iris = [c.iri for c in vocab.packaged()]
    size = len(vocab.load_ontology())
    for name in ("graph", "concepts"):
        vocab.cache_path(name).write_bytes(damage)
    _fresh_process()
    assert [c.iri for c in vocab.packaged()] == iris
    assert len(vocab.load_ontology()) == size
    for name in ("graph", "concepts"):
        assert vocab.cache_path(name).stat().st_size > 1000  # rebuilt


def test_a_cache_holding_something_else_under_the_right_key_is_not_trusted(vocabulary):
    from metrokg import cached_pickle

    iris = [c.iri for c in vocab.packaged()]
    cached_pickle.write(vocab.cache_path("concepts"), vocab._sources_key(), ["not a concept"])
    _fresh_process()
    assert [c.iri for c in vocab.packaged()] == iris


def test_an_unwritable_cache_folder_only_costs_speed(vocabulary, tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data dir should be")
    monkeypatch.setenv("METROKG_DATA_DIR", str(blocked))
    _fresh_process()
    assert vocab.concept(IRI) is None and len(list(vocab.packaged())) > 100
