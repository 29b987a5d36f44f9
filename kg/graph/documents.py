"""A parsed document as RDF: the document node, its provisions and sentences.

IRIs come from the document id and the provision numbers only, so ingesting the same
document again yields the same triples (and the store sees no change).
"""

from __future__ import annotations

import hashlib
from typing import Callable

from rdflib import RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from metrokg.kg.graph.citations import citation_triples
from metrokg.kg.graph.facts_rdf import TYPE, M, lit
from metrokg.kg.store.base import Triple
from metrokg.nlp.structure.document import ParsedDocument
from metrokg.nlp.structure.metadata import KIND_CLASSES
from metrokg.ontology.namespace import MKG, doc_iri, doc_part_iri, provision_iri, sentence_iri, work_iri, work_key

WorkResolver = Callable[[str], URIRef | None]
LABEL = RDFS.label  # looked up once (see ResolvedTerms)


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text, recorded for provenance."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_triples(doc: ParsedDocument) -> list[Triple]:
    """A law's history: one mkg:DocumentVersion per version printed under its title, in order."""
    d, out = doc_iri(doc.doc_id), []
    for order, v in enumerate(doc.versions):
        node = doc_part_iri(doc.doc_id, "version", str(order + 1))
        out += [(d, M.hasVersion, node), (node, TYPE, M.DocumentVersion),
                (node, M.order, lit(order)), (node, M.versionEvent, lit(v.event)),
                (node, M.text, Literal(v.text))]
        fields = [(M.versionBody, v.body), (M.amendingDecision, v.decision), (M.documentNumber, v.order)]
        out.extend((node, p, Literal(x)) for p, x in fields if x)
        if v.date:
            out.append((node, M.versionDate, Literal(v.date, datatype=XSD.date)))
    return out


def document_triples(doc: ParsedDocument, resolve_work: WorkResolver | None = None) -> list[Triple]:
    """Every triple describing ``doc`` and its provisions (not the extracted facts)."""
    d = doc_iri(doc.doc_id)
    out: list[Triple] = [
        (d, TYPE, M.Document),
        (d, M.documentId, lit(doc.doc_id)),
        (d, M.title, Literal(doc.title)),
        (d, LABEL, Literal(doc.title, lang="zh")),
        (d, M.fullText, Literal(doc.text)),
        (d, M.contentHash, Literal(content_hash(doc.text))),
        (d, DCTERMS.language, lit(doc.language)),
    ]
    for cls in dict.fromkeys(c for c in (doc.doc_type, KIND_CLASSES.get(doc.legal_kind or "")) if c):
        out.append((d, TYPE, MKG[cls]))  # the form (实施意见) and the legal kind (PolicyDocument)
    out.extend(version_triples(doc))
    optional = [(M.issuerName, doc.issuer), (M.documentNumber, doc.document_number),
                (M.recipients, doc.recipients), (M.sourceFile, doc.source_file),
                (M.sourceFormat, doc.source_format)]
    out.extend((d, p, Literal(v)) for p, v in optional if v)
    dates = [(M.issued, doc.date), (M.effective, doc.effective), (M.promulgated, doc.promulgated)]
    out.extend((d, p, Literal(v, datatype=XSD.date)) for p, v in dates if v)
    out.extend((d, M.structureWarning, Literal(w)) for w in doc.warnings)
    for title in doc.implements:
        resolved = resolve_work(title) if resolve_work else None
        work = resolved or work_iri(work_key(title))
        out.append((d, M.implements, work))
        if resolved is None:
            out += [(work, TYPE, M.Work), (work, M.title, Literal(title))]
    paths = {p.number: p.path for p in doc.provisions}  # a law's provisions are named by citation
    for order, p in enumerate(doc.provisions):
        iri = provision_iri(doc.doc_id, p.number, p.path)
        out += [
            (iri, TYPE, M.Provision),
            (iri, M.inDocument, d),
            (iri, M.number, lit(p.number)),
            (iri, M.heading, Literal(p.heading)),
            (iri, LABEL, Literal(f"{p.number} {p.heading}".strip(), lang="zh")),
            (iri, M.text, Literal(p.text)),
            (iri, M.start, lit(p.start)),
            (iri, M.end, lit(p.end)),
            (iri, M.level, lit(p.level)),
            (iri, M.order, lit(order)),
        ]
        if p.parent is not None:
            out.append((iri, M.parent, provision_iri(doc.doc_id, p.parent, paths.get(p.parent))))
        for s in p.sentences:
            si = sentence_iri(doc.doc_id, s.start)
            out += [
                (iri, M.hasSentence, si),
                (si, TYPE, M.Sentence),
                (si, M.inDocument, d),
                (si, M.text, Literal(s.text)),
                (si, M.start, lit(s.start)),
                (si, M.end, lit(s.end)),
            ]
    return out + citation_triples(doc)
