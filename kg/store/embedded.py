"""The embedded store: Oxigraph (RocksDB) in a directory, the default backend, and the checks
that keep a damaged store from being opened as if it were empty.

Opening is careful: a reader gets a read-only view that writes nothing (so it never creates,
changes or "repairs" a store); a writer checks an existing store the same way first. What the
file system and RocksDB report on failure becomes a coded error (E381 damaged, E382 full
disk, E383 other I/O) with the way to recover.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import XSD, URIRef
from rdflib.query import Result
from rdflib.term import Node

from metrokg.errors import MetrokgError
from metrokg.kg.store.base import (GENERATION, GRAPH_VERSION, PENDING, Store, Triple, bind_values, from_ox,
                                   generation_operations, nt, plain_from_ox, replace_operations, result_from_ox,
                                   to_ox)
from metrokg.ontology.namespace import META_GRAPH, STORE_NODE

log = logging.getLogger(__name__)


def _plain_rows(rows: Iterable[Iterable]) -> list[tuple]:
    """Rows of pyoxigraph terms as tuples of plain values, each distinct term converted once
    (predicates, classes and documents repeat on every row)."""
    memo: dict = {}
    out = []
    for terms in rows:
        row = []
        for t in terms:
            if t is None:
                row.append(None)
                continue
            v = memo.get(t)
            if v is None:
                v = memo[t] = plain_from_ox(t)
            row.append(v)
        out.append(tuple(row))
    return out


#: quads per call of Oxigraph's bulk loader: each call writes and ingests new table files, so one
#: call per graph cost 19 s of CPU for 272 graphs of 2 k quads (the 10x benchmark corpus's shape),
#: calls of 65 k quads 7 s; what a batch holds is bounded (about 13 MB as N-Quads, 30 MB as quads)
BULK_BATCH_QUADS = 65_536


class _BulkBatch:
    """Graphs for Oxigraph's bulk loader, gathered into few large calls instead of one per graph.

    N-Triples (as :func:`~metrokg.kg.store.base.ntriples` writes them: one statement a line,
    ending `` .``) become N-Quads naming their graph, loaded by Oxigraph without Python terms;
    Python triples become quads. Either kind is written once the batch holds
    :data:`BULK_BATCH_QUADS` quads, and the rest by :meth:`flush`."""

    def __init__(self, store: "EmbeddedStore") -> None:
        self.store = store
        self.text: list[bytes] = []
        self.quads: list[ox.Quad] = []
        self.size = 0
        self.term = _OxTerms()

    def add(self, graph: URIRef, triples: Iterable[Triple] | bytes) -> None:
        if isinstance(triples, bytes):
            lines = triples.count(b"\n")
            if triples.count(b" .\n") != lines or not triples.endswith(b"\n"):
                self._load_now(graph, triples)  # not one statement a line: loaded alone, as N-Triples
                return
            self.text.append(triples.replace(b" .\n", b" " + nt(graph).encode("utf-8") + b" .\n"))
            self.size += lines
        else:
            new = self.term.quads({graph: triples})
            self.term.memo.clear()  # terms of one graph; the next shares few but predicates
            self.quads += new
            self.size += len(new)
        if self.size >= BULK_BATCH_QUADS:
            self.flush()

    def _load_now(self, graph: URIRef, text: bytes) -> None:
        with self.store._guarded():
            self.store._db.bulk_load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph)))

    def flush(self) -> None:
        with self.store._guarded():
            if self.text:
                self.store._db.bulk_load(b"".join(self.text), format=ox.RdfFormat.N_QUADS)
            if self.quads:
                self.store._db.bulk_extend(self.quads)
        self.text, self.quads, self.size = [], [], 0


class _Aborted(Exception):
    """Raised into Oxigraph's transaction to abort it when the caller's iterator failed."""


class _OxTerms:
    """rdflib terms as pyoxigraph terms, each distinct term converted once (IRIs repeat)."""

    def __init__(self) -> None:
        self.memo: dict[Node, object] = {}

    def __call__(self, x: Node):
        t = self.memo.get(x)
        if t is None:
            t = self.memo[x] = to_ox(x)
        return t

    def quads(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> list:
        return [ox.Quad(self(s), self(p), self(o), self(g)) for g, ts in graphs.items() for s, p, o in ts]



# ----------------------------------------------------------------- the store's files

_MANIFEST_NAME = re.compile(r"MANIFEST-\d+")
RECOVERY = ("Nothing was changed. `metrokg doctor --store {path}` shows what is wrong (`--repair` rebuilds a missing "
            "CURRENT file); else restore a backup made with `metrokg export --format nq` "
            "(`metrokg restore FILE.nq --to NEW_DIR`) or rebuild into a new store (`metrokg build`, `metrokg ingest`).")


def has_database(db: Path) -> bool:
    """Whether an Oxigraph directory holds anything (an absent or empty folder is no store yet)."""
    try:
        return db.is_dir() and any(db.iterdir())
    except OSError:
        return True  # unreadable: let the open report it, never treat it as empty


def file_problems(db: Path) -> list[str]:
    """What is visibly wrong with an Oxigraph (RocksDB) directory, from the file system alone:
    the CURRENT pointer and the MANIFEST it names. Cheap (no file is opened but CURRENT);
    RocksDB checks the rest, such as the sizes of the tables the MANIFEST lists (an emptied
    table too), when the store is opened read-only. An empty table file is not a sign of damage
    by itself: a writer killed mid-flush leaves one that no MANIFEST lists, which RocksDB ignores
    and its next writer deletes."""
    problems: list[str] = []
    try:
        name = (db / "CURRENT").read_bytes().decode("ascii").strip()
    except FileNotFoundError:
        problems.append("its CURRENT file (which names the database's MANIFEST) is missing")
        name = None
    except (OSError, UnicodeDecodeError) as err:
        problems.append(f"its CURRENT file cannot be read ({err})")
        name = None
    if name is not None:
        manifest = db / name
        if not _MANIFEST_NAME.fullmatch(name):
            problems.append("its CURRENT file does not name a MANIFEST file")
        elif not manifest.is_file():
            problems.append(f"{name}, which CURRENT names, is missing")
        elif file_size(manifest) == 0:
            problems.append(f"{name} is empty")
    return problems


def file_size(path: Path) -> int | None:
    """A file's size, None when a writer's compaction removed it meanwhile."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def _reason(err: BaseException) -> str:
    """An error's text without the trailing full stop RocksDB puts there (the templates add theirs)."""
    return " ".join(str(err).split()).rstrip(". ") or type(err).__name__


def storage_error(path: Path | str, err: BaseException) -> MetrokgError | None:
    """The coded error for what Oxigraph or the file system raised on a store, or None when it
    is not a storage failure: a full disk, damaged files, other I/O errors."""
    text = _reason(err)
    if getattr(err, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "No space left" in text:
        return MetrokgError("E382", path=path, reason=text)
    if isinstance(err, RuntimeError) and text.startswith("Corruption"):
        return MetrokgError("E381", path=path, reason=text, recovery=RECOVERY.format(path=path))
    if isinstance(err, OSError):
        return MetrokgError("E383", path=path, reason=text)
    return None


def open_read_only(path: Path) -> ox.Store:
    """The store's database opened read-only, after the cheap file checks: writes nothing at
    all (works on read-only media), and a damaged store gives E381 with the way to recover.
    A failure is tried once more: a writer in another process may have just replaced the
    MANIFEST or compacted tables between our reads."""
    try:
        return _open_read_only(path)
    except MetrokgError:
        time.sleep(0.05)
    return _open_read_only(path)


def _open_read_only(path: Path) -> ox.Store:
    db = path / "oxigraph"
    problems = file_problems(db)
    if problems:
        raise MetrokgError("E381", path=path, reason="; ".join(problems), recovery=RECOVERY.format(path=path))
    try:
        return ox.Store.read_only(str(db))
    except (OSError, RuntimeError) as err:
        if isinstance(err, (FileNotFoundError, RuntimeError)):  # a file the MANIFEST names, or its contents
            raise MetrokgError("E381", path=path, reason=_reason(err), recovery=RECOVERY.format(path=path)) from None
        raise storage_error(path, err) from None


def _remove_bulk_leftovers(db: Path) -> None:
    """Delete the table files a killed bulk load wrote but never handed to RocksDB (``bulk-*.sst``:
    the database moves each in under a number of its own, so one left by name belongs to nothing).
    Only the writer, which holds the database's lock, does it."""
    for leftover in db.glob("bulk-*.sst"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def check_database(path: Path) -> None:
    """E381 (or E383) unless the store's database opens read-only; nothing is written."""
    open_read_only(path)  # the handle is released as soon as it is dropped


class EmbeddedStore(Store):
    """Oxigraph (RocksDB) in a directory; the default backend.

    One process may write at a time. Readers open a read-only view (a snapshot taken when
    opened) that writes nothing, so a reader never creates, changes or "repairs" a store;
    a writer first checks an existing store the same way, so a damaged one is refused
    instead of being replaced by an empty database.
    """

    def __init__(self, path: str | Path, read_only: bool = False, create: bool = True):
        self.path = Path(path)
        self.spec = str(self.path)
        self.index_dir = self.path / "index"
        self.read_only = read_only
        self._lock = threading.RLock()
        self._db = None
        db = self.path / "oxigraph"
        if self.path.exists() and not self.path.is_dir():
            raise MetrokgError("E011", path=self.path, reason="it is a file, not a directory")
        exists = has_database(db)
        if not exists and (read_only or not create):
            raise MetrokgError("E380", path=self.path)
        if read_only:
            self._db = open_read_only(self.path)
            return
        if exists:
            check_database(self.path)  # refuse a damaged store before RocksDB "recovers" it
        try:
            db.mkdir(parents=True, exist_ok=True)
            self._db = ox.Store(str(db))
        except (OSError, RuntimeError) as err:
            if "lock" in str(err).lower():
                raise MetrokgError("E012", path=self.path) from None
            raise storage_error(self.path, err) or MetrokgError("E011", path=self.path, reason=str(err)) from None
        _remove_bulk_leftovers(db)
        left = self._drop_pending()
        if left:
            log.warning("metrokg: removed %d graph(s) an interrupted bulk load had left half-written: %s",
                        len(left), ", ".join(left))

    @classmethod
    def open_spec(cls, spec: str, write: bool = False) -> "EmbeddedStore":
        """A reader gets a read-only snapshot (E380 when there is no store: reading never creates
        one); a writer creates the store if needed, and gets E012 while another process writes."""
        return cls(Path(os.path.expanduser(spec)), read_only=not write)

    @contextlib.contextmanager
    def _guarded(self) -> Iterator[None]:
        """Hold the store's lock around Oxigraph calls and turn storage failures (full disk,
        damaged files) into coded errors. Only wraps the calls, never a caller's code."""
        with self._lock:
            try:
                yield
            except (OSError, RuntimeError) as err:
                coded = storage_error(self.path, err)
                if coded is None:
                    raise
                raise coded from None

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              union: bool = True) -> Result:
        sparql = bind_values(sparql, bindings)
        try:
            with self._guarded():
                raw = self._db.query(sparql, use_default_graph_as_union=union)
                return result_from_ox(raw)
        except SyntaxError as err:
            raise MetrokgError("E020", reason=str(err)) from None

    def rows(self, sparql: str, bindings: Mapping[str, Node] | None = None,
             union: bool = True) -> list[tuple]:
        sparql = bind_values(sparql, bindings)
        try:
            with self._guarded():
                raw = self._db.query(sparql, use_default_graph_as_union=union)
                if not isinstance(raw, ox.QuerySolutions):
                    raise MetrokgError("E370", reason="only a SELECT query has rows")
                return _plain_rows(raw)
        except SyntaxError as err:
            raise MetrokgError("E020", reason=str(err)) from None

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]],
                       remove: Iterable[URIRef] = ()) -> None:
        if self.read_only:
            raise MetrokgError("E012", path=self.path)
        graphs = {g: list(ts) for g, ts in graphs.items()}  # a failing iterator writes nothing
        remove = [g for g in remove if g not in graphs]
        with self._guarded():
            gen = self.generation() + 1
            present = {g.value for g in self._db.named_graphs() if isinstance(g, ox.NamedNode)}
            if graphs and not remove and not any(str(g) in present for g in graphs):
                self._db.extend(self._new_graph_quads(graphs, gen))
            else:
                groups = replace_operations(graphs, remove)
                ops = [op for group in groups for op in group] + generation_operations(gen, graphs, remove)
                self._db.update(" ;\n".join(ops))
            self._db.flush()

    @staticmethod
    def _new_graph_quads(graphs: Mapping[URIRef, list[Triple]], gen: int) -> list[ox.Quad]:
        """Quads of graphs the store does not hold yet, with the new generation and stamps: added
        in one transaction without parsing SPARQL (twice as fast). The previous generation value
        stays until the next update replaces it; :meth:`generation` reads the largest."""
        term = _OxTerms()
        quads = term.quads(graphs)
        meta, version = term(META_GRAPH), term(GRAPH_VERSION)
        number = ox.Literal(str(gen), datatype=ox.NamedNode(str(XSD.integer)))
        quads.append(ox.Quad(term(STORE_NODE), term(GENERATION), number, meta))
        quads += [ox.Quad(term(g), version, number, meta) for g in graphs]
        return quads

    def add_graphs(self, graphs: Iterable[tuple[URIRef, Iterable[Triple]]]) -> list[URIRef]:
        """One ``extend`` transaction fed by a generator: each graph's quads are made as the caller
        yields it (extraction runs inside), then the generation and stamps, so what Python holds is
        one document's triples, not every new document's (Oxigraph buffers the transaction itself).
        A failure of the caller's iterator aborts the transaction and is raised as it was; the
        store's lock is held meanwhile, as in :meth:`bulk_writer`."""
        if self.read_only:
            raise MetrokgError("E012", path=self.path)
        written: list[URIRef] = []
        failure: list[BaseException] = []
        with self._lock:
            gen = self.generation() + 1
            present = {str(g) for g in self.graph_iris()}
            term = _OxTerms()
            meta, version = term(META_GRAPH), term(GRAPH_VERSION)
            number = ox.Literal(str(gen), datatype=ox.NamedNode(str(XSD.integer)))

            def quads() -> Iterator[ox.Quad]:
                items = iter(graphs)
                while True:
                    try:
                        item = next(items, None)
                        if item is None:
                            break
                        graph, triples = item
                        if str(graph) in present or graph in written:
                            raise ValueError(f"add_graphs only adds graphs the store does not hold: {graph}")
                        quads = term.quads({graph: triples})
                    except BaseException as err:  # the caller's failure, not the store's: kept as it is
                        failure.append(err)
                        raise _Aborted from None
                    written.append(graph)
                    yield from quads
                    term.memo.clear()  # terms of one document; the next shares few but predicates
                if written:
                    yield ox.Quad(term(STORE_NODE), term(GENERATION), number, meta)
                    yield from (ox.Quad(term(g), version, number, meta) for g in written)

            try:
                with self._guarded():
                    self._db.extend(quads())
                    self._db.flush()
            except _Aborted:
                raise failure[0] from None
        return written

    @contextlib.contextmanager
    def bulk_writer(self, graphs: Iterable[URIRef]) -> Iterator[Callable[[URIRef, Iterable[Triple] | bytes], None]]:
        """Oxigraph's bulk loader (several times faster than a transaction), made safe by marking
        the graphs as pending first: a failure drops them, and so does the next writer to open
        the store after a crash. Readers may see a pending graph's triples while it loads; the
        views skip pending documents. Graphs are loaded in batches (:class:`_BulkBatch`), the
        last when the caller is done."""
        graphs = list(graphs)
        if self.read_only:
            raise MetrokgError("E012", path=self.path)
        with self._lock:  # held while the caller writes; only the Oxigraph calls are guarded
            present = {str(g) for g in self.graph_iris()}
            if any(str(g) in present for g in graphs):
                raise ValueError("bulk_writer only adds graphs the store does not hold")
            m, pending = nt(META_GRAPH), nt(PENDING)
            if graphs:
                marks = " ".join(f"{nt(STORE_NODE)} {pending} {nt(g)} ." for g in graphs)
                with self._guarded():
                    self._db.update(f"INSERT DATA {{ GRAPH {m} {{ {marks} }} }}")
                    self._db.flush()
            written: list[URIRef] = []
            batch = _BulkBatch(self)

            def write(graph: URIRef, triples: Iterable[Triple] | bytes) -> None:
                if graph not in graphs:
                    raise ValueError(f"{graph} was not announced to bulk_writer")
                batch.add(graph, triples)
                written.append(graph)

            try:
                yield write
                batch.flush()
            except BaseException:
                self._drop_pending()
                raise
            if graphs:
                done = " ".join(nt(g) for g in graphs)
                ops = [f"DELETE {{ GRAPH {m} {{ ?s {pending} ?g }} }} WHERE {{ GRAPH {m} {{ ?s {pending} ?g }} "
                       f"VALUES ?g {{ {done} }} }}"]
                with self._guarded():
                    self._db.update(" ;\n".join(ops + generation_operations(self.generation() + 1, written)))
                    self._db.flush()

    def _drop_pending(self) -> list[str]:
        """Drop the graphs an interrupted bulk load left pending (and their marks); returns them."""
        with self._guarded():
            left = self.pending_graphs()
            if left:
                m, pending = nt(META_GRAPH), nt(PENDING)
                ops = [f"DROP SILENT GRAPH {nt(URIRef(g))}" for g in left]
                ops.append(f"DELETE {{ GRAPH {m} {{ ?s {pending} ?g }} }} WHERE {{ GRAPH {m} {{ ?s {pending} ?g }} }}")
                ops += generation_operations(self.generation() + 1, (), [URIRef(g) for g in left])
                self._db.update(" ;\n".join(ops))
                self._db.flush()
            return left

    def graph_iris(self) -> list[URIRef]:
        with self._guarded():
            return sorted(URIRef(g.value) for g in self._db.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_triples(self, graph: URIRef) -> Iterator[Triple]:
        with self._guarded():
            quads = list(self._db.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))))
        for q in quads:
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)

    def plain_triples(self, graph: URIRef) -> list[tuple]:
        with self._guarded():
            quads = list(self._db.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))))
        return _plain_rows((q.subject, q.predicate, q.object) for q in quads)

    def triple_counts(self) -> dict[str, int]:
        """One pass over every stored quad: RocksDB checks each block it reads."""
        counts: dict[str, int] = {}
        with self._guarded():
            for q in self._db.quads_for_pattern(None, None, None, None):
                if isinstance(q.graph_name, ox.NamedNode):
                    counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
        return dict(sorted(counts.items()))

    def read_all_indexes(self) -> int:
        """Read every quad through each of Oxigraph's other five quad indexes too (SPOG, POSG,
        OSPG, GPOS, GOSP), one lookup per distinct term, so a damaged block in any of them
        raises E381 (a full scan only reads GSPO). Through the quad API, never SPARQL: an
        aggregate over a damaged block makes pyoxigraph 0.5 allocate without end. Minutes on
        millions of triples. Returns the number of lookups."""
        patterns: set[tuple] = set()
        with self._guarded():
            for q in self._db.quads_for_pattern(None, None, None, None):
                g, s, p, o = q.graph_name, q.subject, q.predicate, q.object
                patterns.update(((s, None, None, None), (None, p, None, None), (None, None, o, None),
                                 (None, p, None, g), (None, None, o, g)))
            for pattern in patterns:
                for _ in self._db.quads_for_pattern(*pattern):
                    pass
        return len(patterns)

    def dump(self, fmt: str) -> bytes:
        formats = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
        with self._guarded():
            return self._db.dump(format=formats[fmt])

    def close(self) -> None:
        with self._guarded():
            db, self._db = getattr(self, "_db", None), None
            if db is not None and not self.read_only:
                db.flush()
