"""Streamed writes (#19): new graphs added from a generator in one transaction, large batches of new
documents through the bulk loader, and the vocabulary rows the ONNX embedder reads per batch."""

from __future__ import annotations

import numpy as np
import pytest
from rdflib import Literal, URIRef

from conftest import SEED
from metrokg.kg.graph.ingest import ingest_paths
from metrokg.kg.store.embedded import EmbeddedStore

EX = "http://example.org/"


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "s")
    yield s
    s.close()


def _graph(i: int, n: int = 3):
    return URIRef(f"{EX}g{i}"), [(URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(f"v{k}")) for k in range(n)]


def test_add_graphs_writes_each_graph_and_stamps_the_generation(store):
    before = store.generation()
    written = store.add_graphs(_graph(i) for i in range(3))
    assert written == [URIRef(f"{EX}g{i}") for i in range(3)]
    assert store.generation() == before + 1
    assert store.graph_versions() == {f"{EX}g{i}": before + 1 for i in range(3)}
    assert sorted(store.graph_triples(URIRef(f"{EX}g1"))) == sorted(_graph(1)[1])


def test_a_failing_stream_writes_nothing_and_raises_its_own_error(store):
    store.add_graphs([_graph(0)])
    state = (store.generation(), store.triple_counts())

    def failing():
        yield _graph(1)
        raise KeyError("extraction failed")

    with pytest.raises(KeyError, match="extraction failed"):
        store.add_graphs(failing())
    with pytest.raises(ValueError, match="does not hold"):
        store.add_graphs([_graph(2), _graph(0)])  # g0 is stored already: g2 is not written either
    assert (store.generation(), store.triple_counts()) == state


def test_a_large_batch_of_new_documents_goes_through_the_bulk_loader(store, tmp_path, monkeypatch):
    text = SEED.read_text(encoding="utf-8")
    files = []
    for i in range(2):
        path = tmp_path / f"plan-{i}.txt"
        path.write_text(text.replace("湖北", f"测试省{i}"), encoding="utf-8")
        files.append(path)
    monkeypatch.setenv("METROKG_TRANSACTION_MAX_CHARS", str(len(text)))  # two documents pass it
    loads = []
    real = EmbeddedStore.bulk_writer

    def counted(self, graphs):
        loads.append(list(graphs))
        return real(self, graphs)

    monkeypatch.setattr(EmbeddedStore, "bulk_writer", counted)
    results = ingest_paths(store, files)
    assert [r.status for r in results] == ["added", "added"]
    assert len(loads) == 1 and len(loads[0]) == 2
    assert not store.pending_graphs()
    assert len(store.graph_versions()) == 2


def test_the_vocabulary_read_per_batch_gives_the_same_vectors(tmp_path_factory):
    pytest.importorskip("onnxruntime")
    import onnxruntime as ort

    from metrokg.kg.embedding import e5_convert, onnx_export
    from metrokg.kg.embedding.embedder import default_model_dir
    from metrokg.kg.embedding.onnx_embedder import OnnxEmbedder

    folder = default_model_dir()
    if not (e5_convert.is_converted(folder) and onnx_export.is_exported(folder)):
        pytest.skip("the bundled model is not set up here (`make setup`)")
    onnx_export.export(folder)  # an existing export gets the graph with the vocabulary as an input
    ours = OnnxEmbedder(folder, "o")
    assert ours._vocabulary is not None, "the float32 export's vocabulary is read per batch"
    path = onnx_export.onnx_folder(folder) / onnx_export.FILES["fp32"]
    whole = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids = np.array([[0, 6, 249_000, 5000, 2], [0, 7, 8, 2, 1]], np.int64)
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]], np.int64)
    feed = {"input_ids": ids, "attention_mask": mask}
    expected = whole.run(None, feed)[0]
    got = ours._session.run(None, {**feed, **ours._vocabulary.feed(ids)})[0]
    assert np.array_equal(got, expected)
    with pytest.raises(ValueError, match="outside the vocabulary"):
        ours._vocabulary.feed(np.array([[ours._vocabulary.rows]]))
