"""Chinese and Arabic numerals as used in headings and dates.

Kept separate from target parsing: headings and dates need only whole numbers
(一, 十二, 二十一, 〇/零 digits as in 二〇二二).
"""

from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
          "九": 9, "玖": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)


def chinese_to_int(text: str) -> int | None:
    """Value of a Chinese whole number (``十三`` → 13, ``二〇二二`` → 2022); None if not one."""
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    if all(ch in DIGITS for ch in text) and len(text) > 1:
        # digit-by-digit form used for years: 二〇二二
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        else:
            unit = UNITS[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


def to_int(text: str) -> int | None:
    """Value of an Arabic or Chinese whole number, or None."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    return chinese_to_int(text)
