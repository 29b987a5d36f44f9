"""Extracted facts as RDF triples for a document's named graph.

Every fact becomes a typed node (``mkg:QuantitativeTarget``, ``mkg:Task``,
``mkg:Responsibility``, ``mkg:Obligation``…, ``mkg:Mention``) linked to its document and
provision, with its offsets (``mkg:start``/``mkg:end`` into the normalised text), its text,
the component that produced it (``mkg:extractedBy``) and a confidence.

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

from metrokg.nlp.extraction.facts import Deontic, Fact, Mention, Responsibility, Target, Task
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
    if isinstance(fact, Target) and fact.value_start is not None:
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


def facts_to_triples(doc_id: str, facts: Iterable[Fact]) -> list[Triple]:
    """Triples for ``facts`` of document ``doc_id`` (to be stored in ``graph_iri(doc_id)``)."""
    d = doc_iri(doc_id)
    out: list[Triple] = []
    actors_done: set[URIRef] = set()
    for f in facts:
        s = fact_iri(doc_id, f)
        out += [(s, RDF.type, MKG.Fact), (s, MKG.inDocument, d), (s, MKG.start, Literal(f.start)),
                (s, MKG.end, Literal(f.end)), (s, MKG.text, Literal(f.text)),
                (s, MKG.extractedBy, Literal(f.extracted_by)), (s, MKG.confidence, _dec(round(f.confidence, 3)))]
        prov = provision_iri(doc_id, f.provision) if f.provision is not None else None
        if prov is not None:
            out.append((s, MKG.inProvision, prov))
        if isinstance(f, Target):
            out += _target(s, f)
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
        elif isinstance(f, Mention):
            out.append((s, RDF.type, MKG.Mention))
            if f.iri:
                out.append((s, MKG.refersTo, URIRef(f.iri)))
                if prov is not None:
                    out.append((prov, MKG.mentions, URIRef(f.iri)))
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
