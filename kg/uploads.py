"""Uploaded documents: kept under generated names in a private folder, previewed, then ingested.

A web upload is untrusted: its name never becomes a path (files are stored as
``<token>.bin`` with a random hex token, and tokens are checked before use), its type is
decided on content and its size is limited by :func:`metrokg.nlp.readers.read_bytes`.
The preview runs the same reading, parsing and extraction as ``metrokg ingest``; adding
it to the graph goes through :func:`metrokg.kg.ingest.write_documents`.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import RDF, URIRef

from metrokg.errors import MetrokgError
from metrokg.kg.ingest import IngestResult, extract_facts, parse_raw, write_documents
from metrokg.kg.store import Store
from metrokg.nlp.document import ParsedDocument
from metrokg.nlp.readers import max_upload_bytes, read_bytes, safe_name
from metrokg.ontology.namespace import MKG, graph_iri

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
Step = Callable[[str, float], None]


@dataclass
class UploadPreview:
    """What adding an upload would put in the graph."""

    token: str
    id: str
    title: str
    format: str
    source_name: str
    provisions: list[dict]
    facts: dict[str, int]
    replaces: bool
    warnings: list[str] = field(default_factory=list)


class UploadArea:
    """A private temporary folder of uploads, each under a generated name."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="metrokg-uploads-"))
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, name: str) -> str:
        """Store an upload (size checked first); returns its token."""
        limit = max_upload_bytes()
        if len(data) > limit:
            read_bytes(data, name, max_bytes=limit)  # raises the readers' size error (E170)
        token = secrets.token_hex(16)
        (self.root / f"{token}.bin").write_bytes(data)
        (self.root / f"{token}.json").write_text(json.dumps({"name": safe_name(name)}), encoding="utf-8")
        return token

    def _paths(self, token: str) -> tuple[Path, Path]:
        if not isinstance(token, str) or not _TOKEN.match(token):
            raise MetrokgError("E250")
        data, meta = self.root / f"{token}.bin", self.root / f"{token}.json"
        if not data.exists():
            raise MetrokgError("E250")
        return data, meta

    def get(self, token: str) -> tuple[bytes, str]:
        """The bytes and the (base) name of an upload."""
        data, meta = self._paths(token)
        return data.read_bytes(), json.loads(meta.read_text(encoding="utf-8"))["name"]

    def discard(self, token: str) -> None:
        try:
            data, meta = self._paths(token)
        except MetrokgError:
            return
        data.unlink(missing_ok=True)
        meta.unlink(missing_ok=True)

    def cleanup(self) -> None:
        """Remove the whole folder (at server shutdown)."""
        shutil.rmtree(self.root, ignore_errors=True)


def read_upload(path: str | Path) -> bytes:
    """The bytes of a file the web server received, refused (E170) when over the upload limit."""
    p = Path(path)
    limit = max_upload_bytes()
    size = p.stat().st_size
    if size > limit:
        raise MetrokgError("E170", path=safe_name(p.name), size_mb=size / 1048576, limit_mb=limit / 1048576,
                           setting="METROKG_MAX_UPLOAD_MB")
    return p.read_bytes()


def parse_upload(data: bytes, name: str) -> ParsedDocument:
    """Read (content-typed, size-limited) and parse an upload, as ``ingest.prepare`` does for files."""
    return parse_raw(read_bytes(data, name))


# The kinds of extracted facts a preview counts (their superclasses, Fact and DeonticStatement, are not).
FACT_CLASSES = ("Task", "QuantitativeTarget", "Responsibility", "Obligation", "Prohibition", "Encouragement",
                "Permission", "Exploration", "Mention")


def fact_counts(triples) -> dict[str, int]:
    """How many extracted facts of each kind (Task, QuantitativeTarget, Obligation, ...) the triples type."""
    counts: Counter[str] = Counter()
    for s, p, o in triples:
        if p == RDF.type and isinstance(o, URIRef) and str(o).startswith(str(MKG)):
            name = str(o)[len(str(MKG)):]
            if name in FACT_CLASSES:
                counts[name] += 1
    return {name: counts[name] for name in FACT_CLASSES if counts[name]}


def preview_upload(store: Store, area: UploadArea, token: str, step: Step | None = None) -> UploadPreview:
    """Read, parse and extract one stored upload without writing anything."""
    step = step or (lambda _name, _frac: None)
    step("read", 0.1)
    data, name = area.get(token)
    step("parse", 0.3)
    doc = parse_upload(data, name)
    step("extract", 0.6)
    facts, _count = extract_facts(doc) if doc.provisions else ([], 0)
    provisions = [{"number": p.number, "heading": p.heading} for p in doc.provisions]
    return UploadPreview(token=token, id=doc.doc_id, title=doc.title, format=doc.source_format or "",
                         source_name=name, provisions=provisions, facts=fact_counts(facts),
                         replaces=graph_iri(doc.doc_id) in set(store.graph_iris()),
                         warnings=list(doc.warnings))


def add_upload(store: Store, area: UploadArea, token: str, step: Step | None = None) -> IngestResult:
    """Write a stored upload into the graph (one transaction) and discard the stored copy."""
    step = step or (lambda _name, _frac: None)
    data, name = area.get(token)
    step("parse", 0.2)
    doc = parse_upload(data, name)
    step("write", 0.5)
    (result,) = write_documents(store, [doc])
    area.discard(token)
    return result
