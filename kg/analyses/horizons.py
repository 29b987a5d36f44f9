"""Which year a statement is due by, and where that year comes from.

A plan rarely writes a deadline on every task: a task table's row has its 完成时限, a provision
says 到2025年 or 2024年底前 once for all its tasks, and the plan as a whole runs to the end of its
horizon (the title's 2023—2025年 or 十四五, or 到2025年 in its 总体要求). A statement carries, in
this order:

* ``own``: the year written in the statement or its sentence, or in its task-table row;
* ``provision``: the year extraction gave it from its sentence or provision, else a deadline
  written elsewhere in its provision, else the horizon its ancestors leave open;
* ``plan``: the plan's horizon.

Everything but ``own`` is inherited, and the register and the 任务分解表 say so.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rdflib import Literal

from metrokg.kg.records.factview import PREFIXES, FactRow, ProvisionInfo, cached
from metrokg.kg.store.base import Store
from metrokg.nlp.structure.deadlines import find_deadlines, open_deadline
from metrokg.nlp.structure.tables import TableRow, deadline_year, find_tables

__all__ = ["SOURCES", "Horizons", "horizons", "plan_horizon"]

SOURCES = ("own", "provision", "plan")
DOC_TEXT_QUERY = PREFIXES + """
SELECT ?title ?full WHERE {
  ?d mkg:documentId ?id .
  OPTIONAL { ?d mkg:title ?title }
  OPTIONAL { ?d mkg:fullText ?full }
}
"""
_RANGE = re.compile(r"(?:19|20)\d{2}\s*(?:年)?\s*[—\-–－~～至到]+\s*((?:19|20)\d{2})\s*年")
_FIVE_YEAR = re.compile(r"十([一二三四五六七八九])五")
_CN_DIGIT = "一二三四五六七八九"
_CITED = re.compile(r"《[^》]*》")
_OPENING_LINES = 3
_GOAL_HEADING = re.compile(r"总体要求|总体目标|发展目标|主要目标|工作目标|目标任务|总体思路")


def plan_horizon(title: str, provisions: list[ProvisionInfo], opening: str = "") -> int | None:
    """The year a plan runs to: the end of the title's range (2023—2025年), its five-year plan
    (十四五 -> 2025), a year the title is due by (到2025年) — a plan cited in the title
    (《计量发展规划(2021—2035年)》) is another plan's —, else the same in the document's opening
    lines (a title the parser did not recognise), else the first deadline of its 总体要求/目标
    provisions (到2025年 rather than the 远景 到2035年 after it)."""
    title = _CITED.sub("", title or "")
    year = _title_year(title)
    if year is None and opening:
        year = _title_year(_CITED.sub("", "\n".join(opening.split("\n")[:_OPENING_LINES])))
    if year is not None:
        return year
    for p in provisions:
        if _GOAL_HEADING.search(p.heading or ""):
            year = next((d.year for d in find_deadlines(p.text)), None)  # 到2025年 before 到2035年
            if year:
                return year
    return None


def _title_year(title: str) -> int | None:
    """The year a title's range, five-year plan or deadline names, else None."""
    m = _RANGE.search(title)
    if m:
        return int(m.group(1))
    m = _FIVE_YEAR.search(title or "")
    if m:
        return 1955 + 5 * (10 + _CN_DIGIT.index(m.group(1)) + 1)
    found = find_deadlines(title)
    return found[-1].year if found else None


@dataclass
class Horizons:
    """One document's deadlines: its plan's horizon, each provision's, and its table rows."""

    plan: int | None
    provisions: dict[str, ProvisionInfo]  # by number
    rows: list[TableRow] = field(default_factory=list)
    title: str = ""
    _row_starts: list[int] = field(default_factory=list)
    _own: dict[str, int | None] = field(default_factory=dict)

    def row_at(self, pos: int) -> TableRow | None:
        """The task-table row ``pos`` lies in, or None."""
        i = bisect_right(self._row_starts, pos) - 1
        return self.rows[i] if i >= 0 and self.rows[i].start <= pos < self.rows[i].end else None

    def _provision_year(self, number: str) -> int | None:
        """A deadline written in the provision (its first), else what its ancestors leave open."""
        if number not in self._own:
            p = self.provisions.get(number)
            year = next((d.year for d in find_deadlines(p.text)), None) if p else None
            parent = p.parent if p else None
            steps = 0
            while year is None and parent is not None and steps < 32:
                q = self.provisions.get(parent)
                year = open_deadline(q.text) if q else None
                parent, steps = (q.parent if q else None), steps + 1
            self._own[number] = year
        return self._own[number]

    def _sentence(self, fact: FactRow) -> str:
        """The sentence a fact stands in (its own text when the provision is unknown)."""
        p = self.provisions.get(fact.number)
        if p is None:
            return fact.text
        s, e = p.sentence_around(fact.start, fact.end)
        return p.text[max(0, s - p.start):max(0, e - p.start)] or fact.text

    def of(self, fact: FactRow) -> tuple[int | None, str | None]:
        """(year, source) for a fact: see the module's docstring."""
        year = fact.get("deadlineYear")
        row = self.row_at(fact.start)
        if row is not None:
            cell = row.get("deadline")
            own = deadline_year(cell) if cell is not None else None
            own = own or next((d.year for role in ("task", "goal", "value") if (c := row.get(role))
                               for d in find_deadlines(c.value)), None)
            if own is not None:
                return own, "own"
        else:
            written = find_deadlines(fact.text)
            if written and (year is None or all(d.year != int(year) for d in written)):
                return written[-1].year, "own"  # a statement of several sentences: its own 时限
            if year is not None and any(int(year) == d.year for d in written + find_deadlines(self._sentence(fact))):
                return int(year), "own"
        if year is not None:
            return int(year), "provision"
        year = self._provision_year(fact.number) if row is None else None
        if year is not None:
            return year, "provision"
        return (self.plan, "plan") if self.plan is not None else (None, None)


def horizons(store: Store, document: str, provisions: dict[str, ProvisionInfo]) -> Horizons:
    """The document's :class:`Horizons`, kept until the store changes."""
    def build() -> Horizons:
        title, full = "", ""
        for t, f in store.rows(DOC_TEXT_QUERY, {"id": Literal(document)}):
            title, full = str(t or ""), str(f or "")
        ordered = sorted(provisions.values(), key=lambda p: p.start)
        rows = sorted((r for table in find_tables(full) for r in table.rows), key=lambda r: r.start)
        return Horizons(plan_horizon(title, ordered, full[:300]), {p.number: p for p in ordered}, rows, title,
                        [r.start for r in rows])
    return cached(store, ("horizons", document), build)
