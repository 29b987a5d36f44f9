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

DEONTIC_CLASS = {"obligation": MKG.Obligation, "prohibition": MKG.Prohibition,
                 "encouragement": MKG.Encouragement, "permission": MKG.Permission,
                 "exploration": MKG.Exploration}
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
    d = Decimal(str(v))
    return Literal(format(d, "f"), datatype=XSD.decimal)


def facts_to_triples(doc_id: str, facts: Iterable[Fact], paths: dict[str, str | None] | None = None) -> list[Triple]:
    """Triples for ``facts`` of document ``doc_id`` (to be stored in ``graph_iri(doc_id)``);
    ``paths``: a law's provision numbers -> their IRI paths (``Provision.path``)."""
    d = doc_iri(doc_id)
    out: list[Triple] = []
    actors_done: set[URIRef] = set()
    facts = list(facts)
    deontics = [(f.start, f.end, fact_iri(doc_id, f)) for f in facts if isinstance(f, Deontic)]
    for f in facts:
        s = fact_iri(doc_id, f)
        out += [(s, RDF.type, MKG.Fact), (s, MKG.inDocument, d), (s, MKG.start, Literal(f.start)),
                (s, MKG.end, Literal(f.end)), (s, MKG.text, Literal(f.text)),
                (s, MKG.extractedBy, Literal(f.extracted_by)), (s, MKG.confidence, _dec(round(f.confidence, 3)))]
        prov = provision_iri(doc_id, f.provision, (paths or {}).get(f.provision)) if f.provision is not None else None
        if prov is not None:
            out.append((s, MKG.inProvision, prov))
        if isinstance(f, Target):
            out += _target(s, f)
        elif isinstance(f, (Baseline, FundingRule, TimeLimit)):
            out += _numeric(s, f, deontics)
        elif isinstance(f, Task):
            out.append((s, RDF.type, MKG.Task))
            out += [(s, MKG.action, Literal(f.action)), (s, MKG.object, Literal(f.object))]
            out += [(s, MKG.concerns, URIRef(c)) for c in f.concerns]
            if f.deadline is not None:
                out.append((s, MKG.deadlineYear, Literal(int(f.deadline))))
        elif isinstance(f, Responsibility):
            out.append((s, RDF.type, MKG.Responsibility))
            node = actor_node(doc_id, f)
            out += [(s, MKG.role, Literal(f.role)), (s, MKG.actorName, Literal(f.actor_name)),
                    (s, MKG.actor, node)]
            if node not in actors_done and not str(node).startswith(ID):
                actors_done.add(node)
                out += [(node, RDF.type, MKG.Actor), (node, MKG.actorName, Literal(f.actor_name))]
                if f.actor_type_iri:
                    out.append((node, MKG.actorType, URIRef(f.actor_type_iri)))
                if f.level:
                    out.append((node, MKG.administrativeLevel, Literal(f.level)))
            if f.modality:
                out.append((s, MKG.modality, Literal(f.modality)))
            if f.action:
                out.append((s, MKG.action, Literal(f.action)))
            if f.deadline is not None:
                out.append((s, MKG.deadlineYear, Literal(int(f.deadline))))
        elif isinstance(f, Deontic):
            out += [(s, RDF.type, MKG.DeonticStatement), (s, RDF.type, DEONTIC_CLASS[f.modality]),
                    (s, MKG.modality, Literal(f.modality)), (s, MKG.cue, Literal(f.cue))]
            out += [(s, p, Literal(v)) for p, v in ((MKG.dutySubject, f.subject), (MKG.dutyObject, f.object)) if v]
        elif isinstance(f, Penalty):
            out += _penalty(doc_id, s, f)
        elif isinstance(f, Mention):
            out.append((s, RDF.type, MKG.Mention))
            if f.iri:
                out.append((s, MKG.refersTo, URIRef(f.iri)))
                if prov is not None:
                    out.append((prov, MKG.mentions, URIRef(f.iri)))
    return out


def _penalty(doc_id: str, s: URIRef, p: Penalty) -> list[Triple]:
    """A penalty and its sanctions (``doc/{id}/sanction/{start}-{end}-{n}``, in order)."""
    out: list[Triple] = [(s, RDF.type, MKG.Penalty), (s, MKG.article, Literal(p.article)),
                         (s, MKG.conduct, Literal(p.conduct))]
    out += [(s, MKG.violates, Literal(c)) for c in p.refers_to]
    out += [(s, prop, Literal(v)) for prop, v in ((MKG.item, p.item), (MKG.authority, p.authority)) if v]
    for i, x in enumerate(p.sanctions):
        node = doc_part_iri(doc_id, "sanction", f"{p.start}-{p.end}-{i}")
        out += [(s, MKG.hasSanction, node), (node, RDF.type, MKG.Sanction), (node, MKG.sanctionKind, Literal(x.kind)),
                (node, MKG.order, Literal(i)), (node, MKG.start, Literal(x.start)), (node, MKG.end, Literal(x.end)),
                (node, MKG.text, Literal(x.text))]
        out += [(node, prop, _dec(v)) for prop, v in ((MKG.minAmount, x.min), (MKG.maxAmount, x.max)) if v is not None]
        out += [(node, prop, Literal(v)) for prop, v in ((MKG.amountUnit, x.unit), (MKG.amountBasis, x.basis),
                                                         (MKG.condition, x.condition), (MKG.authority, x.authority)) if v]
    return out


def _numeric(s: URIRef, f: Baseline | FundingRule | TimeLimit, deontics: list[tuple[int, int, URIRef]]) -> list[Triple]:
    """A baseline, funding rule or time limit: its number, unit and comparator, and its own fields;
    a time limit is linked to the deontic statement of the clause it bounds (the one overlapping it most)."""
    cls = MKG.Baseline if isinstance(f, Baseline) else MKG.FundingRule if isinstance(f, FundingRule) else MKG.TimeLimit
    out: list[Triple] = [(s, RDF.type, cls), (s, MKG.statedComparator, Literal(f.comparator))]
    if f.value is not None:
        out.append((s, MKG.statedValue, _dec(f.value)))
    if f.unit_text:
        out.append((s, MKG.statedUnit, Literal(f.unit_text)))
    if isinstance(f, Baseline):
        out += [(s, MKG.baselineIndicator, Literal(f.indicator)), (s, MKG.yearInherited, Literal(bool(f.year_inherited)))]
        if f.indicator_iri:
            out.append((s, MKG.baselineConcept, URIRef(f.indicator_iri)))
        if f.year is not None:
            out.append((s, MKG.statusYear, Literal(int(f.year))))
        if f.cue:
            out.append((s, MKG.cue, Literal(f.cue)))
    elif isinstance(f, FundingRule):
        out.append((s, MKG.fundingInstrument, Literal(f.instrument)))
        for prop, value in ((MKG.beneficiary, f.beneficiary), (MKG.shareOf, f.basis if f.share else None),
                            (MKG.perUnit, f.per)):
            if value:
                out.append((s, prop, Literal(value)))
        if f.amount_yuan is not None:
            out.append((s, MKG.amountYuan, _dec(f.amount_yuan)))
        if f.year is not None:
            out.append((s, MKG.budgetYear, Literal(int(f.year))))
    else:
        out += [(s, MKG.isPeriod, Literal(bool(f.period))), (s, MKG.duty, Literal(f.duty))]
        if f.trigger:
            out.append((s, MKG.trigger, Literal(f.trigger)))
        a, b = (f.duty_start, f.duty_end) if f.duty_start is not None else (f.start, f.end)
        best = max(deontics, key=lambda d: min(b, d[1]) - max(a, d[0]), default=None)
        if best is not None and min(b, best[1]) - max(a, best[0]) > 0:
            out.append((s, MKG.bounds, best[2]))
    return out


def _target(s: URIRef, t: Target) -> list[Triple]:
    out: list[Triple] = [(s, RDF.type, MKG.QuantitativeTarget), (s, MKG.indicator, Literal(t.indicator)),
                         (s, MKG.value, _dec(t.value)), (s, MKG.comparator, Literal(t.comparator)),
                         (s, MKG.isTotal, Literal(bool(t.is_total)))]
    if t.unit_text:
        out.append((s, MKG.unitText, Literal(t.unit_text)))
    linked = (t.unit_iri, "unit") if t.unit_iri else _unit_labels().get(t.unit_text or "")
    if linked:
        iri, scheme = linked
        out.append((s, MKG.counter if scheme == "counter" else MKG.unit, URIRef(iri)))
    if t.indicator_iri:
        out.append((s, MKG.indicatorConcept, URIRef(t.indicator_iri)))
    if t.scope:
        out.append((s, MKG.scope, Literal(t.scope)))
    if t.deadline is not None:
        out.append((s, MKG.deadlineYear, Literal(int(t.deadline))))
    if t.recurrence:
        out.append((s, MKG.recurrence, Literal(t.recurrence)))
    return out
