"""Bulk loads (`metrokg ingest --bulk`) and extraction in worker processes: the same graphs as
a normal ingest, and nothing half-written left behind by a failure or a crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from rdflib import Literal, URIRef

from metrokg.kg.graph.ingest import ingest_paths
from metrokg.kg.store.base import same_triples
from metrokg.kg.store.embedded import EmbeddedStore
from metrokg.ontology.namespace import graph_iri

from conftest import DEV_DOCS, cli_json

DOCS = sorted(DEV_DOCS.glob("*.txt"))[:4]
G = URIRef("http://example.org/g")
G2 = URIRef("http://example.org/g2")
T = (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("1"))


def graphs_of(store: EmbeddedStore) -> dict:
    return {g: list(store.graph_triples(g)) for g in store.graph_iris() if "/graph/meta" not in str(g)}


@pytest.mark.slow
def test_bulk_ingest_with_workers_writes_the_same_graphs(tmp_path):
    with EmbeddedStore(tmp_path / "plain") as plain, EmbeddedStore(tmp_path / "bulk") as bulk:
        expected = ingest_paths(plain, DOCS, workers=1)
        got = ingest_paths(bulk, DOCS, bulk=True, workers=2)
        assert [(r.id, r.status, r.provisions, r.facts) for r in got] == \
               [(r.id, r.status, r.provisions, r.facts) for r in expected]
        a, b = graphs_of(plain), graphs_of(bulk)
        assert a.keys() == b.keys() and all(same_triples(a[g], b[g]) for g in a)
        assert bulk.graph_versions().keys() == plain.graph_versions().keys()
        # a second bulk run over the same files changes nothing
        gen = bulk.generation()
        assert {r.status for r in ingest_paths(bulk, DOCS, bulk=True, workers=2)} == {"unchanged"}
        assert bulk.generation() == gen


def test_failed_bulk_load_leaves_the_store_as_it_was(tmp_path):
    with EmbeddedStore(tmp_path / "s") as store:
        store.replace_graphs({G: [T]})
        with pytest.raises(RuntimeError):
            with store.bulk_writer([G2]) as add:
                add(G2, [T])
                raise RuntimeError("extraction crashed half-way")
        assert G2 not in store.graph_iris() and set(store.graph_versions()) == {str(G)}
        with pytest.raises(ValueError):  # only new graphs go through the bulk loader
            with store.bulk_writer([G]):
                pass


def test_crashed_bulk_load_is_undone_by_the_next_writer(tmp_path):
    """A process killed half-way through a bulk load leaves pending graphs; opening the store for
    writing drops them (readers skip them meanwhile)."""
    path = tmp_path / "s"
    with EmbeddedStore(path) as store:
        store.replace_graphs({G: [T]})
    crash = textwrap.dedent(f"""
        import os
        from rdflib import Literal, URIRef
        from metrokg.kg.store import embedded
        from metrokg.kg.store.embedded import EmbeddedStore
        embedded.BULK_BATCH_QUADS = 1  # each graph loaded as it is added, so the crash leaves it half-written
        G2 = URIRef({str(G2)!r})
        T = (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("1"))
        store = EmbeddedStore({str(path)!r})
        writer = store.bulk_writer([G2])
        add = writer.__enter__()
        add(G2, [T])
        os._exit(9)  # killed: no clean-up runs
    """)
    proc = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    with EmbeddedStore(path, read_only=True) as reader:
        assert G2 in reader.graph_iris()  # half-written, still marked pending
        from metrokg.kg.records.factview import document_graphs
        assert document_graphs(reader) == {}
    with EmbeddedStore(path) as store:
        assert G2 not in store.graph_iris() and G in store.graph_iris()
        assert store.rows("SELECT ?g WHERE { GRAPH ?m { ?s <https://w3id.org/metrokg/store#pendingGraph> ?g } }") == []


@pytest.mark.slow
def test_cli_bulk_ingest(tmp_path):
    store = tmp_path / "store"
    rows = cli_json("ingest", "--bulk", "--workers", "2", *map(str, DOCS), store=store)
    assert [r["status"] for r in rows] == ["added"] * len(DOCS)
    docs = cli_json("documents", store=store)
    assert sorted(d["id"] for d in docs) == sorted(r["id"] for r in rows)
    hits = cli_json("search", "计量", "--mode", "lexical", "--k", "200", store=store)
    assert {h["document"] for h in hits} == {r["id"] for r in rows}
    with EmbeddedStore(store, read_only=True) as s:
        assert {str(graph_iri(r["id"])) for r in rows} <= set(s.graph_versions())
