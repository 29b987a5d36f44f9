"""The graph store's interface and the helpers its backends share, in the style of rdflib's Store.

Everything metrokg knows lives in named graphs: one per document, one for the ontology and
vocabularies, one for inferred triples, one for the specification catalogue. Writes replace
whole named graphs in one transaction, so a crash leaves either the old or the new state.
Queries take user values as bound variables (``bindings``), never pasted into the text.

Backends: :class:`~metrokg.kg.store.embedded.EmbeddedStore` (Oxigraph on disk, the default) and
:class:`~metrokg.kg.store.remote.RemoteStore` (SPARQL 1.1 servers). Both build their updates
with the helpers here, so they write the same way; :func:`metrokg.kg.store.registry.open_store`
picks one from a store spec.
"""

from __future__ import annotations

import abc
import contextlib
import functools
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from metrokg.errors import MetrokgError
from metrokg.ontology.namespace import META_GRAPH, MKS, STORE_NODE

Triple = tuple[Node, Node, Node]
GENERATION = MKS.generation
GRAPH_VERSION = MKS.graphVersion  # the generation that wrote a graph
PENDING = MKS.pendingGraph  # a graph a bulk load is still adding


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



def nt(term: Node) -> str:
    """N-Triples/SPARQL syntax of a term, escaped by Oxigraph (safe to embed in updates)."""
    return str(to_ox(term))


_SKIP = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def masked(sparql: str) -> str:
    """The query with its strings, IRIs and comments blanked out (same length), so keywords
    and braces can be found in what is left."""
    return _SKIP.sub(lambda m: " " * len(m.group(0)), sparql)


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
    masked_text = masked(sparql)
    start = 0
    construct = re.search(r"\bCONSTRUCT\b", masked_text, re.IGNORECASE)
    if construct:
        where = re.search(r"\bWHERE\b", masked_text[construct.end():], re.IGNORECASE)
        start = construct.end() + (where.end() if where else 0)
    brace = masked_text.find("{", start)
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

    @classmethod
    def open_spec(cls, spec: str, write: bool = False) -> "Store":
        """The store a spec names, as :func:`~metrokg.kg.store.registry.open_store` opens it
        (``write``: for a writer); backends whose spec is more than their argument override it."""
        return cls(spec)

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

    def close(self) -> None:  # noqa: B027 - optional: a backend that holds nothing has nothing to release
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

    def add_graphs(self, graphs: Iterable[tuple[URIRef, Iterable[Triple]]]) -> list[URIRef]:
        """Add graphs the store does not hold, taken from ``graphs`` one at a time, all in one
        transaction (a failing iterator writes nothing); returns them in order. Here they are
        collected and written by :meth:`replace_graphs`; a backend that can write from a stream
        overrides it, so an ingest holds one document's triples at a time, not the corpus's."""
        collected: dict[URIRef, list[Triple]] = {}
        for graph, triples in graphs:
            if graph in collected:
                raise ValueError(f"{graph} was given twice to add_graphs")
            collected[graph] = list(triples)
        present = set(self.graph_iris())
        if any(g in present for g in collected):
            raise ValueError("add_graphs only adds graphs the store does not hold")
        if collected:
            self.replace_graphs(collected)
        return list(collected)

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


def result_from_ox(raw) -> Result:
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
