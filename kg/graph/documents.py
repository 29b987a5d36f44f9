"""A parsed document as RDF: the document node, its provisions and sentences.

IRIs come from the document id and the provision numbers only, so ingesting the same
document again yields the same triples (and the store sees no change).
"""

from __future__ import annotations

import hashlib
from typing import Callable

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from metrokg.kg.graph.citations import citation_triples
from metrokg.kg.store.base import Triple
from metrokg.nlp.structure.document import ParsedDocument
from metrokg.nlp.structure.metadata import KIND_CLASSES
from metrokg.ontology.namespace import MKG, doc_iri, doc_part_iri, provision_iri, sentence_iri, work_iri, work_key

WorkResolver = Callable[[str], URIRef | None]


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text, recorded for provenance."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_triples(doc: ParsedDocument) -> list[Triple]:
    """A law's history: one mkg:DocumentVersion per version printed under its title, in order."""
    d, out = doc_iri(doc.doc_id), []
    for order, v in enumerate(doc.versions):
        node = doc_part_iri(doc.doc_id, "version", str(order + 1))
        out += [(d, MKG.hasVersion, node), (node, RDF.type, MKG.DocumentVersion),
                (node, MKG.order, Literal(order)), (node, MKG.versionEvent, Literal(v.event)),
                (node, MKG.text, Literal(v.text))]
        fields = [(MKG.versionBody, v.body), (MKG.amendingDecision, v.decision), (MKG.documentNumber, v.order)]
        out.extend((node, p, Literal(x)) for p, x in fields if x)
        if v.date:
            out.append((node, MKG.versionDate, Literal(v.date, datatype=XSD.date)))
    return out


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
    for cls in dict.fromkeys(c for c in (doc.doc_type, KIND_CLASSES.get(doc.legal_kind or "")) if c):
        out.append((d, RDF.type, MKG[cls]))  # the form (实施意见) and the legal kind (PolicyDocument)
    out.extend(version_triples(doc))
    optional = [(MKG.issuerName, doc.issuer), (MKG.documentNumber, doc.document_number),
                (MKG.recipients, doc.recipients), (MKG.sourceFile, doc.source_file),
                (MKG.sourceFormat, doc.source_format)]
    out.extend((d, p, Literal(v)) for p, v in optional if v)
    dates = [(MKG.issued, doc.date), (MKG.effective, doc.effective), (MKG.promulgated, doc.promulgated)]
    out.extend((d, p, Literal(v, datatype=XSD.date)) for p, v in dates if v)
    out.extend((d, MKG.structureWarning, Literal(w)) for w in doc.warnings)
    for title in doc.implements:
        resolved = resolve_work(title) if resolve_work else None
        work = resolved or work_iri(work_key(title))
        out.append((d, MKG.implements, work))
        if resolved is None:
            out += [(work, RDF.type, MKG.Work), (work, MKG.title, Literal(title))]
    paths = {p.number: p.path for p in doc.provisions}  # a law's provisions are named by citation
    for order, p in enumerate(doc.provisions):
        iri = provision_iri(doc.doc_id, p.number, p.path)
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
            out.append((iri, MKG.parent, provision_iri(doc.doc_id, p.parent, paths.get(p.parent))))
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
    return out + citation_triples(doc)
