"""Task-table rows as a spaCy component: ``doc._.metrokg_table_rows``, and the targets rows state.

Rows enter the pipeline here, at the component level, because the components already work on
one provision's text with offsets that the driver maps to the document: a table found in that
text (:func:`metrokg.nlp.structure.tables.find_tables`) needs no offsets of its own. The rows
are read once, after the targets and before tasks and responsibilities, which turn each row
into a task with its bodies in their roles (``tasks.py``, ``responsibility.py``) and leave the
words inside rows to that reading.

A row with a value column (目标值, ``≥200项``) whose text the targets component found no target
in becomes a :class:`Target` of its indicator (主要指标, else its task), its deadline the row's
(完成时限, else the year its cells name, else the provision's horizon).
"""

from __future__ import annotations

import re
from decimal import Decimal

from spacy.tokens import Doc

from metrokg.nlp.extraction.components.base import RuleComponent, rule_component
from metrokg.nlp.structure.deadlines import deadline_at, find_deadlines
from metrokg.nlp.extraction.components.targets import POST_COMPARATORS, _table_value
from metrokg.nlp.extraction.facts import Target
from metrokg.nlp.structure.tables import TableRow, deadline_year, find_tables
from metrokg.nlp.structure.textspans import doc_text

NAME = "metrokg_table_rows"
VERSION = "v1"

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNIT_IN_NAME = re.compile(r"[（(]([^）)]{1,6})[）)]\s*$")


def row_deadline(doc: Doc, row: TableRow) -> int | None:
    """The year a row is due by: its own (时限 cell, a year in its cells), else the horizon in
    force where its table starts (a year in an earlier row is that row's, not the next one's)."""
    cell = row.get("deadline")
    own = deadline_year(cell) if cell is not None else None
    for role in ("task", "goal", "value") if own is None else ():
        cell = row.get(role)
        found = find_deadlines(cell.value) if cell is not None else []
        own = own or (found[0].year if found else None)
    return own or deadline_at(doc._.metrokg_sentence_deadlines or [], max(0, row.table_start - 1))


def inside_rows(rows: list[TableRow], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies in a table row (those words are read as the row)."""
    return any(r.start <= start and end <= r.end for r in rows)


def _value_of(cell: str) -> tuple[Decimal, str, str] | None:
    """(value, comparator, unit) of a value cell: ``≥200项``, ``200项以上``, ``95%``."""
    m = _NUMBER.search(cell)
    if m is None:
        return None
    tail = cell[m.end():].strip()
    post = next((w for w, _c in POST_COMPARATORS if tail.endswith(w)), "")
    unit = tail[:len(tail) - len(post)].strip()
    parsed = _table_value(cell[:m.end()] + ("%" if unit in ("%", "％") else "") + post)
    if parsed is None or len(unit) > 6:
        return None
    value, comparator, percent = parsed
    return value, comparator, "%" if percent else unit


@rule_component(NAME, VERSION, "metrokg_table_rows")
class TableRowReader(RuleComponent):
    """spaCy component: ``doc._.metrokg_table_rows`` and the targets of value cells."""

    def extract(self, doc: Doc) -> list[TableRow]:
        text = doc_text(doc)
        rows = [row for table in find_tables(text) for row in table.rows]
        if rows:
            found = list(doc._.metrokg_targets or [])
            doc._.metrokg_targets = found + self._targets(doc, text, rows, found)
        return rows

    @staticmethod
    def _targets(doc: Doc, text: str, rows: list[TableRow], found: list[Target]) -> list[Target]:
        out: list[Target] = []
        for row in rows:
            value_cell = row.get("value")
            name_cell = row.get("indicator") or row.get("task")
            if value_cell is None or name_cell is None or any(row.start <= t.start < row.end for t in found):
                continue
            parsed = _value_of(value_cell.value)
            if parsed is None:
                continue
            value, comparator, unit = parsed
            name = name_cell.value
            um = _UNIT_IN_NAME.search(name)
            if um:
                unit, name = unit or um.group(1), name[:um.start()]
            if not unit:
                continue
            start, end = min(name_cell.start, value_cell.start), max(name_cell.end, value_cell.end)
            out.append(Target(start, end, text[start:end], component=NAME, version=VERSION, confidence=0.8,
                              indicator=name.strip(), value=value, unit_text=unit, comparator=comparator,
                              deadline=row_deadline(doc, row), is_total=unit != "%",
                              value_start=value_cell.start, value_end=value_cell.end))
        return out
