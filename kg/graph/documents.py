"""A parsed document as RDF: the document node, its provisions and sentences.

IRIs come from the document id and the provision numbers only, so ingesting the same
document again yields the same triples (and the store sees no change).
"""

from __future__ import annotations

import hashlib
from typing import Callable

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from metrokg.kg.store.base import Triple
from metrokg.nlp.structure.document import ParsedDocument
from metrokg.ontology.namespace import MKG, doc_iri, provision_iri, sentence_iri, work_iri, work_key

WorkResolver = Callable[[str], URIRef | None]


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text, recorded for provenance."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_triples(doc: ParsedDocument, resolve_work: WorkResolver | None = None) -> list[Triple]:
    """Every triple describing ``doc`` and its provisions (not the extracted facts)."""
    d = doc_iri(doc.doc_id)
    out: list[Triple] = [
        (d, RDF.type, MKG.Document),
        (d, MKG.documentId, Literal(doc.doc_id)),
        (d, MKG.title, Literal(doc.title)),
        (d, RDFS.label, Literal(doc.title, lang="zh")),
        (d, MKG.fullText, Literal(doc.text)),
        (d, MKG.contentHash, Literal(content_hash(doc.text))),
        (d, DCTERMS.language, Literal(doc.language)),
    ]
    if doc.doc_type:
        out.append((d, RDF.type, MKG[doc.doc_type]))
    optional = [(MKG.issuerName, doc.issuer), (MKG.documentNumber, doc.document_number),
                (MKG.recipients, doc.recipients), (MKG.sourceFile, doc.source_file),
                (MKG.sourceFormat, doc.source_format)]
    out.extend((d, p, Literal(v)) for p, v in optional if v)
    if doc.date:
        out.append((d, MKG.issued, Literal(doc.date, datatype=XSD.date)))
    out.extend((d, MKG.structureWarning, Literal(w)) for w in doc.warnings)
    for title in doc.implements:
        resolved = resolve_work(title) if resolve_work else None
        work = resolved or work_iri(work_key(title))
        out.append((d, MKG.implements, work))
        if resolved is None:
            out += [(work, RDF.type, MKG.Work), (work, MKG.title, Literal(title))]
    for order, p in enumerate(doc.provisions):
        iri = provision_iri(doc.doc_id, p.number)
        out += [
            (iri, RDF.type, MKG.Provision),
            (iri, MKG.inDocument, d),
            (iri, MKG.number, Literal(p.number)),
            (iri, MKG.heading, Literal(p.heading)),
            (iri, RDFS.label, Literal(f"{p.number} {p.heading}".strip(), lang="zh")),
            (iri, MKG.text, Literal(p.text)),
            (iri, MKG.start, Literal(p.start)),
            (iri, MKG.end, Literal(p.end)),
            (iri, MKG.level, Literal(p.level)),
            (iri, MKG.order, Literal(order)),
        ]
        if p.parent is not None:
            out.append((iri, MKG.parent, provision_iri(doc.doc_id, p.parent)))
        for s in p.sentences:
            si = sentence_iri(doc.doc_id, s.start)
            out += [
                (iri, MKG.hasSentence, si),
                (si, RDF.type, MKG.Sentence),
                (si, MKG.inDocument, d),
                (si, MKG.text, Literal(s.text)),
                (si, MKG.start, Literal(s.start)),
                (si, MKG.end, Literal(s.end)),
            ]
    return out
