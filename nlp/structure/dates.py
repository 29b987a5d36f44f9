"""Dates written in Chinese official documents, to ISO 8601."""

from __future__ import annotations

import re
from datetime import date

from metrokg.nlp.structure.numerals import CHINESE_NUMERAL_CHARS, to_int

_NUM = rf"[0-9]+|[{CHINESE_NUMERAL_CHARS}]+"
DATE_RE = re.compile(rf"(?P<y>[0-9]{{4}}|[〇○零一二三四五六七八九Ｏ]{{4}})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日")
ISO_RE = re.compile(r"(?P<y>[0-9]{4})[-./](?P<m>[0-9]{1,2})[-./](?P<d>[0-9]{1,2})")


def parse_date(text: str) -> str | None:
    """ISO date (``2022-11-13``) of the first well-formed date in ``text``, or None."""
    for regex in (DATE_RE, ISO_RE):
        for m in regex.finditer(text):
            y, mo, d = (to_int(m.group(k)) for k in ("y", "m", "d"))
            if None in (y, mo, d):
                continue
            try:
                return date(y, mo, d).isoformat()
            except ValueError:
                continue
    return None


def is_date_line(line: str) -> bool:
    """True when a line holds a date and nothing else (a signature date)."""
    stripped = line.strip().strip("()（）")
    m = DATE_RE.fullmatch(stripped) or ISO_RE.fullmatch(stripped)
    return bool(m) and parse_date(stripped) is not None
