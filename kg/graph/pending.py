"""Parsed documents waiting in a batch to be checked and written, on disk past a size.

An ingest reads and parses every file before it writes anything (a refused file writes
nothing), so a large batch would hold every parsed document at once: about 80 bytes of Python
objects a character, 500 MB for 5 M characters. A :class:`PendingDocument` keeps in memory only
what checking and reporting need (id, title, 文号, hash, sizes, warnings); past
``spill_chars`` characters in a batch the parsed documents go to a temporary file, about 13
bytes a character as pickles, and each is read back once, by whoever extracts it (an extraction
worker reads its own), ten times faster than parsing it again.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from metrokg.kg.graph.documents import content_hash
from metrokg.nlp.structure.document import ParsedDocument


@dataclass
class PendingDocument:
    """A parsed document's summary, and the document itself in memory or at a place on disk.

    ``doc_id`` and ``warnings`` are the batch's to change (a replacing duplicate takes the stored
    document's id and a warning); :meth:`load` returns the document with them."""

    doc_id: str
    title: str
    source_file: str | None
    document_number: str | None
    implements: list[str]
    warnings: list[str]
    chars: int
    provision_count: int
    digest: str
    doc: ParsedDocument | None = field(default=None, repr=False)
    place: tuple[str, int, int] | None = None  # shelf file, offset, length

    @classmethod
    def of(cls, doc: ParsedDocument | PendingDocument) -> PendingDocument:
        """A pending document holding ``doc`` in memory (``doc`` itself when already pending)."""
        if isinstance(doc, PendingDocument):
            return doc
        return cls(doc.doc_id, doc.title, doc.source_file, doc.document_number, list(doc.implements),
                   doc.warnings, len(doc.text), len(doc.provisions), content_hash(doc.text), doc)

    def load(self) -> ParsedDocument:
        """The parsed document, read from the shelf when it was put there, with this batch's id and warnings."""
        doc = self.doc
        if doc is None:
            if self.place is None:
                raise RuntimeError(f"pending document {self.doc_id} holds neither a document nor a place")
            doc = pickle.loads(read_place(self.place))
        doc.doc_id, doc.warnings = self.doc_id, self.warnings
        return doc


class Spool:
    """Bytes kept in a temporary file until a batch is done, each read back by its place (by any
    process: :func:`read_place`); the file is removed on :meth:`close`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._file: tempfile._TemporaryFileWrapper | None = None

    def put(self, data: bytes) -> tuple[str, int, int]:
        """Keep ``data``; returns its place (file, offset, length)."""
        if self._file is None:
            self._file = tempfile.NamedTemporaryFile(prefix=self.prefix, delete=False)
        offset = self._file.tell()
        self._file.write(data)
        self._file.flush()  # readers (extraction workers) open the file by name
        return self._file.name, offset, len(data)

    def close(self) -> None:
        """Remove the file (nothing put can be read after this)."""
        if self._file is not None:
            self._file.close()
            Path(self._file.name).unlink(missing_ok=True)
            self._file = None

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_place(place: tuple[str, int, int]) -> bytes:
    """What :meth:`Spool.put` kept at ``place``."""
    path, offset, length = place
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.pread(fd, length, offset)
    finally:
        os.close(fd)


class DocumentShelf:
    """Where a batch's parsed documents wait: in memory up to ``spill_chars`` characters in all,
    then every one (those held so far too) in one temporary file, removed on :meth:`close`."""

    def __init__(self, spill_chars: int) -> None:
        self.spill_chars = spill_chars
        self.pending: list[PendingDocument] = []
        self._chars = 0
        self._spool = Spool("metrokg-batch-")
        self.spilled = False  # whether the documents are on disk

    def add(self, doc: ParsedDocument) -> PendingDocument:
        """Keep ``doc``; returns its pending summary."""
        entry = PendingDocument.of(doc)
        self.pending.append(entry)
        self._chars += entry.chars
        if not self.spilled and self._chars > self.spill_chars:
            self.spilled = True
            for held in self.pending:
                self._spill(held)
        elif self.spilled:
            self._spill(entry)
        return entry

    def _spill(self, entry: PendingDocument) -> None:
        entry.place = self._spool.put(pickle.dumps(entry.doc, protocol=pickle.HIGHEST_PROTOCOL))
        entry.doc = None

    def close(self) -> None:
        """Remove the file (the pending documents cannot be loaded after this)."""
        self._spool.close()

    def __enter__(self) -> DocumentShelf:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
