"""Responsibilities: who leads, who is responsible, who supports, who must.

Two sources:

* **notes** after a task, in any bracket or none: ``（责任单位：市市场监管局、市科技局）``,
  ``【牵头单位：省市场监管局；配合单位：省财政厅】``, ``责任部门：…`` on its own line, and
  the verb form ``（省市场监管局牵头，省科技厅、省财政厅配合）``. A note governs the text
  between the previous note (or the start of the provision) and itself.
  Also ``（…按职责分工负责）``, ``（…指导）`` (supporting), a bare list of bodies after a full
  stop ``（省市场监管局，各地级以上市人民政府）`` (responsible); parts that speak about the
  notes (以下均需…落实，不再列出) are skipped.
* **subjects** of sentences: an actor at the head of a clause followed by a modal cue,
  负责, 牵头 or 会同 (``各市、州、县人民政府要…``, ``省市场监管局会同有关部门…``, ``由…牵头``);
  ``要会同`` is still lead, ``由X…`` makes X responsible whatever follows, ``X、Y等部门按照各自
  职责…`` makes them responsible, and an actor heading a clause with an action verb and no cue
  is its subject (县市场监管局每年组织…). Subjects outside the vocabulary are noun phrases before
  an obligation, prohibition or permission cue: short ones, longer ones that end like a person
  or a body (使用…的单位和个人), lists of bodies (各乡镇人民政府、街道办事处), and the party a
  prohibition or permission names after its cue (严禁经营者使用…, 允许X开展…).

Actor lists are split at 、，和及 but a fragment that is only a level (``各市、州、县人民政府``)
joins the next one, so shared types are not lost. Each actor is linked to the actor-type
concept found in it (via the entity linker's mentions) with its level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from metrokg.nlp.extraction.lexicon.actors import _ONE_LEVEL, level_of
from metrokg.nlp.structure.deadlines import deadline_at
from metrokg.nlp.extraction.components.table_rows import inside_rows, row_deadline
from metrokg.nlp.extraction.facts import Responsibility
from metrokg.nlp.extraction.lexicon.verbs import ACTION_VERBS, ADV_RE, VERB_RE
from metrokg.nlp.structure.tables import BODY_ROLES
from metrokg.nlp.structure.textspans import ITEM_MARKER, doc_text, matching_close
from metrokg.terms import DEONTIC_MODALITIES, PROVINCES


NAME = "metrokg_responsibility"
VERSION = "v1"

ROLE_WORDS = {
    "责任单位": "responsible", "责任部门": "responsible", "责任主体": "responsible", "实施单位": "responsible",
    "牵头单位": "lead", "牵头部门": "lead", "主办单位": "lead", "牵头": "lead",
    "配合单位": "supporting", "配合部门": "supporting", "参与单位": "supporting", "协办单位": "supporting",
    "协同单位": "supporting", "参加单位": "supporting",
}
_ROLE_KEY_RE = re.compile(
    r"(?P<key>" + "|".join(sorted((k for k in ROLE_WORDS if k.endswith(("单位", "部门", "主体"))), key=len, reverse=True))
    + r")\s*[:：]\s*")
# 省市场监管局牵头 / 省科技厅配合 / 各市州人民政府负责 / 省科技厅按职责分工负责 / 省市场监管局指导
_VERB_ROLE_RE = re.compile(r"(?:按照?(?:各自)?职责(?:分工)?|分别)?(牵头|负责|配合|参与|协同|协助|落实|指导)$")
VERB_ROLES = {"牵头": "lead", "负责": "responsible", "落实": "responsible", "配合": "supporting",
              "参与": "supporting", "协同": "supporting", "协助": "supporting", "指导": "supporting"}
# a part of a note that speaks about the notes themselves: 以下均需…落实，不再列出 / 下同
_META_SEGMENT = re.compile(r"^(?:以下|下同|下列)|不再(?:一一)?列出|下同$")
_MARKER_RE = re.compile(rf"\s*{ITEM_MARKER}\s*")
# what follows a group of actors and makes them responsible within their remit
_REMIT_RE = re.compile(r"\s*(?:等(?:有关|相关)?(?:部门|单位))?\s*(?:按照?(?:各自)?职责(?:分工)?|依职责|分别)")
_MODAL_THEN = re.compile(r"(?:要|应当|应|须|必须|务必)(?=会同|牵头|联合)")
_INSTITUTION_END = re.compile(r"(?:政府|总局|局|厅|委员会|委|办公室|办|部门|单位|院|所|中心|站|会|部|署|组|处|"
                              r"机构|企业|高校|集团|公司)$")
_LIST_SPLIT = re.compile(r"[、，,；;]|(?<=[局厅委办院所门位府])(?:和|及|与|以及)")
_GENERIC_SUBJECT = re.compile(r"[\u4e00-\u9fff]{2,12}")
# a longer subject is accepted when it ends like a person or a body: 使用…的单位和个人, 集贸市场主办者
_PERSON_END = re.compile(r"(?:(?<![或再])者|单位和个人|个人|单位|企业|机构|人员|主体|商户|经营户|场所|组织|"
                         r"店|超市|商场|医院|诊所|公司|厂|站|市场)$")
_LONG_SUBJECT = re.compile(r"[\u4e00-\u9fff（）()]{2,30}")
# acts a prohibition is about; the one who must not do them is written between: 严禁经营者使用…
ILLEGAL_ACTS = ("使用", "出具", "销售", "制造", "生产", "安装", "加装", "改装", "拆卸", "改动", "伪造", "篡改", "破坏",
                "进口", "出租", "出借", "从事", "开展", "提供", "擅自", "利用", "采用", "以")
_PROHIBITED_SUBJECT = re.compile(r"[\u4e00-\u9fff]{0,10}?" + _PERSON_END.pattern.rstrip("$")
                                 + r"(?=" + "|".join(ILLEGAL_ACTS + ("在", "对", "向", "按照", "通过", "依法", "自行",
                                                                     "自主")) + ")")
# cues after which the one forbidden or allowed is named: 禁止X出具…, 允许X开展…
_NAMING_CUES = ("严禁", "禁止", "不准", "不许", "不允许", "允许", "准许")
_LEVEL_HEAD = re.compile(rf"^各?(?:{_ONE_LEVEL}[、，,]?)+")
_VERBISH = re.compile(r"加强|推进|推动|开展|建立|建设|完善|提升|提高|实施|落实|确保|严格|依法|按照|结合|围绕|"
                      r"同时|此外|其中|并|对|在|将|把|为|以")
#: adverbs between a subject and its modal cue (当事人均不得, 经营者都应当, 单位一律不得)
_TRAILING_ADVERB = re.compile(r"(?:均|(?<![首京成古国])都|皆|一律|亦|也)$")
_SUBJECT_CUES = ("要", "应当", "应", "必须", "须", "务必", "负责", "牵头", "会同", "联合", "按照职责", "按职责",
                 "不得", "严禁", "可以", "将", "进一步")


def compound_actors(actors: list) -> list:
    """Actor mentions with the ones written together joined: 县级以上人民政府 + 计量行政部门 is one
    body, the department of that government (a law's usual subject), linked as the department
    at the government's level. Mentions in text order; a run is joined when each starts where the
    previous one ends."""
    out: list = []
    for m in sorted(actors, key=lambda a: (a.start, -a.end)):
        prev = out[-1] if out else None
        if prev is not None and m.start == prev.end:
            levels = tuple(t for t in prev.types if t.startswith("level:")) or \
                tuple(t for t in m.types if t.startswith("level:"))
            out[-1] = replace(m, start=prev.start, text=prev.text + m.text,
                              types=levels + tuple(t for t in m.types if not t.startswith("level:")))
        elif prev is None or m.start >= prev.end:
            out.append(m)
    return out


@dataclass(frozen=True)
class Note:
    """A responsibility note: its full span and (role, name, start, end) entries."""

    start: int
    end: int
    entries: tuple[tuple[str, str, int, int], ...]


def split_actor_list(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Actor names in ``text[start:end]``: 各市、州、县人民政府 stays whole."""
    parts: list[tuple[int, int]] = []
    pos = start
    depth = 0
    i = start
    while i < end:
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = _LIST_SPLIT.match(text, i, end)
            if m and m.end() > m.start():
                parts.append((pos, i))
                pos = m.end()
                i = m.end()
                continue
        i += 1
    parts.append((pos, end))
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for a, b in parts:
        while a < b and text[a] in " \t　":
            a += 1
        while b > a and text[b - 1] in " \t　。.":
            b -= 1
        if b <= a:
            continue
        frag = text[a:b]
        a0 = carry if carry is not None else a
        if not _INSTITUTION_END.search(frag) and len(frag) <= 4 and re.fullmatch(r"各?[省市州县区盟旗（()）]+", frag):
            carry = a0  # a bare level: 各市 / 州 joins the next fragment
            continue
        carry = None
        merged.append((a0, b))
    return [(text[a:b], a, b) for a, b in merged]


def find_notes(text: str) -> list[Note]:
    """Responsibility notes in ``text``, keyed (责任单位：…) or verb-form (…牵头，…配合)."""
    notes: list[Note] = []
    # keyed notes
    for m in _ROLE_KEY_RE.finditer(text):
        if notes and m.start() < notes[-1].end:
            continue
        bstart = m.start() - 1
        while bstart >= 0 and text[bstart] in " \t":
            bstart -= 1
        if bstart >= 0 and text[bstart] in "（(【〔［[":
            close = matching_close(text, bstart) if text[bstart] in "（(" else text.find(
                {"【": "】", "〔": "〕", "［": "］", "[": "]"}[text[bstart]], m.end())
            if close is None or close < 0:
                close = len(text)
            start, end = bstart, close + 1
            body_end = close
        else:
            line_end = text.find("\n", m.end())
            body_end = line_end if line_end >= 0 else len(text)
            start, end = m.start(), body_end
        entries = []
        # several roles in one note: 牵头单位：A；配合单位：B
        keys = list(_ROLE_KEY_RE.finditer(text, m.start(), body_end))
        for k, km in enumerate(keys):
            seg_end = keys[k + 1].start() if k + 1 < len(keys) else body_end
            role = ROLE_WORDS[km.group("key")]
            for name, a, b in split_actor_list(text, km.end(), seg_end):
                if len(name) >= 2:
                    entries.append((role, name, a, b))
        if entries:
            notes.append(Note(start, min(end, len(text)), tuple(entries)))
    # verb-form notes in brackets at a clause end: （省市场监管局牵头，省科技厅配合）; and bare
    # lists of bodies after a full stop: （省市场监管局，各地级以上市人民政府） -> responsible
    for m in re.finditer(r"[（(]", text):
        if any(n.start <= m.start() < n.end for n in notes):
            continue
        close = matching_close(text, m.start())
        if close is None or close - m.start() > 160:
            continue
        body = text[m.start() + 1:close]
        pieces = re.split(r"([，,；;。])", body)
        segs = []
        pos = m.start() + 1
        for seg in pieces:
            if seg and seg not in "，,；;。" and seg.strip() and not _META_SEGMENT.search(seg.strip()):
                segs.append((seg, pos))
            pos += len(seg)
        if not segs:
            continue
        entries = []
        if all(_VERB_ROLE_RE.search(seg.strip()) for seg, _ in segs):
            for seg, at in segs:
                vm = _VERB_ROLE_RE.search(seg.rstrip())
                names_end = at + len(seg.rstrip()) - len(vm.group(0))
                for name, a, b in split_actor_list(text, at, names_end):
                    if _INSTITUTION_END.search(name):
                        entries.append((VERB_ROLES[vm.group(1)], name, a, b))
        elif text[m.start() - 1:m.start()] in ("。", "；", ";") or text[close + 1:close + 2] in ("", "\n", "。"):
            names = [x for seg, at in segs for x in split_actor_list(text, at, at + len(seg))]
            if names and all(_INSTITUTION_END.search(n) and re.match(r"各?[省市州县区]|各", n) for n, _a, _b in names):
                entries = [("responsible", n, a, b) for n, a, b in names]
        if entries:
            notes.append(Note(m.start(), close + 1, tuple(entries)))
    notes.sort(key=lambda n: n.start)
    return notes


class ResponsibilityExtractor:
    """spaCy component: ``doc._.metrokg_responsibilities`` (list of :class:`Responsibility`)."""

    version = VERSION

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.metrokg_responsibilities = self.extract(doc)  # a failure is the pipeline's to report
        return doc

    @staticmethod
    def _link(mentions, a: int, b: int) -> tuple[str | None, str | None]:
        """(actor-type IRI, level) for the actor written at text[a:b]."""
        best = None
        for m in mentions:
            if m.scheme in ("actortype", "actor") and m.start < b and a < m.end:
                if best is None or m.end - m.start > best.end - best.start:
                    best = m
        if best is None:
            return None, None
        level = next((t[6:] for t in best.types if t.startswith("level:")), None)
        if level is None and best.scheme == "actor":
            level = named_level(best.text)
        return best.iri, level

    def _context(self, doc: Doc, start: int, end: int) -> tuple[str | None, str | None]:
        """(modality, action) of the statement ``[start, end)`` from earlier components."""
        modality = next((d.modality for d in (doc._.metrokg_deontics or []) if start <= d.cue_start < end), None)
        action = next((t.action for t in (doc._.metrokg_tasks or []) if start <= t.start < end or
                       (t.start <= start < t.end)), None)
        if action is None:  # 要在2024年6月底前完成…: the first action verb of the statement
            m = VERB_RE.search(doc_text(doc), start, end)
            action = m.group(0) if m else None
        return modality, action

    def extract(self, doc: Doc) -> list[Responsibility]:
        text = doc_text(doc)
        mentions = doc._.metrokg_mentions or []
        dl = doc._.metrokg_sentence_deadlines or []
        rows = doc._.metrokg_table_rows or []
        out: list[Responsibility] = self._rows(doc, text, mentions, rows)
        prev_end = 0
        for note in find_notes(text):
            if inside_rows(rows, note.start, note.end):
                continue  # a note inside a table cell: the row's columns say who
            s = prev_end
            # the statement: from the last note (or the start) to this note, minus markers
            while s < note.start and text[s] in " \t\n　":
                s += 1
            m = _MARKER_RE.match(text, s, note.start)
            if m:
                s = m.end()
            e = note.start
            while e > s and text[e - 1] in " \t\n。；;，,":
                e -= 1
            if e <= s:  # a note on its own: governs the provision text before it
                s, e = 0, note.start
            modality, action = self._context(doc, s, e)
            for role, name, a, b in note.entries:
                iri, level = self._link(mentions, a, b)
                out.append(Responsibility(s, e, text[s:e], component=NAME, version=VERSION, confidence=0.95,
                                          actor_name=name, actor_start=a, actor_end=b, actor_iri=iri,
                                          actor_type_iri=iri, level=level or level_of(_level_part(name)),
                                          role=role, modality=modality, action=action,
                                          deadline=deadline_at(dl, s)))
            prev_end = note.end
        out += [r for r in self._subjects(doc, text, mentions, dl) if not inside_rows(rows, r.actor_start, r.actor_end)]
        out += [r for r in self._generic_subjects(doc, text, out, dl)
                if not inside_rows(rows, r.actor_start, r.actor_end)]
        return out

    def _rows(self, doc: Doc, text: str, mentions, rows) -> list[Responsibility]:
        """The bodies of each table row in the role of their column (牵头单位 lead, 责任单位
        responsible, 配合单位 supporting), on the row's task, due when the row is."""
        out: list[Responsibility] = []
        for row in rows:
            statement = row.statement
            if statement is None:
                continue
            s, e = statement.start, statement.end
            modality, action = self._context(doc, s, e)
            deadline = row_deadline(doc, row)
            for role in BODY_ROLES:
                cell = row.get(role)
                for a0, b0 in cell.pieces if cell is not None else ():
                    for name, a, b in split_actor_list(text, a0, b0):
                        if len(name) < 2:
                            continue
                        iri, level = self._link(mentions, a, b)
                        out.append(Responsibility(s, e, text[s:e], component=NAME, version=VERSION, confidence=0.9,
                                                  actor_name=name, actor_start=a, actor_end=b, actor_iri=iri,
                                                  actor_type_iri=iri, level=level or level_of(_level_part(name)),
                                                  role=role, modality=modality, action=action, deadline=deadline))
        return out

    def _generic_subjects(self, doc: Doc, text: str, found: list[Responsibility], dl) -> list[Responsibility]:
        """Subjects not in the vocabulary: a noun phrase heading a clause right before an
        obligation, prohibition or permission cue (经营者应当…, 任何单位和个人不得…, 使用…的单位和
        个人应当…, 各乡镇人民政府、街道办事处应当…), and the one a prohibition names after its
        cue (严禁经营者使用…, 禁止计量校准机构出具…)."""
        out: list[Responsibility] = []
        mentions = [m for m in (doc._.metrokg_mentions or []) if m.scheme in ("actortype", "actor")]
        taken = [(r.actor_start, r.actor_end) for r in found if r.actor_start is not None]

        def add(name_start: int, name_end: int, d, confidence: float) -> None:
            adverb = _TRAILING_ADVERB.search(text, name_start, name_end)  # 任何一方当事人均不得: not part of the name
            if adverb and adverb.start() > name_start:
                name_end = adverb.start()
            if any(a is not None and a < name_end and name_start < b for a, b in taken):
                return
            name = text[name_start:name_end]
            modality, action = self._context(doc, d.start, d.end)
            iri, level = (self._link(mentions, name_start, name_end)
                          if any(m.start == name_start and m.end == name_end for m in mentions) else (None, None))
            if level is None and _INSTITUTION_END.search(name):
                lh = _LEVEL_HEAD.match(name)
                level = level_of(lh.group(0)) if lh and not name.startswith("市场") else None
            out.append(Responsibility(d.start, d.end, d.text, component=NAME, version=VERSION,
                                      confidence=confidence, actor_name=name, actor_start=name_start,
                                      actor_end=name_end, actor_iri=iri, actor_type_iri=iri, role="subject", modality=d.modality, action=action,
                                      level=level, deadline=deadline_at(dl, d.start)))
            taken.append((name_start, name_end))

        for d in doc._.metrokg_deontics or []:
            if d.modality not in DEONTIC_MODALITIES or d.cue_start is None:
                continue
            hs = d.start
            mk = _MARKER_RE.match(text, hs, d.cue_start)
            if mk:
                hs = mk.end()
            head = text[hs:d.cue_start]
            if not head and d.subject_start is not None and d.subject_end is not None \
                    and d.subject_end <= hs and _PERSON_END.search(d.subject or ""):
                add(d.subject_start, d.subject_end, d, 0.55)  # the clause before names it: 使用…的单位，应当…
                continue
            if not head and d.cue in _NAMING_CUES:
                pm = _PROHIBITED_SUBJECT.match(text, d.cue_end)
                np_ = pm.group(0) if pm else ""
                if pm and not np_.startswith(ILLEGAL_ACTS) and not re.match(r"[在对向以为从]", np_) \
                        and (not np_.startswith(ACTION_VERBS) or _INSTITUTION_END.search(np_)):
                    add(pm.start(), pm.end(), d, 0.6)
                continue
            if _GENERIC_SUBJECT.fullmatch(head) and not _VERBISH.search(head):
                add(hs, d.cue_start, d, 0.6)
                continue
            # a list of bodies: 各乡镇人民政府、街道办事处 (each part a body or a person)
            parts = [(a, b) for _n, a, b in split_actor_list(text, hs, d.cue_start)] if "、" in head else []
            if len(parts) > 1 and all(_INSTITUTION_END.search(text[a:b]) or _PERSON_END.search(text[a:b])
                                      for a, b in parts):
                for a, b in parts:
                    add(a, b, d, 0.6)
                continue
            if _LONG_SUBJECT.fullmatch(head) and (_PERSON_END.search(head) or _INSTITUTION_END.search(head)):
                add(hs, d.cue_start, d, 0.55)
        return out

    def _subjects(self, doc: Doc, text: str, mentions, dl) -> list[Responsibility]:
        out: list[Responsibility] = []
        actors = compound_actors([m for m in mentions if m.scheme in ("actortype", "actor")])
        notes = find_notes(text)
        heads: set[int] = set()  # actors that head their clause (or continue a list that does)
        for i, m in enumerate(actors):
            if any(n.start <= m.start < n.end for n in notes):
                continue
            clause_start = max(text.rfind(c, 0, m.start) for c in "，,；;。：:\n") + 1
            lead = text[clause_start:m.start]
            mk = _MARKER_RE.match(lead)
            if mk:
                lead = lead[mk.end():]
            lead = re.sub(r"^\s*(?:同时|此外|由|请)?", "", lead)
            by_you = text[clause_start:m.start].strip().endswith("由")
            after_huitong = text[max(0, m.start - 2):m.start] == "会同"
            if lead.strip() and not after_huitong:
                # second actor of a list whose first one heads the clause: 各市人民政府以及各有关部门要…
                if not (i and i - 1 in heads and re.fullmatch(r"\s*(?:以及|和|及|与|、)\s*",
                                                              text[actors[i - 1].end:m.start])):
                    continue
            heads.add(i)
            # the group of actors starting here and what follows it
            j, k = m.end, i
            while k + 1 < len(actors) and re.fullmatch(r"\s*(?:以及|和|及|与|、)\s*", text[j:actors[k + 1].start]):
                k += 1
                j = actors[k].end
            after = text[j:j + 12]
            remit = _REMIT_RE.match(after)
            modal_then = _MODAL_THEN.match(after)
            plain = after[modal_then.end():] if modal_then else after
            role = None
            if after_huitong:
                role = "supporting"
            elif plain.startswith("会同") or plain.startswith("牵头"):
                role = "lead"
            elif after.startswith("负责") or remit:
                role = "responsible"  # 县发改局、县卫健局等部门按照各自职责做好…
            elif after.startswith("配合"):
                role = "supporting"
            elif by_you:
                role = "responsible"  # 由县市场监管局责令改正
            elif after.startswith(_SUBJECT_CUES):
                role = "subject"
            elif VERB_RE.match(after, ADV_RE.match(after).end() if ADV_RE.match(after) else 0):
                role = "subject"  # 县市场监管局每年组织…: the clause's doer, no modal cue
            if role is None:
                continue
            sent_end = min([p for p in (text.find(c, m.end) for c in "。；;\n") if p >= 0] or [len(text)])
            s = m.start if not lead.strip() or by_you else clause_start
            e = sent_end
            modality, action = self._context(doc, m.start, e)
            iri, level = self._link(actors, m.start, m.end)
            out.append(Responsibility(s, e, text[s:e], component=NAME, version=VERSION,
                                      confidence=0.85 if role != "subject" or modality else 0.7,
                                      actor_name=m.text, actor_start=m.start, actor_end=m.end, actor_iri=iri,
                                      actor_type_iri=iri, level=level, role=role, modality=modality,
                                      action=action, deadline=deadline_at(dl, m.start)))
        return out

    def to_disk(self, path, exclude=()) -> None:  # noqa: D102 - config only
        pass

    def from_disk(self, path, exclude=()) -> "ResponsibilityExtractor":  # noqa: D102
        return self


def named_level(name: str) -> str | None:
    """Level of a named body from its name: 国家…/中国…/…总局/…部 are national, a province's
    name makes it provincial (湖北省计量院)."""
    if name.startswith(("国家", "中国", "国务院", "全国", "中华人民共和国", "中央")) or name.endswith(("总局", "部")):
        return "national"
    if name.startswith(PROVINCES):
        return "province"
    return None


def _level_part(name: str) -> str:
    m = re.match(r"^(各?[省市州县区（()）、]+)", name)
    return m.group(1) if m else ""


if not Doc.has_extension("metrokg_responsibilities"):
    Doc.set_extension("metrokg_responsibilities", default=None)


@Language.factory(f"{NAME}_{VERSION}")
def make_responsibility(nlp: Language, name: str) -> ResponsibilityExtractor:
    """Factory for the responsibility extractor."""
    return ResponsibilityExtractor(nlp, name)
