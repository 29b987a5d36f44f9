"""The dense index's vectors: each distinct text embedded once and written straight into the
index's one array (provisions' rows, then sentences'), the right vector in every row, no model."""

from __future__ import annotations

import hashlib

import numpy as np

from metrokg.kg.embedding.base import Embedder
from metrokg.kg.records.provisions import ProvisionRecord
from metrokg.kg.search import dense
from metrokg.kg.search.dense import DenseIndex, EmbedLimits, embed_once, passage_text


class HashEmbedder(Embedder):
    """A unit vector per text, from its hash; records every text it was asked to embed."""

    model_id = "test:hash"
    dim = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    @staticmethod
    def vector(text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "little")
        vec = np.random.default_rng(seed).standard_normal(HashEmbedder.dim).astype(np.float32)
        return vec / np.linalg.norm(vec)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embed_passages(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.stack([self.vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def _record(doc: str, number: str, heading: str, text: str, start: int) -> ProvisionRecord:
    return ProvisionRecord(iri=f"urn:{doc}:{number}", document=doc, number=number, heading=heading, text=text,
                           start=start, end=start + len(text))


def test_embed_once_embeds_each_text_once_and_fills_the_given_rows(monkeypatch):
    monkeypatch.setattr(dense, "EMBED_CHUNK", 2)  # several chunks: every chunk lands in its rows
    embedder = HashEmbedder()
    texts = ["甲", "乙", "甲", "丙", "乙"]
    out = np.zeros((7, embedder.dim), np.float32)
    result = embed_once(embedder, texts, out, [6, 0, 2, 3, 5])
    assert result is out
    assert sorted(embedder.seen) == sorted(["甲", "乙", "丙"])  # duplicates embedded once
    for row, text in zip([6, 0, 2, 3, 5], texts):
        np.testing.assert_array_equal(out[row], HashEmbedder.vector(text))
    assert not out[[1, 4]].any()  # rows nobody targets stay zero
    plain = embed_once(HashEmbedder(), texts)  # without targets: one row per text, in order
    np.testing.assert_array_equal(plain, np.stack([HashEmbedder.vector(t) for t in texts]))


def test_build_gives_every_provision_and_sentence_its_own_vector():
    records = [_record("a", "1", "总则", "第一条为了加强计量监督管理。保障量值准确。", 0),
               _record("a", "2", "计量器具", "计量器具必须检定。", 30),  # one sentence: the same text once
               _record("b", "1", "目标", "到2025年，覆盖率达到90%。计量能力显著提升。", 0)]
    embedder = HashEmbedder()
    index = DenseIndex.build(records, embedder, limits=EmbedLimits(2000, 500, 200000))
    for i, r in enumerate(records):
        np.testing.assert_allclose(index.provisions[i], HashEmbedder.vector(passage_text(r.heading, r.text)))
    assert index.sentence_owner.tolist() == [0, 0, 1, 2, 2]
    for row, (start, end) in enumerate(index.sentence_spans.tolist()):
        record = records[int(index.sentence_owner[row])]
        sentence = record.text[start - record.start:end - record.start]
        np.testing.assert_allclose(index.sentences[row], HashEmbedder.vector(sentence))
    assert len(embedder.seen) == len(set(embedder.seen))  # nothing embedded twice
    query = HashEmbedder.vector("保障量值准确。")
    assert int(np.argmax(index.scores(query))) == 0  # the sentence's own provision ranks first


def test_provisions_past_the_document_budget_get_zero_vectors():
    records = [_record("a", str(n), "", "计量检定必须按照国家计量检定系统表进行。", 100 * n) for n in range(1, 4)]
    index = DenseIndex.build(records, HashEmbedder(), limits=EmbedLimits(2000, 500, 50))
    assert index.provisions[0].any()
    assert not index.provisions[2].any()  # the budget ran out before the third provision
    assert set(index.sentence_owner.tolist()) <= {0, 1}
    assert index.provisions.dtype == np.float32 and index.sentences.dtype == np.float32


def test_written_index_loads_as_the_index_built_in_memory(tmp_path, monkeypatch):
    """The ingest's streamed build (vectors written to the index files as each chunk comes back)
    reads back as the in-memory build stored and loaded: same rows, same owners and spans, zero
    rows where the document's budget ran out."""
    monkeypatch.setattr(dense, "EMBED_CHUNK", 2)  # several chunks, rows written out of order
    records = [_record("a", "1", "总则", "第一条为了加强计量监督管理。保障量值准确。", 0),
               _record("a", "2", "计量器具", "计量器具必须检定。", 30),
               _record("b", "1", "目标", "到2025年，覆盖率达到90%。计量能力显著提升。", 0),
               _record("b", "2", "", "计量检定必须按照国家计量检定系统表进行。", 40)]
    limits = EmbedLimits(2000, 500, 50)  # b's second provision is past its budget
    built = DenseIndex.build(records, HashEmbedder(), limits=limits)
    built.save(tmp_path / "saved")
    DenseIndex.write(records, HashEmbedder(), tmp_path / "written", limits=limits, model_id="kept-as")
    saved, written = DenseIndex.load(tmp_path / "saved"), DenseIndex.load(tmp_path / "written")
    assert written.model_id == "kept-as"
    for name in ("provisions", "sentences", "sentence_owner", "sentence_spans"):
        np.testing.assert_array_equal(getattr(written, name), getattr(saved, name))
    assert written.provisions.dtype == np.float32 and not written.provisions[3].any()
    assert written.sentences.shape[0] == built.sentences.shape[0] > 0
