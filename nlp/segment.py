"""Word segmenters: each user of segmentation has its own ``jieba.Tokenizer`` and declared words.

jieba's module functions (``jieba.cut``, ``jieba.add_word``...) share one process-wide dictionary,
``jieba.dt``, that anybody may extend; search then cut a query differently after the extraction
pipeline had run in the same process (县卫健局 whole in a fresh process, 县 + 卫健局 after it).
Nothing in metrokg touches ``jieba.dt``: a :class:`Segmenter` is jieba's main dictionary plus the
words its user declares, and nothing else. The words each segmenter declares (the one list):

- **search** (:func:`search_segmenter`): the Chinese labels of the vocabulary the search index
  carries (``ConceptMatcher.zh_terms``), :func:`vocabulary_words`. The index and the query are
  cut by the same instance, whatever else ran in the process.
- **pipeline** (:func:`pipeline_segmenter`, one per spaCy pipeline): the entity linker's pattern
  labels (:func:`vocabulary_words`) and the modality tagger's cues (:func:`cue_words`).

The main dictionary is loaded once per process and copied into each segmenter (a copy takes
milliseconds; loading takes most of a cold ``metrokg search``). It is cached as a pickle in the
per-user cache folder (``~/.cache/metrokg/segmenter`` on Linux, ``XDG_CACHE_HOME`` moves it), which
loads about twice as fast as jieba's marshal cache in the shared temp folder; jieba's own cache is
the fallback when that folder is not writable.

A segmenter that has cut little (a query) does not load it at all: it looks words up in a sorted,
memory-mapped copy of the same dictionary (:class:`MappedDictionary`, two ``.npy`` files beside the
pickle, written the first time the dictionary is loaded), a binary search per lookup, with the
declared words in a small dictionary over it. The cuts are the same (the same words and
frequencies); past :data:`MAPPED_CHARS` characters the segmenter loads the dictionary and copies it
as before, since a dictionary lookup is a hundred times faster and an index build makes millions.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from metrokg import cached_pickle


#: frequency given to every declared word: high enough to keep it whole against jieba's own words
WORD_FREQ = 2000
#: shorter cues (要, 应当, 不得) are jieba words already; longer ones (先行先试) must be taught
MIN_CUE_CHARS = 3
CACHE_NAME = "jieba-main.pickle"
#: the memory-mapped copy's folder beside it
MAPPED_NAME = "jieba-main.mapped"
#: characters a segmenter cuts through the memory-mapped dictionary before it loads the whole one
MAPPED_CHARS = 2000
#: one-character modal verbs and the prepositions that follow them in legal text (应向, 须在, 可由)
MODALS = frozenset("应须需要可")
PREPOSITIONS = frozenset("向对在按于由从将把给与为依经自以就同跟")

log = logging.getLogger(__name__)
_lock = threading.Lock()
_main: tuple[dict[str, int], int] | None = None


# ---- what a segmenter may declare

def vocabulary_words(labels: Iterable[str]) -> frozenset[str]:
    """Labels kept whole: stripped, two characters or more, not pure ASCII (jieba keeps ASCII runs)."""
    return frozenset(w for w in (label.strip() for label in labels) if len(w) >= 2 and not w.isascii())


def cue_words(cues: Iterable[str]) -> frozenset[str]:
    """Modality cues that must be one token to be matched on tokens (先行先试, 不允许)."""
    return vocabulary_words(c for c in cues if len(c.strip()) >= MIN_CUE_CHARS)


# ---- jieba's main dictionary, once per process

def cache_path() -> Path:
    """Where the main dictionary's pickle lives: the per-user cache folder, stable across runs and
    shared by every store and data folder of the user (it depends on jieba's version only)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("metrokg")) / "segmenter" / CACHE_NAME


def _dictionary_key() -> tuple[str, int, int]:
    """jieba's version and its dict.txt's size and mtime: a cache built from another one is stale."""
    import jieba

    stat = os.stat(os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME))
    return jieba.__version__, stat.st_size, stat.st_mtime_ns


def _is_dictionary(payload: object) -> bool:
    return (isinstance(payload, tuple) and len(payload) == 2 and isinstance(payload[0], dict)
            and isinstance(payload[1], int))


def _load_main() -> tuple[dict[str, int], int]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    path, key = cache_path(), _dictionary_key()
    cached = cached_pickle.read(path, key, _is_dictionary)
    if cached is not None:
        return cached
    builder = jieba.Tokenizer()
    freq, total = builder.gen_pfdict(builder.get_dict_file())
    if not cached_pickle.write(path, key, (freq, total)):
        builder.initialize()  # jieba's marshal cache in the temp folder, as jieba does by default
        freq, total = builder.FREQ, builder.total
    return freq, total


def main_dictionary() -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary and word-frequency total, loaded once per process (read-only)."""
    global _main
    with _lock:
        if _main is None:
            _main = _load_main()
            if mapped_dictionary() is None:  # absent, stale or damaged: the next query reads it
                write_mapped(mapped_path(), _dictionary_key(), *_main)
        return _main


class MappedDictionary:
    """jieba's prefix dictionary as a read-only mapping over two memory-mapped arrays: the words'
    UTF-8 bytes, sorted, and their frequencies. A lookup is a binary search (a few microseconds);
    opening it reads nothing but the headers, where loading the dictionary takes a third of a second."""

    def __init__(self, words, frequencies, total: int):
        self.words, self.frequencies, self.total = words, frequencies, total
        self.width = words.dtype.itemsize

    def _position(self, word: str) -> int:
        key = word.encode("utf-8")
        if len(key) > self.width or not key:
            return -1
        i = int(self.words.searchsorted(key))
        return i if i < len(self.words) and self.words[i] == key else -1

    def get(self, word: str, default: Any = None) -> Any:
        i = self._position(word)
        return int(self.frequencies[i]) if i >= 0 else default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._position(word) >= 0

    def __getitem__(self, word: str) -> int:
        i = self._position(word)
        if i < 0:
            raise KeyError(word)
        return int(self.frequencies[i])


class _Overlay(dict):
    """A segmenter's declared words over the mapped dictionary: what jieba reads and writes as
    ``Tokenizer.FREQ`` (``in``, ``[]``, ``get``; ``add_word`` writes into the overlay only)."""

    def __init__(self, base: MappedDictionary):
        super().__init__()
        self.base = base

    def __contains__(self, word: object) -> bool:
        return dict.__contains__(self, word) or word in self.base

    def __missing__(self, word: str) -> int:
        return self.base[word]

    def get(self, word: str, default: Any = None) -> Any:
        if dict.__contains__(self, word):
            return dict.__getitem__(self, word)
        return self.base.get(word, default)


def mapped_path() -> Path:
    return cache_path().with_name(MAPPED_NAME)


def write_mapped(folder: Path, key: tuple, freq: dict[str, int], total: int) -> bool:
    """Write the memory-mapped copy of ``freq`` for ``key`` (atomically: a reader sees the old copy
    or the new one); False when the folder cannot be written (the copy only saves time)."""
    import numpy as np

    tmp = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        words = np.array([w.encode("utf-8") for w in freq])
        order = np.argsort(words, kind="stable")
        np.save(tmp / "words.npy", words[order])
        np.save(tmp / "frequencies.npy", np.fromiter(freq.values(), dtype=np.int64, count=len(freq))[order])
        (tmp / "key.txt").write_text(repr((key, total)), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
        return True
    except OSError as exc:
        log.info("mapped dictionary %s not written: %s", folder, exc)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return False


def _read_key(folder: Path) -> str | None:
    try:
        return (folder / "key.txt").read_text(encoding="utf-8")
    except OSError:
        return None


def mapped_dictionary() -> MappedDictionary | None:
    """The memory-mapped copy of jieba's dictionary when it is there and was made from the current
    one; None otherwise (a segmenter then loads the dictionary, which writes the copy)."""
    import ast

    import numpy as np

    folder = mapped_path()
    stamp = _read_key(folder)
    try:
        key, total = ast.literal_eval(stamp) if stamp else (None, None)
        if key != _dictionary_key() or not isinstance(total, int):
            return None
        words = np.load(folder / "words.npy", mmap_mode="r")
        frequencies = np.load(folder / "frequencies.npy", mmap_mode="r")
    except (OSError, ValueError, SyntaxError, TypeError) as exc:
        log.info("mapped dictionary %s ignored: %s", folder, exc)
        return None
    if words.dtype.kind != "S" or words.shape != frequencies.shape:
        return None
    return MappedDictionary(words, frequencies, total)


# ---- segmenters

class Segmenter:
    """A jieba Tokenizer of its own: the main dictionary plus ``words``, built on first use.

    ``cut`` has jieba's signature, so spaCy's Chinese tokenizer can call it like the module.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._words: set[str] = set(words)
        self._tokenizer: Any = None
        self._cut_chars = 0
        self._lock = threading.Lock()

    @property
    def _mapped(self) -> bool:
        """Whether the tokenizer reads the memory-mapped dictionary (not a loaded copy)."""
        return self._tokenizer is not None and isinstance(self._tokenizer.FREQ, _Overlay)

    @property
    def words(self) -> frozenset[str]:
        """The words this segmenter adds to jieba's main dictionary."""
        return frozenset(self._words)

    def add_words(self, words: Iterable[str]) -> None:
        """Declare more words (a pipeline component learning its labels); each is added once."""
        with self._lock:
            new = sorted(set(words) - self._words)
            self._words.update(new)
            if self._tokenizer is not None:
                for word in new:
                    self._tokenizer.add_word(word, freq=WORD_FREQ)

    def load(self) -> "Segmenter":
        """Build the tokenizer now (before forking workers, so they share it)."""
        self.tokenizer()
        return self

    def tokenizer(self, chars: int = MAPPED_CHARS + 1):
        """The ``jieba.Tokenizer``: a copy of the main dictionary with the declared words added;
        while this segmenter has cut no more than :data:`MAPPED_CHARS` characters (``chars``: the
        ones about to be cut included), the memory-mapped dictionary under them when it is there."""
        if self._tokenizer is not None and (self._cut_chars + chars <= MAPPED_CHARS or not self._mapped):
            self._cut_chars += chars
            return self._tokenizer
        with self._lock:
            self._cut_chars += chars
            if self._tokenizer is None and self._cut_chars <= MAPPED_CHARS:
                mapped = mapped_dictionary()
                if mapped is not None:
                    self._tokenizer = self._build(_Overlay(mapped), mapped.total)
                    return self._tokenizer
            if self._tokenizer is None or self._mapped:
                freq, total = main_dictionary()
                self._tokenizer = self._build(dict(freq), total)
            return self._tokenizer

    def _build(self, freq: dict[str, int], total: int):
        import jieba

        tk = jieba.Tokenizer()
        tk.FREQ, tk.total, tk.initialized = freq, total, True
        for word in sorted(self._words):
            tk.add_word(word, freq=WORD_FREQ)
        return tk

    def cut(self, text: str, cut_all: bool = False, HMM: bool = True) -> Iterator[str]:  # noqa: N803 - jieba's name
        """jieba's accurate mode (what the pipeline's tokens are), with a modal verb kept apart from
        the preposition after it (:func:`modal_apart`)."""
        tk = self.tokenizer(len(text))
        words = tk.cut(text, cut_all=cut_all, HMM=HMM)
        return words if cut_all or not HMM else modal_apart(words, tk.FREQ)

    def cut_for_search(self, text: str) -> list[str]:
        """jieba's search mode: words and their known sub-words (what the BM25 index holds)."""
        return self.tokenizer(len(text)).lcut_for_search(text)


def modal_apart(words: Iterable[str], known: dict[str, int]) -> Iterator[str]:
    """``words`` with each new word that jieba's HMM glued from a modal verb and a preposition
    cut back: 应向省 -> 应 + 向 + 省, 须在 -> 须 + 在.

    jieba joins a run of characters its dictionary has no word for into a new word (the HMM), and
    in legal text that run is often a modal, a preposition and the first character of an object,
    so the obligation (应) vanished inside an unknown word. Dictionary words (应对, 应从, declared
    labels) are kept: only a word unknown to the segmenter's dictionary is cut."""
    for word in words:
        if len(word) >= 2 and word[0] in MODALS and word[1] in PREPOSITIONS and not known.get(word):
            yield word[0]
            yield word[1]
            if len(word) > 2:
                yield word[2:]
        else:
            yield word


@lru_cache(maxsize=8)
def _search_segmenter(words: frozenset[str]) -> Segmenter:
    return Segmenter(words)


def search_segmenter(terms: Iterable[str] = ()) -> Segmenter:
    """The search segmenter for a vocabulary's labels: the same labels give the same instance,
    so the index built by ``ingest`` and the query of a later ``search`` are cut alike."""
    return _search_segmenter(vocabulary_words(terms))


def pipeline_segmenter(nlp) -> Segmenter | None:
    """The segmenter of a spaCy pipeline built by :func:`metrokg.nlp.extraction.pipeline.build_pipeline`
    (None for a pipeline with another tokenizer: its components then teach no words)."""
    seg = getattr(getattr(nlp, "tokenizer", None), "jieba_seg", None)
    return seg if isinstance(seg, Segmenter) else None
