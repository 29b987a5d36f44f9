"""What a number in a plan or a law is, when it is not a goal: the cues every numeric component shares.

A number with a counter (``185项``, ``两个``, ``50万元``) is a target only when the text commits to
reaching it. The other readings are told by general context, never by one document's words:

* **names and slogans** — inside a 《title》 (``《关于修改…等七部法律的决定》``) or a short quoted
  formula (``“两个确立”``, ``“四个面向”``), and 个 counts of principles (``坚持三个原则``);
* **ordinals** — ``十二届二次全会``: a numeral after 届, a 次 before 会议/全会;
* **participants** — ``应当有两名以上人员参加``, ``由一名副总设计师兼任``: people required to take part;
* **ranks** — ``8个国家之一``: one of a group, not an amount;
* **achievements** — cue words of what exists (``截至``, ``已有``, ``目前``) and the headings of
  background sections (编制背景, 发展现状, 发展基础) where every figure is a status;
* **funding** — ``补助``, ``奖励``, ``资助`` amounts and shares.
"""

from __future__ import annotations

import re

from metrokg.nlp.structure.textspans import matching_close

# a quoted formula is short: “两个确立”, “三个着力”; a long quotation may hold a real figure
SLOGAN_MAX_CHARS = 12
QUOTES = {"“": "”", "\"": "\"", "「": "」", "‘": "’"}
# after a 个 count: the count is of principles or requirements, not of things to build
PRINCIPLE_NOUNS = re.compile(r"(?:原则|方面|转变|坚持|面向|着力|确立|维护|自信|意识|优先|必须|导向)")
PARTICIPANT_VERBS = re.compile(r"参加|参与|在场|兼任|担任|陪同|列席|到场")
PERSON_COUNTERS = frozenset({"人", "名", "位"})
ORDINAL_AFTER = re.compile(r"(?:全会|会议|党代会|代表大会|常委会)")
RANK = re.compile(r"^[^，,；;。]{0,12}?之一")
# headings of sections that describe what exists (the figures there are achievements)
BACKGROUND_HEADING = re.compile(r"背景|现状|发展基础|工作基础|基础条件|发展成就|主要成就|取得成效|工作成效|发展成效|主要成效|回顾|面临形势|发展形势")
# a clause that states what exists or was done already
ACHIEVED_CUES = re.compile(r"截至|截止|已有|已经|已建成|已累计|已达|目前|现有|当前已|共有|拥有")
# a clause about money paid to someone: its amounts are a funding rule
FUNDING_CUES = re.compile(r"补助|奖励|资助|补贴|奖补|以奖代补|扶持资金")
MONEY_UNITS = {"元": 1, "万元": 10_000, "亿元": 100_000_000}


def title_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside 《…》 (nested 〈〉 included): a number there is part of a name."""
    out: list[tuple[int, int]] = []
    for m in re.finditer("《", text):
        close = matching_close(text, m.start())
        if close is not None:
            out.append((m.start(), close + 1))
    return out


def slogan_spans(text: str) -> list[tuple[int, int]]:
    """Short quoted formulas (“两个确立”): a number inside one is a slogan."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        close = QUOTES.get(text[i])
        if close is not None:
            j = text.find(close, i + 1, i + 2 + SLOGAN_MAX_CHARS)
            if j > i and "\n" not in text[i:j]:
                out.append((i, j + 1))
                i = j + 1
                continue
        i += 1
    return out


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls in one of ``spans``."""
    return any(a <= pos < b for a, b in spans)


def not_a_quantity(text: str, clause: tuple[int, int], start: int, unit: str | None, unit_end: int) -> str | None:
    """Why the number at ``start`` (counter ending at ``unit_end``) in ``clause`` is no amount of
    anything — ``"ordinal"``, ``"principle"``, ``"participants"`` or ``"rank"`` — or None."""
    if text[max(0, start - 1):start] == "届" or (unit == "次" and ORDINAL_AFTER.match(text, unit_end)):
        return "ordinal"  # 十二届二次全会
    if unit == "个" and PRINCIPLE_NOUNS.match(text, unit_end):
        return "principle"  # 坚持三个原则, 做到两个维护
    if unit in PERSON_COUNTERS and PARTICIPANT_VERBS.search(text, clause[0], clause[1]):
        return "participants"  # 应当有两名以上人员参加
    if RANK.match(text[unit_end:clause[1]]):
        return "rank"  # 8个国家之一
    return None
