"""The graph store: a small interface with swappable backends, in the style of rdflib's Store.

Everything metrokg knows lives in named graphs: one per document, one for the ontology and
vocabularies, one for inferred triples, one for the specification catalogue. Writes replace
whole named graphs in one transaction, so a crash leaves either the old or the new state.
Queries take user values as bound variables (``bindings``), never pasted into the text.

Backends: :class:`EmbeddedStore` (Oxigraph on disk, the default) here; remote SPARQL 1.1
endpoints in :mod:`metrokg.kg.store.remote`. :func:`open_store` picks one from a store spec.
"""

from __future__ import annotations

import abc
import contextlib
import errno
import logging
import functools
import os
import re
import threading
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from metrokg.config import default_store
from metrokg.errors import MetrokgError

log = logging.getLogger(__name__)
Triple = tuple[Node, Node, Node]
META_GRAPH = URIRef("https://w3id.org/metrokg/graph/meta")
STORE_NODE = URIRef("https://w3id.org/metrokg/store")
GENERATION = URIRef("https://w3id.org/metrokg/store#generation")
GRAPH_VERSION = URIRef("https://w3id.org/metrokg/store#graphVersion")  # generation that wrote a graph
PENDING = URIRef("https://w3id.org/metrokg/store#pendingGraph")  # a graph a bulk load is still adding


# ----------------------------------------------------------------- term conversion

def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term) -> Node | None:
    """A pyoxigraph term as an rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unsupported term: {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Lit(str):
    """A literal as a plain string (its lexical form) that still knows its language and datatype.

    Returned by :meth:`Store.rows`, the fast path for internal readers: ``str(x)`` is what
    ``str()`` of the rdflib Literal gives, and :meth:`toPython` what rdflib's would (an
    ill-typed or language-tagged literal gives its text).
    """

    language: str | None
    datatype: str | None  # None for plain and language-tagged strings, as in rdflib

    def toPython(self):  # noqa: N802 - rdflib's name, so callers read the same
        return literal_python(str(self), self.datatype)


def make_lit(text: str, language: str | None, datatype: str | None) -> Lit:
    lit = Lit(text)
    lit.language = language or None
    lit.datatype = None if datatype in (None, _XSD_STRING, _LANG_STRING) else datatype
    return lit


@functools.lru_cache(maxsize=65536)
def literal_python(text: str, datatype: str | None):
    """rdflib's ``Literal.toPython()`` of a typed literal (memoised: offsets, years and scores repeat)."""
    if datatype is None:
        return text
    value = Literal(text, datatype=URIRef(datatype)).toPython()
    return text if isinstance(value, Literal) else value


def plain_from_rdflib(term: Node | None):
    """An rdflib term as a plain value: IRIs and blank nodes as ``str``, literals as :class:`Lit`."""
    if term is None:
        return None
    if isinstance(term, Literal):
        return make_lit(str(term), term.language, str(term.datatype) if term.datatype else None)
    return str(term)


def plain_from_ox(term):
    """A pyoxigraph term as a plain value (see :func:`plain_from_rdflib`)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return make_lit(term.value, term.language, term.datatype.value)
    return term.value


def ntriples(triples: Iterable[Triple]) -> bytes:
    """Triples as N-Triples (terms escaped by Oxigraph), for bulk loads and Graph Store uploads."""
    memo: dict[Node, str] = {}

    def term(x: Node) -> str:
        t = memo.get(x)
        if t is None:
            t = memo[x] = nt(x)
        return t

    return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples).encode("utf-8")


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


def nt(term: Node) -> str:
    """N-Triples/SPARQL syntax of a term, escaped by Oxigraph (safe to embed in updates)."""
    return str(to_ox(term))


_SKIP = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def bind_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """The query with ``bindings`` joined in as a ``VALUES`` block opening its WHERE clause.

    Values are serialised by Oxigraph (escaped), never pasted as raw text, so a user's
    search term stays a literal whatever it contains. Works on every SPARQL 1.1 backend.
    """
    if not bindings:
        return sparql
    names = list(bindings)
    block = (" VALUES (" + " ".join("?" + n for n in names) + ") { ("
             + " ".join(nt(bindings[n]) for n in names) + ") } ")
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), sparql)
    start = 0
    construct = re.search(r"\bCONSTRUCT\b", masked, re.IGNORECASE)
    if construct:
        where = re.search(r"\bWHERE\b", masked[construct.end():], re.IGNORECASE)
        start = construct.end() + (where.end() if where else 0)
    brace = masked.find("{", start)
    if brace < 0:
        raise MetrokgError("E020", reason="no WHERE clause to bind values into")
    return sparql[:brace + 1] + block + sparql[brace + 1:]


INSERT_CHUNK = 2000  # triples per INSERT DATA operation (Virtuoso's parser gives up near 5000)


def _has_bnode(t: Triple) -> bool:
    return isinstance(t[0], BNode) or isinstance(t[2], BNode)


def triple_chunks(triples: Iterable[Triple], size: int = INSERT_CHUNK) -> Iterator[list[Triple]]:
    """Triples in chunks of at most ``size``; triples with blank nodes all go in the first chunk,
    because a blank node label only means the same node within one operation or document."""
    bnodes: list[Triple] = []
    plain: list[Triple] = []
    for t in triples:
        (bnodes if _has_bnode(t) else plain).append(t)
    if bnodes:
        yield bnodes
    for i in range(0, len(plain), size):
        yield plain[i:i + size]


def replace_operations(graphs: Mapping[URIRef, Iterable[Triple]],
                       remove: Iterable[URIRef] = ()) -> list[list[str]]:
    """SPARQL 1.1 Update operations that replace ``graphs`` and drop ``remove``: one list per graph.

    Shared by every backend so they write the same way; joined with ``" ;\\n"`` they form one
    update request. All triples are serialised before anything is sent, so a failing iterator
    writes nothing.
    """
    groups = [[f"DROP SILENT GRAPH {nt(g)}"] for g in remove]
    for g, triples in graphs.items():
        ops = [f"DROP SILENT GRAPH {nt(g)}"]
        for chunk in triple_chunks(triples):
            body = " .\n".join(f"{nt(s)} {nt(p)} {nt(o)}" for s, p, o in chunk)
            if _has_bnode(chunk[0]):  # a template, not DATA: Virtuoso refuses blank nodes in INSERT DATA
                ops.append(f"INSERT {{ GRAPH {nt(g)} {{\n{body} .\n}} }} WHERE {{}}")
            else:
                ops.append(f"INSERT DATA {{ GRAPH {nt(g)} {{\n{body} .\n}} }}")
        groups.append(ops)
    return groups


def generation_operations(gen: int, written: Iterable[URIRef] = (), removed: Iterable[URIRef] = ()) -> list[str]:
    """Operations that set the store's generation to ``gen`` and stamp each written graph with it
    (the meta graph), so derived records of unchanged graphs stay valid across writes."""
    m, gp, vp = nt(META_GRAPH), nt(GENERATION), nt(GRAPH_VERSION)
    written = list(written)
    ops = [f"DELETE {{ GRAPH {m} {{ ?s {gp} ?o }} }} WHERE {{ GRAPH {m} {{ ?s {gp} ?o }} }}"]
    touched = " ".join(nt(g) for g in (*written, *removed))
    if touched:
        ops.append(f"DELETE {{ GRAPH {m} {{ ?g {vp} ?v }} }} WHERE {{ GRAPH {m} {{ ?g {vp} ?v }} VALUES ?g {{ {touched} }} }}")
    stamps = "".join(f" {nt(g)} {vp} {gen} ." for g in written)
    ops.append(f"INSERT DATA {{ GRAPH {m} {{ {nt(STORE_NODE)} {gp} {gen} .{stamps} }} }}")
    return ops


_NUMERIC = {str(XSD.decimal): "decimal", str(XSD.double): "float", str(XSD.float): "float"}


def canonical(term: Node) -> Node:
    """A numeric literal in one lexical form ("0.90" and "0.9" are the same decimal), because
    stores write numbers back in their own form (Virtuoso prints doubles to 15 digits)."""
    kind = _NUMERIC.get(str(term.datatype)) if isinstance(term, Literal) else None
    if kind is None:
        return term
    try:
        if kind == "decimal":
            text = format(Decimal(str(term)).normalize(), "f")
        else:
            text = format(float(str(term)), ".15g")  # DBL_DIG: what every store prints back faithfully
    except (InvalidOperation, ValueError):
        return term
    return Literal(text, datatype=term.datatype)


def same_triples(old: Iterable[Triple], new: Iterable[Triple]) -> bool:
    """Whether two graphs are the same, blank node labels and numeric spelling aside
    (so rewrites can be skipped)."""
    old = {(s, p, canonical(o)) for s, p, o in old}
    new = {(s, p, canonical(o)) for s, p, o in new}
    if len(old) != len(new):
        return False
    if not any(isinstance(x, BNode) for t in new for x in t):
        return old == new
    from rdflib.compare import isomorphic

    g_old, g_new = Graph(), Graph()
    for t in old:
        g_old.add(t)
    for t in new:
        g_new.add(t)
    return isomorphic(g_old, g_new)


# ----------------------------------------------------------------- interface

class Store(abc.ABC):
    """What metrokg needs from a graph store."""

    spec: str
    index_dir: Path  # where derived indexes (search, embeddings cache) of this store live

    @abc.abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              union: bool = True) -> Result:
        """Run a SPARQL query; ``bindings`` maps variable names to terms bound before evaluation.

        With ``union`` the default graph is the union of all named graphs.
        """

    @abc.abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]],
                       remove: Iterable[URIRef] = ()) -> None:
        """Replace each named graph by the given triples and drop ``remove``, all in one transaction."""

    @abc.abstractmethod
    def graph_iris(self) -> list[URIRef]:
        """IRIs of the named graphs in the store."""

    @abc.abstractmethod
    def graph_triples(self, graph: URIRef) -> Iterator[Triple]:
        """Every triple of one named graph."""

    @abc.abstractmethod
    def dump(self, fmt: str) -> bytes:
        """The whole dataset serialised as ``nq`` or ``trig``."""

    def close(self) -> None:
        """Release the store."""

    def rows(self, sparql: str, bindings: Mapping[str, Node] | None = None,
             union: bool = True) -> list[tuple]:
        """A SELECT query's solutions as tuples of plain values, in the order of its variables.

        The fast path for metrokg's own readers, which only need text and numbers: IRIs and
        blank nodes come back as ``str``, literals as :class:`Lit`, unbound variables as None.
        Backends may override it to skip building rdflib terms.
        """
        res = self.query(sparql, bindings, union)
        if res.type != "SELECT":
            raise MetrokgError("E370", reason=f"a {res.type} query has no rows")
        names = list(res.vars or [])
        return [tuple(plain_from_rdflib(b.get(v)) for v in names) for b in res.bindings]

    @contextlib.contextmanager
    def bulk_writer(self, graphs: Iterable[URIRef]) -> Iterator[Callable[[URIRef, Iterable[Triple] | bytes], None]]:
        """A writer that adds new graphs one at a time (as triples or N-Triples), for large loads. Here they are collected
        and written in one transaction at the end; backends with a faster, non-transactional
        loader override it (and roll back what a failure leaves)."""
        graphs = list(graphs)
        collected: dict[URIRef, list[Triple]] = {}

        def write(graph: URIRef, triples: Iterable[Triple] | bytes) -> None:
            if graph not in graphs:
                raise ValueError(f"{graph} was not announced to bulk_writer")
            if isinstance(triples, bytes):  # N-Triples, as extraction workers send them
                triples = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                           for t in ox.parse(triples, format=ox.RdfFormat.N_TRIPLES)]
            collected[graph] = list(triples)

        yield write
        if collected:
            self.replace_graphs(collected)

    # ---- shared helpers built on the primitives

    def remove_graphs(self, graphs: Iterable[URIRef]) -> None:
        """Drop named graphs in one transaction."""
        self.replace_graphs({}, remove=graphs)

    def generation(self) -> int:
        """A counter bumped by every write; indexes record the generation they were built from."""
        res = self.query("SELECT (MAX(?g) AS ?m) WHERE { GRAPH ?meta { ?s ?p ?g } }",
                         {"meta": META_GRAPH, "s": STORE_NODE, "p": GENERATION}, union=False)
        for row in res:
            return int(row[0]) if row[0] is not None else 0
        return 0

    def graph_versions(self) -> dict[str, int]:
        """The generation that last wrote each graph (graphs written before stamps existed are absent)."""
        rows = self.rows("SELECT ?g ?v WHERE { GRAPH ?meta { ?g ?p ?v } }",
                         {"meta": META_GRAPH, "p": GRAPH_VERSION}, union=False)
        return {g: int(v) for g, v in rows}

    def has_graph(self, graph: URIRef) -> bool:
        """Whether the store holds any triple in ``graph``."""
        return bool(self.query("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": graph}, union=False).askAnswer)

    def plain_triples(self, graph: URIRef) -> list[tuple]:
        """One named graph's triples as plain values (see :meth:`rows`), for derived records."""
        return [tuple(plain_from_rdflib(x) for x in t) for t in self.graph_triples(graph)]

    def graph(self, graph: URIRef) -> Graph:
        """One named graph copied into an in-memory rdflib Graph."""
        g = Graph()
        for t in self.graph_triples(graph):
            g.add(t)
        return g

    def union_graph(self) -> Graph:
        """Every named graph merged into one in-memory rdflib Graph (for validation, export)."""
        g = Graph()
        for iri in self.graph_iris():
            for t in self.graph_triples(iri):
                g.add(t)
        return g

    def is_empty(self) -> bool:
        return not any(iri != META_GRAPH for iri in self.graph_iris())

    def triple_counts(self) -> dict[str, int]:
        """Triples per named graph, counted by reading every triple (so a damaged part shows)."""
        return {str(g): sum(1 for _ in self.graph_triples(g)) for g in self.graph_iris()}

    def pending_graphs(self) -> list[str]:
        """Graphs an interrupted bulk load left half-written (the next writer drops them)."""
        rows = self.rows("SELECT ?g WHERE { GRAPH ?m { ?s ?p ?g } }",
                         {"m": META_GRAPH, "s": STORE_NODE, "p": PENDING}, union=False)
        return [g for (g,) in rows]

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _result_from_ox(raw) -> Result:
    """An rdflib Result built from pyoxigraph's answer, so callers see one result type."""
    if isinstance(raw, (bool, ox.QueryBoolean)):  # pyoxigraph 0.5 answers ASK with QueryBoolean
        res = Result("ASK")
        res.askAnswer = bool(raw)
        return res
    if isinstance(raw, ox.QuerySolutions):
        res = Result("SELECT")
        keys = [Variable(v.value) for v in raw.variables]
        res.vars = keys
        memo: dict = {}  # terms repeat (predicates, classes, documents): convert each once

        def conv(term):
            node = memo.get(term)
            if node is None:
                node = memo[term] = from_ox(term)
            return node

        res.bindings = [{k: conv(t) for k, t in zip(keys, sol) if t is not None} for sol in raw]
        return res
    res = Result("CONSTRUCT")
    g = Graph()
    for t in raw:
        g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    res.graph = g
    return res


# ----------------------------------------------------------------- the embedded store's files

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
    the CURRENT pointer, the MANIFEST it names, empty table files. Cheap (no file is opened
    but CURRENT); RocksDB checks the rest, such as the sizes of the tables the MANIFEST lists,
    when the store is opened read-only."""
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
    empty = sorted(t.name for t in db.glob("*.sst") if file_size(t) == 0)
    if empty:
        problems.append(f"table file(s) {', '.join(empty[:5])} are empty")
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
        left = self._drop_pending()
        if left:
            log.warning("metrokg: removed %d graph(s) an interrupted bulk load had left half-written: %s",
                        len(left), ", ".join(left))

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
                return _result_from_ox(raw)
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

    @contextlib.contextmanager
    def bulk_writer(self, graphs: Iterable[URIRef]) -> Iterator[Callable[[URIRef, Iterable[Triple] | bytes], None]]:
        """Oxigraph's bulk loader (several times faster than a transaction), made safe by marking
        the graphs as pending first: a failure drops them, and so does the next writer to open
        the store after a crash. Readers may see a pending graph's triples while it loads; the
        views skip pending documents."""
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
            term = _OxTerms()

            def write(graph: URIRef, triples: Iterable[Triple] | bytes) -> None:
                if graph not in graphs:
                    raise ValueError(f"{graph} was not announced to bulk_writer")
                quads = None if isinstance(triples, bytes) else term.quads({graph: triples})
                with self._guarded():
                    if quads is None:  # N-Triples: parsed by Oxigraph, no Python terms at all
                        self._db.bulk_load(triples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph)))
                    else:
                        self._db.bulk_extend(quads)
                written.append(graph)

            try:
                yield write
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


def open_store(spec: str | None = None, write: bool = False) -> Store:
    """Open the store named by ``spec`` (a directory or a ``sparql+http(s)://`` URL).

    ``None`` means ``$METROKG_STORE`` or the per-user default. A reader gets a read-only
    snapshot of an embedded store (E380 when there is none: reading never creates one); a
    writer creates the store if needed, and gets E012 while another process writes.
    """
    spec = spec or default_store()
    if spec.startswith(("sparql+http://", "sparql+https://")):
        from metrokg.kg.store.remote import RemoteStore

        return RemoteStore(spec)
    if "://" in spec:
        raise MetrokgError("E013", spec=spec)
    return EmbeddedStore(Path(os.path.expanduser(spec)), read_only=not write)
