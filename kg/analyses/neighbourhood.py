"""An entity's neighbourhood in the graph as nodes and edges, and finding entities by label.

Used by the web app's Graph tab (and usable from scripts): pick an actor, an industry, a
quantity or a provision, get the nodes one step away in either direction, with readable
labels, then walk on from any of them. User text is always a bound value, never pasted
into a query.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from metrokg.errors import MetrokgError
from metrokg.kg.store.base import Store, nt
from metrokg.ontology.namespace import BASE, MKG, MKG_PREFIX, is_provision_iri

_SKIP_PREDICATES = {  # a class's instances are thousands of facts; a provision's sentences are its text
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    str(MKG.hasSentence),
}
_NOT_SKIPPED = "FILTER(?p NOT IN (" + ", ".join(f"<{p}>" for p in sorted(_SKIP_PREDICATES)) + "))"

FIND_QUERY = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
{MKG_PREFIX}
SELECT ?s (SAMPLE(?l) AS ?label) (MAX(IF(LCASE(STR(?l)) = LCASE(?text), 1, 0)) AS ?exact)
       (MIN(STRLEN(STR(?l))) AS ?len) WHERE {{
  {{ ?s skos:prefLabel ?l }} UNION {{ ?s skos:altLabel ?l }} UNION {{ ?s rdfs:label ?l }} UNION {{ ?s mkg:title ?l }}
  FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?l)), LCASE(?text)))
}} GROUP BY ?s ORDER BY DESC(?exact) ?len ?s LIMIT 200
"""
# an entity with a label equal to the text comes first (汽车: the industry, before 汽车衡), then
# the shortest labels containing it

FOLD_AFTER = 2  # edges with the same label beyond this are drawn unlabelled, the first says how many
_SKOS, _PROV, _RDFS, _DCT = ("http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#",
                             "http://www.w3.org/2000/01/rdf-schema#", "http://purl.org/dc/terms/")
STANDARD_LABELS = {  # (zh, en) for properties of the standard vocabularies the graph uses
    _SKOS + "prefLabel": ("名称", "name"), _SKOS + "altLabel": ("别名", "other name"),
    _SKOS + "broader": ("上位概念", "broader"), _SKOS + "narrower": ("下位概念", "narrower"),
    _SKOS + "related": ("相关", "related"), _SKOS + "inScheme": ("所属概念体系", "in scheme"),
    _SKOS + "hasTopConcept": ("顶层概念", "top concept"), _SKOS + "topConceptOf": ("顶层概念所属", "top concept of"), _SKOS + "broaderTransitive": ("上位概念（传递）", "broader (transitive)"),
    _SKOS + "narrowerTransitive": ("下位概念（传递）", "narrower (transitive)"), _SKOS + "definition": ("定义", "definition"),
    _SKOS + "exactMatch": ("等同", "same as"), _SKOS + "closeMatch": ("近似", "close to"),
    _PROV + "wasDerivedFrom": ("来源", "derived from"), _RDFS + "label": ("标签", "label"),
    _RDFS + "seeAlso": ("参见", "see also"), _RDFS + "subClassOf": ("子类", "subclass of"),
    _DCT + "language": ("语言", "language"), _DCT + "source": ("来源", "source"),
}

OUT_QUERY = f"SELECT ?p ?o WHERE {{ ?s ?p ?o {_NOT_SKIPPED} }} LIMIT 400"
# What points at the entity, per property: a concept scheme's members (skos:inScheme, 计量器具's 37
# instruments) or a concept's hundreds of mentions must not hide its one broader concept, so each
# property is read up to the drawing's limit and the drawing takes from each in turn.
IN_PROPERTIES = f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(isIRI(?s)) {_NOT_SKIPPED} }} GROUP BY ?p"
IN_QUERY = "SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s)) }} ORDER BY ?s LIMIT {limit}"


def kind_of(iri: str) -> str:
    """provision, document, concept, fact or other, from the IRI patterns of the ontology."""
    if not iri.startswith(BASE):
        return "other"
    rest = iri[len(BASE):]
    if rest.startswith("id/"):
        return "concept"
    if rest.startswith("doc/"):
        parts = rest.split("/")
        if len(parts) == 2:
            return "document"
        if is_provision_iri(iri):
            return "provision"
        return "fact"
    return "other"


def short_name(iri: str) -> str:
    """The last path or fragment segment of an IRI (a fallback label)."""
    tail = iri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[1]
    return tail or iri


def labels_for(store: Store, iris: list[str], lang: str = "zh") -> dict[str, str]:
    """A readable label per IRI: prefLabel (``lang`` first), rdfs:label, title, text, else its tail."""
    out: dict[str, str] = {}
    if not iris:
        return out
    values = " ".join(nt(URIRef(i)) for i in iris)
    query = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
{MKG_PREFIX}
SELECT ?s ?kind ?l WHERE {{
  VALUES ?s {{ {values} }}
  {{ ?s skos:prefLabel ?l BIND(1 AS ?kind) }} UNION {{ ?s rdfs:label ?l BIND(2 AS ?kind) }}
  UNION {{ ?s mkg:title ?l BIND(3 AS ?kind) }} UNION {{ ?s mkg:text ?l BIND(4 AS ?kind) }}
}}"""
    best: dict[str, tuple[int, str]] = {}
    for row in store.query(query):
        s, rank, label = str(row.s), int(row.kind), row.l
        if isinstance(label, Literal) and label.language and label.language != lang:
            rank += 0.5
        text = str(label)
        if s not in best or rank < best[s][0]:
            best[s] = (rank, text)
    for i in iris:
        text = best.get(i, (0, short_name(i)))[1]
        out[i] = text if len(text) <= 40 else text[:39] + "…"
    return out


def find_entities(store: Store, text: str, limit: int = 50) -> list[dict]:
    """Entities whose label contains ``text`` (case-insensitive), shortest label first."""
    text = (text or "").strip()
    if not text:
        return []
    rows = store.query(FIND_QUERY, {"text": Literal(text)})
    out = [{"iri": str(r.s), "label": str(r.label), "kind": kind_of(str(r.s))} for r in rows]
    return out[:limit]


def _as_iri(entity: str) -> URIRef:
    entity = (entity or "").strip()
    try:
        iri = URIRef(entity)
        nt(iri)  # Oxigraph refuses what is not an IRI
    except (ValueError, TypeError):
        raise MetrokgError("E255", entity=entity) from None
    if ":" not in entity:
        raise MetrokgError("E255", entity=entity)
    return iri


def neighbourhood(store: Store, entity: str, limit: int = 40, lang: str = "zh") -> dict:
    """The entity and the IRIs one step away (both directions), with labels and literal details.

    Returns ``{"center", "label", "kind", "nodes": [{id, label, kind}], "edges": [{source,
    target, label}], "details": [{property, value}], "truncated": bool}``.
    """
    iri = _as_iri(entity)
    center = str(iri)
    edges: list[tuple[str, str, str]] = []
    literals: list[tuple[str, Literal]] = []
    for row in store.query(OUT_QUERY, {"s": iri}):
        p, o = str(row.p), row.o
        if isinstance(o, URIRef):
            edges.append((center, p, str(o)))
        elif isinstance(o, Literal):
            literals.append((p, o))
    details = literal_details(store, literals, lang)
    pointing = 0
    for prop in store.query(IN_PROPERTIES, {"o": iri}):
        pointing += int(prop.n)
        for row in store.query(IN_QUERY.format(limit=limit + 1), {"o": iri, "p": prop.p}):
            edges.append((str(row.s), str(prop.p), center))
    if not edges and not details:
        raise MetrokgError("E255", entity=entity)
    shown = drawn_neighbours(center, edges, limit)
    others = {o if s == center else s for s, _, o in edges} - {center}
    truncated = len(others) > len(shown) or pointing > sum(e[2] == center for e in edges)
    keep = set(shown) | {center}
    edges = [e for e in edges if e[0] in keep and e[2] in keep]
    labels = labels_for(store, sorted(keep), lang)
    nodes = [{"id": i, "label": labels[i], "kind": kind_of(i)} for i in [center] + shown]
    return {"center": center, "label": labels[center], "kind": kind_of(center), "nodes": nodes,
            "edges": folded_edges(edges, predicate_labels(store, sorted({p for _, p, _ in edges}), lang)),
            "details": details, "truncated": truncated}


def drawn_neighbours(center: str, edges: list[tuple[str, str, str]], limit: int) -> list[str]:
    """At most ``limit`` neighbours, taken in turn from each property and direction (in the order the
    edges come), so a property with many edges does not crowd out those with few."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for s, p, o in edges:
        other = o if s == center else s
        if other != center:
            groups.setdefault((p, s == center), []).append(other)
    queues = [iter(g) for g in groups.values()]
    shown: list[str] = []
    seen: set[str] = set()
    while queues and len(shown) < limit:
        for queue in list(queues):
            other = next((o for o in queue if o not in seen), None)
            if other is None:
                queues.remove(queue)
            elif len(shown) < limit:
                shown.append(other)
                seen.add(other)
    return shown


def literal_details(store: Store, literals: list[tuple[str, Literal]], lang: str, most: int = 30) -> list[dict]:
    """The entity's literal values in ``lang``: a property's value in the other language is left out when
    the property has one in ``lang`` (a concept's zh and en labels show one at a time); property names in
    ``lang`` (:func:`predicate_labels`)."""
    tags = {p: {(o.language or "").split("-")[0] for q, o in literals if q == p} for p, _ in literals}
    names = predicate_labels(store, sorted(tags), lang)
    details = []
    for p, o in literals:
        tag = (o.language or "").split("-")[0]
        if tag and tag != lang and lang in tags[p]:
            continue
        value = str(o)
        details.append({"property": names[p], "value": value if len(value) <= 300 else value[:299] + "…"})
    return details[:most]


def predicate_labels(store: Store, predicates: list[str], lang: str = "zh") -> dict[str, str]:
    """A readable label per property in ``lang``: the ontology's rdfs:label, else the standard
    vocabularies' own names (:data:`STANDARD_LABELS`), else the IRI's tail."""
    found = labels_for(store, predicates, lang)
    out = {}
    for p in predicates:
        label = found.get(p, short_name(p))
        if label == short_name(p) and p in STANDARD_LABELS:
            label = STANDARD_LABELS[p][lang == "en"]
        out[p] = label
    return out


def folded_edges(edges: list[tuple[str, str, str]], labels: dict[str, str]) -> list[dict]:
    """Edges as drawn: parallel edges between two nodes become one edge with both labels, and a
    label repeated on more than :data:`FOLD_AFTER` edges is written once, with its count."""
    merged: dict[tuple[str, str], list[str]] = {}
    for s, p, o in edges:
        names = merged.setdefault((s, o), [])
        if labels.get(p, short_name(p)) not in names:
            names.append(labels.get(p, short_name(p)))
    texts = {key: " · ".join(names) for key, names in merged.items()}
    counts: dict[str, int] = {}
    for text in texts.values():
        counts[text] = counts.get(text, 0) + 1
    out, shown = [], set()
    for (s, o), text in texts.items():
        label = text
        if counts[text] > FOLD_AFTER:
            label = "" if text in shown else f"{text} ×{counts[text]}"
            shown.add(text)
        out.append({"source": s, "target": o, "label": label})
    return out
