"""Numbers in Chinese policy text: Arabic and Chinese numerals, percentages, 万/亿 scales.

Targets are written as ``10家``, ``3100项``, ``92%``, ``百分之九十二``, ``两个``, ``一百项``,
``1.5万台``. This module turns such strings into exact ``Decimal`` values and finds
them in running text with their character offsets. It is also the spaCy component
``metrokg_numbers_v1`` that stores the matches on ``doc._.metrokg_numbers``.

Chinese numerals are only read as quantities when a counter or unit follows (``十个``) or
when written as a percentage (``百分之十``): bare ``一`` in ``统一`` or ``二十大`` is not a number.

Measured against ``cn2an`` 0.5.24 (PyPI) before choosing: on 27 numerals of the gold and of laws
this reader gets 26 right and ``cn2an.cn2an(…, "smart")`` 23 (it refuses 百分之九十二 and 一点五万 and
accepts the unfinished 一百零), at 7 µs against 17 µs a numeral; in running text ``cn2an.transform``
leaves 两次, 两家, 两名 unread (3 gold targets) and knows no counters. So numbers stay ours, with no
new dependency; money amounts of penalties use the same reader (:mod:`metrokg.nlp.structure.numerals`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from spacy.language import Language
from spacy.tokens import Doc

from metrokg.nlp.structure.numerals import BIG_UNITS, DIGITS, parse_chinese
from metrokg.nlp.structure.numerals import UNITS as SMALL_UNITS
from metrokg.nlp.structure.textspans import doc_text

CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
_CN_NUM = f"[{CN_CHARS}]+"
_AR_NUM = r"\d+(?:\.\d+)?"

# Counters and units that may follow a quantity; longest first so 项次 beats 项.
COUNTERS: tuple[str, ...] = tuple(sorted({
    "个百分点", "百分点", "万元", "亿元", "元", "万人次", "人次", "家次", "户次", "台次", "场次", "件次", "人", "名", "位", "家", "项次", "项", "个",
    "台套", "台件", "台", "套", "件", "所", "座", "支", "处", "条", "类", "种", "份", "户", "间",
    "次", "场", "期", "本", "部", "批次", "张", "只", "块", "根", "倍", "篇", "门", "岗",
    "公里", "千米", "米", "吨", "千瓦时", "千瓦", "兆瓦", "小时", "天", "个月", "周",
    "平方米", "亩", "万吨", "%", "％", "‰",
}, key=len, reverse=True))

# a Chinese decimal: 三点五, 九十九点九 (the digits after 点 are read one by one)
_CN_DECIMAL = f"{_CN_NUM}(?:点[{''.join(DIGITS)}]+[{''.join(BIG_UNITS)}]?)?"
_PERCENT_RE = re.compile(rf"百分之({_CN_DECIMAL}|{_AR_NUM})")
_NUMBER_RE = re.compile(
    rf"(?P<ar>{_AR_NUM})(?P<arscale>[万亿](?!元))?"
    rf"|(?P<cn>{_CN_DECIMAL})"
)
_COUNTER_RE = re.compile("|".join(re.escape(c) for c in COUNTERS))
# Characters that, just before a Chinese numeral, make it part of a word or an ordinal.
_CN_BLOCKERS = set("第统唯专单同之初周星礼逐")


@dataclass(frozen=True)
class NumberMatch:
    """A quantity found in text: ``text[start:end]`` is the numeral (counter excluded)."""

    start: int
    end: int
    text: str
    value: Decimal
    unit: str | None
    unit_end: int
    percent: bool = False
    qualifier: str | None = None  # 余/多 between numeral and counter: "more than"


def parse_number(s: str) -> Decimal | None:
    """Value of a numeral as written: ``3,100``, ``1.5万``, ``92%`` (-> 92), ``百分之九十二``.

    Returns ``None`` for anything that is not a number, never raises.
    """
    s = s.strip().rstrip("%％")
    if not s:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")  # 3,100
    m = _PERCENT_RE.fullmatch(s)
    if m:
        return parse_number(m.group(1))
    if re.fullmatch(_AR_NUM, s):
        try:
            return Decimal(s)
        except InvalidOperation:
            return None
    mixed = re.fullmatch(rf"({_AR_NUM})([万亿]+)", s)
    if mixed:
        value = Decimal(mixed.group(1))
        for c in mixed.group(2):
            value *= BIG_UNITS[c]
        return value
    if all(c in CN_CHARS or c == "点" for c in s):
        return parse_chinese(s)
    return None


_ZERO_TO_NINE = "".join(DIGITS) + "0123456789"
_TENTHS_RE = re.compile(rf"(?P<n>[0-9.]+|[{CN_CHARS}点]+)成(?P<d>[{_ZERO_TO_NINE}]|半)?")
# a quantity at the start of what someone typed: 百分之…, …成…, then plain numerals
_LEADING_RE = re.compile(
    rf"(?P<pct>百分之(?:{_CN_DECIMAL}|[0-9.]+))"
    rf"|(?P<tenths>{_TENTHS_RE.pattern})"
    rf"|(?P<num>[0-9.]+[万亿]*|[{CN_CHARS}点]+)"
)


def parse_tenths(s: str) -> Decimal | None:
    """A share written in tenths, as a percentage: ``九成`` 90, ``八成五`` 85, ``九成半`` 95, ``9.5成`` 95.

    成 is one tenth and a digit after it one hundredth, so ten tenths (``十成``) is the most.
    """
    m = _TENTHS_RE.fullmatch(s.strip())
    if not m:
        return None
    tenths = parse_number(m.group("n"))
    extra = m.group("d")
    if tenths is None or tenths > 10 or (extra and (tenths != tenths.to_integral_value() or tenths == 10)):
        return None
    if not extra:
        return tenths * 10
    return tenths * 10 + (Decimal(5) if extra == "半" else Decimal(DIGITS.get(extra, extra)))


def parse_quantity(s: str) -> tuple[Decimal, str] | None:
    """A quantity as a person types it, split into its value and the unit written after it.

    ``12家`` → (12, "家"), ``1.2万台`` → (12000, "台"), ``三点五`` → (3.5, ""), ``92%`` → (92, "%");
    ``百分之九十九点九`` → (99.9, "%") and ``九成`` → (90, "%"): these say the unit themselves, so
    nothing may follow them. None when ``s`` does not open with a well-formed number.
    """
    s = s.strip()
    m = _LEADING_RE.match(s)
    if not m or (s.startswith("百分之") and not m.group("pct")):
        return None
    rest = s[m.end():].strip()
    if m.group("num"):
        value = parse_number(m.group("num"))
        return None if value is None else (value, rest)
    value = parse_number(m.group("pct")) if m.group("pct") else parse_tenths(m.group("tenths"))
    return None if value is None or rest else (value, "%")


# a counter followed by these is part of another word: 10的负18次方 is a power, not a count;
# 某一部门, 一部分 are words, not one 部 of something
_COUNTER_BLOCKERS = {"次": "方幂", "部": "门分委署"}


def _counter_at(text: str, pos: int) -> str | None:
    m = _COUNTER_RE.match(text, pos)
    if not m:
        return None
    c = m.group(0)
    if c in _COUNTER_BLOCKERS and text[m.end():m.end() + 1] in tuple(_COUNTER_BLOCKERS[c]):
        return None
    return c


def _qualified_counter(text: str, pos: int) -> tuple[str | None, str | None, int]:
    """(qualifier, counter, end) after a numeral: ``余家`` -> ("余", "家", pos+2)."""
    q = None
    if pos < len(text) and text[pos] in "余多":
        q = text[pos]
        counter = _counter_at(text, pos + 1)
        if counter:
            return q, counter, pos + 1 + len(counter)
        return None, None, pos
    counter = _counter_at(text, pos)
    return None, counter, pos + len(counter) if counter else pos


def find_numbers(text: str) -> list[NumberMatch]:
    """Every quantity in ``text``, left to right, with its counter or unit if one follows.

    Arabic numerals are always reported (years included: callers decide what a year is);
    Chinese numerals only with a following counter, or as ``百分之…``.
    """
    out: list[NumberMatch] = []
    taken_until = 0
    for m in _PERCENT_RE.finditer(text):
        v = parse_number(m.group(1))
        if v is not None:
            out.append(NumberMatch(m.start(), m.end(), m.group(0), v, "%", m.end(), True))
    spans = [(n.start, n.end) for n in out]
    for m in _NUMBER_RE.finditer(text):
        s, e = m.start(), m.end()
        if any(a <= s < b for a, b in spans) or s < taken_until:
            continue
        if m.group("ar") is not None:
            # a digit run glued to latin letters is a code (JJF1059, GB/T), not a quantity
            if s > 0 and (text[s - 1].isascii() and (text[s - 1].isalnum() or text[s - 1] in "-./")):
                continue
            raw = m.group(0)
            value = parse_number(raw)
            if value is None:
                continue
            qual, counter, unit_end = _qualified_counter(text, e)
            pct = counter in ("%", "％")
            out.append(NumberMatch(s, e, raw, value, "%" if pct else counter, unit_end, pct, qual))
        else:
            raw = m.group("cn")
            # trim a leading char that belongs to a word (统一, 第十二)
            if s > 0 and text[s - 1] in _CN_BLOCKERS:
                continue
            # allow 万/亿 inside the numeral but the counter must follow directly
            # 三万元 / 十亿元: the scale char belongs to the unit, as with 100万元
            if len(raw) > 1 and raw[-1] in BIG_UNITS and _counter_at(text, e - 1) in ("万元", "亿元", "万吨", "万人次"):
                raw = raw[:-1]
                e -= 1
            qual, counter, unit_end = _qualified_counter(text, e)
            if counter is None:
                continue
            if len(raw) == 1 and raw in BIG_UNITS:
                continue
            value = parse_chinese(raw)
            if value is None or value == 0:
                continue
            pct = counter in ("%", "％")
            if qual is None:
                unit_end = e + len(counter)
            out.append(NumberMatch(s, e, raw, value, "%" if pct else counter, unit_end, pct, qual))
        taken_until = out[-1].unit_end
    out.sort(key=lambda n: n.start)
    return out


if not Doc.has_extension("metrokg_numbers"):
    Doc.set_extension("metrokg_numbers", default=None)
# spans whose numbers a component has read as something other than a target (a time limit, a
# funding amount): set empty by the recogniser, filled by those components, read by targets
if not Doc.has_extension("metrokg_claimed"):
    Doc.set_extension("metrokg_claimed", default=None)


def claim(doc: Doc, start: int, end: int) -> None:
    """Mark ``[start, end)`` as read: a number starting there is no target."""
    if doc._.metrokg_claimed is None:
        doc._.metrokg_claimed = []
    doc._.metrokg_claimed.append((start, end))


def claimed(doc: Doc, pos: int) -> bool:
    """Whether a component has already read the number at ``pos``."""
    return any(a <= pos < b for a, b in doc._.metrokg_claimed or ())


class NumberRecognizer:
    """spaCy component: stores ``find_numbers(doc_text(doc))`` on ``doc._.metrokg_numbers``."""

    name = "metrokg_numbers"
    version = "v1"

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.metrokg_numbers = find_numbers(doc_text(doc))
        doc._.metrokg_claimed = []
        return doc

    def to_disk(self, path, exclude=()) -> None:  # noqa: D102 - nothing to save, config only
        pass

    def from_disk(self, path, exclude=()) -> "NumberRecognizer":  # noqa: D102
        return self


@Language.factory("metrokg_numbers_v1")
def make_numbers(nlp: Language, name: str) -> NumberRecognizer:
    """Factory for the number recogniser."""
    return NumberRecognizer(nlp, name)
