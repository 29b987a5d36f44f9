"""Deadlines: which year each sentence of a provision is due by.

Two scopes, following how plans are written:

* a deadline that *opens* a sentence (``到2025年，…``) sets the horizon for the rest of the
  provision: that sentence, the rest of its paragraph and the paragraphs beneath it, until
  another opening deadline (``到2035年，…``);
* a deadline inside a sentence (``…，2025年底前完成``) governs that sentence only.

A provision may also inherit the horizon left open at the end of its parent provision
(``到2025年，实现以下目标：`` followed by numbered items: :func:`open_deadline`), passed in as
``inherited``.

Plain text functions, without spaCy: the extraction component
(:mod:`metrokg.nlp.extraction.components.deadlines`) and the analyses that read a provision's
horizon (:mod:`metrokg.kg.analyses.horizons`, which the web app imports) share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from metrokg.nlp.structure.numerals import parse_chinese
from metrokg.nlp.structure.textspans import sentences

_YEAR = r"(?P<year>(?:19|20)\d{2}|[二][〇○零][一二三四五六七八九〇○零]{2})"
_PLAN = r"[“\"「]?十(?P<plan>[一二三四五六七八九])五[”\"」]?"
_PREFIX = r"(?:到|至|截至|截止到|截止|于|在|力争到|力争在|力争|预计到)"
_SUFFIX = r"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,2})月)?(?:份)?(?:底|末|年底|年末|上半年|下半年)?(?:前|以前|之前|前后)?"
DEADLINE_RE = re.compile(
    rf"(?P<pre>{_PREFIX})?{_YEAR}年(?P<suf>{_SUFFIX})"
    rf"|(?P<ppre>{_PREFIX})?{_PLAN}(?P<psuf>时期|期间|末期|末|期末)?"
)


@dataclass(frozen=True)
class DeadlineMention:
    """A deadline expression: ``text[start:end]``, its year and whether it opens a sentence."""

    start: int
    end: int
    year: int
    opening: bool


def _year_of(m: re.Match) -> int | None:
    if m.group("year"):
        y = m.group("year")
        if y.isdigit():
            return int(y)
        v = parse_chinese(y)
        return int(v) if v is not None else None
    n = parse_chinese(m.group("plan"))
    return 1955 + 5 * (10 + int(n)) if n is not None else None


def find_deadlines(text: str) -> list[DeadlineMention]:
    """Deadline expressions in ``text``; a bare date (``2022年11月13日``) is not one."""
    out: list[DeadlineMention] = []
    for m in DEADLINE_RE.finditer(text):
        if m.group("year"):
            pre, suf = m.group("pre"), m.group("suf")
            # a date (…月13日) or a start (2023年起) is not a deadline
            after = text[m.end():m.end() + 3]
            if not pre and not re.search(r"(底|末|前)", suf or ""):
                continue
            if re.match(r"\d{1,2}日|起|开始|以来", after) or re.match(r"[一二三四五六七八九十]{1,3}日", after):
                if not re.search(r"(底|末|前)", suf or ""):
                    continue
        else:
            if not (m.group("ppre") or m.group("psuf")):
                continue
        year = _year_of(m)
        if year is None:
            continue
        out.append(DeadlineMention(m.start(), m.end(), year, False))
    return out


@dataclass(frozen=True)
class SentenceDeadline:
    """A sentence, the year governing it from outside, and the deadlines written inside it."""

    start: int
    end: int
    year: int | None
    inside: tuple[DeadlineMention, ...] = ()
    segments: tuple[tuple[int, int], ...] = ()

    def year_at(self, pos: int) -> int | None:
        """Year governing ``pos``: the last deadline written before it in its part of the
        sentence (parts split at ；), else that part's first one (``建成…，2025年底前``),
        else the outer horizon."""
        seg = next(((a, b) for a, b in self.segments if a <= pos < b), (self.start, self.end))
        inside = [d for d in self.inside if seg[0] <= d.start < seg[1]]
        before = [d for d in inside if d.start <= pos]
        if before:
            return before[-1].year
        if inside:
            return inside[0].year
        return self.year


def _is_opening(text: str, sent_start: int, d: DeadlineMention) -> bool:
    lead = text[sent_start:d.start]
    # allow a heading or item marker before it: （二）主要目标。到2025年 / 1. 到2025年
    lead = re.sub(r"^[\s（(【\[]*[0-9一二三四五六七八九十]+[）)】\].、．]\s*", "", lead)
    return not lead.strip(" \t　,，、：:")


# a line that is only a row number (``4``) starts a new row of a table flattened one cell per
# line: a horizon opened in one row's cell does not govern the next row
_ROW_NUMBER = re.compile(r"\d{1,3}")


def sentence_deadlines(text: str, inherited: int | None = None) -> list[SentenceDeadline]:
    """Each sentence with its governing year, applying the two scopes described above."""
    found = find_deadlines(text)
    current = inherited
    out: list[SentenceDeadline] = []
    i = 0
    for s, e in sentences(text):
        if _ROW_NUMBER.fullmatch(text, s, e):
            current = inherited
        inside: list[DeadlineMention] = []
        while i < len(found) and found[i].start < e:
            if found[i].start >= s:
                inside.append(found[i])
            i += 1
        if inside and _is_opening(text, s, inside[0]):
            current = inside[0].year
        segs = []
        a = s
        for k in range(s, e):
            if text[k] in "；;":
                segs.append((a, k + 1))
                a = k + 1
        segs.append((a, e))
        out.append(SentenceDeadline(s, e, current, tuple(inside), tuple(segs)))
    return out


def deadline_at(spans: list[SentenceDeadline], pos: int) -> int | None:
    """Year governing the character at ``pos``."""
    for sd in spans:
        if sd.start <= pos < sd.end:
            return sd.year_at(pos)
    return None


def open_deadline(text: str, inherited: int | None = None) -> int | None:
    """The opening horizon still in force at the end of ``text`` (passed on to children)."""
    current = inherited
    for s, e in sentences(text):
        if _ROW_NUMBER.fullmatch(text, s, e):
            current = inherited
        for d in find_deadlines(text[s:e]):
            if _is_opening(text, s, DeadlineMention(d.start + s, d.end + s, d.year, False)):
                current = d.year
            break
    return current
