"""Funding rules: money a plan pays out, and to whom (``给予每家不超过50万元补助``, ``按投资额的30%给予补助``).

A clause (split at ，；。, brackets kept inside) that names a way of paying (补助, 奖励, 资助, 补贴,
奖补, 扶持资金) makes each money amount (元, 万元, 亿元) and each percentage in it a
:class:`FundingRule` rather than a target: the amount with its comparator (不超过 ``<=``), in 元
as well (``amount_yuan``); a percentage as a share of its basis (按 **投资额** 的30%); ``per`` the
counter after 每 (每家 -> 家); the beneficiary the words after the last 对 before the amount, up
to the verb of paying (对 **新认定的产业计量测试中心** 给予…), in the clause or the one before it.
Counts of funded things (资助10个项目) stay targets. The numbers read here are claimed.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from metrokg.nlp.extraction.components.base import RuleComponent, rule_component
from metrokg.nlp.extraction.components.numbers import claim
from metrokg.nlp.extraction.components.targets import POST_COMPARATORS, PRE_COMPARATORS, _plain
from metrokg.nlp.extraction.facts import FundingRule
from metrokg.nlp.extraction.lexicon.quantities import FUNDING_CUES, MONEY_UNITS
from metrokg.nlp.structure.textspans import clauses, doc_text, sentences

NAME = "metrokg_funding"
VERSION = "v1"

_CEILING = (("最高", "<="), ("最多", "<="), ("单项最高", "<="))
_BENEFICIARY = re.compile(r"对(?P<who>[^，,；;。对]{2,30}?)(?:[，,]|给予|提供|予以|按|实行|一次性|分别)")
_BASIS = re.compile(r"按(?:照)?(?P<basis>[^，,；;。按]{1,16}?)的$")
_PER = re.compile(r"每(?P<per>家|个|项|人|名|台|套|所|户|次|年)(?:[^，,；;。]{0,6}?)$")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


def _comparator(text: str, clause_start: int, n) -> str:
    """Comparator of an amount: a word right before it (不超过50万元) or after it (50万元以下)."""
    before = text[clause_start:n.start]
    for word, comp in (*_CEILING, *PRE_COMPARATORS):
        if before.endswith(word):
            return comp
    for word, comp in POST_COMPARATORS:
        if text.startswith(word, n.unit_end):
            return comp
    return "="


@rule_component(NAME, VERSION, "metrokg_funding")
class FundingRecognizer(RuleComponent):
    """spaCy component: ``doc._.metrokg_funding`` (list of :class:`FundingRule`)."""

    def extract(self, doc: Doc) -> list[FundingRule]:
        text = doc_text(doc)
        numbers = [n for n in doc._.metrokg_numbers or [] if n.percent or n.unit in MONEY_UNITS]
        out: list[FundingRule] = []
        if not numbers or not FUNDING_CUES.search(text):
            return out
        for ss, se in sentences(text):
            parts = clauses(text, ss, se)
            for k, (cs, ce) in enumerate(parts):
                cue = FUNDING_CUES.search(text, cs, ce)
                if cue is None:
                    continue
                for n in (n for n in numbers if cs <= n.start < ce):
                    out.append(self._rule(text, parts, k, n, cue.group(0)))
                    claim(doc, n.start, n.unit_end)
        return out

    @staticmethod
    def _rule(text: str, parts: list[tuple[int, int]], k: int, n, instrument: str) -> FundingRule:
        cs, ce = parts[k]
        before = text[cs:n.start]
        lead = text[parts[k - 1][0]:n.start] if k else before
        who = None
        for m in _BENEFICIARY.finditer(lead):
            who = m.group("who").strip()
        basis = _BASIS.search(before) if n.percent else None
        per = _PER.search(before)
        years = _YEAR.findall(before)
        unit = "%" if n.percent else n.unit
        amount = _plain(n.value * MONEY_UNITS[unit]) if unit in MONEY_UNITS else None
        start = cs
        while start < n.start and text[start] in "(（":
            start += 1
        return FundingRule(start, ce, text[start:ce], component=NAME, version=VERSION, confidence=0.8,
                           instrument=instrument, beneficiary=who, value=_plain(n.value), unit_text=unit,
                           amount_yuan=amount, share=bool(n.percent), basis=basis.group("basis") if basis else None,
                           per=per.group("per") if per else None, comparator=_comparator(text, cs, n),
                           year=int(years[-1]) if years else None, value_start=n.start, value_end=n.unit_end)
