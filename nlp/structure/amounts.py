"""Money amounts and multiples as laws write fines: 一千元以上一万元以下, 1000元以下, 2.5万元,
违法所得一倍以上三倍以下, 相当其违法所得10%至50%, 相当于销售额百分之三十以下.

One reader of bounds for every penalty clause. Numbers go through :mod:`metrokg.nlp.structure.numerals`
(Chinese positional numerals, financial characters) or Arabic digits with an optional 万/千/百/亿
multiplier; percentages become multiples (10% → 0.1 倍), so a fine is either in 元 or in 倍 of a basis
(违法所得, 货值金额). ``以上`` is an inclusive lower bound, ``以下`` an inclusive upper one, ``至``/``到``/``-``
joins the two ends of a range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from metrokg.nlp.structure.numerals import BIG_UNITS, CHINESE_NUMERAL_CHARS, DIGITS, UNITS, chinese_to_int

_ARABIC = r"[0-9０-９]+(?:[.．][0-9０-９]+)?(?:[,，][0-9]{3})*(?:[.．][0-9]+)?"
_CHINESE = f"[{CHINESE_NUMERAL_CHARS}]+"
_MULTIPLIER = "".join(UNITS) + "".join(BIG_UNITS)
NUMBER = rf"(?:{_ARABIC}[{_MULTIPLIER}]*|{_CHINESE})"
_PERCENT = rf"(?:百分之{_CHINESE}|{NUMBER}\s*[%％])"
_AMOUNT = rf"(?:(?P<@m>{NUMBER})\s*元|(?P<@t>{NUMBER})\s*倍|(?P<@p>{_PERCENT}))"
_RANGE_JOIN = r"(?:以上\s*(?:至|到|－|—|-|~|～)?|至|到|－|—|-|~|～)\s*"
_LOW = _AMOUNT.replace("@", "a")
_HIGH = _AMOUNT.replace("@", "b")
# 一千元以上一万元以下 | 10%至50% | 一倍以上三倍以下 | 五千元以下 | 一万元以上 | 二万元
BOUNDS = re.compile(rf"{_LOW}\s*(?:{_RANGE_JOIN}{_HIGH}\s*(?:以下|以内)?|(?P<upto>以下|以内|及以下)|(?P<atleast>以上|及以上))?")
# the basis a multiple is taken of, written before it: 违法所得, 货值金额, 销售额
BASES: tuple[tuple[str, str], ...] = (("违法所得", "违法所得"), ("货值", "货值金额"), ("销售额", "货值金额"),
                                      ("销售金额", "货值金额"), ("进口额", "货值金额"), ("经营额", "货值金额"))


@dataclass(frozen=True)
class Bounds:
    """The bounds of an amount: ``min``/``max`` (None where open), ``unit`` 元 or 倍, ``basis`` of a
    multiple; ``start``/``end`` where it was read in the text given."""

    min: Decimal | None
    max: Decimal | None
    unit: str
    basis: str | None
    start: int
    end: int


def number_value(text: str) -> Decimal | None:
    """Value of ``1000``, ``1,000``, ``2.5万``, ``１０``, ``一千``, ``五万``, ``壹仟``; None if not a number."""
    text = text.strip().translate(_FULLWIDTH)
    if not text:
        return None
    if text[0].isdigit():
        head = text.rstrip(_MULTIPLIER)
        tail = text[len(head):]
        try:
            value = Decimal(head.replace(",", "").replace("，", ""))
        except InvalidOperation:
            return None
        for ch in tail:
            value *= UNITS.get(ch) or BIG_UNITS[ch]
        return value
    if all(ch in DIGITS for ch in text) and len(text) > 1:
        return None  # 一二 is not an amount
    whole = chinese_to_int(text)
    return None if whole is None else Decimal(whole)


_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def percent_value(text: str) -> Decimal | None:
    """``10%`` → 0.1, ``百分之三十`` → 0.3 (a share as a multiple)."""
    text = text.strip()
    if text.startswith("百分之"):
        v = number_value(text[3:])
    else:
        v = number_value(text.rstrip("%％ "))
    return None if v is None else v / 100


def _value(m: re.Match, side: str) -> tuple[Decimal | None, str | None]:
    if m.group(f"{side}m"):
        return number_value(m.group(f"{side}m")), "元"
    if m.group(f"{side}t"):
        return number_value(m.group(f"{side}t")), "倍"
    if m.group(f"{side}p"):
        return percent_value(m.group(f"{side}p")), "倍"
    return None, None


def basis_of(text: str) -> str | None:
    """The basis named in ``text`` (the words before a multiple): 违法所得, 货值金额, or None."""
    found = [(text.rfind(word), name) for word, name in BASES if word in text]
    return max(found)[1] if found else None


def read_bounds(text: str, start: int = 0, end: int | None = None) -> list[Bounds]:
    """Every amount in ``text[start:end]`` with its bounds, in text order.

    ``处一千元以上一万元以下罚款`` → min 1000, max 10000 元; ``处违法所得一倍以上三倍以下罚款`` → 1–3 倍 of
    违法所得; ``五千元以下`` → max 5000; a bare ``二万元`` is both bounds. The basis of a multiple is
    the last one named since the previous amount."""
    end = len(text) if end is None else end
    out: list[Bounds] = []
    last = start
    for m in BOUNDS.finditer(text, start, end):
        low, unit = _value(m, "a")
        if low is None:
            continue
        high, high_unit = _value(m, "b") if m.group("bm") or m.group("bt") or m.group("bp") else (None, None)
        if high_unit is not None and high_unit != unit:
            continue  # 一倍以上一万元以下 mixes units: not a range
        if high is not None:
            lo, hi = low, high
        elif m.group("upto"):
            lo, hi = None, low
        elif m.group("atleast"):
            lo, hi = low, None
        else:
            lo, hi = low, low
        basis = basis_of(text[last:m.start()]) if unit == "倍" else None
        out.append(Bounds(lo, hi, unit, basis, m.start(), m.end()))
        last = m.end()
    return out
