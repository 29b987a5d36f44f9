"""Deontic modality: obligation, prohibition, encouragement, permission, exploration.

Cues are matched on jieba tokens, so 要 in 重要/要求/主要 is not a cue, only the word 要.
Each cue governs its clause, not the whole paragraph: from the start of the comma-clause
holding it (so the subject of 各市人民政府要… is included, a leading 围绕…， clause is not)
up to the next cue's clause or the end of the major clause (split at 。；). Nominal uses are skipped: 加强政策支持。 / 予以支持 / 的支持 / 引导作用.
"""

from __future__ import annotations

import logging
import re

from spacy.language import Language
from spacy.tokens import Doc

from metrokg.nlp.extraction.facts import Deontic
from metrokg.nlp.segment import cue_words, pipeline_segmenter
from metrokg.nlp.structure.textspans import ITEM_MARKER, clauses, doc_text, token_offsets
from metrokg.terms import PROMOTIONAL_MODALITIES

log = logging.getLogger(__name__)

NAME = "metrokg_modality"
VERSION = "v1"

DEFAULT_CUES: dict[str, list[str]] = {
    "obligation": ["要", "应当", "应", "必须", "须", "务必", "应该"],
    "prohibition": ["不得", "严禁", "禁止", "不准", "不许", "不允许", "严防"],
    "encouragement": ["鼓励", "支持", "引导", "倡导", "提倡"],
    "permission": ["可以", "可", "允许", "准许", "有权"],
    "exploration": ["探索", "试点", "先行先试"],
}
# Words before/after a cue that make it a noun (政策支持, 引导作用) rather than a modal.
NOMINAL_BEFORE = ("的", "予以", "给予", "提供", "政策", "技术", "资金", "有力")
NOMINAL_AFTER = ("力度", "作用", "保障", "体系", "政策", "服务", "能力", "资金", "机制", "工作", "示范", "项目", "单位",
                 "城市", "地区", "经验", "范围")
_MAJOR = "；;。！？!?\n"
# acts a relative clause names without their object (国务院禁止使用的其他计量器具, 应当检定的计量器具),
# alone or joined by 、和或 (禁止生产、销售的): the clause describes a thing, it binds nobody
BARE_ACTS = frozenset(("使用", "生产", "销售", "制造", "修理", "进口", "出口", "安装", "检定", "校准", "检测", "出具",
                       "出租", "出借", "改装", "拆卸", "公布", "淘汰", "采用", "提供", "申请", "登记", "备案", "报告",
                       "报送", "公示", "持有", "配备", "保存"))
_VERB_JOINERS = ("、", "和", "或", "或者", "及")
_APPROVED_BY = re.compile(r"(?:报|事先|依法)?经(?!营|过|费|验|济|常|历)")  # 须经…批准: someone else decides
_ITEM_MARKER = re.compile(rf"\s*{ITEM_MARKER}\s*")
_LEAD_OK = re.compile(rf"^\s*(?:{ITEM_MARKER}\s*)?(?:积极|大力|进一步|继续|着力|研究|"
                      r"逐步|不断|重点|充分|也|还|并|同时|要|应|将)*")
# 可以并处罚款, 可处…, 可以责令…: a sanction the authority may impose, not a permission
_SANCTION_AFTER = re.compile(r"(?:以|并|可)*(?:处|没收|责令|吊销|撤销|给予|追究|封存|暂扣|予以)")
# adverbs between a subject and its cue (经营者也应当, 任何单位和个人均不得) and connectives before a cue
_SUBJECT_TAIL = re.compile(r"(?:也|还|均|都|必须|一律|并|且|同时|依法|应当|可以)+$")
_SUBJECT_LEAD = re.compile(r"^(?:[，,；;：:\s]|并且|并|且|同时|但是|但|或者)+")
_BODY_END = re.compile(r"(?:机构|单位|人员|部门|经营者|使用者|个人|企业|组织|当事人|机关|政府)$")
_SUBJECT_END = re.compile(r"(?:政府|局|厅|委|办|部门|单位|企业|机构|国家|省|市|县|区|州|各地|地方|我省|我市|我区)"
                          r"(?:要|应|将|也|还|积极|大力|继续)*$")


class ModalityTagger:
    """spaCy component: ``doc._.metrokg_deontics`` (list of :class:`Deontic`)."""

    version = VERSION

    def __init__(self, nlp: Language, name: str, cues: dict[str, list[str]] | None = None) -> None:
        self.name = name
        self.segmenter = pipeline_segmenter(nlp)
        self._set_cues({k: list(v) for k, v in (cues or DEFAULT_CUES).items()})

    def _set_cues(self, cues: dict[str, list[str]]) -> None:
        """Cues are matched on tokens: the pipeline's segmenter learns the long ones (先行先试)."""
        self.cues = cues
        self._lookup = {w: m for m, words in self.cues.items() for w in words}
        self._first_chars = {w[0] for w in self._lookup}
        if self.segmenter is not None:
            self.segmenter.add_words(cue_words(self._lookup))

    def _is_cue(self, text: str, starts: list[int], ends: list[int], i: int) -> str | None:
        s, e = starts[i], ends[i]
        word = text[s:e]
        modality = self._lookup.get(word)
        if modality is None:
            return None
        nxt = text[starts[i + 1]:ends[i + 1]] if i + 1 < len(starts) else ""
        prev = text[starts[i - 1]:ends[i - 1]] if i > 0 else ""
        if word == "试点":
            # 开展…试点 (a pilot) counts; 试点示范 / 试点城市 as a noun phrase does not
            return None if nxt in NOMINAL_AFTER else modality
        if not nxt or nxt[0] in "，,。；;、：:）)" or nxt.isspace():
            return None  # nothing governed: 加强政策支持。
        if modality in PROMOTIONAL_MODALITIES:
            if prev in NOMINAL_BEFORE or nxt in NOMINAL_AFTER:
                return None
            # the cue must lead its clause (after a subject or adverb): 制定支持…的计划 is not one
            lead = text[max(text.rfind(c, 0, s) for c in "，,；;。：:\n") + 1:s]
            lead = _LEAD_OK.sub("", lead)
            if lead and not _SUBJECT_END.search(lead):
                return None
        if word == "可":
            # 可测量、可报告、可核查 is an adjective list, not a permission
            if "、可" in text[e:e + 8] or text[s - 1:s] == "、" or nxt in ("持续", "再生", "追溯", "信", "靠"):
                return None
        if word in ("应", "需") and nxt in ("用", "急", "对", "要", "求"):
            return None
        if modality == "permission" and _SANCTION_AFTER.match(text, e):
            return None
        if in_relative_clause(text, starts, ends, i):
            return None
        return modality

    def __call__(self, doc: Doc) -> Doc:
        doc._.metrokg_deontics = self.extract(doc)  # a failure is the pipeline's to report
        return doc

    def extract(self, doc: Doc) -> list[Deontic]:
        text = doc_text(doc)
        starts, ends = token_offsets(doc)
        cues = []
        # only tokens whose first character can start a cue are looked at
        first = self._first_chars
        for i, s in enumerate(starts):
            if text[s] not in first:
                continue
            m = self._is_cue(text, starts, ends, i)
            if m:
                cues.append((s, ends[i], text[s:ends[i]], m))
        if not cues:
            return []
        out: list[Deontic] = []
        for k, (cs, ce, word, modality) in enumerate(cues):
            major_start = max(text.rfind(c, 0, cs) for c in _MAJOR) + 1
            major_end = min([p for p in (text.find(c, ce) for c in _MAJOR) if p >= 0] or [len(text)])
            # the cue's own comma-clause: its subject is there (各市人民政府要…), a
            # preceding 围绕…/依托… clause is not governed by it
            start = cs
            for a, b in clauses(text, major_start, major_end):
                if a <= cs < b + 1:
                    start = a
                    break
            end = major_end
            nxt = cues[k + 1] if k + 1 < len(cues) else None
            if nxt and nxt[0] < major_end:
                for a, b in clauses(text, major_start, major_end):
                    if a <= nxt[0] < b + 1:
                        end = a if a > ce else nxt[0]
                        break
            while end > start and text[end - 1] in "，,、 ：:。":
                end -= 1
            while start < end and text[start] in " \t　":
                start += 1
            mk = _ITEM_MARKER.match(text, start, end)
            if mk:
                start = mk.end()
            if end <= start:
                continue
            d = Deontic(start, end, text[start:end], component=NAME, version=VERSION,
                        confidence=0.9 if len(word) > 1 else 0.8, modality=modality, cue=word,
                        cue_start=cs, cue_end=ce)
            _subject_and_object(text, d, out, major_start)
            out.append(d)
        return out

    def to_disk(self, path, exclude=()) -> None:
        """Write the cue lexicon."""
        import json
        from pathlib import Path

        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / "cues.json").write_text(json.dumps(self.cues, ensure_ascii=False, indent=1), encoding="utf-8")

    def from_disk(self, path, exclude=()) -> "ModalityTagger":
        """Read the cue lexicon written by :meth:`to_disk`."""
        import json
        from pathlib import Path

        self._set_cues(json.loads((Path(path) / "cues.json").read_text(encoding="utf-8")))
        return self


def in_relative_clause(text: str, starts: list[int], ends: list[int], i: int) -> bool:
    """Whether the cue at token ``i`` describes a noun instead of binding anyone: its acts (one of
    :data:`BARE_ACTS`, or a list of them) end in 的 before the noun (国务院禁止使用的其他计量器具,
    应当检定的计量器具): the clause names a kind of thing, whoever stands before the cue is no subject."""
    def word(k: int) -> str:
        return text[starts[k]:ends[k]] if k < len(starts) else ""

    j = i + 1
    while True:
        if word(j) not in BARE_ACTS:
            return False
        if word(j + 1) in _VERB_JOINERS:
            j += 2
            continue
        break
    after = word(j + 2)
    return word(j + 1) == "的" and bool(after) and "\u4e00" <= after[0] <= "\u9fff"


def _subject_and_object(text: str, d: Deontic, before: list[Deontic], major_start: int) -> None:
    """Who the duty binds and what it is about. The subject is the words before the cue in its clause
    (经营者应当…); else a condition just before (未按照规定申请检定或者检定不合格的，不得使用 → 使用者, read from
    the condition: the user of such an instrument); else the subject of the duty before it in the same
    sentence or provision (…单位应当…，并不得…). The object is what follows the cue."""
    cs, ce = d.cue_start or d.start, d.cue_end or d.end
    d.object = text[ce:d.end].strip(" ，,") or None
    head_start = max([text.rfind(c, 0, cs) for c in "，,；;。：:\n"]) + 1
    head_start = max(head_start, d.start if d.start < cs else head_start)
    head = text[head_start:cs]
    lead = _SUBJECT_LEAD.match(head)
    a = head_start + (lead.end() if lead else 0)
    a = (_ITEM_MARKER.match(text, a, cs) or re.compile("").match(text, a)).end()
    name = _SUBJECT_TAIL.sub("", text[a:cs]).strip()
    if name:
        d.subject, d.subject_start, d.subject_end = name, a, a + len(name)
        return
    same = [x for x in before if x.subject and x.end <= d.start and x.start >= major_start]
    if same:
        d.subject = same[-1].subject  # inherited: …单位应当…，并不得…
        return
    prev = text[max(text.rfind(c, 0, head_start - 1) for c in "，,；;。：:\n") + 1:head_start - 1].strip() \
        if head_start > 0 else ""
    mk = _ITEM_MARKER.match(prev)
    prev = prev[mk.end():] if mk else prev
    if prev and text[head_start - 1] in "，,":
        if _BODY_END.search(prev):  # 从事…活动的社会中介服务机构，不得…: the clause before names the subject
            start = text.rfind(prev, 0, head_start)
            d.subject, d.subject_start, d.subject_end = prev, start, start + len(prev)
            return
        if "的" in prev and d.object and _APPROVED_BY.match(d.object):
            # an approval by another body (须经…批准): the one who does what the condition says
            # (申请进口…，须经… → 申请者), else what the condition names (用于贸易结算的计量器具，必须经…检定)
            d.subject = f"{prev[:2]}者（{prev}）" if prev[:2] in BARE_ACTS else prev
            return
        if "的" in prev and d.object:
            d.subject = f"{d.object[:2]}者（{prev}）"  # the one who would do it to what the condition names
            return
    earlier = [x for x in before if x.subject and x.end <= d.start]
    if earlier:
        d.subject = earlier[-1].subject  # written once for the provision's duties


if not Doc.has_extension("metrokg_deontics"):
    Doc.set_extension("metrokg_deontics", default=None)


@Language.factory(f"{NAME}_{VERSION}", default_config={"cues": None})
def make_modality(nlp: Language, name: str, cues: dict | None) -> ModalityTagger:
    """Factory; ``cues`` maps modality -> cue words (default: :data:`DEFAULT_CUES`)."""
    return ModalityTagger(nlp, name, cues)
