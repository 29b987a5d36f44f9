"""Tasks: the action verb and its object in each task clause (加快…研究, 建设…平台).

A comma-clause is a task when, after its item or article marker, its subject, modal cue
and adverbs (积极, 大力, 进一步, 每季度…), it starts with an action verb from
:data:`ACTION_VERBS`. How the clause is read, in order:

* a **subject** is skipped: an actor the entity linker found at the clause head (a list
  joined by 、和及, with 等部门 or 按照职责分工 after it), or a noun phrase ending like an
  institution or a person (…局, …政府, …领导小组, 财政, …者);
* an **obligation or permission cue** (应当, 要, 须, 可以) moves the reading past itself,
  so a long subject the rules cannot parse (使用…的单位和个人应当申请…) does not matter;
  a clause governed by a **prohibition** (不得, 严禁) is not a task;
* a **prepositional phrase** (依托…, 对…, 向…, 会同…) is skipped up to the first verb
  that starts a word (依托高校建设…: 建设, never 构建 across 机构|建设);
* a **place** heading the clause (粤东西北地区建成…) is skipped before a verb;
* verbs written together form one action: a lexicon compound (建立健全, 充分发挥), two
  verbs joined by 和/及/与/并/、 (新建和改造, 新建、改造升级), or a leading verb of
  manner or organisation (统筹, 组织, 加快, 探索) with the next verb (统筹安排, 组织攻关);
* a word that is both adverb and verb (严格) is the action when no verb follows it
  (严格计量监管) and an adverb otherwise (严格执行…).

Not tasks: purpose sentences (为贯彻…，加快建设…，制定本方案), 制定本… clauses, section
headings (发展目标), state descriptions (…体系基本建立), clauses without an object.
The object runs to the end of the clause (or, for 对…，依法查处, is the fronted 对-phrase).
Concepts mentioned inside the task are its ``concerns``.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from metrokg.nlp.structure.deadlines import deadline_at
from metrokg.nlp.extraction.components.responsibility import find_notes
from metrokg.nlp.extraction.components.table_rows import inside_rows, row_deadline
from metrokg.nlp.extraction.facts import Task
from metrokg.nlp.extraction.lexicon.verbs import ACTION_VERBS, ADV_RE, ADVERBS, LEAD_VERBS, VERB_RE
from metrokg.nlp.structure.textspans import ITEM_MARKER, clauses, doc_text, sentences, token_offsets
from metrokg.terms import DEONTIC_MODALITIES


NAME = "metrokg_tasks"
VERSION = "v1"

# role verbs before the real action: 牵头组建…, 负责组织…
ROLE_LEADS = ("牵头", "负责")
PREPOSITIONS = ("依托", "围绕", "面向", "针对", "聚焦", "按照", "结合", "通过", "根据", "依据", "基于", "利用", "借助",
                "紧扣", "对标", "瞄准", "会同", "联合", "将", "把", "对", "向", "在", "与", "同", "为")
# verbs that after a preposition are usually nouns (立足新发展阶段, 服务…发展的)
NOUNISH = {"发展", "服务", "创新", "改革", "监督", "检查", "评估", "支撑", "保障", "研究", "共享", "开放", "宣传", "总结",
           "执行", "报告", "实现", "形成", "规划", "安排", "布局", "试点"}
# an object that only points back (做好相关工作) or a rate (抽查不合格率…) makes no task
_EMPTY_OBJECT = re.compile(r"^(?:相关|有关|各项|相应|本职|其他)工作$|^[\u4e00-\u9fff]{0,8}(?:率|比例|占比)"
                           r"(?:控制|保持|稳定|达到|达|不低于|不高于|不超过|不少于|提高|降低|在|为)")
# a clause ending like this describes a state (…体系基本建立), not a task
_STATE_END = re.compile(r"(?:基本|进一步|明显|显著|不断|持续|更加|全面|日益|大幅|初步|逐步|有效)[\u4e00-\u9fff]{1,4}$")
# a section heading read as verb + object: 发展目标, 总体要求
_HEADING_NOUN = re.compile(r"^[\u4e00-\u9fff]{0,4}(?:目标|要求|思想|原则|方向|措施|意义)$")
# 制定本方案 / 特制定本办法: the document's own drafting, not a task
_SELF_REFERENCE = re.compile(r"^(?:特|现)?(?:制定|制订|印发|出台)(?:本|如下|以下)")
_PURPOSE_SENTENCE = re.compile(r"^(?:为|为了)[^。]*?(?:制定|制订|提出)(?:本|如下|以下)")
_CHAIN_CONNECT = re.compile(r"(?:和|及|与|并|、)")
# what a verb found after a preposition must not be followed by: it is then a noun
_NOMINAL_TAIL = re.compile(r"(?:需求|领域|方向|水平|需要)$")
# after 为 (for…), the action is the verb that gives: 为企业提供服务
BENEFACTIVE = ("提供", "服务", "做好", "创造", "营造", "奠定", "贡献", "打造", "支撑", "保障")
_MARKER_RE = re.compile(rf"^\s*{ITEM_MARKER}\s*")
_SUBJECT_TAIL = (r"(?:以及|和|及|、)?(?:各有关部门|有关部门)?(?:等(?:有关)?(?:部门|单位))?"
                 r"(?:按照?(?:各自)?职责(?:分工)?)?")
_INSTITUTION = (r"(?:人民政府|政府|领导小组|小组|委员会|办公室|局|厅|委|办|部门|单位|企业|机构|院|所|中心|站|财政|"
                r"经营者|主办者|使用者|生产者|销售者|(?<![或再])者|个人|人员|主体)")
_SUBJECT_RE = re.compile(rf"[^，,。；;]{{1,30}}?{_INSTITUTION}{_SUBJECT_TAIL}"
                         r"(?=(?:要|应当|应|必须|须|可以|负责|牵头|会同|配合|联合|积极|切实|认真|每年|每季度|定期|依法)"
                         r"|(?:" + "|".join(map(re.escape, ACTION_VERBS)) + "))")
_GROUP_JOIN = re.compile(r"\s*(?:以及|和|及|与|、)\s*")
_TAIL_RE = re.compile(_SUBJECT_TAIL)
_PLACE_RE = re.compile(r"[\u4e00-\u9fff0-9]{0,8}?(?:地区|地方|城市|市|州|县|区|省|乡镇|街道|园区)(?:各|均|都)?")
_DEADLINE_LEAD = re.compile(r"(?:力争|争取)?(?:到|至|在|于)?(?:(?:19|20)\d{2}年(?:\d{1,2}月)?(?:份)?(?:底|末|年底)?(?:前|以前|之前)?"
                            r"|[“\"]?十[一二三四五六七八九]五[”\"]?(?:时期|期间|末期|末|期末)?)[，,]?")


class TaskExtractor:
    """spaCy component: ``doc._.metrokg_tasks`` (list of :class:`Task`)."""

    version = VERSION

    def __init__(self, nlp: Language, name: str, max_object_chars: int = 120) -> None:
        self.name = name
        self.max_object_chars = max_object_chars

    def __call__(self, doc: Doc) -> Doc:
        doc._.metrokg_tasks = self.extract(doc)  # a failure is the pipeline's to report
        return doc

    @staticmethod
    def _skip_lead(clause: str, pos: int) -> int:
        """Past adverbs and a leading deadline, in either order (每年在2024年底前…)."""
        for _ in range(2):
            m = ADV_RE.match(clause, pos)
            if m:
                pos = m.end()
            m = _DEADLINE_LEAD.match(clause, pos)
            if m and m.end() > pos:
                pos = m.end()
        return pos

    def _verb_at(self, clause: str, pos: int) -> re.Match | None:
        """The action verb at ``pos`` after adverbs; an adverb-verb (严格) when nothing follows."""
        v = VERB_RE.match(clause, pos)
        if v is not None and v.group(0) not in ADVERBS:
            return v  # a lexicon compound beats the adverb inside it: 充分发挥, 严厉打击
        p2 = self._skip_lead(clause, pos)
        v2 = VERB_RE.match(clause, p2) if p2 > pos else None
        if v2 is not None:
            return v2
        return v

    def _search_verb(self, clause: str, pos: int, starts: set[int], cs: int, limit: int = 40,
                     only: tuple[str, ...] | None = None) -> re.Match | None:
        """The first verb that starts a word after ``pos`` (inside 《》 titles skipped);
        ``only`` restricts it to some verbs."""
        for i in range(pos, min(len(clause), pos + limit + 1)):
            if starts and cs + i not in starts:
                continue  # 机构|建设 is not 构建: a verb starts a word
            cand = VERB_RE.match(clause, i)
            if cand is None:
                continue
            if clause.count("《", 0, cand.start()) > clause.count("》", 0, cand.start()):
                continue  # a verb inside a cited title is not the clause's action
            if cand.group(0) in NOUNISH or clause[cand.start() - 1] in "新的本" or clause.startswith("的", cand.end()):
                continue  # 新发展 / 本实施意见 / 批准筹建的: a noun or an attribute, not the action
            if _NOMINAL_TAIL.match(clause, cand.end()):
                continue  # 面向数控机床研发需求
            if only is not None and cand.group(0) not in only:
                continue
            return cand
        return None

    def _skip_subject(self, clause: str, pos: int, cs: int, actors) -> int:
        """End of the subject heading the clause (actors joined by 、和及, then 等部门…)."""
        end = None
        for m in actors:
            a = m.start - cs
            if end is None:
                if a != pos:
                    continue
            elif not _GROUP_JOIN.fullmatch(clause[end:a]):
                break
            end = m.end - cs
        if end is None:
            if self._verb_at(clause, pos) is not None or clause.startswith(PREPOSITIONS, pos):
                return pos  # 推动企业建立… / 依据…开展…: the clause starts with its action
            m = _SUBJECT_RE.match(clause, pos)
            return m.end() if m else pos
        t = _TAIL_RE.match(clause, end)
        return t.end() if t else end

    def _task_in(self, text: str, cs: int, ce: int, cues, starts: set[int], actors
                 ) -> tuple[int, int, str, str] | None:
        """(action start, action end, action, fronted object) for a clause, or None; the
        fronted object is what precedes an obligation cue (血压计应当定期检定), used when
        nothing follows the verb."""
        clause = text[cs:ce]
        pos = 0
        m = _MARKER_RE.match(clause)
        if m:
            pos = m.end()
        head = pos
        fronted = ""
        cue = next(((s, e, mod) for s, e, mod in cues if cs + head <= s < ce), None)
        pos = self._skip_subject(clause, pos, cs, actors)
        if cue is not None and cue[0] < cs + pos:
            pos = head  # a subject never holds a modal cue: 严禁使用…或者…
        # an obligation cue: read on after it; a prohibition or a permission: no task
        if cue is not None and cue[0] - cs - pos <= 40:
            head_verb = self._verb_at(clause, pos)
            if head_verb is None or cs + head_verb.start() >= cue[0]:
                if cue[2] == "obligation":
                    fronted = text[cs + pos:cue[0]].strip()
                    pos = cue[1] - cs
                elif cue[2] in DEONTIC_MODALITIES:
                    return None
        lead_end = self._skip_lead(clause, pos)
        for lead in ROLE_LEADS:  # 牵头组建…
            if clause.startswith(lead, lead_end) and VERB_RE.match(clause, lead_end + len(lead)):
                pos = lead_end + len(lead)
        v = self._verb_at(clause, pos)
        if v is None and clause.startswith(PREPOSITIONS, pos):
            prep = next(p for p in sorted(PREPOSITIONS, key=len, reverse=True) if clause.startswith(p, pos))
            from_ = pos + len(prep) + (0 if len(prep) == 1 else 1)
            if prep == "为":  # 为建设…提供保障: the verb that gives is the action
                v = self._search_verb(clause, from_, starts, cs, limit=60, only=BENEFACTIVE)
            if v is None:
                v = self._search_verb(clause, from_, starts, cs)
        if v is None:
            pm = _PLACE_RE.match(clause, pos)  # 粤东西北地区建成…
            if pm:
                v = self._verb_at(clause, pm.end())
                if v is not None and starts and cs + v.start() not in starts:
                    v = None
        if v is None:
            return None
        a_start, a_end = v.start(), v.end()
        # verbs written together form one action
        while True:
            c = _CHAIN_CONNECT.match(clause, a_end)
            if c:
                nxt = VERB_RE.match(clause, c.end())
                if nxt is None:
                    break
            else:
                nxt = VERB_RE.match(clause, a_end)
                if nxt is None:
                    break
                if clause[a_start:a_end] not in LEAD_VERBS and clause[a_start:nxt.end()] not in ACTION_VERBS:
                    break
            a_end = nxt.end()
        action = clause[a_start:a_end]
        if _STATE_END.search(clause):
            return None
        obj = clause[a_end:].strip()
        if _HEADING_NOUN.match(obj) and action in NOUNISH:
            return None  # 发展目标, 总体要求
        if _SELF_REFERENCE.match(clause[a_start:]) or _EMPTY_OBJECT.match(obj):
            return None  # 制定本方案 / 做好相关工作 / 抽查不合格率控制在…
        return cs + a_start, cs + a_end, action, fronted

    def extract(self, doc: Doc) -> list[Task]:
        text = doc_text(doc)
        mentions = doc._.metrokg_mentions or []
        actors = [m for m in mentions if m.scheme in ("actor", "actortype")]
        cues = [(d.cue_start, d.cue_end, d.modality) for d in (doc._.metrokg_deontics or []) if d.cue_start is not None]
        starts = set(token_offsets(doc)[0])
        dl = doc._.metrokg_sentence_deadlines or []
        rows = doc._.metrokg_table_rows or []
        out: list[Task] = [task for row in rows if (task := self._row_task(doc, text, row, mentions))]
        notes = [(n.start, n.end) for n in find_notes(text)]
        for ss, se in sentences(text):
            if inside_rows(rows, ss, se):
                continue  # a table row is one task, read above
            if not re.search(r"[。！？!?；;，,]", text[ss:se]) and se - ss <= 20:
                continue  # a bare heading line (（二）发展目标)
            body = text[ss:se]
            mk = _MARKER_RE.match(body)
            if _PURPOSE_SENTENCE.match(body[mk.end() if mk else 0:]):
                continue  # 为贯彻落实…，加快建设…，制定本方案。
            prev_clause: tuple[int, int] | None = None
            for cs, ce in clauses(text, ss, se, seps="；;，,：:"):
                if any(a <= cs < b for a, b in notes):
                    continue  # inside a 责任单位 note
                cut = next((a for a, _b in notes if cs < a < ce), None)
                if cut is not None:  # 建设平台（责任单位：…）: the object stops at the note
                    ce = cut
                    while ce > cs and text[ce - 1] in " \t":
                        ce -= 1
                here = (cs, ce)
                found = self._task_in(text, cs, ce, cues, starts, actors)
                if not found:
                    prev_clause = here
                    continue
                a_s, a_e, action, fronted = found
                obj = text[a_e:ce].strip()
                obj = re.sub(r"[。！？!?]+$", "", obj)
                if len(obj) < 2 and fronted:
                    obj = fronted  # 血压计应当定期检定: the thing to verify is written first
                if len(obj) < 2 and prev_clause and re.match(r"\s*对", text[prev_clause[0]:prev_clause[1]]):
                    obj = re.sub(r"^\s*对", "", text[prev_clause[0]:prev_clause[1]])  # 对…行为，依法查处
                prev_clause = here
                if len(obj) < 2 or len(obj) > self.max_object_chars or obj in ACTION_VERBS:
                    continue  # no object, or only another verb (…战略贯彻落实)
                start = cs
                m = _MARKER_RE.match(text[cs:ce])
                if m:
                    start = cs + m.end()
                end = max(a_e, a_e + len(text[a_e:ce].rstrip("。！？!? ")))
                concerns = [x.iri for x in mentions if x.start >= start and x.end <= end and x.iri
                            and x.scheme != "actortype"]
                out.append(Task(start, end, text[start:end], component=NAME, version=VERSION,
                                confidence=0.8, action=action, object=obj,
                                concerns=list(dict.fromkeys(concerns)), deadline=deadline_at(dl, a_s)))
        return out

    def _row_task(self, doc: Doc, text: str, row, mentions) -> Task | None:
        """A table row's task: its 重点任务 cell (else its goal or indicator), the action the verb
        that opens it (建立联席会议制度) or closes it (计量标准建设), the object the rest."""
        cell = row.statement
        if cell is None:
            return None
        value = cell.value
        v = self._verb_at(value, self._skip_lead(value, 0))
        if v is not None:
            action, obj = value[v.start():v.end()], value[v.end():]
        else:
            tail = next((k for k in range(max(1, len(value) - 6), len(value) - 1)
                         if VERB_RE.fullmatch(value, k)), None)
            action, obj = (value[tail:], value[:tail]) if tail is not None else ("", value)
        concerns = [x.iri for x in mentions if row.start <= x.start and x.end <= row.end and x.iri
                    and x.scheme != "actortype"]
        return Task(cell.start, cell.end, text[cell.start:cell.end], component=NAME, version=VERSION,
                    confidence=0.85, action=action, object=obj.strip("。 ").rstrip("的") or value,
                    concerns=list(dict.fromkeys(concerns)), deadline=row_deadline(doc, row))

    def to_disk(self, path, exclude=()) -> None:  # noqa: D102 - config only
        pass

    def from_disk(self, path, exclude=()) -> "TaskExtractor":  # noqa: D102
        return self


if not Doc.has_extension("metrokg_tasks"):
    Doc.set_extension("metrokg_tasks", default=None)


@Language.factory(f"{NAME}_{VERSION}", default_config={"max_object_chars": 120})
def make_tasks(nlp: Language, name: str, max_object_chars: int) -> TaskExtractor:
    """Factory for the task extractor."""
    return TaskExtractor(nlp, name, max_object_chars)
