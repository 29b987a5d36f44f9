"""Questions answered from the graph by transparent SPARQL, with search as the fallback.

A question is matched against the one table of patterns (:mod:`question_patterns`: Chinese and
English side by side) for the frequent asks — who is responsible for X, what body B leads or
supports, which targets fall due by year Y or concern X, deadlines, penalties, who must do X, which
tasks concern Z, what a document D says about X, what X is, which provinces (or local regulations)
require X. Each pattern runs a fixed SPARQL query (:mod:`question_queries`) whose user values are
*bound* (never pasted into the text); an English topic or body is bound as the Chinese labels of the
concepts it names (:mod:`question_terms`). The answer carries the query and its bindings, so anyone
can rerun it with ``metrokg sparql``, and its items grouped by document (title, kind, jurisdiction),
bodies that lead before those that support, labels in the question's language. When no pattern
fits, or a pattern's query finds nothing, the answer comes from search. Every answer item cites its
provision and the source span (offsets into the document's normalised text); "what is X" also
quotes the Learn topic about X (:mod:`learn_topics`).

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

from metrokg.errors import MetrokgError, warning_text
from metrokg.kg.analyses.question_queries import (
    DEADLINES_IN_PROVISION_SPARQL, DEADLINES_SPARQL, DEFINES_SPARQL, DOCUMENTS_SPARQL, OBLIGATIONS_BY_TYPE_SPARQL,
    OBLIGATIONS_SPARQL, RESPONSIBILITIES_OF_SPARQL, RESPONSIBLE_IN_PROVISION_SPARQL, RESPONSIBLE_SPARQL, ROLE_SPARQL,
    STATEMENTS_SPARQL, TARGETS_ABOUT_SPARQL, TARGETS_SPARQL, TASKS_BY_CONCEPT_SPARQL, TASKS_BY_TEXT_SPARQL)
from metrokg.kg.search.documents import NATIONAL
from metrokg.kg.store.base import Store

#: the order answers list bodies in: who leads (牵头) first, then who is responsible, then who supports (配合)
ROLE_ORDER = {"lead": 0, "responsible": 1, "subject": 2, "supporting": 3}
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
    lang: str = "zh"  # the question's language: the labels and notes are given in it
    #: the documents the answers come from, in the answers' order: id, title, kind, jurisdiction,
    #: province, year and how many of the (consecutive) answers are from it; id None for the Learn
    #: topics and the vocabulary
    groups: list[dict] = field(default_factory=list)

    def public(self) -> dict:
        return {"question": self.question, "kind": self.kind, "lang": self.lang, "sparql": self.sparql,
                "bindings": self.bindings, "answers": self.answers, "groups": self.groups,
                "provisions": self.provisions, "note": self.note, "notices": self.notices,
                "note_key": self.note_key, "note_fields": self.note_fields}


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().strip(_END).strip()


def _topic(text: str) -> str:
    return _ARTICLE.sub("", _STRIP_TOPIC.sub("", text.strip(" ，,、：:?"))).strip()


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_HANDLERS = {"targets_by_year": "_targets", "targets_for": "_targets_for", "document_says": "_document_says",
             "responsible": "_responsible", "obligations": "_obligations", "tasks": "_tasks",
             "citation": "_citation", "penalties": "_penalties", "who_must": "_who_must", "by_role": "_by_role",
             "what_is": "_what_is", "deadlines": "_deadlines", "which_documents": "_which_documents",
             "compare": "_compare", "tasks_by_year": "_tasks_by_year"}


class QuestionAnswerer:
    """Answers questions over one store (the search index is opened when needed)."""

    def __init__(self, store: Store, mode: str = "hybrid"):
        self.store = store
        self.mode = mode
        self._index = None
        self._records: dict[str, Any] | None = None
        self._numbered: dict[tuple[str, str], Any] | None = None
        self._facets: dict[str, dict] | None = None
        self._notices: list[str] = []
        self.lang = "zh"
        self._lang: str | None = None

    @property
    def index(self):
        from metrokg.kg.search.index import SearchIndex

        if self._index is None:
            self._index = SearchIndex.open(self.store)
        return self._index

    @property
    def matcher(self):
        return self.index.matcher

    def record(self, iri: str):
        if self._records is None:
            self._records = {r.iri: r for r in self.index.records}
        return self._records.get(iri)

    def provision_at(self, document: str, number: str):
        """The search index's record of a document's provision by its number (None if it holds none)."""
        if self._numbered is None:
            self._numbered = {(r.document, r.number): r for r in self.index.records}
        return self._numbered.get((document, number))

    def facets(self) -> dict[str, dict]:
        """Each document's title, kind, jurisdiction and year (what the answers are grouped under)."""
        if self._facets is None:
            from metrokg.kg.search.documents import document_facets

            self._facets = document_facets(self.store)
        return self._facets

    # ---- entry point

    def ask(self, question: str, k: int = 10, lang: str | None = None) -> Answer:
        """The answer to ``question``; its labels in ``lang`` (the web page's), else in the question's
        language."""
        self._lang = lang
        answer = self._answer(question, k)
        answer.notices = list(dict.fromkeys(self._notices))
        answer.lang = self.lang
        self._group(answer)
        return answer

    def _answer(self, question: str, k: int) -> Answer:
        from metrokg.kg.analyses.question_patterns import language, matches
        from metrokg.kg.search.index import bounded_query

        bounded, self._notices = bounded_query(question)
        if not self._notices:
            bounded = question or ""  # echoed back as asked unless it was cut
        q = _clean(bounded)
        if not q:
            raise MetrokgError("E287")
        self.lang = self._lang or language(q)
        handlers: dict[str, Callable[[str, re.Match, int], Answer | None]] = {
            kind: getattr(self, name) for kind, name in _HANDLERS.items()}
        for kind, m in matches(q):
            answer = handlers[kind](q, m, k)
            if answer is not None and answer.answers:
                answer.question = bounded
                return answer
        return self._search(bounded, q, k)

    # ---- running SPARQL

    def _run(self, sparql: str, bindings: dict[str, Any]) -> list:
        return list(self.store.query(sparql, bindings))

    def _run_terms(self, sparql: str, terms: list[str], name: str = "topic", **fixed: Any) -> tuple[list, list[dict]]:
        """The rows of ``sparql`` for each term bound to ``?name`` (the first row of a fact kept), and
        the bindings shown."""
        rows, bindings, seen = [], [], set()
        for term in terms:
            b = {name: Literal(term), **fixed}
            bindings.append(self._shown(b))
            for r in self._run(sparql, b):
                key = tuple(str(x) for x in r)
                if key not in seen:
                    seen.add(key)
                    rows.append(r)
        return rows, bindings

    def _terms(self, topic: str) -> list[list[str]]:
        """The term lists to look for ``topic`` by; W250 when English words name no concept and
        translate into no word of the texts."""
        from metrokg.kg.analyses.question_terms import topic_terms

        terms = list(topic_terms(self.matcher, topic, self.index.lexicon))
        if not terms:
            self._notices.append(warning_text("W250", topic=topic))
        return terms

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
            if "provision" not in it:
                continue
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

    def _actor_label(self, name: str) -> str:
        from metrokg.kg.analyses.question_terms import actor_label

        return actor_label(self.matcher, name, self.lang)

    def _responsibility_items(self, rows) -> list[dict]:
        out, seen = [], set()
        for r in rows:
            key = (str(r.r), str(r.actorName))
            if key in seen:
                continue
            seen.add(key)
            out.append(self._item(r, actor=str(r.actorName), actor_label=self._actor_label(str(r.actorName)),
                                  role=str(r.role) if r.role else None,
                                  modality=str(r.modality) if r.modality else None,
                                  action=str(r.action) if r.action else None))
        return out

    def _group(self, answer: Answer) -> None:
        """Answers grouped by document (in the order their documents first answer), the document's
        title and jurisdiction with each group; within a document, lead bodies before supporting
        ones, then the text's order."""
        facets = self.facets()
        order: dict[str | None, int] = {}
        for item in answer.answers:
            order.setdefault((item.get("provision") or {}).get("document"), len(order))

        def key(pair: tuple[int, dict]) -> tuple:
            i, item = pair
            doc = (item.get("provision") or {}).get("document")
            role = ROLE_ORDER.get(item.get("role") or "", len(ROLE_ORDER)) if "actor" in item else 0
            return order[doc], role, i

        answer.answers = [item for _, item in sorted(enumerate(answer.answers), key=key)]
        groups: list[dict] = []
        for item in answer.answers:
            doc = (item.get("provision") or {}).get("document")
            if groups and groups[-1]["document"] == doc:
                groups[-1]["count"] += 1
                continue
            meta = facets.get(doc, {}) if doc else {}
            groups.append({"document": doc, "title": meta.get("title"), "kind": meta.get("kind"),
                           "jurisdiction": meta.get("jurisdiction"), "province": meta.get("province"),
                           "year": meta.get("year"), "count": 1})
        answer.groups = groups

    # ---- patterns

    def _responsible(self, q: str, m: re.Match, k: int) -> Answer | None:
        topic = _topic(m.group("topic"))
        if not topic:
            return None
        for terms in self._terms(topic):
            rows, bindings = self._run_terms(RESPONSIBLE_SPARQL, terms)
            items = self._responsibility_items(rows)
            if items:
                return Answer(q, "responsible", RESPONSIBLE_SPARQL, bindings, items, self._provisions(items))
        # the topic is not in any statement as written: who acts in the provision search ranks first
        hits = list(self._hits(topic, 1))
        if not hits:
            return None
        b = {"p": URIRef(hits[0].provision.iri)}
        items = self._responsibility_items(self._run(RESPONSIBLE_IN_PROVISION_SPARQL, b))
        if not items:  # the provision names no body: say so, showing it
            items = [self._hit_item(hits[0])]
            return Answer(q, "responsible", RESPONSIBLE_IN_PROVISION_SPARQL, [self._shown(b)], items,
                          self._provisions(items),
                          note=f"no body is named as responsible for '{topic}'; the provision search ranks first "
                               "is shown", note_key="responsible_none", note_fields={"topic": topic})
        return Answer(q, "responsible", RESPONSIBLE_IN_PROVISION_SPARQL, [self._shown(b)], items,
                      self._provisions(items),
                      note=f"'{topic}' is not named in a responsibility statement; "
                           "responsibilities of the provision search ranks first are shown",
                      note_key="responsible", note_fields={"topic": topic})

    def _target_item(self, r) -> dict:
        return self._item(r, indicator=str(r.indicator) if r.indicator else None,
                          value=_number(r.value), unit=str(r.unitText) if r.unitText else None,
                          comparator=str(r.comparator) if r.comparator else None,
                          scope=str(r.scope) if r.scope else None, year=int(r.year) if r.year is not None else None,
                          is_total=bool(r.isTotal.toPython()) if r.isTotal is not None else None)

    def _targets(self, q: str, m: re.Match, k: int) -> Answer | None:
        year = int(m.group("year"))
        b = {"by": Literal(year, datatype=XSD.integer)}
        items = [self._target_item(r) for r in self._run(TARGETS_SPARQL, b)]
        return Answer(q, "targets_by_year", TARGETS_SPARQL, [self._shown(b)], items, self._provisions(items))

    def _tasks_by_year(self, q: str, m: re.Match, k: int) -> Answer | None:
        """2025年底前要完成哪些任务 / which tasks are due by 2025: the statements of the obligations
        register dated by that year's end by their own words or their provision's (2024年6月底前完成…);
        the ones due only by their plan's horizon (到2025年, …) are counted in the note, not listed.
        None when no statement is dated so (the question is then read as one about targets)."""
        from metrokg.kg.analyses.obligations import list_obligations

        year = int(m.group("year"))
        rows = list_obligations(self.store, deadline=year)
        rows = [r for r in rows if r.get("modality") != "prohibition"]  # 不得… is no task to complete
        dated = sorted((r for r in rows if r["deadline_source"] in DATED_BY_TEXT),
                       key=lambda r: (r["deadline"], r["document"], r["start"]))
        items = [item for item in (self._register_item(r) for r in dated) if item is not None]
        if not items:
            return None
        fields = {"year": str(year), "horizon": str(len(rows) - len(dated))}
        return Answer(q, "tasks_by_year", None, [fields], items, self._provisions(items),
                      note=f"statements dated by the end of {year} in their own words or their provision's; "
                           f"{fields['horizon']} more are due by then only through their plan's horizon "
                           f"(`metrokg obligations --deadline {year}` lists every one)",
                      note_key="tasks_by_year", note_fields=fields)

    def _register_item(self, r: dict) -> dict | None:
        """An answer citing a row of the obligations register (its provision by document and number)."""
        rec = self.provision_at(r["document"], r["number"])
        if rec is None:
            return None
        item = {"actor": r.get("actor"), "actor_label": r.get("actor_label"), "role": r.get("role"),
                "action": r.get("action"), "year": r.get("deadline")}
        item = {key: v for key, v in item.items() if v is not None}
        item["provision"] = rec.reference()
        item["span"] = {"start": r["start"], "end": r["end"], "text": r["text"]}
        return item

    def _targets_for(self, q: str, m: re.Match, k: int) -> Answer | None:
        """碳计量的目标是什么 / what are the targets for energy metrology: the targets whose statement
        or indicator names the topic, in every document."""
        topic = _topic(m.group("topic"))
        for terms in self._terms(topic) if topic else []:
            rows, bindings = self._run_terms(TARGETS_ABOUT_SPARQL, terms)
            items = [self._target_item(r) for r in rows]
            if items:
                return Answer(q, "targets_for", TARGETS_ABOUT_SPARQL, bindings, items, self._provisions(items))
        return None

    def _deadlines(self, q: str, m: re.Match, k: int) -> Answer | None:
        """仲裁检定要在多少天内 / what is the deadline for ...: the time limits and due years of the
        statements that name the topic, else of the provisions that do."""
        topic = _topic(m.group("topic"))
        for terms in self._terms(topic) if topic else []:
            for sparql in (DEADLINES_SPARQL, DEADLINES_IN_PROVISION_SPARQL):
                rows, bindings = self._run_terms(sparql, terms)
                items = _distinct_spans(
                    self._item(r, value=_number(r.value), unit=str(r.unit) if r.unit else None,
                               trigger=str(r.trigger) if r.trigger else None, duty=str(r.duty) if r.duty else None,
                               year=int(r.year) if r.year is not None else None) for r in rows)
                if items:
                    return Answer(q, "deadlines", sparql, bindings, items, self._provisions(items))
        return None

    def _tasks(self, q: str, m: re.Match, k: int) -> Answer | None:
        topic = _topic(m.group("topic"))
        if not topic:
            return None
        roots = [c.iri for c in self.matcher.match(topic) if c.via == "label"]
        if not roots and self.lang == "en":
            from metrokg.kg.analyses.question_terms import english_concepts

            roots = english_concepts(self.matcher, topic)
        items, bindings, seen = [], [], set()
        for root in roots:
            b = {"root": URIRef(root)}
            bindings.append(self._shown(b))
            for r in self._run(TASKS_BY_CONCEPT_SPARQL, b):
                if str(r.t) in seen:
                    continue
                seen.add(str(r.t))
                items.append(self._item(r, action=str(r.action) if r.action else None,
                                        object=str(r.object) if r.object else None,
                                        concept={"iri": str(r.concept),
                                                 "label": self._concept_label(str(r.concept))}))
        if items:
            items.sort(key=lambda it: (it["provision"]["document"], it["span"]["start"]))
            return Answer(q, "tasks", TASKS_BY_CONCEPT_SPARQL, bindings, items, self._provisions(items))
        for terms in self._terms(topic):
            rows, bindings = self._run_terms(TASKS_BY_TEXT_SPARQL, terms)
            items = [self._item(r, action=str(r.action) if r.action else None,
                                object=str(r.object) if r.object else None) for r in rows]
            if items:
                return Answer(q, "tasks", TASKS_BY_TEXT_SPARQL, bindings, items, self._provisions(items))
        return None

    def _concept_label(self, iri: str) -> str:
        from metrokg.kg.analyses.question_terms import concept_label

        return concept_label(self.matcher, iri, self.lang)

    def _actor_names(self, actor: str) -> list[str]:
        from metrokg.kg.analyses.question_terms import actor_terms

        return actor_terms(self.matcher, actor)

    def _obligations(self, q: str, m: re.Match, k: int) -> Answer | None:
        actor = _topic(m.group("actor"))
        if not actor:
            return None
        rows, bindings = self._run_terms(OBLIGATIONS_SPARQL, self._actor_names(actor), "name")
        items = self._responsibility_items(rows)
        if items:
            return Answer(q, "obligations", OBLIGATIONS_SPARQL, bindings, items, self._provisions(items))
        named = self.matcher.concepts.resolve(actor, "actor", missing_ok=True)
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
        """牵头/配合 questions (市市场监管局牵头哪些工作？, 哪些工作由省财政厅配合？, which tasks does the
        provincial finance department support?): the statements naming the body in that role, in
        every document."""
        from metrokg.kg.analyses.question_patterns import ROLE_WORDS

        actor = _topic(m.group("actor"))
        role = ROLE_WORDS.get(m.group("role").lower())
        if not actor or role is None:
            return None
        names = self._actor_names(actor)
        rows, bindings = self._run_terms(ROLE_SPARQL, names, "name", wanted=Literal(role))
        items = self._responsibility_items(rows)
        if items:
            return Answer(q, "by_role", ROLE_SPARQL, bindings, items, self._provisions(items))
        # never named in that role: the statements naming it in any role, each with its role
        rows, bindings = self._run_terms(RESPONSIBILITIES_OF_SPARQL, names, "name")
        items = self._responsibility_items(rows)
        if not items:
            return None
        return Answer(q, "by_role", RESPONSIBILITIES_OF_SPARQL, bindings, items, self._provisions(items),
                      note=f"'{actor}' is not named in the role asked about ({role}); its statements in other "
                           "roles are shown", note_key="by_role_other", note_fields={"actor": actor})

    def _what_is(self, q: str, m: re.Match, k: int) -> Answer | None:
        """计量是什么？为什么重要？/ why does metrology matter: the Learn topic about it, the vocabulary's
        definition of the concept the topic names, and the provisions that define it in their own
        words, in every document."""
        from metrokg.kg.analyses.learn_topics import topics_about

        topic = _topic(m.group("topic"))
        if not topic:
            return None
        items: list[dict] = [{"topic": t.id, "title": t.title(self.lang), "text": t.text(self.lang)}
                             for t in topics_about(topic, exact=True)]
        concept = self.matcher.concepts.named(topic)
        entry = concept[0] if concept else None
        if entry is not None:
            en = self.lang == "en"
            label = entry.pref_en if en else entry.pref_zh
            definition = entry.definition_en if en else entry.definition_zh
            if definition or entry.definition_zh:
                items.append({"concept": entry.iri, "label": label or entry.label,
                              "text": definition or entry.definition_zh})
            topic = entry.pref_zh or topic  # the texts define it in Chinese
        elif items and self.lang == "en":
            topic = next((a for t in topics_about(topic, exact=True) for a in t.about if _HAN.search(a)), topic)
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
            items = [{"topic": t.id, "title": t.title(self.lang), "text": t.text(self.lang)}
                     for t in topics_about(topic)]
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
        """违反计量法第九条会怎样处罚 / 伪造检定数据怎么处罚 / what is the penalty for forging verification
        data: the penalty articles, with their sanctions."""
        from metrokg.kg.analyses.penalties import penalties_for_question

        topic = _topic(m.group("topic"))
        for terms in self._terms(topic) if topic else []:
            items, seen = [], set()
            for term in terms:
                for item in penalties_for_question(self.store, term):
                    key = (item["provision"]["iri"], item["span"]["start"])
                    if key not in seen:
                        seen.add(key)
                        items.append(item)
            if items:
                return Answer(q, "penalties", None, [{"topic": t} for t in terms], items[:k],
                              self._provisions(items[:k]),
                              note="the penalty articles whose conduct or violated provisions match",
                              note_key="penalties")
        return None

    def _who_must(self, q: str, m: re.Match, k: int) -> Answer | None:
        """谁必须…, 谁不得…, who must …: the subjects of the duties (laws and plans) whose text holds the rest."""
        from metrokg.kg.analyses.duties import DUTIES_QUERY, who_must

        topic = _topic(m.group("topic"))
        modal = ("prohibition",) if m.group("modal").lower() in ("不得", "不能", "禁止", "must not", "may not",
                                                                 "shall not", "cannot") else ("obligation",)
        for terms in self._terms(topic) if topic else []:
            items = [it for term in terms for it in who_must(self.store, term, modal)]
            for it in items:
                it["actor_label"] = self._actor_label(it["actor"])
            if items:
                return Answer(q, "who_must", DUTIES_QUERY, [{"topic": t} for t in terms], items[:k],
                              self._provisions(items[:k]))
        return None

    def _which_documents(self, q: str, m: re.Match, k: int) -> Answer | None:
        """哪些省份要求… / 哪些地方条例禁止破坏计量器具准确度 / which provinces require …: the statements of
        that modality (a plan's tasks count as required) whose text, or whose provision's, has every
        word of the topic, in the documents of that scope (a province's, a local regulation, ...);
        one per provision, each document with its title and jurisdiction."""
        from metrokg.kg.analyses.question_patterns import MODAL_WORDS, SCOPE_WORDS

        topic = _topic(m.group("topic"))
        level, kinds = SCOPE_WORDS[m.group("scope").lower()]
        wanted = MODAL_WORDS[m.group("modal").lower()]
        in_scope = {doc for doc, meta in self.facets().items() if _in_scope(meta, level, kinds)}
        for terms in self._terms(topic) if topic and in_scope else []:
            words = [self._words(term) for term in terms]
            # the query finds the statements having each term's longest word; all its words are checked here
            rows, bindings = self._run_terms(STATEMENTS_SPARQL, [max(w, key=len) for w in words], "word",
                                             wanted=Literal(wanted))
            rows = [r for r in rows if str(r.docId) in in_scope]
            own, in_provision = [], {}
            for r in rows:
                if any(_names(str(r.text), w, self._tokens) for w in words):
                    own.append(r)
                elif str(r.kind) == "statement" and any(_names(str(r.ptext), w, self._tokens) for w in words):
                    in_provision.setdefault(str(r.p), r)  # an item of a 不得有下列行为 article, say
            cited = {str(r.p) for r in own}
            items = [self._statement_item(r) for r in own]
            items += [self._clause_item(r, words) for p, r in in_provision.items() if p not in cited]
            items.sort(key=lambda it: (it["provision"]["document"], it["span"]["start"]))
            items = _distinct_spans(items)
            if items:
                return Answer(q, "which_documents", STATEMENTS_SPARQL, bindings, items, self._provisions(items),
                              note=f"statements of the documents in scope ({m.group('scope')}) about '{topic}'",
                              note_key="which_documents", note_fields={"scope": m.group("scope"), "topic": topic})
        return self._search_in_scope(q, topic, in_scope, m.group("scope"), k)

    def _search_in_scope(self, q: str, topic: str, in_scope: set[str], scope: str, k: int) -> Answer | None:
        """哪些省的条例规定了法律责任: no statement has the topic's words (法律责任 is a chapter's
        heading), so search answers, among the documents of the scope only: a national law is no
        province's answer. None when nothing in scope is found."""
        if not topic or not in_scope:
            return None
        per_document: dict[str, int] = {}
        hits = []
        for h in self._hits(topic, SCOPE_SEARCH_POOL):  # the question asks which documents: each has a few
            doc = h.provision.document
            if doc in in_scope and per_document.get(doc, 0) < SCOPE_SEARCH_PER_DOCUMENT and len(hits) < min(k, 10):
                per_document[doc] = per_document.get(doc, 0) + 1
                hits.append(h)
        if not hits:
            return None
        items = [self._hit_item(h) for h in hits]
        return Answer(q, "which_documents", None, [{"scope": scope, "search": topic}], items, self._provisions(items),
                      note=f"no statement of the documents in scope ({scope}) names '{topic}': search results "
                           "among them",
                      note_key="which_documents_search", note_fields={"scope": scope, "topic": topic})

    def _statement_item(self, r) -> dict:
        return self._item(r, modality=str(r.modality), actor=str(r.subject) if r.subject else None,
                          actor_label=self._actor_label(str(r.subject)) if r.subject else None)

    def _clause_item(self, r, words: list[list[str]]) -> dict:
        """A statement whose provision, not its own text, names the topic: the provision's clause that
        does is cited (its span in the document), with the statement's modality."""
        item = self._statement_item(r)
        text = str(r.ptext)
        rec = self.record(str(r.p))
        for clause in re.finditer(r"[^。；;\n]+[。；;]?", text):
            if rec is not None and any(_names(clause.group(), w, self._tokens) for w in words):
                start = rec.start + clause.start()
                item["span"] = {"start": start, "end": start + len(clause.group()), "text": clause.group()}
                item["statement"] = str(r.text)
                break
        return item

    def _tokens(self, text: str) -> list[str]:
        from metrokg.nlp.tokens import search_tokens

        return search_tokens(text, self.index.segmenter)

    def _words(self, term: str) -> list[str]:
        """The words a text must all have to name ``term``: its search tokens that are not part of a
        longer one (建设产业计量测试中心 -> 建设, 产业计量测试中心)."""
        tokens = list(dict.fromkeys(self._tokens(term))) or [term]
        return [t for t in tokens if not any(t != o and t in o for o in tokens)]

    def _document_says(self, q: str, m: re.Match, k: int) -> Answer | None:
        name, topic = _topic(m.group("doc")), _topic(m.group("topic"))
        if not topic or not _names_a_document(name):
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

    def _compare(self, q: str, m: re.Match, k: int) -> Answer | None:
        """湖北的实施意见和国家计量发展规划相比有什么不同: the comparison of the two documents named
        (:mod:`metrokg.kg.analyses.question_compare`), the one the other implements as reference."""
        from metrokg.kg.analyses.compare import compare_documents
        from metrokg.kg.analyses.question_compare import NOTE, comparison_items, comparison_note, reference_first

        names = [_topic(m.group("doc")), _topic(m.group("other"))]
        if not all(_names_a_document(n) for n in names):
            return None
        docs = [self._resolve_document(n) for n in names]
        if docs[0] is None or docs[1] is None or docs[0] == docs[1]:
            return None
        a, b = reference_first(self.store, docs[0], docs[1])
        result = compare_documents(self.store, a, b, dense=self.mode == "hybrid")
        items = comparison_items(result, self.provision_at, k)
        fields = comparison_note(result)
        return Answer(q, "compare", None, [{"a": a, "b": b}], items, self._provisions(items),
                      note=NOTE.format(**fields), note_key="compare", note_fields=fields)

    def _resolve_document(self, name: str) -> str | None:
        """The document whose id, title or issuer best matches ``name`` (most shared words); a name
        in English (the metrology law) goes through the English labels of the vocabulary's works
        to their Chinese titles, and otherwise must have every word in a document's id or title (a
        word of an id, metrology, is in most of them)."""
        from metrokg.kg.analyses.question_terms import work_titles
        from metrokg.nlp.tokens import search_tokens

        english = not _HAN.search(name)
        if english:
            for title in work_titles(self.matcher, name):
                found = self._resolve_document(title)
                if found is not None:
                    return found
        words = {w for w in search_tokens(name, self.index.segmenter) if len(w) >= 2} or {name}
        if english:  # the Hubei plan: the place names it; plan, law and metrology are in every id
            words = {w for w in words if w not in _GENERIC_NAME_WORDS}
            if not words:
                return None
        best, best_key = None, (0.0, 0)
        for r in self._run(DOCUMENTS_SPARQL, {}):
            doc_id, title, issuer = str(r.docId), str(r.title), str(r.issuer or "")
            if name in (doc_id, title) or doc_id.startswith(name):
                return doc_id
            hay = f"{doc_id} {title} {issuer}".lower()
            # as many of the name's words as possible, then the shortest title: 国家计量发展规划 is
            # 计量发展规划(2021—2035年) itself, not a plan whose title quotes it (关于贯彻落实《计量发展规划…》的实施方案)
            key = (sum(1 for w in words if w in hay) / len(words), -len(title))
            if key[0] > 0 and (best is None or key > best_key):
                best, best_key = doc_id, key
        return best if best_key[0] >= (1.0 if english else 0.5) else None

    # ---- search fallback

    def _hits(self, query: str, k: int, document: str | None = None):
        results = self.index.search(query, k=k, document=document, mode=self.mode)
        self._notices += results.notices
        return results

    def _hit_item(self, h) -> dict:
        p = h.provision
        s = h.sentence or {"start": p.start, "end": p.end, "text": p.text}
        return {"text": s["text"], "score": round(h.score, 6),
                "provision": p.reference(),
                "span": {"start": s["start"], "end": s["end"], "text": s["text"]},
                "concepts": h.concepts}

    def _search(self, question: str, q: str, k: int) -> Answer:
        hits = self._hits(q, min(k, 5))
        items = [self._hit_item(h) for h in hits]
        return Answer(question, "search", None, [], items, self._provisions(items),
                      note="no question pattern fitted (or its query found nothing): search results",
                      note_key="search")


#: where a register row's deadline comes from when the text dates it (not only the plan's horizon)
DATED_BY_TEXT = ("own", "provision")
#: how many search hits a scoped question's fallback filters to the documents in scope
SCOPE_SEARCH_POOL = 50
SCOPE_SEARCH_PER_DOCUMENT = 3
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: English words of a document's name that tell no document from another (ids are pinyin place
#: names and English kinds: hubei-2022-metrology-implementation)
_GENERIC_NAME_WORDS = frozenset("the a an of and plan plans law laws regulation regulations rule rules measures "
                                "document documents opinion opinions notice metrology measurement province "
                                "provincial city municipal implementation".split())


def _names_a_document(name: str) -> bool:
    """Whether a question's document name may name one document: not empty, not a kind alone (条例规定…)
    and not asking which (哪些省的条例规定了…: the question spans documents)."""
    from metrokg.kg.analyses.question_patterns import ASKED_DOCUMENT, BARE_KIND

    return bool(name) and not BARE_KIND.fullmatch(name) and not ASKED_DOCUMENT.search(name)


def _names(text: str, words: list[str], tokens: Callable[[str], list[str]]) -> bool:
    """Whether ``text`` has every one of ``words``: a word of two characters or fewer as one of its
    tokens (强检 is not in 加强检查), a longer one anywhere."""
    low = text.lower()
    if not all(w in low for w in words):
        return False
    short = [w for w in words if len(w) <= 2]
    return not short or set(short) <= set(tokens(low))


def _in_scope(meta: dict, level: str | None, kinds: tuple[str, ...]) -> bool:
    """Whether a document is of the kinds and at the level a scoped question names (哪些省份: a
    province's or a provincial-level city's own texts; 哪些地方: any below the nation)."""
    if kinds and meta.get("kind") not in kinds:
        return False
    place, province = meta.get("jurisdiction"), meta.get("province")
    if level is None:
        return True
    if not place or place == NATIONAL:
        return False
    if level == "province":
        return place == province
    if level == "city":
        return place != province and place.endswith("市")
    return True


def _distinct_spans(items) -> list[dict]:
    """The items, one per cited span (a task and a responsibility of one table row say the same)."""
    out, seen = [], set()
    for item in items:
        key = (item["provision"]["iri"], item["span"]["start"], item["span"]["end"], item.get("value"), item.get("year"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


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
