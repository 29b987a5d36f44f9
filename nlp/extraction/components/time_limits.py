"""Time limits on duties: ``自受理申请之日起二十个工作日内``, ``应当在十日内办理完毕``, and in laws ``每年``.

A time limit bounds what a provision requires; it is never a target. It is read as a numeral
with a unit of time followed by 内/以内/之内 (a limit, comparator ``<=``), with the event it runs
from when one is written before it (``自…之日起``, ``在接到…之日起`` -> the trigger). In a law or
regulation, a period written as ``每年``/``每季度``/``每两年`` is a time limit too (the duty recurs);
in a plan the same words mark a recurring target, whose recurrence the target keeps.

Each limit covers its words; ``duty_start``/``duty_end`` cover the clause it bounds (split at
，；。), which the RDF links to the deontic statement of that clause. The numbers a limit reads are
claimed (``doc._.metrokg_claimed``), so the targets component does not read ``二十个`` as a count.
"""

from __future__ import annotations

import re
from decimal import Decimal

from spacy.tokens import Doc

from metrokg.nlp.extraction.components.base import RuleComponent, rule_component
from metrokg.nlp.extraction.components.numbers import CN_CHARS, claim, parse_number
from metrokg.nlp.extraction.facts import TimeLimit
from metrokg.nlp.structure.textspans import clauses, doc_text, sentences

NAME = "metrokg_time_limits"
VERSION = "v1"

_NUMERAL = rf"\d+|[{CN_CHARS}]+"
LIMIT_RE = re.compile(
    r"(?P<trigger>(?:自|从|在|于)(?P<event>[^，,；;。：:]{1,30}?)(?:之日|之时|后)?起)?"
    rf"(?P<num>{_NUMERAL})(?P<unit>个工作日|工作日|个月|日|天|小时|周|年)(?P<post>以内|之内|内)")
PERIOD_RE = re.compile(rf"每(?P<num>{_NUMERAL}|半)?(?P<unit>年度|年|季度|个月|月|周)")
_PERIOD_UNITS = {"年度": "年", "年": "年", "季度": "季度", "个月": "月", "月": "月", "周": "周"}
# units as recorded: the counter 个 dropped (二十个工作日 -> 20 工作日)
_LIMIT_UNITS = {"个工作日": "工作日", "个月": "月"}


def _duty(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding ``[start, end)``; when the limit ends its clause (…之日起十五日内，向…), the next one too."""
    for ss, se in sentences(text):
        if ss <= start < se:
            parts = clauses(text, ss, se)
            for k, (cs, ce) in enumerate(parts):
                if cs <= start < ce:
                    if ce - end < 2 and k + 1 < len(parts):
                        ce = parts[k + 1][1]
                    return cs, ce
    return start, end


def find_time_limits(text: str, legal: bool = False) -> list[TimeLimit]:
    """Every time limit in ``text``; periods (每年) only when ``legal``."""
    out: list[TimeLimit] = []
    for m in LIMIT_RE.finditer(text):
        value = parse_number(m.group("num"))
        if value is None or value == 0 or (m.group("unit") == "年" and value >= 1900):
            continue  # 2016年内 is a year, not three years
        start = m.start("trigger") if m.group("trigger") else m.start("num")
        ds, de = _duty(text, start, m.end())
        event = m.group("event")
        out.append(TimeLimit(start, m.end(), text[start:m.end()], component=NAME, version=VERSION, confidence=0.9,
                             value=value, unit_text=_LIMIT_UNITS.get(m.group("unit"), m.group("unit")), comparator="<=",
                             trigger=event.strip() if event else None, duty=text[ds:de], duty_start=ds, duty_end=de))
    if legal:
        for m in PERIOD_RE.finditer(text):
            num = m.group("num")
            value = Decimal("0.5") if num == "半" else (parse_number(num) if num else Decimal(1))
            if value is None:
                continue
            ds, de = _duty(text, m.start(), m.end())
            out.append(TimeLimit(m.start(), m.end(), m.group(0), component=NAME, version=VERSION, confidence=0.8,
                                 value=value, unit_text=_PERIOD_UNITS[m.group("unit")], comparator="=", period=True,
                                 duty=text[ds:de], duty_start=ds, duty_end=de))
    out.sort(key=lambda t: t.start)
    return out


@rule_component(NAME, VERSION, "metrokg_time_limits")
class TimeLimitRecognizer(RuleComponent):
    """spaCy component: ``doc._.metrokg_time_limits``; their numbers are claimed."""

    def extract(self, doc: Doc) -> list[TimeLimit]:
        found = find_time_limits(doc_text(doc), bool(doc._.metrokg_legal_text))
        for t in found:
            claim(doc, t.start, t.end)
        return found
