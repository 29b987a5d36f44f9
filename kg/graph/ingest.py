"""Documents into the store: read, parse, extract, write one named graph each, atomically.

Every file of a call is read and parsed before anything is written; if one is refused,
nothing is written (a large batch waits on disk meanwhile: :mod:`metrokg.kg.graph.pending`).
The new graphs are compared with what the store holds, so ingesting the same document twice
changes nothing.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import re
import unicodedata
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

import orjson
from rdflib import Literal, URIRef

from metrokg import settings
from metrokg.errors import MetrokgError
from metrokg.kg.graph.documents import document_triples
from metrokg.kg.graph.entailment import ontology_schema
from metrokg.kg.graph.pending import DocumentShelf, PendingDocument, Spool, read_place
from metrokg.kg.records.factview import keep_written, written_records
from metrokg.kg.store.base import Store, Triple, ntriples, same_triples
from metrokg.nlp.structure.document import ParsedDocument
from metrokg.nlp.structure.parser import parse_document
from metrokg.ontology.namespace import MKG_PREFIX, VOCAB_GRAPHS, graph_iri

Progress = Callable[[str], None]

_VOCAB_GRAPHS = " ".join(f"<{g}>" for g in VOCAB_GRAPHS)
WORK_BY_TITLE = f"""
{MKG_PREFIX}
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?w WHERE {{
  VALUES ?g {{ {_VOCAB_GRAPHS} }}
  GRAPH ?g {{ {{ ?w mkg:title ?t }} UNION {{ ?w skos:prefLabel ?t }} UNION {{ ?w skos:altLabel ?t }} }}
  FILTER(STR(?t) = ?title)
}} LIMIT 1
"""


@dataclass
class IngestResult:
    """What happened to one document."""

    id: str
    title: str
    status: str  # added | replaced | unchanged | removed | duplicate (not written: see kg.graph.duplicates)
    provisions: int = 0
    facts: int = 0
    warnings: list[str] = field(default_factory=list)  # reading, structure and extraction ([W0xx]) warnings
    source: str | None = None

    @property
    def failures(self) -> int:
        """How many extraction failures (W001): facts missing because a component raised."""
        return sum(w.startswith("[W001]") for w in self.warnings)


def doc_id_for(name: str) -> str:
    """A stable, readable id from a file name: the ASCII slug of the stem as it is; a Chinese name in
    pinyin (湖北省计量发展规划.docx → hubeisheng-jiliang-fazhan-guihua-2ce0), cut at a word to 60
    characters, with 4 hex digits of the name's hash, since pinyin drops tones and characters (计量 and
    机梁 read the same); a name with no letters at all keeps ``doc-`` and its hash."""
    from metrokg.nlp.romanize import has_han, pinyin_words

    def _slug(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKC", text).lower()).strip("-")

    stem = Path(name).stem
    slug = _slug(stem)
    if slug and stem.isascii():
        return slug[:80]
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()
    if not has_han(stem):  # another script (Café, emoji): its ASCII letters and a hash, as before
        return f"{slug[:40]}-{digest[:10]}" if slug else f"doc-{digest[:10]}"
    readable = _slug(" ".join(pinyin_words(stem)))
    if len(readable) > 60:
        readable = readable[:61].rsplit("-", 1)[0] if "-" in readable[:61] else readable[:60]
    return f"{readable}-{digest[:4]}" if readable else f"doc-{digest[:10]}"


def extract_facts(doc: ParsedDocument) -> tuple[list[Triple], int]:
    """Triples of the facts the extraction pipeline finds in ``doc``, and how many facts.

    Lenient: a component that fails on a provision loses only its facts there, and a W001 warning
    saying so is added to ``doc.warnings`` (the ingest report counts them)."""
    from metrokg.kg.graph.facts_rdf import facts_to_triples

    facts = extraction().extract(doc, strict=False, warnings=doc.warnings)
    return list(facts_to_triples(doc.doc_id, facts, {p.number: p.path for p in doc.provisions})), len(facts)


def extraction():
    """The extraction pipeline's module, imported on first use (spaCy takes a second to import;
    the pipeline itself keeps torch away from thinc, see ``_import_spacy_without_torch``)."""
    from metrokg.nlp.extraction import pipeline

    return pipeline


def _work_resolver(store: Store) -> Callable[[str], URIRef | None]:
    def resolve(title: str) -> URIRef | None:
        for row in store.query(WORK_BY_TITLE, {"title": Literal(title)}):
            return URIRef(row[0])
        return None
    return resolve


def graph_for(store: Store, doc: ParsedDocument) -> tuple[list[Triple], int]:
    """All triples of a document's named graph, and how many came from extraction."""
    return _graph_of(doc, _work_resolver(store))


def _graph_of(doc: ParsedDocument, resolve_work: Callable[[str], URIRef | None]) -> tuple[list[Triple], int]:
    triples = document_triples(doc, resolve_work)
    facts, n_facts = extract_facts(doc) if doc.provisions else ([], 0)
    return triples + facts + document_entailments(triples + facts), n_facts


class Extracted(NamedTuple):
    """One document's graph as extraction hands it to the writer: Python triples, or N-Triples for a
    bulk loader (``records`` then holds its derived records as JSON, since the writer never sees
    its triples: they wait on disk until the load is committed, for they are bulky, about 50
    bytes a character)."""

    triples: list[Triple] | bytes
    facts: int
    warnings: list[str]
    records: bytes | None = None


def _extracted(doc: ParsedDocument, resolve_work: Callable[[str], URIRef | None], as_text: bool) -> Extracted:
    triples, n_facts = _graph_of(doc, resolve_work)
    if not as_text:
        return Extracted(triples, n_facts, doc.warnings)
    records = orjson.dumps(written_records(str(graph_iri(doc.doc_id)), triples))
    return Extracted(ntriples(triples), n_facts, doc.warnings, records)


def _graph_in_worker(pending: PendingDocument, works: dict[str, URIRef | None], as_text: bool) -> Extracted:
    """A document's graph built in a worker process, which reads the document from the batch's
    shelf itself; as N-Triples when it goes to a bulk loader (the text crosses processes and loads
    far faster than Python terms). The document's warnings go back with it: extraction added to
    this process's copy."""
    return _extracted(pending.load(), works.get, as_text)


def default_workers(docs: Sequence[PendingDocument]) -> int:
    """Processes for extraction: one per core (up to 4) for batches large enough to repay each
    process loading the pipeline (a few seconds); ``METROKG_WORKERS`` overrides."""
    setting = settings.get("METROKG_WORKERS")  # E016 unless a whole number, 1 or more
    if setting is not None:
        return int(setting)
    return min(os.cpu_count() or 1, 4) if sum(d.provision_count for d in docs) >= 1000 else 1


def extracted_graphs(store: Store, docs: Sequence[PendingDocument], workers: int = 1,
                     as_text: Sequence[bool] = ()) -> Iterator[Extracted]:
    """Each document's graph, in order; extraction runs in ``workers`` processes when there are
    several (works cited by title are resolved here first), which send back N-Triples and the
    derived records for the documents flagged in ``as_text``. A few documents at a time are
    handed to the workers, so finished graphs wait there rather than pile up here."""
    resolve = _work_resolver(store)
    flags = list(as_text) or [False] * len(docs)
    if workers <= 1 or len(docs) < 2:
        for pending, flag in zip(docs, flags):
            yield _extracted(pending.load(), resolve, flag)
        return
    works = {title: resolve(title) for doc in docs for title in doc.implements}
    extraction().load_pipeline()  # once, here: forked workers share it instead of each loading their own
    ontology_schema()
    # fork: no re-import of the caller's main module (scripts without a __main__ guard work), and the
    # children only run extraction: they never touch the store this process holds open
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    from metrokg.processes import die_with_parent

    # forked children hold both ends of the pool's pipes, so a killed parent leaves them waiting forever
    with ProcessPoolExecutor(max_workers=min(workers, len(docs)), mp_context=context,
                             initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        yield from _in_order(pool, _graph_in_worker, ((d, works, f) for d, f in zip(docs, flags)), 2 * workers)


def _in_order(pool: ProcessPoolExecutor, fn: Callable[..., Any], calls: Iterator[tuple],
              ahead: int) -> Iterator[Any]:
    """``fn`` over ``calls`` in the pool, results in order, with at most ``ahead`` calls submitted
    and not yet taken (``Executor.map`` submits every call at once and keeps every result)."""
    queue: deque[Future] = deque()
    for args in calls:
        queue.append(pool.submit(fn, *args))
        if len(queue) >= ahead:
            yield queue.popleft().result()
    while queue:
        yield queue.popleft().result()


def document_entailments(triples: list[Triple]) -> list[Triple]:
    """Inferred triples about a document's own nodes (kept in its graph, removed with it)."""
    return ontology_schema().entailments(triples)


def prepare(path: str | Path, doc_id: str | None = None,
            title: str | None = None) -> ParsedDocument:
    """Read and parse a file; raises MetrokgError for a file that cannot be ingested."""
    from metrokg.nlp.reading.readers import read_document

    return parse_raw(read_document(path), doc_id, title)


def parse_raw(raw, doc_id: str | None = None, title: str | None = None) -> ParsedDocument:
    """Parse a read document (file or upload), its reading warnings kept in front, and warnings
    (W157, W158) when dense search will embed only part of it."""
    from metrokg.kg.search.dense import embedding_warnings

    if not raw.text.strip():
        raise MetrokgError("E030", path=raw.source_name)
    doc = parse_document(raw.text, doc_id=doc_id or doc_id_for(raw.source_name), title=title,
                         source_file=raw.source_name, source_format=raw.format)
    doc.warnings = list(raw.warnings) + doc.warnings + embedding_warnings(doc.provisions)
    return doc


def write_documents(store: Store, docs: Sequence[ParsedDocument | PendingDocument], progress: Progress | None = None,
                    bulk: bool = False, workers: int | None = None) -> list[IngestResult]:
    """Write the documents' graphs in one transaction; unchanged ones are left alone.

    When none of them is in the store yet, each graph goes to the store as it is extracted
    (:meth:`Store.add_graphs`: still one transaction, and Python holds one document's triples);
    otherwise all are compared and written together at the end. ``bulk`` adds new documents
    through the store's bulk loader as each is extracted (much faster on the embedded store, not
    isolated from readers; a failure or crash removes them again); replaced ones still go in one
    transaction at the end. New documents of more than ``METROKG_TRANSACTION_MAX_CHARS``
    characters in all are loaded that way too: Oxigraph holds a transaction's writes in memory
    (measured: 1.5 KB a quad), the bulk loader one document's, so peak memory stays flat.
    Every written graph's derived records are kept for its new version, so the search index
    reads none of them back."""
    pending = [PendingDocument.of(d) for d in docs]
    existing = set(store.graph_iris())
    workers = default_workers(pending) if workers is None else workers
    bulk = bulk or sum(d.chars for d in pending if graph_iri(d.doc_id) not in existing) > int(
        settings.get("METROKG_TRANSACTION_MAX_CHARS"))
    results: list[IngestResult] = []
    records: list[tuple[str, dict]] = []
    if not bulk and not any(graph_iri(d.doc_id) in existing for d in pending):
        store.add_graphs(_streamed(store, pending, max(1, workers), progress, results, records))
        keep_written(store, records)
        return results
    new = [graph_iri(d.doc_id) for d in pending if graph_iri(d.doc_id) not in existing] if bulk else []
    graphs: dict[URIRef, list[Triple]] = {}
    with Spool("metrokg-records-") as spool:
        spooled: list[tuple[str, tuple[str, int, int]]] = []
        with store.bulk_writer(new) as add:
            as_text = [graph_iri(d.doc_id) in new for d in pending]
            for doc, out in zip(pending, extracted_graphs(store, pending, max(1, workers), as_text)):
                if progress:
                    progress(doc.doc_id)
                g = graph_iri(doc.doc_id)
                status = "added"
                if g in existing:
                    status = "unchanged" if same_triples(store.graph_triples(g), out.triples) else "replaced"
                if g in new:
                    add(g, out.triples)
                    spooled.append((str(g), spool.put(out.records)))  # type: ignore[arg-type]  # as_text
                elif status != "unchanged":
                    graphs[g] = out.triples  # type: ignore[assignment]  # not as_text, so Python triples
                results.append(_result(doc, status, out.facts, out.warnings))
            if graphs:
                store.replace_graphs(graphs)
        # once committed, for the stamps the write gave; the spooled ones read back one at a time
        keep_written(store, itertools.chain(((str(g), written_records(str(g), t)) for g, t in graphs.items()),
                                            ((g, orjson.loads(read_place(place))) for g, place in spooled)))
    return results


def _streamed(store: Store, docs: Sequence[PendingDocument], workers: int, progress: Progress | None,
              results: list[IngestResult], records: list[tuple[str, dict]]) -> Iterator[tuple[URIRef, list[Triple]]]:
    """New documents' graphs one at a time as extraction gives them, each result noted on the way,
    and each document's derived records (:func:`written_records`: kept once the write commits, so
    the search index need not read the graphs back)."""
    for doc, out in zip(docs, extracted_graphs(store, docs, workers)):
        if progress:
            progress(doc.doc_id)
        results.append(_result(doc, "added", out.facts, out.warnings))
        g = graph_iri(doc.doc_id)
        records.append((str(g), written_records(str(g), out.triples)))  # type: ignore[arg-type]  # Python triples
        yield g, out.triples  # type: ignore[misc]  # not as_text, so Python triples


def _result(doc: PendingDocument, status: str, n_facts: int, warnings: list[str]) -> IngestResult:
    return IngestResult(doc.doc_id, doc.title, status, doc.provision_count, n_facts, list(warnings), doc.source_file)


def ingest_paths(store: Store, paths: Iterable[str | Path], progress: Progress | None = None,
                 bulk: bool = False, workers: int | None = None, replace: bool = False) -> list[IngestResult]:
    """Ingest files: all are read and parsed first, then written together (all or nothing;
    with ``bulk``, see :func:`write_documents`). A duplicate of a stored document (same text or
    文号) is left out, or with ``replace`` written in its place (:mod:`metrokg.kg.graph.duplicates`).
    Past ``METROKG_TRANSACTION_MAX_CHARS`` characters the parsed documents wait on disk."""
    from metrokg.kg.graph.duplicates import resolve_duplicates

    with DocumentShelf(int(settings.get("METROKG_TRANSACTION_MAX_CHARS"))) as shelf:
        docs = [shelf.add(prepare(p)) for p in paths]
        seen: dict[str, str] = {}
        for d in docs:
            if d.doc_id in seen:
                raise MetrokgError("E014", doc_id=d.doc_id, first=seen[d.doc_id], second=d.source_file)
            seen[d.doc_id] = d.source_file or d.doc_id
        docs, dups = resolve_duplicates(store, docs, replace)
        return write_documents(store, docs, progress, bulk, workers) + [
            IngestResult(d.doc.doc_id, d.doc.title, "duplicate", warnings=[d.message(replaced=False)],
                         source=d.doc.source_file) for d in dups]


def remove_document(store: Store, doc_id: str) -> IngestResult:
    """Remove a document's named graph as a whole."""
    g = graph_iri(doc_id)
    if g not in set(store.graph_iris()):
        raise MetrokgError("E010", doc_id=doc_id)
    store.remove_graphs([g])
    return IngestResult(doc_id, "", "removed")
