"""Questions answered from the graph by transparent SPARQL, with search as the fallback.

A question is matched against patterns for the frequent asks — who is responsible for X,
which targets fall due by year Y, which tasks concern an industry or quantity Z, what a
document D says about X, which obligations actor A has. Each pattern runs a fixed SPARQL
query whose user values are *bound* (never pasted into the text); the answer carries the
query and its bindings, so anyone can rerun it with ``metrokg sparql``. When no pattern fits,
or a pattern's query finds nothing, the answer comes from search. Every answer item cites
its provision and the source span (offsets into the document's normalised text).

A question is cut to ``METROKG_MAX_QUERY_CHARS`` before any pattern runs (the patterns' lazy
groups, and embedding, take time that grows with its length); ``notices`` in the answer say so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from metrokg.errors import MetrokgError
from metrokg.kg.store.base import Store
from metrokg.ontology.namespace import MKG_PREFIX

PREFIXES = MKG_PREFIX + """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_PROVISION = """  ?p mkg:number ?number ; mkg:heading ?heading ; mkg:inDocument ?d .
  ?d mkg:documentId ?docId ."""

# a responsibility with its optional role, modality and action; the queries add their filters
_RESPONSIBILITY = """SELECT ?r ?actorName ?role ?modality ?action ?text ?start ?end ?p ?number ?heading ?docId
WHERE {
  ?r a mkg:Responsibility ; mkg:actorName ?actorName ; mkg:text ?text ;
     mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  OPTIONAL { ?r mkg:role ?role }
  OPTIONAL { ?r mkg:modality ?modality }
  OPTIONAL { ?r mkg:action ?action }
"""

RESPONSIBLE_SPARQL = PREFIXES + _RESPONSIBILITY + _PROVISION + """
  FILTER(CONTAINS(?text, ?topic))
} ORDER BY ?docId ?start ?actorName"""

RESPONSIBLE_IN_PROVISION_SPARQL = PREFIXES + _RESPONSIBILITY + _PROVISION + """
} ORDER BY ?start ?actorName"""

TARGETS_SPARQL = PREFIXES + """SELECT ?t ?indicator ?value ?unitText ?comparator ?scope ?year ?isTotal ?text ?start ?end
       ?p ?number ?heading ?docId
WHERE {
  ?t a mkg:QuantitativeTarget ; mkg:deadlineYear ?year ; mkg:text ?text ;
     mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  OPTIONAL { ?t mkg:indicator ?indicator }
  OPTIONAL { ?t mkg:value ?value }
  OPTIONAL { ?t mkg:unitText ?unitText }
  OPTIONAL { ?t mkg:comparator ?comparator }
  OPTIONAL { ?t mkg:scope ?scope }
  OPTIONAL { ?t mkg:isTotal ?isTotal }
""" + _PROVISION + """
  FILTER(?year <= ?by)
} ORDER BY ?year ?docId ?start"""

TASKS_BY_CONCEPT_SPARQL = PREFIXES + """SELECT ?t ?action ?object ?text ?start ?end ?concept ?p ?number ?heading ?docId
WHERE {
  ?concept (skos:broader|mkg:discipline)* ?root .
  ?t a mkg:Task ; mkg:concerns ?concept ; mkg:text ?text ;
     mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  OPTIONAL { ?t mkg:action ?action }
  OPTIONAL { ?t mkg:object ?object }
""" + _PROVISION + """
} ORDER BY ?docId ?start"""

TASKS_BY_TEXT_SPARQL = PREFIXES + """SELECT ?t ?action ?object ?text ?start ?end ?p ?number ?heading ?docId
WHERE {
  ?t a mkg:Task ; mkg:text ?text ; mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  OPTIONAL { ?t mkg:action ?action }
  OPTIONAL { ?t mkg:object ?object }
""" + _PROVISION + """
  FILTER(CONTAINS(?text, ?topic))
} ORDER BY ?docId ?start"""

OBLIGATIONS_SPARQL = PREFIXES + _RESPONSIBILITY + _PROVISION + """
  FILTER(CONTAINS(?actorName, ?name))
  FILTER(!BOUND(?modality) || ?modality = "obligation")
} ORDER BY ?docId ?start"""

ROLE_SPARQL = PREFIXES + _RESPONSIBILITY + _PROVISION + """
  FILTER(CONTAINS(?actorName, ?name))
  FILTER(BOUND(?role) && ?role = ?wanted)
} ORDER BY ?docId ?start"""
#: the order answers list bodies in: who leads (牵头) first, then who is responsible, then who supports (配合)
ROLE_ORDER = {"lead": 0, "responsible": 1, "subject": 2, "supporting": 3}
_ROLE_WORDS = {"牵头": "lead", "主办": "lead", "负责": "responsible", "配合": "supporting", "协助": "supporting",
               "参与": "supporting", "lead": "lead", "leads": "lead", "support": "supporting",
               "supports": "supporting", "assist": "supporting", "assists": "supporting"}

OBLIGATIONS_BY_TYPE_SPARQL = PREFIXES + """SELECT ?r ?actorName ?role ?modality ?action ?text ?start ?end ?p ?number ?heading ?docId
WHERE {
  ?r a mkg:Responsibility ; mkg:actor ?actor ; mkg:actorName ?actorName ; mkg:text ?text ;
     mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  { ?actor mkg:actorType/(skos:broader*) ?type } UNION { ?actor (skos:broader*) ?type }
  OPTIONAL { ?r mkg:role ?role }
  OPTIONAL { ?r mkg:modality ?modality }
  OPTIONAL { ?r mkg:action ?action }
""" + _PROVISION + """
  FILTER(!BOUND(?modality) || ?modality = "obligation")
} ORDER BY ?docId ?start"""

#: provisions that define a term as the texts do (计量是实现单位统一、保证量值准确可靠的活动): the term
#: followed by 是 / 是指 at the start of a sentence or of the provision
DEFINES_SPARQL = PREFIXES + """SELECT ?p ?number ?heading ?docId ?text ?start WHERE {
  ?p a mkg:Provision ; mkg:text ?text ; mkg:start ?start .
""" + _PROVISION + """
  FILTER(STRSTARTS(?text, ?defines) || CONTAINS(?text, CONCAT("。", ?defines)) || CONTAINS(?text, CONCAT("\\n", ?defines)))
} ORDER BY ?docId ?start"""

DOCUMENTS_SPARQL = PREFIXES + """SELECT ?d ?docId ?title ?issuer WHERE {
  ?d a mkg:Document ; mkg:documentId ?docId ; mkg:title ?title .
  OPTIONAL { ?d mkg:issuerName ?issuer }
} ORDER BY ?docId"""

_END = "？?。.!！ \t\n"
_STRIP_TOPIC = re.compile(r"^(?:的|关于|有关|对|了)+|(?:的|工作|事项|这件事|这项工作|相关工作|方面|问题)+$")


@dataclass
class Answer:
    """What ``metrokg ask`` prints."""

    question: str
    kind: str
    sparql: str | None
    bindings: list[dict[str, str]] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)
    provisions: list[dict] = field(default_factory=list)
    note: str = ""
    notices: list[str] = field(default_factory=list)  # what was cut from the question (W155, W156)
    note_key: str = ""  # the note's key among the web app's texts (ask.note.*), with its fields
    note_fields: dict[str, str] = field(default_factory=dict)

    def public(self) -> dict:
        return {"question": self.question, "kind": self.kind, "sparql": self.sparql,
                "bindings": self.bindings, "answers": self.answers, "provisions": self.provisions,
                "note": self.note, "notices": self.notices, "note_key": self.note_key, "note_fields": self.note_fields}


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().strip(_END).strip()


def _topic(text: str) -> str:
    return _STRIP_TOPIC.sub("", text.strip(" ，,、：:")).strip()


PATTERNS: list[tuple[str, re.Pattern]] = [
    ("penalties", re.compile(r"^(?:如果|若|要是)?(?:违反)?(?P<topic>.+?)(?:的话)?(?:会|将|要|应)?(?:受到|承担|被|有)?"
                             r"(?:怎样|怎么|如何|什么|哪些|何种|啥)(?:样)?的?(?:处罚|罚|法律责任)(?:吗|呢)?$")),
    ("penalties", re.compile(r"^what (?:is|are) the penalt(?:y|ies) for (?P<topic>.+)$", re.I)),
    ("who_must", re.compile(r"^(?:谁|哪些单位|哪些人|什么人|哪些主体|哪些机构)(?P<modal>必须|应当|应该|需要|不得|不能|禁止)"
                            r"(?P<topic>.+)$")),
    ("citation", re.compile(r"^(?P<cite>.+?[条款项目章节])(?:的)?(?:规定了?|说了?|讲了?|写了?|是)?"
                            r"(?:什么|哪些内容|啥|内容|怎么规定的?)?$")),
    ("targets_by_year", re.compile(r"(?:到|至|截至|截止)?(?P<year>(?:19|20)\d{2})\s*年(?:底|前|末|以前)?.*"
                                   r"(?:目标|指标|完成|达到|实现|任务)")),
    ("targets_by_year", re.compile(r"(?:target|goal|indicator)s?\b.*\b(?:by|due|in|for|until|before)\s+"
                                   r"(?P<year>(?:19|20)\d{2})", re.I)),
    ("targets_by_year", re.compile(r"\b(?:by|until|before)\s+(?P<year>(?:19|20)\d{2})\b.*"
                                   r"(?:target|goal|achiev|complet|reach)", re.I)),
    ("document_says", re.compile(r"^(?P<doc>.+?)(?:中|里|里面)?(?:关于|对|就|对于)(?P<topic>.+?)(?:是)?"
                                 r"(?:怎么说|有什么规定|有哪些规定|说了什么|怎样规定|如何规定|有何规定|提了什么|"
                                 r"有什么要求|有哪些要求|的规定|讲了什么)")),
    ("document_says", re.compile(r"^what does (?P<doc>.+?) say (?:about|on) (?P<topic>.+)$", re.I)),
    ("responsible", re.compile(r"^(?:请问)?(?:是)?(?:由)?(?:谁|哪个部门|哪些部门|哪个单位|哪家单位|什么部门)(?:来)?"
                               r"(?:负责|牵头|主管|承担|组织|开展)(?P<topic>.+)$")),
    ("responsible", re.compile(r"^(?P<topic>.+?)(?:由|归|是)?(?:谁|哪个部门|哪些部门|哪个单位|什么部门)(?:来)?"
                               r"(?:负责|牵头|主管|承担|组织|开展|管)")),
    ("responsible", re.compile(r"^(?:who|which (?:department|agency|body|office|authority)s?)\s+"
                               r"(?:is |are )?(?:responsible for|in charge of|leads?|handles?|carr(?:y|ies) out)\s+"
                               r"(?P<topic>.+)$", re.I)),
    ("by_role", re.compile(r"^(?P<actor>.+?)(?P<role>牵头|主办|配合|协助|参与)(?:了|的)?(?:哪些|什么)(?:工作|任务|事项|事情|事)")),
    ("by_role", re.compile(r"^(?:what|which (?:tasks|work)) does (?P<actor>.+?) (?P<role>lead|support|assist)\b", re.I)),
    ("obligations", re.compile(r"^(?P<actor>.+?)(?:有|承担|负有|要履行|应履行)?(?:哪些|什么)(?:义务|职责|责任|任务)")),
    ("obligations", re.compile(r"^(?P<actor>.+?)(?:要|需要|应该|应当|必须)(?:做|干|完成)(?:什么|哪些)")),
    ("obligations", re.compile(r"^what (?:obligations|duties|responsibilities) (?:does|do) (?P<actor>.+?) have$", re.I)),
    ("obligations", re.compile(r"^what (?:must|should|shall) (?P<actor>.+?) do$", re.I)),
    ("tasks", re.compile(r"^(?:有)?(?:哪些|什么)(?:任务|工作|措施|举措)(?:涉及|关于|针对|与|和|围绕)(?P<topic>.+?)(?:有关|相关)?$")),
    ("tasks", re.compile(r"^(?:关于|涉及|针对|围绕)?(?P<topic>.+?)(?:方面|领域|行业|产业)?(?:有|的)(?:哪些|什么)"
                         r"(?:任务|工作|措施|举措)")),
    ("tasks", re.compile(r"^(?:what|which) (?:tasks|measures|actions|work) (?:concern|involve|relate to|target|"
                         r"are there for|address) (?P<topic>.+)$", re.I)),
    ("tasks", re.compile(r"^tasks (?:for|about|concerning|on|in) (?P<topic>.+)$", re.I)),
    ("what_is", re.compile(r"^(?:什么是|何为|何谓)(?P<topic>[^，,？?。]+)")),
    ("what_is", re.compile(r"^(?P<topic>[^，,？?。]+?)(?:是什么|是指什么|指的是什么|是啥|有什么用|为什么重要)")),
    ("what_is", re.compile(r"^(?:what (?:is|are)|define|why does) (?P<topic>[^?,]+?)(?: matter)?(?:\?|,|$)", re.I)),
]


class QuestionAnswerer:
    """Answers questions over one store (the search index is opened when needed)."""

    def __init__(self, store: Store, mode: str = "hybrid"):
        self.store = store
        self.mode = mode
        self._index = None
        self._records: dict[str, Any] | None = None
        self._notices: list[str] = []

    @property
    def index(self):
        from metrokg.kg.search.index import SearchIndex

        if self._index is None:
            self._index = SearchIndex.open(self.store)
        return self._index

    def record(self, iri: str):
        if self._records is None:
            self._records = {r.iri: r for r in self.index.records}
        return self._records.get(iri)

    # ---- entry point

    def ask(self, question: str, k: int = 10) -> Answer:
        answer = self._answer(question, k)
        answer.notices = list(dict.fromkeys(self._notices))
        return answer

    def _answer(self, question: str, k: int) -> Answer:
        from metrokg.kg.search.index import bounded_query

        bounded, self._notices = bounded_query(question)
        if not self._notices:
            bounded = question or ""  # echoed back as asked unless it was cut
        q = _clean(bounded)
        if not q:
            raise MetrokgError("E287")
        handlers: dict[str, Callable[[str, re.Match, int], Answer | None]] = {
            "targets_by_year": self._targets, "document_says": self._document_says,
            "responsible": self._responsible, "obligations": self._obligations, "tasks": self._tasks,
            "citation": self._citation, "penalties": self._penalties, "who_must": self._who_must,
            "by_role": self._by_role, "what_is": self._what_is}
        for kind, pattern in PATTERNS:
            m = pattern.search(q)
            if m:
                answer = handlers[kind](q, m, k)
                if answer is not None and answer.answers:
                    answer.question = bounded
                    return answer
        return self._search(bounded, q, k)

    # ---- running SPARQL

    def _run(self, sparql: str, bindings: dict[str, Any]) -> list:
        return list(self.store.query(sparql, bindings))

    def _item(self, row, **extra) -> dict:
        """An answer item citing its provision and the span it came from."""
        rec = self.record(str(row.p))
        item = {k: v for k, v in extra.items() if v is not None}
        item["provision"] = {"iri": str(row.p), "document": str(row.docId), "number": str(row.number),
                             "heading": str(row.heading)}
        item["span"] = {"start": int(row.start), "end": int(row.end), "text": str(row.text)}
        if rec is not None and not (rec.start <= int(row.start) and int(row.end) <= rec.end):
            item["span"]["note"] = "outside the provision"
        return item

    def _provisions(self, items: list[dict]) -> list[dict]:
        seen, out = set(), []
        for it in items:
            iri = it["provision"]["iri"]
            if iri in seen:
                continue
            seen.add(iri)
            rec = self.record(iri)
            if rec is not None:
                out.append(rec.public())
        return out

    @staticmethod
    def _shown(bindings: dict[str, Any]) -> dict[str, str]:
        return {k: str(v) for k, v in bindings.items()}

    def _responsibility_items(self, rows) -> list[dict]:
        out, seen = [], set()
        for r in rows:
            key = (str(r.r), str(r.actorName))
            if key in seen:
                continue
            seen.add(key)
            out.append(self._item(r, actor=str(r.actorName), role=str(r.role) if r.role else None,
                                  modality=str(r.modality) if r.modality else None,
                                  action=str(r.action) if r.action else None))
        # lead bodies before supporting ones, each with its role; document order within a role
        out.sort(key=lambda it: ROLE_ORDER.get(it.get("role") or "", len(ROLE_ORDER)))
        return out

    # ---- patterns

    def _responsible(self, q: str, m: re.Match, k: int) -> Answer | None:
        topic = _topic(m.group("topic"))
        if not topic:
            return None
        b = {"topic": Literal(topic)}
        items = self._responsibility_items(self._run(RESPONSIBLE_SPARQL, b))
        if items:
            return Answer(q, "responsible", RESPONSIBLE_SPARQL, [self._shown(b)], items, self._provisions(items))
        # the topic is not in any statement as written: find the provisions about it, then who acts there
        hits = self._hits(topic, 3)
        bindings, items = [], []
        for h in hits:
            b = {"p": URIRef(h.provision.iri)}
            bindings.append(self._shown(b))
            items += self._responsibility_items(self._run(RESPONSIBLE_IN_PROVISION_SPARQL, b))
            if items:
                break
        return Answer(q, "responsible", RESPONSIBLE_IN_PROVISION_SPARQL, bindings, items, self._provisions(items),
                      note=f"'{topic}' is not named in a responsibility statement; "
                           "responsibilities of the provision search ranks first are shown",
                      note_key="responsible", note_fields={"topic": topic})

    def _targets(self, q: str, m: re.Match, k: int) -> Answer | None:
        year = int(m.group("year"))
        b = {"by": Literal(year, datatype=XSD.integer)}
        items = []
        for r in self._run(TARGETS_SPARQL, b):
            items.append(self._item(r, indicator=str(r.indicator) if r.indicator else None,
                                    value=_number(r.value), unit=str(r.unitText) if r.unitText else None,
                                    comparator=str(r.comparator) if r.comparator else None,
                                    scope=str(r.scope) if r.scope else None, year=int(r.year),
                                    is_total=bool(r.isTotal.toPython()) if r.isTotal is not None else None))
        return Answer(q, "targets_by_year", TARGETS_SPARQL, [self._shown(b)], items, self._provisions(items))

    def _tasks(self, q: str, m: re.Match, k: int) -> Answer | None:
        topic = _topic(m.group("topic"))
        if not topic:
            return None
        roots = [c.iri for c in self.index.matcher.match(topic) if c.via == "label"]
        items, bindings, seen = [], [], set()
        for root in roots:
            b = {"root": URIRef(root)}
            bindings.append(self._shown(b))
            for r in self._run(TASKS_BY_CONCEPT_SPARQL, b):
                if str(r.t) in seen:
                    continue
                seen.add(str(r.t))
                entry = self.index.matcher.entries.get(str(r.concept))
                items.append(self._item(r, action=str(r.action) if r.action else None,
                                        object=str(r.object) if r.object else None,
                                        concept={"iri": str(r.concept),
                                                 "label": entry.pref_zh if entry else str(r.concept)}))
        if items:
            items.sort(key=lambda it: (it["provision"]["document"], it["span"]["start"]))
            return Answer(q, "tasks", TASKS_BY_CONCEPT_SPARQL, bindings, items, self._provisions(items))
        b = {"topic": Literal(topic)}
        for r in self._run(TASKS_BY_TEXT_SPARQL, b):
            items.append(self._item(r, action=str(r.action) if r.action else None,
                                    object=str(r.object) if r.object else None))
        return Answer(q, "tasks", TASKS_BY_TEXT_SPARQL, [self._shown(b)], items, self._provisions(items))

    def _obligations(self, q: str, m: re.Match, k: int) -> Answer | None:
        actor = _topic(m.group("actor"))
        if not actor:
            return None
        b = {"name": Literal(actor)}
        items = self._responsibility_items(self._run(OBLIGATIONS_SPARQL, b))
        if items:
            return Answer(q, "obligations", OBLIGATIONS_SPARQL, [self._shown(b)], items, self._provisions(items))
        named = self.index.matcher.concepts.resolve(actor, "actor", missing_ok=True)
        types = [named] if named else []
        bindings = []
        for t in types:
            b = {"type": URIRef(t)}
            bindings.append(self._shown(b))
            items += self._responsibility_items(self._run(OBLIGATIONS_BY_TYPE_SPARQL, b))
        if not items:
            return None
        return Answer(q, "obligations", OBLIGATIONS_BY_TYPE_SPARQL, bindings, items, self._provisions(items))

    def _by_role(self, q: str, m: re.Match, k: int) -> Answer | None:
        """牵头/配合 questions (市市场监管局牵头哪些工作？, what does X lead): the statements naming
        the body in that role, in every document."""
        actor = _topic(m.group("actor"))
        role = _ROLE_WORDS.get(m.group("role").lower())
        if not actor or role is None:
            return None
        b = {"name": Literal(actor), "wanted": Literal(role)}
        items = self._responsibility_items(self._run(ROLE_SPARQL, b))
        if not items:
            return None
        return Answer(q, "by_role", ROLE_SPARQL, [self._shown(b)], items, self._provisions(items))

    def _what_is(self, q: str, m: re.Match, k: int) -> Answer | None:
        """计量是什么？为什么重要？/ what is metrology: the vocabulary's definition of the concept the
        topic names, and the provisions that define it in their own words, in every document."""
        topic = _topic(m.group("topic"))
        if not topic:
            return None
        items: list[dict] = []
        concept = self.index.matcher.concepts.named(topic)
        entry = concept[0] if concept else None
        if entry is not None:
            label = entry.pref_en if topic.isascii() else entry.pref_zh
            definition = entry.definition_en if topic.isascii() else entry.definition_zh
            if definition or entry.definition_zh:
                items.append({"concept": entry.iri, "label": label or entry.label,
                              "text": definition or entry.definition_zh})
            topic = entry.pref_zh or topic  # the texts define it in Chinese
        b = {"defines": Literal(topic + "是")}
        for r in self._run(DEFINES_SPARQL, b)[:k]:
            text = str(r.text)
            at = text.find(topic + "是")
            end = next((i + 1 for i in range(at, len(text)) if text[i] in "。；;"), len(text))
            start = int(r.start) + at
            items.append({"text": text[at:end],
                          "provision": {"iri": str(r.p), "document": str(r.docId), "number": str(r.number),
                                        "heading": str(r.heading)},
                          "span": {"start": start, "end": int(r.start) + end, "text": text[at:end]}})
        if not items:
            return None
        return Answer(q, "what_is", DEFINES_SPARQL, [self._shown(b)], items,
                      self._provisions([i for i in items if "provision" in i]))

    def _citation(self, q: str, m: re.Match, k: int) -> Answer | None:
        """计量法第九条规定了什么: the cited provision itself, whole (the search index resolves it)."""
        from metrokg.nlp.structure.citations import parse_query

        if parse_query(m.group("cite")) is None:
            return None
        hits = [h for h in self._hits(m.group("cite"), k) if h.signals.get("citation")]
        items = [{**self._hit_item(h), "text": h.provision.text,
                  "span": {"start": h.provision.start, "end": h.provision.end, "text": h.provision.text}}
                 for h in hits]
        return Answer(q, "citation", None, [{"citation": m.group("cite")}], items, self._provisions(items),
                      note="the provision the question cites", note_key="citation")

    def _penalties(self, q: str, m: re.Match, k: int) -> Answer | None:
        """违反计量法第九条会怎样处罚 / 伪造检定数据怎么处罚: the penalty articles, with their sanctions."""
        from metrokg.kg.analyses.penalties import penalties_for_question

        topic = _topic(m.group("topic"))
        items = penalties_for_question(self.store, topic) if topic else []
        return Answer(q, "penalties", None, [{"topic": topic}], items[:k], self._provisions(items[:k]),
                      note="the penalty articles whose conduct or violated provisions match", note_key="penalties")

    def _who_must(self, q: str, m: re.Match, k: int) -> Answer | None:
        """谁必须…, 谁不得…: the subjects of the duties (laws and plans) whose text holds the rest."""
        from metrokg.kg.analyses.duties import DUTIES_QUERY, who_must

        topic = _topic(m.group("topic"))
        modal = ("prohibition",) if m.group("modal") in ("不得", "不能", "禁止") else ("obligation",)
        items = who_must(self.store, topic, modal) if topic else []
        return Answer(q, "who_must", DUTIES_QUERY, [{"topic": topic}], items[:k], self._provisions(items[:k]))

    def _document_says(self, q: str, m: re.Match, k: int) -> Answer | None:
        name, topic = _topic(m.group("doc")), _topic(m.group("topic"))
        if not name or not topic:
            return None
        doc_id = self._resolve_document(name)
        if doc_id is None:
            return None
        hits = self._hits(topic, min(k, 5), document=doc_id)
        items = [self._hit_item(h) for h in hits]
        return Answer(q, "document_says", DOCUMENTS_SPARQL, [{"document": doc_id, "search": topic}], items,
                      self._provisions(items),
                      note=f"document '{doc_id}' chosen among the documents the query lists; "
                           f"provisions ranked by search for '{topic}' within it",
                      note_key="document_says", note_fields={"document": doc_id, "topic": topic})

    def _resolve_document(self, name: str) -> str | None:
        """The document whose id, title or issuer best matches ``name`` (most shared words)."""
        from metrokg.nlp.tokens import search_tokens

        words = {w for w in search_tokens(name, self.index.segmenter) if len(w) >= 2} or {name}
        best, best_score = None, 0.0
        for r in self._run(DOCUMENTS_SPARQL, {}):
            doc_id, title, issuer = str(r.docId), str(r.title), str(r.issuer or "")
            if name in (doc_id, title) or doc_id.startswith(name):
                return doc_id
            hay = f"{doc_id} {title} {issuer}".lower()
            score = sum(1 for w in words if w in hay) / len(words)
            if score > best_score:
                best, best_score = doc_id, score
        return best if best_score >= 0.5 else None

    # ---- search fallback

    def _hits(self, query: str, k: int, document: str | None = None):
        results = self.index.search(query, k=k, document=document, mode=self.mode)
        self._notices += results.notices
        return results

    def _hit_item(self, h) -> dict:
        p = h.provision
        s = h.sentence or {"start": p.start, "end": p.end, "text": p.text}
        return {"text": s["text"], "score": round(h.score, 6),
                "provision": {"iri": p.iri, "document": p.document, "number": p.number, "heading": p.heading},
                "span": {"start": s["start"], "end": s["end"], "text": s["text"]},
                "concepts": h.concepts}

    def _search(self, question: str, q: str, k: int) -> Answer:
        hits = self._hits(q, min(k, 5))
        items = [self._hit_item(h) for h in hits]
        return Answer(question, "search", None, [], items, self._provisions(items),
                      note="no question pattern fitted (or its query found nothing): search results",
                      note_key="search")


def _number(value) -> int | float | None:
    if value is None:
        return None
    v = value.toPython()
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if f == int(f) else f


def ask(store: Store, question: str, k: int = 10, mode: str = "hybrid") -> dict:
    """Answer ``question`` from the store; the JSON of ``metrokg ask``."""
    return QuestionAnswerer(store, mode).ask(question, k).public()
