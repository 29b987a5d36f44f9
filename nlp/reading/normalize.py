"""One-time text normalisation: every offset downstream points into ``normalize``'s output.

Why each step exists:

* Line breaks are unified (``\\r\\n``, ``\\r``, U+2028/2029, NEL, form feed and vertical tab
  become ``\\n``) so that line-based structure parsing sees one convention.
* Control, format and zero-width characters (C0/C1 controls, U+200B..U+200F, U+FEFF, soft
  hyphen, bidi marks: the Unicode ``Cf`` category) are dropped: they are invisible, come from
  copy-paste and PDF extraction, and split words for matching.
* Full-width ASCII letters, digits and the ideographic space become half-width (``Ａ１``
  -> ``A1``), and so do the full-width symbols that belong to numbers and codes
  (``％＋－．／＜＝＞＃＄＆＊＠＼＾＿｀｜``: ``１．`` -> ``1.``, ``９０％`` -> ``90%``,
  ``GB／T`` -> ``GB/T``). Chinese sentence punctuation and brackets are kept as written,
  full-width or not (``，。；：、！？（）《》〈〉“”「」【】〔〕～`` ...): documents mix ``(一)``
  and ``（一）`` and the structure parser handles both.
* Kangxi radicals (U+2F00..U+2FD5), which PDF text layers often emit instead of the
  ideograph (``⽇`` for ``日``), and CJK compatibility ideographs are mapped to the unified
  ideograph; the text is then in NFC, so that the same word has one spelling.
* Spaces and tabs: runs collapse to one space (to one tab if the run holds a tab: table
  cells from DOCX/HTML are tab-separated), lines are stripped, and a space next to a
  Chinese character or Chinese punctuation is dropped (``计 量 发 展`` -> ``计量发展``,
  ``到 2025 年`` -> ``到2025年``: PDF extraction and typesetting artefacts; Chinese has no
  meaningful spaces), as is a space just inside ASCII brackets (``( 一 )`` -> ``(一)``).
  Spaces between Latin words and numbers stay (``依据 JJF 1059.1-2012 评定`` ->
  ``依据JJF 1059.1-2012评定``).
* More than one blank line collapses to one blank line; the text is trimmed.

Traditional characters are kept (the author's text); :func:`to_simplified` maps them one
character at a time, preserving length, for matching only.

``normalize`` is idempotent: ``normalize(normalize(x)) == normalize(x)``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["normalize", "to_simplified", "is_cjk_char"]

# --- line breaks -----------------------------------------------------------------------
_NEWLINES = re.compile("\r\n|[\r\u2028\u2029\u0085\u000b\u000c]")

# --- characters to drop: C0/C1 controls (not \t \n), surrogates, Unicode Cf (format) ----
_DROP = re.compile(
    "[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]+"
)

# --- full-width -> half-width ----------------------------------------------------------
_WIDTH_SYMBOLS = "＃＄％＆＊＋－．／＜＝＞＠＼＾＿｀｜"


def _build_width_table() -> dict[int, str]:
    table: dict[int, str] = {0x3000: " "}
    for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):
        for cp in range(start, end + 1):
            table[cp] = chr(cp - 0xFEE0)
    for ch in _WIDTH_SYMBOLS:
        table[ord(ch)] = chr(ord(ch) - 0xFEE0)
    # Other Unicode spaces (no-break, en/em, thin, narrow no-break, medium math) -> space.
    for cp in (0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F):
        table[cp] = " "
    # Kangxi radicals / CJK radicals supplement that stand for an ideograph.
    for cp in range(0x2E80, 0x2FE0):
        mapped = unicodedata.normalize("NFKC", chr(cp))
        if len(mapped) == 1 and mapped != chr(cp):
            table[cp] = mapped
    return table


_WIDTH = _build_width_table()

# --- spaces ------------------------------------------------------------------------------
_HSPACE_RUN = re.compile(r"[ \t]+")
_EDGE_SPACE = re.compile(r"[ \t]*\n[ \t]*")
_BLANK_LINES = re.compile(r"\n{3,}")

# Chinese characters and punctuation between which a space is an artefact (combining marks
# U+302A..302F, U+3099/309A are left out so that dropping a space never forms an NFC sequence).
_CJK = (
    "\u2e80-\u2fdf\u3000-\u3029\u3030-\u303f\u3040-\u3098\u309b-\u30ff\u3100-\u312f\u31a0-\u31ff\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003134f"
)
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) | (?=[{_CJK}])" r"|(?<=[(\[]) | (?=[)\]])")
_CJK_CHAR = re.compile(f"[{_CJK}]")


def is_cjk_char(ch: str) -> bool:
    """True for a Chinese/Japanese ideograph, kana, or CJK/full-width punctuation."""
    return bool(_CJK_CHAR.fullmatch(ch))


def _collapse_hspace(match: re.Match[str]) -> str:
    return "\t" if "\t" in match.group() else " "


def normalize(text: str) -> str:
    """Return the one normalised form of ``text`` that offsets downstream point into."""
    text = _NEWLINES.sub("\n", text)
    text = _DROP.sub("", text)
    text = text.translate(_WIDTH)
    text = unicodedata.normalize("NFC", text)
    text = _HSPACE_RUN.sub(_collapse_hspace, text)
    text = _EDGE_SPACE.sub("\n", text)
    text = _CJK_SPACE.sub("", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip(" \t\n")


# --- traditional -> simplified, one character at a time --------------------------------
@lru_cache(maxsize=1)
def _ts_table() -> dict[int, str]:
    """OpenCC's traditional->simplified character table, single code point to single code point."""
    import opencc  # opencc-python-reimplemented ships the dictionary files

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            source, targets = parts
            target = targets.split(" ")[0]
            if len(source) == 1 and len(target) == 1 and source != target:
                table[ord(source)] = target
    return table


def to_simplified(text: str) -> str:
    """Map traditional characters to simplified ones; ``len`` is preserved, so offsets stay valid.

    For matching only: store and show the author's text. Character-level mapping cannot pick
    between several simplified readings by context (it takes OpenCC's first candidate).
    """
    return text.translate(_ts_table())
