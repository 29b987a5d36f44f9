"""The bulk loader's batches (#19): graphs added one at a time through ``bulk_writer`` are loaded
in a few large calls (one call per document cost three times the CPU); every graph still holds
exactly its own triples, whichever form they came in, and a failure drops them all."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from metrokg.kg.store import embedded
from metrokg.kg.store.base import ntriples, same_triples
from metrokg.kg.store.embedded import EmbeddedStore
from metrokg.ontology.namespace import META_GRAPH

EX = "http://example.org/"


def _triples(i: int, n: int = 4) -> list:
    # literals that look like statement ends once unescaped: a newline, " .", a quote, a language tag
    return [(URIRef(f"{EX}s{i}"), URIRef(f"{EX}p{k}"), Literal(f"第{i}条 .\n{k} \"引\" .")) for k in range(n)] + \
           [(URIRef(f"{EX}s{i}"), URIRef(f"{EX}label"), Literal(f"名称{i}", lang="zh"))]


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "s")
    yield s
    s.close()


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_batched_bulk_load_puts_each_graph_in_its_own_graph(store, monkeypatch, batch):
    monkeypatch.setattr(embedded, "BULK_BATCH_QUADS", batch)
    graphs = {URIRef(f"{EX}g{i}"): _triples(i) for i in range(6)}
    calls = []
    real = store._db
    monkeypatch.setattr(store, "_db", _Counting(real, calls))
    with store.bulk_writer(graphs) as add:
        for i, (g, triples) in enumerate(graphs.items()):
            add(g, ntriples(triples) if i % 2 else triples)  # as workers send them, and as Python terms
    monkeypatch.setattr(store, "_db", real)
    for g, triples in graphs.items():
        assert same_triples(store.graph_triples(g), triples), g
    assert not store.rows("SELECT ?s WHERE { ?s ?p ?o }", union=False)  # nothing in the default graph
    assert not store.pending_graphs() and set(store.graph_versions()) == {str(g) for g in graphs}
    loads = [c for c in calls if c in ("bulk_load", "bulk_extend")]
    assert len(loads) <= 2 if batch == 1000 else len(loads) >= 6  # one call per form when all fit


def test_n_triples_without_a_final_newline_still_go_to_their_graph(store):
    g = URIRef(f"{EX}g")
    text = ntriples(_triples(1)).rstrip(b"\n")
    with store.bulk_writer([g]) as add:
        add(g, text)
    assert same_triples(store.graph_triples(g), _triples(1))
    assert not store.rows("SELECT ?s WHERE { ?s ?p ?o }", union=False)


def test_a_failure_after_batches_were_loaded_drops_every_graph(store, monkeypatch):
    monkeypatch.setattr(embedded, "BULK_BATCH_QUADS", 3)
    keep = URIRef(f"{EX}kept")
    store.replace_graphs({keep: _triples(0)})
    graphs = [URIRef(f"{EX}g{i}") for i in range(4)]
    with pytest.raises(RuntimeError):
        with store.bulk_writer(graphs) as add:
            for i, g in enumerate(graphs[:3]):
                add(g, ntriples(_triples(i)))
            raise RuntimeError("extraction failed on the fourth document")
    assert [g for g in store.graph_iris() if g != META_GRAPH] == [keep]
    assert set(store.graph_versions()) == {str(keep)} and not store.pending_graphs()


class _Counting:
    """The Oxigraph store with its bulk calls counted."""

    def __init__(self, db, calls: list) -> None:
        self._db, self._calls = db, calls

    def __getattr__(self, name):
        attr = getattr(self._db, name)
        if name in ("bulk_load", "bulk_extend"):
            def counted(*args, **kwargs):
                self._calls.append(name)
                return attr(*args, **kwargs)
            return counted
        return attr
