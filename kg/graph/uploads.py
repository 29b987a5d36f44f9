"""Uploaded documents: kept under generated names in a private folder, previewed, then ingested.

A web upload is untrusted: its name never becomes a path (files are stored as
``<token>.bin`` with a random hex token, and tokens are checked before use), its type is
decided on content and its size is limited by :func:`metrokg.nlp.reading.readers.read_bytes`.
A file the web server received is read only when it lies in the folder the server's own
upload route writes to (:func:`read_received`): a path a client names is never trusted, or
``/ingest`` would read any file on the server. A document replaces another only when the
caller asks to (:func:`write_upload`).
The preview runs the same reading, parsing and extraction as ``metrokg ingest``; adding
it to the graph goes through :func:`metrokg.kg.graph.ingest.write_documents`.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import RDF, URIRef

from metrokg.errors import MetrokgError
from metrokg.kg.graph.duplicates import resolve_duplicates
from metrokg.kg.graph.ingest import IngestResult, extract_facts, parse_raw, write_documents
from metrokg.kg.records.listing import list_documents
from metrokg.kg.store.base import Store
from metrokg.nlp.structure.document import ParsedDocument
from metrokg.nlp.reading.readers import check_upload_size, max_upload_bytes, read_bytes, safe_name
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
        check_upload_size(len(data), safe_name(name))
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


def received_file(path: object, root: str | Path) -> Path:
    """``path`` as a file inside ``root`` (the upload folder), else E257; a symbolic link is E258.

    Symbolic links are resolved before the containment check, so neither ``..`` nor a link
    leads out of the folder; the folder's own upload route never writes links.
    """
    shown = str(path)[:200]
    if not isinstance(path, str) or not path or "\0" in path:
        raise MetrokgError("E257", path=shown)
    p = Path(path)
    if not p.is_absolute() or ".." in p.parts:
        raise MetrokgError("E257", path=shown)
    try:
        inside = Path(root).resolve() in p.resolve().parents
    except (OSError, RuntimeError):  # a link loop, a name too long
        inside = False
    if not inside:  # checked before existence: no answer tells whether a file outside exists
        raise MetrokgError("E257", path=shown)
    if p.is_symlink():
        raise MetrokgError("E258", path=safe_name(p.name))
    if not p.exists():
        raise MetrokgError("E250")
    return p


def read_received(path: object, root: str | Path) -> bytes:
    """The bytes of an upload the server received under ``root``; never more than the upload limit.

    The file is opened without following a link and its size is checked on the open file, so
    what is read is what was checked (E257, E258; E170 when over ``METROKG_MAX_UPLOAD_MB``).
    """
    p = received_file(path, root)
    limit = max_upload_bytes()
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        if err.errno == errno.ENOENT:
            raise MetrokgError("E250") from None
        raise MetrokgError("E258", path=safe_name(p.name)) from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise MetrokgError("E258", path=safe_name(p.name))
        check_upload_size(info.st_size, safe_name(p.name), limit)
        data = f.read(limit + 1)  # a file that grew since is still cut at the limit
    check_upload_size(len(data), safe_name(p.name), limit)
    return data


def forget_received(path: str, root: str | Path) -> None:
    """Delete a received upload once it is in the graph (with the folder Gradio made for it)."""
    p = received_file(path, root)
    p.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: another upload with the same content
        if p.parent.resolve() != Path(root).resolve():
            p.parent.rmdir()


def parse_upload(data: bytes, name: str) -> ParsedDocument:
    """Read (content-typed, size-limited) and parse an upload, as ``ingest.prepare`` does for files."""
    return parse_raw(read_bytes(data, name))


# The kinds of extracted facts a preview counts (their superclasses, Fact and DeonticStatement, are not).
FACT_CLASSES = ("Task", "QuantitativeTarget", "Responsibility", "Obligation", "Prohibition", "Encouragement",
                "Permission", "Exploration", "Mention")


def fact_counts(triples) -> dict[str, int]:
    """How many extracted facts of each kind (Task, QuantitativeTarget, Obligation, ...) the triples type."""
    counts: Counter[str] = Counter()
    for _s, p, o in triples:
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


def write_upload(store: Store, doc: ParsedDocument, replace: bool = False) -> IngestResult:
    """Write one parsed upload; a document already in the graph is replaced only with ``replace``
    (else E260 names it and nothing is written)."""
    if not replace and graph_iri(doc.doc_id) in set(store.graph_iris()):
        titles = {d["id"]: d["title"] for d in list_documents(store)}
        raise MetrokgError("E260", doc_id=doc.doc_id, title=titles.get(doc.doc_id, doc.doc_id))
    docs, dups = resolve_duplicates(store, [doc], replace)
    if dups:
        raise dups[0].error()  # the same text or 文号 as another stored document (E415)
    (result,) = write_documents(store, docs)
    return result


def add_upload(store: Store, area: UploadArea, token: str, step: Step | None = None,
               replace: bool = False) -> IngestResult:
    """Write a stored upload into the graph (one transaction) and discard the stored copy."""
    step = step or (lambda _name, _frac: None)
    data, name = area.get(token)
    step("parse", 0.2)
    doc = parse_upload(data, name)
    step("write", 0.5)
    result = write_upload(store, doc, replace)
    area.discard(token)
    return result
