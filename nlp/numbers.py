"""Numbers in Chinese policy text: Arabic and Chinese numerals, percentages, 万/亿 scales.

Targets are written as ``10家``, ``3100项``, ``92%``, ``百分之九十二``, ``两个``, ``一百项``,
``1.5万台``. This module turns such strings into exact ``Decimal`` values and finds
them in running text with their character offsets. It is also the spaCy component
``metrokg_numbers_v1`` that stores the matches on ``doc._.metrokg_numbers``.

Chinese numerals are only read as quantities when a counter or unit follows (``十个``) or
when written as a percentage (``百分之十``): bare ``一`` in ``统一`` or ``二十大`` is not a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from spacy.language import Language
from spacy.tokens import Doc

from metrokg.nlp.textspans import doc_text

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8,
          "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

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

_PERCENT_RE = re.compile(rf"百分之({_CN_NUM}|{_AR_NUM})")
_NUMBER_RE = re.compile(
    rf"(?P<ar>{_AR_NUM})(?P<arscale>[万亿](?!元))?"
    rf"|(?P<cn>{_CN_NUM})"
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


def parse_chinese(s: str) -> Decimal | None:
    """Value of a Chinese numeral (``三千一百``, ``两``, ``十``, ``一点五万``, ``二〇二五``)."""
    if not s:
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        scale = Decimal(1)
        while frac and frac[-1] in BIG_UNITS:
            scale *= BIG_UNITS[frac[-1]]
            frac = frac[:-1]
        w = parse_chinese(whole) if whole else Decimal(0)
        if w is None or not frac or any(c not in DIGITS for c in frac):
            return None
        digits = "".join(str(DIGITS[c]) for c in frac)
        return (w + Decimal("0." + digits)) * scale
    if all(c in DIGITS for c in s) and len(s) > 1:
        return Decimal("".join(str(DIGITS[c]) for c in s))  # digit-by-digit: 二〇二五
    total = Decimal(0)
    section = Decimal(0)
    number = Decimal(0)
    seen = False
    for c in s:
        if c in DIGITS:
            number = Decimal(DIGITS[c])
            seen = True
        elif c in SMALL_UNITS:
            unit = SMALL_UNITS[c]
            section += (number if seen else Decimal(1)) * unit
            number = Decimal(0)
            seen = False
        elif c in BIG_UNITS:
            section += number
            total += (section if section else Decimal(1)) * BIG_UNITS[c]
            section = Decimal(0)
            number = Decimal(0)
            seen = False
        else:
            return None
    return total + section + number


def parse_number(s: str) -> Decimal | None:
    """Value of a numeral as written: ``3,100``, ``1.5万``, ``92%`` (-> 92), ``百分之九十二``.

    Returns ``None`` for anything that is not a number, never raises.
    """
    s = s.strip().rstrip("%％")
    if not s:
        return None
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


# a counter followed by these is part of another word: 10的负18次方 is a power, not a count
_COUNTER_BLOCKERS = {"次": "方幂"}


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


class NumberRecognizer:
    """spaCy component: stores ``find_numbers(doc_text(doc))`` on ``doc._.metrokg_numbers``."""

    name = "metrokg_numbers"
    version = "v1"

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.metrokg_numbers = find_numbers(doc_text(doc))
        return doc

    def to_disk(self, path, exclude=()) -> None:  # noqa: D102 - nothing to save, config only
        pass

    def from_disk(self, path, exclude=()) -> "NumberRecognizer":  # noqa: D102
        return self


@Language.factory("metrokg_numbers_v1")
def make_numbers(nlp: Language, name: str) -> NumberRecognizer:
    """Factory for the number recogniser."""
    return NumberRecognizer(nlp, name)
