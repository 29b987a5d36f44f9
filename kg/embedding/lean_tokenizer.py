"""The model's tokenizer without the pieces of the scripts metrokg's texts do not use.

Why: multilingual-e5-small's tokenizer (XLM-R's sentencepiece Unigram: 250 k pieces in a hundred
languages) holds about 300 MB once ``tokenizers`` has loaded it, more than the network itself, in
every process that embeds. metrokg's texts are Chinese with some English, numbers and symbols.
The 122 k pieces made only of such characters (:data:`KEPT`) cut any text whose normalised
characters are all such exactly as the whole vocabulary does, since a piece holding another
character cannot match it; the unknown-piece penalty, which the Unigram model takes from its
lowest score, is kept by keeping that piece too. They load in about 110 MB.

The reduced tokenizer is written once into the model folder (``lean/``: its ``tokenizer.json`` and
the model's id of each of its pieces), from the whole one, and rebuilt when that changes. A text
with another character (Cyrillic, Arabic, Thai …) is cut by the whole tokenizer, loaded then.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np

SUBFOLDER = "lean"
TOKENIZER_FILE = "tokenizer.json"
IDS_FILE = "ids.npy"
MARKER = "lean.json"
VERSION = 1
#: the characters whose pieces are kept: ASCII, Latin-1 symbols and letters, Greek (μ, Ω), general
#: punctuation, letterlike symbols, arrows and mathematical operators (℃, ±, ≥), CJK symbols and
#: punctuation, CJK ideographs (extension A and the unified block), fullwidth forms, and
#: sentencepiece's word boundary ▁ (U+2581, among the block elements)
KEPT = "\u0000-\u007f\u00a0-\u00ff\u0370-\u03ff\u2000-\u2bff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_OTHER = re.compile(f"[^{KEPT}]")


def kept(piece: str) -> bool:
    """Whether every character of ``piece`` is one the reduced vocabulary keeps."""
    return _OTHER.search(piece) is None


def _source_key(tokenizer: Path) -> dict:
    stat = tokenizer.stat()
    return {"version": VERSION, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def is_built(model_folder: Path) -> bool:
    """Whether ``lean/`` holds the reduced tokenizer of the folder's current ``tokenizer.json``."""
    folder = Path(model_folder) / SUBFOLDER
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        return marker == _source_key(Path(model_folder) / TOKENIZER_FILE) and (folder / TOKENIZER_FILE).is_file() \
            and (folder / IDS_FILE).is_file()
    except (OSError, ValueError):
        return False


def build(model_folder: Path) -> bool:
    """Write the reduced tokenizer into ``model_folder/lean`` (a new folder swapped in whole);
    False when the model is not a Unigram tokenizer or the folder cannot be written."""
    source = Path(model_folder) / TOKENIZER_FILE
    try:
        whole = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    model = whole.get("model") or {}
    if model.get("type") != "Unigram" or not model.get("vocab"):
        return False
    vocab = model["vocab"]
    special = {t["id"] for t in whole.get("added_tokens", [])} | {model.get("unk_id")}
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])  # the unknown piece's penalty comes from it
    ids = [i for i, (piece, _score) in enumerate(vocab) if i in special or i == lowest or kept(piece)]
    new_id = {old: new for new, old in enumerate(ids)}
    model["vocab"] = [vocab[i] for i in ids]
    if model.get("unk_id") is not None:
        model["unk_id"] = new_id[model["unk_id"]]
    for token in whole.get("added_tokens", []):
        token["id"] = new_id[token["id"]]
    _renumber_post_processor(whole.get("post_processor"), new_id)
    final = Path(model_folder) / SUBFOLDER
    tmp = Path(model_folder) / f".{SUBFOLDER}.{os.getpid()}"
    try:
        tmp.mkdir(exist_ok=True)
        (tmp / TOKENIZER_FILE).write_text(json.dumps(whole, ensure_ascii=False), encoding="utf-8")
        np.save(tmp / IDS_FILE, np.asarray(ids, dtype=np.int32))
        (tmp / MARKER).write_text(json.dumps(_source_key(source)), encoding="utf-8")
        if final.exists():
            import shutil

            shutil.rmtree(final)
        os.replace(tmp, final)
        return True
    except OSError:
        return False


def _renumber_post_processor(processor: dict | None, new_id: dict[int, int]) -> None:
    """The special tokens' ids a post-processor names (``<s>`` and ``</s>``), in the new numbering."""
    if not processor:
        return
    for child in processor.get("processors", []):
        _renumber_post_processor(child, new_id)
    for value in (processor.get("special_tokens") or {}).values():
        value["ids"] = [new_id.get(i, i) for i in value.get("ids", [])]
    for key in ("sep", "cls"):
        if isinstance(processor.get(key), list) and len(processor[key]) == 2:
            processor[key][1] = new_id.get(processor[key][1], processor[key][1])


class LeanTokenizer:
    """Token ids in the model's numbering, from the reduced tokenizer where a text allows."""

    def __init__(self, model_folder: Path) -> None:
        from tokenizers import Tokenizer

        self.model_folder = Path(model_folder)
        self._whole = None
        self._lean = None
        self._ids: np.ndarray | None = None
        if is_built(self.model_folder) or build(self.model_folder):
            folder = self.model_folder / SUBFOLDER
            self._lean = _plain(Tokenizer.from_file(str(folder / TOKENIZER_FILE)))
            self._ids = np.load(folder / IDS_FILE)
        else:  # not a Unigram model, or a folder that cannot be written: the whole one, now
            _ = self.whole

    @property
    def whole(self):
        """The model's own tokenizer, loaded on first need (a text the reduced one cannot cut)."""
        if self._whole is None:
            from tokenizers import Tokenizer

            self._whole = _plain(Tokenizer.from_file(str(self.model_folder / TOKENIZER_FILE)))
        return self._whole

    def ids(self, texts: list[str]) -> list[list[int]]:
        """Each text's token ids without special tokens, as the model's tokenizer gives them."""
        if self._lean is None:
            return [e.ids for e in self.whole.encode_batch(texts, add_special_tokens=False)]
        out: list[list[int] | None] = [None] * len(texts)
        normalise = self._lean.normalizer.normalize_str if self._lean.normalizer else (lambda t: t)
        lean = [i for i, t in enumerate(texts) if kept(normalise(t))]
        for i, e in zip(lean, self._lean.encode_batch([texts[i] for i in lean], add_special_tokens=False)):
            out[i] = self._ids[np.asarray(e.ids, dtype=np.int64)].tolist()
        other = [i for i, row in enumerate(out) if row is None]
        if other:
            for i, e in zip(other, self.whole.encode_batch([texts[i] for i in other], add_special_tokens=False)):
                out[i] = e.ids
        return out  # type: ignore[return-value]

    def token_to_id(self, token: str) -> int | None:
        """A special token's id in the model's numbering."""
        if self._lean is None:
            return self.whole.token_to_id(token)
        found = self._lean.token_to_id(token)
        return None if found is None else int(self._ids[found])


def _plain(tokenizer):
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer
