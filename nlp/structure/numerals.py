"""Chinese and Arabic whole numbers as used in headings, dates and quantities.

One strict reader for every Chinese whole number in the project (headings, dates, and the
whole part of quantities in :mod:`metrokg.nlp.extraction.components.numbers`): positional numerals of any size
(``十三``, ``一千零一``, ``三亿五千万``, ``一万亿``), the colloquial shortening of a last digit
(``一千五`` 1500, ``两万五`` 25000), financial characters (``壹仟``) and the digit-by-digit form of
years (``二〇二二``). Malformed runs (``十十``, ``二十二十``, ``一百零``) are not numbers: a heading
or a quantity is never read from a run of numeral characters that no one would write.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
          "九": 9, "玖": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "".join(BIG_UNITS)


def _section(text: str, first: bool) -> int | None:
    """Value below 10,000 written with 十/百/千 (``三千零五``); ``first``: a bare leading unit means one of it."""
    value, last_unit, pending, zero = 0, 10_000, None, False
    for ch in text:
        if ch in DIGITS:
            if pending is not None:
                return None  # two digits in a row: 二三百
            if DIGITS[ch] == 0:
                zero = True
            else:
                pending = DIGITS[ch]
            continue
        unit = UNITS[ch]
        if unit >= last_unit:
            return None  # units must fall: 十十, 十百
        if pending is None:
            if not first or value or zero:
                return None  # 一百十, 零十: a unit with no digit is only at the start (十三)
            pending = 1
        value, last_unit, pending, zero = value + pending * unit, unit, None, False
    if pending is None:
        return None if zero and value else value  # 一百零 is unfinished; 零 alone is 0
    if zero or last_unit == 10_000:
        return value + pending  # 一千零五, 五
    return value + pending * last_unit // 10  # 一千五 = 1500, 十五 = 15


def _positional(text: str, first: bool) -> int | None:
    """Value of a positional numeral, split at its largest 万/亿 (``三亿五千万`` = 3·10⁸ + 5000·10⁴)."""
    big = max((BIG_UNITS[ch] for ch in text if ch in BIG_UNITS), default=None)
    if big is None:
        return _section(text, first) if text else None
    at = next(i for i, ch in enumerate(text) if BIG_UNITS.get(ch) == big)
    high, low = text[:at], text[at + 1:]
    multiple = _positional(high, first) if high else (1 if first else None)
    if not multiple:
        return None  # 零万, or a bare 万 inside a number
    rest = _below(low, big)
    return None if rest is None else multiple * big + rest


def _below(text: str, big: int) -> int | None:
    """The part after a 万/亿: empty, ``零``-led (``一万零五``), one shortened digit (``一万五``) or a full number below it."""
    if not text:
        return 0
    stripped = text.lstrip("".join(ch for ch, v in DIGITS.items() if v == 0))
    if not stripped:
        return None  # 一万零
    if stripped == text and len(text) == 1 and text in DIGITS:
        return DIGITS[text] * big // 10
    value = _positional(stripped, first=False)
    return value if value is not None and value < big else None


def chinese_to_int(text: str) -> int | None:
    """Value of a Chinese whole number (``十三`` → 13, ``一千零一`` → 1001, ``二〇二二`` → 2022); None if not one."""
    if not text or any(ch not in DIGITS and ch not in UNITS and ch not in BIG_UNITS for ch in text):
        return None
    if len(text) > 1 and all(ch in DIGITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))  # digit by digit, as years are written
    return _positional(text, first=True)


def to_int(text: str) -> int | None:
    """Value of an Arabic or Chinese whole number, or None."""
    text = text.strip()
    if text.isdecimal():
        return int(text)
    return chinese_to_int(text)


_SPELL = "零一二三四五六七八九"


def int_to_chinese(n: int) -> str:
    """``n`` (≥ 0) spelt as laws number their articles: 9 → 九, 10 → 十, 25 → 二十五, 105 → 一百零五,
    1000 → 一千, 10001 → 一万零一 (the inverse of :func:`chinese_to_int` on these forms)."""
    if n < 10:
        return _SPELL[n]
    if n < 20:
        return "十" + (_SPELL[n - 10] if n > 10 else "")
    for big, name in ((100_000_000, "亿"), (10_000, "万")):
        if n >= big:
            high, low = divmod(n, big)
            rest = "" if low == 0 else ("零" if low < big // 10 else "") + _section_spelt(low, full=True)
            return int_to_chinese(high) + name + rest
    return _section_spelt(n, full=False)


def _section_spelt(n: int, full: bool) -> str:
    """Below 10,000 with 千/百/十 and 零 for a skipped place; ``full`` keeps 一十 (一百一十, 一万零一十)."""
    if n >= 10_000:
        return int_to_chinese(n)
    out, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, unit)
        if digit:
            if zero and out:
                out += "零"
            out += ("" if (name == "十" and digit == 1 and not out and not full) else _SPELL[digit]) + name
            zero = False
        elif out:
            zero = True
    return out


def parse_chinese(s: str) -> Decimal | None:
    """Value of a Chinese numeral (``三千一百``, ``两``, ``十``, ``一点五万``, ``三点五``, ``二〇二五``).

    The whole part is read by :func:`chinese_to_int` (strict: ``十十`` is
    no number); a decimal part is written digit by digit after 点 and may carry a 万/亿 scale.
    """
    if not s:
        return None
    if "点" not in s:
        whole = chinese_to_int(s)
        return Decimal(whole) if whole is not None else None
    head, _, frac = s.partition("点")
    scale = Decimal(1)
    while frac and frac[-1] in BIG_UNITS:
        scale *= BIG_UNITS[frac[-1]]
        frac = frac[:-1]
    whole = chinese_to_int(head) if head else 0
    if whole is None or not frac or any(c not in DIGITS for c in frac):
        return None
    return (Decimal(whole) + Decimal("0." + "".join(str(DIGITS[c]) for c in frac))) * scale
