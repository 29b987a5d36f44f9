"""Baselines: quantities that state what exists (``建成185项国家计量基准`` in 编制背景), not a goal.

Runs after the targets (and table rows): every quantity the targets component read is looked at
again in its context, and moved to ``doc._.metrokg_baselines`` as a :class:`Baseline` when

* its provision stands in a background section (编制背景, 发展现状, 发展基础, 工作成效: the driver
  says so through ``doc._.metrokg_background``), or
* its clause carries a cue of what is already there (截至, 已有, 已经, 目前, 现有, 累计…已) — except
  ``截至`` a year after the document's own (截至2027年底 in a 2024 plan is a deadline).

The base-year cells of an indicator table (``2020年基数``) are baselines of that year too.

The year a baseline describes is the last year written before the figure in its sentence
(截至2020年底, 2020年, “十三五”期间 -> 2020), else the document's year (``year_inherited``), so a
tracker can set ``2020: 1779项`` beside ``2025: 2000项``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from metrokg.nlp.extraction.components.base import RuleComponent, rule_component
from metrokg.nlp.extraction.components.deadlines import find_deadlines
from metrokg.nlp.extraction.components.targets import table_targets
from metrokg.nlp.extraction.facts import Baseline, Target
from metrokg.nlp.extraction.lexicon.quantities import ACHIEVED_CUES
from metrokg.nlp.structure.textspans import clauses, doc_text, sentences

NAME = "metrokg_baselines"
VERSION = "v1"

_YEAR = re.compile(r"((?:19|20)\d{2})年")
_PLAN_PERIOD = re.compile(r"十([一二三四五六七八九])五")
_PLAN_NUMBERS = "一二三四五六七八九"


def _years_before(text: str, start: int, pos: int) -> int | None:
    """The last year written in ``text[start:pos]``: 2020年, or the end of a five-year plan (十三五 -> 2020)."""
    best: tuple[int, int] | None = None
    for m in _YEAR.finditer(text, start, pos):
        best = (m.start(), int(m.group(1)))
    for m in _PLAN_PERIOD.finditer(text, start, pos):
        year = 1955 + 5 * (10 + _PLAN_NUMBERS.index(m.group(1)) + 1)
        if best is None or m.start() > best[0]:
            best = (m.start(), year)
    return best[1] if best else None


def _clause_of(text: str, pos: int) -> tuple[int, int, int, int]:
    """(sentence start, sentence end, clause start, clause end) around ``pos``."""
    for ss, se in sentences(text):
        if ss <= pos < se:
            for cs, ce in clauses(text, ss, se):
                if cs <= pos < ce:
                    return ss, se, cs, ce
            return ss, se, ss, se
    return 0, len(text), 0, len(text)


def achievement_cue(text: str, t: Target, background: bool, doc_year: int | None) -> str | None:
    """Why target-looking ``t`` states what exists (the cue, or ``"background"``), or None."""
    pos = t.value_start if t.value_start is not None else t.start
    ss, _se, cs, ce = _clause_of(text, pos)
    cue = ACHIEVED_CUES.search(text, cs, ce)
    if cue is None and (t.deadline is None or (doc_year is not None and t.deadline <= doc_year)):
        cue = ACHIEVED_CUES.search(text, ss, cs)  # 截至2020年底，全省建成… (not: 目前…，到2025年建成…)
    if cue is not None and cue.group(0) in ("截至", "截止"):
        ahead = [d.year for d in find_deadlines(text[cue.start():ce])]
        if ahead and doc_year is not None and ahead[0] > doc_year:
            cue = None  # 截至2027年底 in a plan of 2024: a deadline
    if cue is not None:
        return cue.group(0)
    return "background" if background else None


@rule_component(NAME, VERSION, "metrokg_baselines")
class BaselineSorter(RuleComponent):
    """spaCy component: moves achievements from ``doc._.metrokg_targets`` to ``doc._.metrokg_baselines``."""

    def extract(self, doc: Doc) -> list[Baseline]:
        text = doc_text(doc)
        goals: list[Target] = []
        baselines: list[Baseline] = []
        doc_year = doc._.metrokg_document_year
        for t in doc._.metrokg_targets or []:
            cue = achievement_cue(text, t, bool(doc._.metrokg_background), doc_year)
            if cue is None:
                goals.append(t)
                continue
            pos = t.value_start if t.value_start is not None else t.start
            ss = _clause_of(text, pos)[0]
            year = _years_before(text, ss, pos)
            baselines.append(Baseline(t.start, t.end, t.text, component=NAME, version=VERSION,
                                      confidence=t.confidence, indicator=t.indicator, indicator_iri=t.indicator_iri,
                                      value=t.value, unit_text=t.unit_text, comparator=t.comparator,
                                      year=year if year is not None else doc_year,
                                      year_inherited=year is None and doc_year is not None, cue=cue,
                                      value_start=t.value_start, value_end=t.value_end))
        for t in table_targets(text, base=True):  # 2020年基数 cells of an indicator table
            baselines.append(Baseline(t.start, t.end, t.text, component=NAME, version=VERSION, confidence=t.confidence,
                                      indicator=t.indicator, value=t.value, unit_text=t.unit_text,
                                      comparator=t.comparator, year=t.deadline, cue="基数",
                                      value_start=t.value_start, value_end=t.value_end))
        doc._.metrokg_targets = goals
        return baselines
