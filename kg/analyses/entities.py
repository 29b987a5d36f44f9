"""Tasks with their linked entities, and entities with the provisions that mention them."""

from __future__ import annotations

from metrokg.errors import MetrokgError
from metrokg.kg.records.factview import (by_number, industry_context, load_concepts, load_facts, load_provision_infos,
                                         number_key, scheme_of)
from metrokg.kg.records.listing import check_document, list_documents
from metrokg.kg.store.base import Store
from metrokg.ontology.namespace import doc_iri

ENTITY_TYPES = {"industry": ("industry",), "quantity": ("quantity",), "instrument": ("instrument",),
                "actor": ("actor", "actortype"), "unit": ("unit",), "document": ("work",),
                "discipline": ("discipline",), "facility": ("facility",)}


def list_tasks(store: Store, industry: str | None = None, quantity: str | None = None,
               document: str | None = None) -> list[dict]:
    """Tasks with action, object, linked entities (IRI, label, scheme) and the industries they serve.

    ``industry`` matches the task's industries (its own, else its heading's, else its
    sentence's; narrower industries included); ``quantity`` (a quantity kind or a discipline)
    matches a quantity kind linked to the task directly or through an instrument. Both are read
    by :meth:`metrokg.ontology.vocab.Concepts.resolve`, as every command reads them.
    """
    check_document(store, document)
    concepts = load_concepts(store)
    provs = load_provision_infos(store, document)
    numbered = by_number(provs)
    want_ind = concepts.narrower_closure(concepts.resolve(industry, "industry")) if industry else None
    want_q = concepts.narrower_closure(concepts.resolve(quantity, "quantity")) if quantity else None
    out = []
    for t in load_facts(store, "task", document):
        prov = provs.get(t.provision)
        linked = list(dict.fromkeys(t.multi.get("concerns", []) + (prov.concepts_in(t.start, t.end) if prov else [])))
        industries, source = industry_context(numbered, prov, t.start, t.end) if prov else ([], "none")
        quantities = sorted(set().union(*(concepts.quantities_of(c) for c in linked))) if linked else []
        if want_ind is not None and not want_ind & set(industries):
            continue
        if want_q is not None and not want_q & set(quantities):
            continue
        deadline = t.get("deadlineYear")
        out.append({"iri": t.iri, "document": t.document, "number": t.number, "action": t.get("action"),
                    "object": t.get("object"), "deadline": int(deadline) if deadline is not None else None,
                    "entities": [{"iri": c, "label": concepts.label(c), "label_en": concepts.label_en(c),
                                  "type": scheme_of(c)} for c in linked],
                    "industries": [{"iri": i, "label": concepts.label(i)} for i in industries],
                    "industry_source": source,
                    "quantities": [{"iri": q, "label": concepts.label(q)} for q in quantities],
                    "text": t.text, "start": t.start, "end": t.end})
    out.sort(key=lambda r: (r["document"], number_key(r["number"]), r["start"]))
    return out


def list_entities(store: Store, type_: str | None = None) -> list[dict]:
    """Every entity the documents mention, with the provisions that mention it (most mentioned first).

    ``type_`` is one of :data:`ENTITY_TYPES`; ``document`` lists the ingested documents and
    the works (laws, plans, specifications) they cite, with the citing provisions.
    """
    if type_ is not None and type_ not in ENTITY_TYPES:
        raise MetrokgError("E333", value=type_, choices=", ".join(ENTITY_TYPES))
    concepts = load_concepts(store)
    provs = load_provision_infos(store)
    mentioned: dict[str, set[tuple[str, str]]] = {}
    for p in provs.values():
        for c in p.concepts:
            mentioned.setdefault(c, set()).add((p.document, p.number))
    schemes = set(ENTITY_TYPES[type_]) if type_ else None
    out = []
    for iri, where in mentioned.items():
        scheme = scheme_of(iri)
        if schemes is not None and scheme not in schemes:
            continue
        provisions = [{"document": d, "number": n} for d, n in sorted(where, key=lambda x: (x[0], number_key(x[1])))]
        out.append({"iri": iri, "label": concepts.label(iri), "label_en": concepts.label_en(iri),
                    "type": scheme, "count": len(provisions), "provisions": provisions})
    if type_ == "document":
        for d in list_documents(store):
            out.append({"iri": str(doc_iri(d["id"])), "label": d["title"], "label_en": None,
                        "type": "document", "count": d["provisions"], "provisions": [], "ingested": True})
    out.sort(key=lambda e: (-e["count"], e["type"] or "", e["label"] or ""))
    return out
