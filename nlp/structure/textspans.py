"""Sentence, clause and paragraph spans over Chinese policy text, as character offsets.

The structure parser gives sentences for a whole document; the components work on one
provision at a time and need finer units (clauses split at ``，；``), so they cut their own,
always as ``(start, end)`` pairs into the same string, never copies.
"""

from __future__ import annotations

import re

SENTENCE_END = "。！？!?\n"
CLAUSE_SEP = "；;，,：:"
MAJOR_SEP = "；;。！？!?\n"
OPEN_BRACKETS = "（(【〔［[〈《“‘\""
CLOSE_BRACKETS = "）)】〕］]〉》”’\""
_PAIRS = dict(zip("（(【〔［[〈《“‘", "）)】〕］]〉》”’"))

# An item or article marker at the start of a provision or clause: 一、 （一） 1. (1) 一是 第三条 ①.
# Every component strips it before reading a subject or a verb, so it is defined once here.
ITEM_MARKER = (r"(?:第[0-9一二三四五六七八九十百零〇]+[条款章节项]|[（(]?[0-9一二三四五六七八九十]+(?:[）)、．]|\.(?![0-9]))"
               r"|[一二三四五六七八九十]是|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")
ITEM_MARKER_RE = re.compile(rf"\s*{ITEM_MARKER}\s*")

_SENT_RE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
_PARA_RE = re.compile(r"[^\n]+")


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines."""
    out = []
    for m in _PARA_RE.finditer(text):
        s, e = _strip(text, m.start(), m.end())
        if e > s:
            out.append((s, e))
    return out


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences ending at 。！？ or a line break, end punctuation included.

    A sentence-final mark inside brackets (``（责任单位：…。）``) does not end the sentence.
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    depth = 0
    s = start
    i = start
    while i < end:
        c = text[i]
        if c in "（(【〔［[":
            depth += 1
        elif c in "）)】〕］]" and depth:
            depth -= 1
        elif c == "\n" or (c in "。！？!?" and depth == 0):
            j = i + 1
            while j < end and text[j] in "。！？!?”’）)" and text[j] != "\n" and (text[j] not in "）)" or depth):
                j += 1
            if c == "\n":
                depth = 0
                j = i
            a, b = _strip(text, s, j)
            if b > a:
                out.append((a, b))
            s = j if c != "\n" else i + 1
            i = max(i + 1, j)
            continue
        i += 1
    a, b = _strip(text, s, end)
    if b > a:
        out.append((a, b))
    return out


def clauses(text: str, start: int, end: int, seps: str = CLAUSE_SEP) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` at separators outside brackets; separators excluded."""
    out: list[tuple[int, int]] = []
    depth = 0
    s = start
    for i in range(start, end):
        c = text[i]
        if c in "（(【〔［[《〈“":
            depth += 1
        elif c in "）)】〕］]》〉”" and depth:
            depth -= 1
        elif depth == 0 and (c in seps or c in SENTENCE_END):
            a, b = _strip(text, s, i)
            if b > a:
                out.append((a, b))
            s = i + 1
    a, b = _strip(text, s, end)
    if b > a:
        # drop trailing sentence punctuation
        while b > a and text[b - 1] in "。！？!?":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def matching_close(text: str, open_pos: int, limit: int | None = None) -> int | None:
    """Index of the bracket that closes ``text[open_pos]``, honouring nesting; None if unclosed."""
    limit = len(text) if limit is None else limit
    opener = text[open_pos]
    closers = "）)" if opener in "（(" else _PAIRS.get(opener, "")
    if not closers:
        return None
    openers = "（(" if opener in "（(" else opener
    depth = 0
    for i in range(open_pos, limit):
        c = text[i]
        if c in openers:
            depth += 1
        elif c in closers:
            depth -= 1
            if depth == 0:
                return i
        elif c == "\n":
            return None
    return None


def doc_text(doc) -> str:
    """``doc.text`` computed once per Doc (spaCy rebuilds it from every token on each access)."""
    text = doc.user_data.get("metrokg_text")
    if text is None:
        text = doc.text
        doc.user_data["metrokg_text"] = text
    return text


def token_offsets(doc) -> tuple[list[int], list[int]]:
    """(start, end) character offsets of every token, read in one pass from the Doc's arrays."""
    cached = doc.user_data.get("metrokg_token_offsets")
    if cached is None:
        from spacy.attrs import IDX, LENGTH

        if len(doc) == 0:
            cached = ([], [])
        else:
            arr = doc.to_array([IDX, LENGTH])
            starts = arr[:, 0].tolist()
            cached = (starts, [s + n for s, n in zip(starts, arr[:, 1].tolist())])
        doc.user_data["metrokg_token_offsets"] = cached
    return cached
