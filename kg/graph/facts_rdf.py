"""Extracted facts as RDF triples for a document's named graph.

Every fact becomes a typed node (``mkg:QuantitativeTarget``, ``mkg:Task``,
``mkg:Responsibility``, ``mkg:Obligation``…, ``mkg:Mention``) linked to its document and
provision, with its offsets (``mkg:start``/``mkg:end`` into the normalised text), its text,
the component that produced it (``mkg:extractedBy``) and a confidence. Numbers that are no
targets are ``mkg:Baseline`` (with the year they describe), ``mkg:FundingRule`` and ``mkg:TimeLimit``
(``mkg:bounds`` the deontic statement of its clause), each with ``mkg:statedValue``/``statedUnit``.

Actors are written relative to a level (省市场监管局), so a responsibility points to an
actor node of the document — ``<doc/{id}/actor/{level}-{type}>``, an ``mkg:Actor`` with
``mkg:actorType`` (the vocabulary's actor-type concept), ``mkg:administrativeLevel`` and
``mkg:actorName`` — or straight to a named body of the vocabulary (国家高电压计量站).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import lru_cache
from typing import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from metrokg.nlp.extraction.facts import (Baseline, Deontic, Fact, FundingRule, Mention, Penalty, Responsibility, Target,
                                          Task, TimeLimit)
from metrokg.ontology.namespace import ID, MKG, concept_iri, doc_iri, doc_part_iri, provision_iri

Triple = tuple[URIRef, URIRef, URIRef | Literal]


class ResolvedTerms:
    """A namespace whose terms are looked up once: an attribute of rdflib's ``DefinedNamespace``
    checks the declaration and builds a new URIRef on every access (49 k of them for the 29
    documents of the ingest benchmark); here the first access stores the term as a plain attribute.
    An undeclared name still raises ``AttributeError``."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:  # only called while ``name`` is not stored yet
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


M = ResolvedTerms(MKG)
TYPE = RDF.type
_TRUE, _FALSE = Literal(True), Literal(False)


@lru_cache(maxsize=16384, typed=True)
def lit(value: str | int) -> Literal:
    """A plain literal of a string or an integer, shared: offsets, years, labels, modalities and
    the texts of facts sharing a clause repeat, and building a Literal is most of a triple's cost.
    ``typed``: 1 and True are different literals."""
    return Literal(value)


def flag(value: object) -> Literal:
    """An ``xsd:boolean`` literal of ``value``'s truth."""
    return _TRUE if value else _FALSE


iri = lru_cache(maxsize=16384)(URIRef)  # concept IRIs repeat across facts and documents

DEONTIC_CLASS = {"obligation": M.Obligation, "prohibition": M.Prohibition,
                 "encouragement": M.Encouragement, "permission": M.Permission,
                 "exploration": M.Exploration}
NAMED_ACTORS = str(concept_iri("actor", ""))  # IRIs of the vocabulary's named bodies start so


def fact_iri(doc_id: str, fact: Fact) -> URIRef:
    """Stable IRI of a fact: kind and offsets (and the actor's offset for responsibilities)."""
    tail = f"{fact.start}-{fact.end}"
    if isinstance(fact, Responsibility):
        tail += f"-a{fact.actor_start if fact.actor_start is not None else 0}"
    if isinstance(fact, (Target, Baseline, FundingRule)) and fact.value_start is not None:
        tail += f"-v{fact.value_start}"
    return doc_part_iri(doc_id, fact.kind, tail)


def actor_node(doc_id: str, r: Responsibility) -> URIRef:
    """The document's node for the actor of ``r``: same level and type -> same node."""
    if r.actor_iri and r.actor_iri.startswith(NAMED_ACTORS):
        return URIRef(r.actor_iri)  # a named body of the vocabulary
    if r.actor_type_iri:
        slug = f"{(r.level or 'any').replace(',', '-')}-{r.actor_type_iri.rstrip('/').rsplit('/', 1)[-1]}"
    else:
        slug = "name-" + hashlib.sha1(r.actor_name.encode("utf-8")).hexdigest()[:10]
    return doc_part_iri(doc_id, "actor", slug)


@lru_cache(maxsize=1)
def _unit_labels() -> dict[str, tuple[str, str]]:
    """label -> (iri, scheme) for units and counters, 1-character ones included (家, 项)."""
    try:
        from metrokg.ontology.vocab import concepts
    except ImportError:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for c in concepts():
        if c.scheme in ("unit", "counter"):
            for label in (c.pref_zh, *c.alt_labels, c.symbol or ""):
                if label and label not in out:
                    out[label] = (c.iri, c.scheme)
    return out


def _dec(v: Decimal | float) -> Literal:
    return _decimal(str(v))


@lru_cache(maxsize=4096)
def _decimal(text: str) -> Literal:
    """An ``xsd:decimal`` literal, by the value's text (Decimal 1.0 and 1 are equal, their literals not)."""
    return Literal(format(Decimal(text), "f"), datatype=XSD.decimal)


def facts_to_triples(doc_id: str, facts: Iterable[Fact], paths: dict[str, str | None] | None = None) -> list[Triple]:
    """Triples for ``facts`` of document ``doc_id`` (to be stored in ``graph_iri(doc_id)``);
    ``paths``: a law's provision numbers -> their IRI paths (``Provision.path``)."""
    d = doc_iri(doc_id)
    out: list[Triple] = []
    actors_done: set[URIRef] = set()
    provisions: dict[str, URIRef] = {}  # a provision's IRI, built once for all its facts
    facts = list(facts)
    deontics = [(f.start, f.end, fact_iri(doc_id, f)) for f in facts if isinstance(f, Deontic)]
    for f in facts:
        s = fact_iri(doc_id, f)
        out += [(s, TYPE, M.Fact), (s, M.inDocument, d), (s, M.start, lit(f.start)),
                (s, M.end, lit(f.end)), (s, M.text, lit(f.text)),
                (s, M.extractedBy, lit(f.extracted_by)), (s, M.confidence, _dec(round(f.confidence, 3)))]
        prov = None
        if f.provision is not None:
            prov = provisions.get(f.provision)
            if prov is None:
                prov = provisions[f.provision] = provision_iri(doc_id, f.provision, (paths or {}).get(f.provision))
        if prov is not None:
            out.append((s, M.inProvision, prov))
        if isinstance(f, Target):
            out += _target(s, f)
        elif isinstance(f, (Baseline, FundingRule, TimeLimit)):
            out += _numeric(s, f, deontics)
        elif isinstance(f, Task):
            out.append((s, TYPE, M.Task))
            out += [(s, M.action, lit(f.action)), (s, M.object, lit(f.object))]
            out += [(s, M.concerns, iri(c)) for c in f.concerns]
            if f.deadline is not None:
                out.append((s, M.deadlineYear, lit(int(f.deadline))))
        elif isinstance(f, Responsibility):
            out.append((s, TYPE, M.Responsibility))
            node = actor_node(doc_id, f)
            out += [(s, M.role, lit(f.role)), (s, M.actorName, lit(f.actor_name)),
                    (s, M.actor, node)]
            if node not in actors_done and not str(node).startswith(ID):
                actors_done.add(node)
                out += [(node, TYPE, M.Actor), (node, M.actorName, lit(f.actor_name))]
                if f.actor_type_iri:
                    out.append((node, M.actorType, iri(f.actor_type_iri)))
                if f.level:
                    out.append((node, M.administrativeLevel, lit(f.level)))
            if f.modality:
                out.append((s, M.modality, lit(f.modality)))
            if f.action:
                out.append((s, M.action, lit(f.action)))
            if f.deadline is not None:
                out.append((s, M.deadlineYear, lit(int(f.deadline))))
        elif isinstance(f, Deontic):
            out += [(s, TYPE, M.DeonticStatement), (s, TYPE, DEONTIC_CLASS[f.modality]),
                    (s, M.modality, lit(f.modality)), (s, M.cue, lit(f.cue))]
            out += [(s, p, lit(v)) for p, v in ((M.dutySubject, f.subject), (M.dutyObject, f.object)) if v]
        elif isinstance(f, Penalty):
            out += _penalty(doc_id, s, f)
        elif isinstance(f, Mention):
            out.append((s, TYPE, M.Mention))
            if f.iri:
                out.append((s, M.refersTo, iri(f.iri)))
                if prov is not None:
                    out.append((prov, M.mentions, iri(f.iri)))
    return out


def _penalty(doc_id: str, s: URIRef, p: Penalty) -> list[Triple]:
    """A penalty and its sanctions (``doc/{id}/sanction/{start}-{end}-{n}``, in order)."""
    out: list[Triple] = [(s, TYPE, M.Penalty), (s, M.article, lit(p.article)),
                         (s, M.conduct, lit(p.conduct))]
    out += [(s, M.violates, lit(c)) for c in p.refers_to]
    out += [(s, prop, lit(v)) for prop, v in ((M.item, p.item), (M.authority, p.authority)) if v]
    for i, x in enumerate(p.sanctions):
        node = doc_part_iri(doc_id, "sanction", f"{p.start}-{p.end}-{i}")
        out += [(s, M.hasSanction, node), (node, TYPE, M.Sanction), (node, M.sanctionKind, lit(x.kind)),
                (node, M.order, lit(i)), (node, M.start, lit(x.start)), (node, M.end, lit(x.end)),
                (node, M.text, lit(x.text))]
        out += [(node, prop, _dec(v)) for prop, v in ((M.minAmount, x.min), (M.maxAmount, x.max)) if v is not None]
        out += [(node, prop, lit(v)) for prop, v in ((M.amountUnit, x.unit), (M.amountBasis, x.basis),
                                                         (M.condition, x.condition), (M.authority, x.authority)) if v]
    return out


def _numeric(s: URIRef, f: Baseline | FundingRule | TimeLimit, deontics: list[tuple[int, int, URIRef]]) -> list[Triple]:
    """A baseline, funding rule or time limit: its number, unit and comparator, and its own fields;
    a time limit is linked to the deontic statement of the clause it bounds (the one overlapping it most)."""
    cls = M.Baseline if isinstance(f, Baseline) else M.FundingRule if isinstance(f, FundingRule) else M.TimeLimit
    out: list[Triple] = [(s, TYPE, cls), (s, M.statedComparator, lit(f.comparator))]
    if f.value is not None:
        out.append((s, M.statedValue, _dec(f.value)))
    if f.unit_text:
        out.append((s, M.statedUnit, lit(f.unit_text)))
    if isinstance(f, Baseline):
        out += [(s, M.baselineIndicator, lit(f.indicator)), (s, M.yearInherited, flag(f.year_inherited))]
        if f.indicator_iri:
            out.append((s, M.baselineConcept, iri(f.indicator_iri)))
        if f.year is not None:
            out.append((s, M.statusYear, lit(int(f.year))))
        if f.cue:
            out.append((s, M.cue, lit(f.cue)))
    elif isinstance(f, FundingRule):
        out.append((s, M.fundingInstrument, lit(f.instrument)))
        for prop, value in ((M.beneficiary, f.beneficiary), (M.shareOf, f.basis if f.share else None),
                            (M.perUnit, f.per)):
            if value:
                out.append((s, prop, lit(value)))
        if f.amount_yuan is not None:
            out.append((s, M.amountYuan, _dec(f.amount_yuan)))
        if f.year is not None:
            out.append((s, M.budgetYear, lit(int(f.year))))
    else:
        out += [(s, M.isPeriod, flag(f.period)), (s, M.duty, lit(f.duty))]
        if f.trigger:
            out.append((s, M.trigger, lit(f.trigger)))
        a, b = (f.duty_start, f.duty_end) if f.duty_start is not None else (f.start, f.end)
        best = max(deontics, key=lambda d: min(b, d[1]) - max(a, d[0]), default=None)
        if best is not None and min(b, best[1]) - max(a, best[0]) > 0:
            out.append((s, M.bounds, best[2]))
    return out


def _target(s: URIRef, t: Target) -> list[Triple]:
    out: list[Triple] = [(s, TYPE, M.QuantitativeTarget), (s, M.indicator, lit(t.indicator)),
                         (s, M.value, _dec(t.value)), (s, M.comparator, lit(t.comparator)),
                         (s, M.isTotal, flag(t.is_total))]
    if t.unit_text:
        out.append((s, M.unitText, lit(t.unit_text)))
    linked = (t.unit_iri, "unit") if t.unit_iri else _unit_labels().get(t.unit_text or "")
    if linked:
        unit, scheme = linked
        out.append((s, M.counter if scheme == "counter" else M.unit, iri(unit)))
    if t.indicator_iri:
        out.append((s, M.indicatorConcept, iri(t.indicator_iri)))
    if t.scope:
        out.append((s, M.scope, lit(t.scope)))
    if t.deadline is not None:
        out.append((s, M.deadlineYear, lit(int(t.deadline))))
    if t.recurrence:
        out.append((s, M.recurrence, lit(t.recurrence)))
    return out
