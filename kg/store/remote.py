"""A store on a SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki...) over HTTP.

Named ``sparql+http(s)://HOST:PORT/PATH``: the query endpoint is that URL without
``sparql+``; updates go to ``$METROKG_UPDATE_URL`` (default: the query URL, or its sibling
``/update`` when it ends in ``/query`` as on Oxigraph and Fuseki); bulk writes go through the
Graph Store Protocol at ``$METROKG_GSP_URL`` when it is set.

Writes: one SPARQL Update request per :meth:`RemoteStore.replace_graphs`, built by the
same helper as the embedded store, so it is atomic wherever the server applies a request
in one transaction (Oxigraph, Virtuoso). A write over ``$METROKG_MAX_UPDATE_BYTES``
(Virtuoso refuses requests near 10 MB) is either uploaded through the Graph Store
Protocol into staging graphs and swapped in by one ``MOVE`` request (atomic), or, without
GSP, sent as several requests of whole graphs (each graph whole, the batch not atomic).

metrokg owns only the named graphs under ``https://w3id.org/metrokg/graph/``; other graphs
on a shared server (and the server's own system graphs) are never listed, copied or dropped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import uuid
from typing import Iterable, Iterator, Mapping
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from rdflib import XSD, BNode, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from metrokg import settings
from metrokg.config import data_dir
from metrokg.errors import MetrokgError
from metrokg.kg.store.base import (GENERATION, Store, Triple, bind_values, generation_operations, make_lit, masked, nt,
                                   ntriples, replace_operations, result_from_ox, to_ox, triple_chunks)
from metrokg.ontology.namespace import GRAPH, STAGING, STORE_NODE, staging_iri

BULK_TRIPLES = 10_000  # writes this large go through the Graph Store Protocol when it is configured
RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_GRAPHS_FAST = "SELECT ?g WHERE { GRAPH ?g { } }"
_GRAPHS_SCAN = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
log = logging.getLogger("metrokg.remote")


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings, IRIs and comments."""
    m = _FORM.search(masked(sparql))
    return m.group(1).upper() if m else "SELECT"


def redact(url: str) -> str:
    """The URL without a password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def parse_spec(spec: str) -> str:
    """The query endpoint of a ``sparql+http(s)://`` store spec."""
    if not spec.startswith(("sparql+http://", "sparql+https://")):
        raise MetrokgError("E237", spec=spec, reason="it must start with sparql+http:// or sparql+https://")
    url = spec[len("sparql+"):]
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError as err:
        raise MetrokgError("E237", spec=redact(spec), reason=str(err)) from None
    if not parts.hostname:
        raise MetrokgError("E237", spec=redact(spec), reason="it names no host")
    return url


_XSD_STRING = str(XSD.string)
_BNODE_CHARS = re.compile(r"[^A-Za-z0-9_]")


def _term(value: dict) -> Node:
    """One term of SPARQL JSON results (also Virtuoso's ``typed-literal`` and ``nodeID://`` bnodes)."""
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(_BNODE_CHARS.sub("_", text))
    if "xml:lang" in value:
        return Literal(text, lang=value["xml:lang"])
    datatype = value.get("datatype")
    return Literal(text, datatype=URIRef(datatype) if datatype and datatype != _XSD_STRING else None)


def _plain(value: dict | None):
    """One term of SPARQL JSON results as a plain value (see :meth:`Store.rows`)."""
    if value is None:
        return None
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return text
    if kind == "bnode":
        return _BNODE_CHARS.sub("_", text)
    return make_lit(text, value.get("xml:lang"), value.get("datatype"))


def default_update_url(query_url: str) -> str:
    """The query URL itself, or its sibling ``/update`` when it ends in ``/query`` (the layout of
    Oxigraph's server and Fuseki, whose query endpoint refuses updates)."""
    parts = urlsplit(query_url)
    if parts.path.endswith("/query"):
        return urlunsplit(parts._replace(path=parts.path[:-len("query")] + "update"))
    return query_url


class RemoteStore(Store):
    """A metrokg store kept on a SPARQL 1.1 server; indexes live in the local data directory."""

    def __init__(self, spec: str, timeout_s: float | None = None):
        self.query_url = parse_spec(spec)
        self.spec = spec
        self.update_url = str(settings.get("METROKG_UPDATE_URL") or default_update_url(self.query_url))
        self.gsp_url = settings.get("METROKG_GSP_URL")
        self.max_update_bytes = int(settings.get("METROKG_MAX_UPDATE_BYTES"))
        self.timeout_s = timeout_s or float(settings.get("METROKG_HTTP_TIMEOUT"))
        digest = hashlib.sha256(spec.encode("utf-8")).hexdigest()[:16]
        self.index_dir = data_dir() / "remote" / digest
        self._local = threading.local()
        self._graphs_query: str | None = None
        self._union_checked = False

    # ---------------------------------------------------------------- HTTP

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _http(self, method: str, url: str, kind: str = "request", missing_ok: bool = False,
              **kw) -> requests.Response:
        """One HTTP exchange; network failures and refusals become coded errors."""
        try:
            resp = self._session().request(method, url, timeout=(10, self.timeout_s), **kw)
        except requests.Timeout:
            raise MetrokgError("E231", url=redact(url), seconds=self.timeout_s) from None
        except requests.RequestException as err:
            reason = type(err).__name__ if not str(err) else str(err).split(":")[-1].strip(" >')")
            raise MetrokgError("E230", url=redact(url), reason=reason or type(err).__name__) from None
        if resp.status_code in (401, 403):
            raise MetrokgError("E232", url=redact(url), status=resp.status_code)
        if resp.status_code >= 400 and not (missing_ok and resp.status_code == 404):
            text = " ".join(resp.text.split())[:400] or resp.reason
            if kind == "query" and resp.status_code == 400:
                raise MetrokgError("E020", reason=text)
            raise MetrokgError("E233", url=redact(url), status=resp.status_code, reason=text)
        return resp

    def _update(self, text: str) -> None:
        self._http("POST", self.update_url, kind="update", data=text.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    # ---------------------------------------------------------------- reads

    def _post_query(self, text: str, form: str, union: bool) -> requests.Response:
        data = {"query": text}
        if union:
            data["union-default-graph"] = ""  # Oxigraph's switch; servers with a union default ignore it
        accept = RESULTS_JSON if form in ("SELECT", "ASK") else RDF_ACCEPT
        return self._http("POST", self.query_url, kind="query", data=data, headers={"Accept": accept})

    def rows(self, sparql: str, bindings: Mapping[str, Node] | None = None,
             union: bool = True) -> list[tuple]:
        text = bind_values(sparql, bindings)
        if query_form(text) != "SELECT":
            raise MetrokgError("E370", reason="only a SELECT query has rows")
        resp = self._post_query(text, "SELECT", union)
        try:
            doc = json.loads(resp.content)
            names = doc["head"].get("vars", [])
            return [tuple(_plain(row.get(v)) for v in names) for row in doc["results"]["bindings"]]
        except (ValueError, KeyError, TypeError) as err:
            raise MetrokgError("E234", url=redact(self.query_url), reason=str(err)[:200]) from None

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              union: bool = True) -> Result:
        text = bind_values(sparql, bindings)
        form = query_form(text)
        resp = self._post_query(text, form, union)
        try:
            if form == "ASK":
                return self._ask(resp.content)
            if form == "SELECT":
                return self._select(resp.content)
            return result_from_ox(self._parse_rdf(resp))
        except (SyntaxError, ValueError, KeyError, TypeError) as err:
            raise MetrokgError("E234", url=redact(self.query_url), reason=str(err)[:200]) from None

    @staticmethod
    def _select(content: bytes) -> Result:
        """SPARQL JSON results as the embedded store returns them (xsd:string literals plain)."""
        doc = json.loads(content)
        res = Result("SELECT")
        res.vars = [Variable(v) for v in doc["head"].get("vars", [])]
        res.bindings = [{Variable(k): _term(v) for k, v in row.items()}
                        for row in doc["results"]["bindings"]]
        return res

    @staticmethod
    def _ask(content: bytes) -> Result:
        doc = json.loads(content)
        if "boolean" in doc:
            answer = bool(doc["boolean"])
        else:  # Virtuoso 7 answers ASK as one row with one integer
            rows = doc.get("results", {}).get("bindings", [])
            value = next(iter(rows[0].values()))["value"] if rows and rows[0] else "0"
            answer = value in ("1", "true")
        res = Result("ASK")
        res.askAnswer = answer
        return res

    def _parse_rdf(self, resp: requests.Response) -> list:
        media = (resp.headers.get("Content-Type") or "application/n-triples").split(";")[0].strip()
        fmt = ox.RdfFormat.from_media_type(media)
        if fmt is None:
            raise ValueError(f"unexpected content type {media}")
        return list(ox.parse(resp.content, format=fmt))

    def graph_iris(self) -> list[URIRef]:
        queries = [self._graphs_query] if self._graphs_query else [_GRAPHS_FAST, _GRAPHS_SCAN]
        found: set[URIRef] = set()
        for q in queries:
            found = {URIRef(row[0]) for row in self.query(q, union=False)}
            if found:  # `GRAPH ?g {}` lists nothing on Virtuoso: remember the form that works
                self._graphs_query = q
                break
        return sorted(g for g in found if g.startswith(GRAPH))

    @staticmethod
    def _graph_query(graph: URIRef) -> str:
        # SELECT, not CONSTRUCT or a GSP GET: Virtuoso prints doubles with 6 digits in RDF and in
        # result bindings, but STR() keeps them whole; ?lex carries that form for doubles and floats.
        return (f"SELECT ?s ?p ?o ?lex WHERE {{ GRAPH {nt(graph)} {{ ?s ?p ?o }} "
                f"BIND(IF(isLITERAL(?o) && DATATYPE(?o) IN ({nt(XSD.double)}, {nt(XSD.float)}), STR(?o), \"\") AS ?lex) }}")

    def plain_triples(self, graph: URIRef) -> list[tuple]:
        rows = self.rows(self._graph_query(graph), union=False)
        self._check_complete(graph, len(rows))
        return [(s, p, make_lit(lex, None, o.datatype) if lex else o) for s, p, o, lex in rows]

    def graph_triples(self, graph: URIRef) -> Iterator[Triple]:
        rows = self.query(self._graph_query(graph), union=False).bindings
        self._check_complete(graph, len(rows))
        s_, p_, o_, lex_ = (Variable(v) for v in ("s", "p", "o", "lex"))
        out = []
        for row in rows:
            o, lex = row[o_], row.get(lex_)
            if lex is not None and str(lex):
                o = Literal(str(lex), datatype=o.datatype)
            out.append((row[s_], row[p_], o))
        return iter(out)

    def _check_complete(self, graph: URIRef, got: int) -> None:
        """Servers that cap result rows (Virtuoso's ResultSetMaxRows) truncate silently: refuse that."""
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {nt(graph)} {{ ?s ?p ?o }} }}"
        expected = int(next(iter(self.query(q, union=False)))[0])
        if got < expected:
            raise MetrokgError("E235", url=redact(self.query_url), got=got, expected=expected, graph=graph)

    def dump(self, fmt: str) -> bytes:
        formats = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
        quads = []
        for g in self.graph_iris():
            name = ox.NamedNode(str(g))
            quads += [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in self.graph_triples(g)]
        return ox.serialize(quads, format=formats[fmt])

    # ---------------------------------------------------------------- writes

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]],
                       remove: Iterable[URIRef] = ()) -> None:
        graphs = {g: list(ts) for g, ts in graphs.items()}  # a failing iterator writes nothing
        remove = [g for g in remove if g not in graphs]
        if self.gsp_url and sum(map(len, graphs.values())) >= BULK_TRIPLES:
            self._write_staged(graphs, remove)
        else:
            groups = replace_operations(graphs, remove)
            stamps = generation_operations(self._next_generation(), graphs, remove)
            text = " ;\n".join([op for group in groups for op in group] + stamps)
            if len(text.encode("utf-8")) <= self.max_update_bytes:
                self._update(text)
            else:
                self._write_in_parts(groups, list(graphs), remove)
        self._check_union()

    def _write_in_parts(self, groups: list[list[str]], written: list[URIRef], removed: list[URIRef]) -> None:
        """Several update requests of whole graphs each (a graph over the limit is split too)."""
        log.warning("metrokg: the write is over %d bytes and METROKG_GSP_URL is not set: sending it "
                    "in several requests (each graph whole, the batch not atomic)", self.max_update_bytes)
        # unstamp the graphs and move the generation first: what readers derive meanwhile is keyed
        # to this in-between generation and read again after the last part
        self._update(" ;\n".join(generation_operations(self._next_generation(), (), [*written, *removed])))
        batch: list[str] = []
        size = 0
        for group in groups:
            group_size = sum(len(op.encode("utf-8")) for op in group)
            if batch and size + group_size > self.max_update_bytes:
                self._update(" ;\n".join(batch))
                batch, size = [], 0
            for op in group:
                op_size = len(op.encode("utf-8"))
                if batch and size + op_size > self.max_update_bytes:
                    self._update(" ;\n".join(batch))
                    batch, size = [], 0
                batch.append(op)
                size += op_size
        self._update(" ;\n".join(batch + generation_operations(self._next_generation(), written, removed)))

    def _write_staged(self, graphs: dict[URIRef, list[Triple]], remove: list[URIRef]) -> None:
        """Upload through the Graph Store Protocol into staging graphs, then swap them in with
        one update request, so the live graphs change all together or not at all."""
        token = uuid.uuid4().hex[:12]
        staging = {g: staging_iri(token, i) for i, g in enumerate(graphs) if graphs[g]}
        try:
            for g, stage in staging.items():
                body, size = [], 0
                for chunk in triple_chunks(graphs[g]):
                    data = ntriples(chunk)
                    if body and size + len(data) > self.max_update_bytes:
                        self._gsp_post(stage, b"".join(body))
                        body, size = [], 0
                    body.append(data)
                    size += len(data)
                if body:
                    self._gsp_post(stage, b"".join(body))
            ops = [f"DROP SILENT GRAPH {nt(g)}" for g in remove]
            for g in graphs:
                ops.append(f"MOVE SILENT {nt(staging[g])} TO {nt(g)}" if g in staging
                           else f"DROP SILENT GRAPH {nt(g)}")
            self._update(" ;\n".join(ops + generation_operations(self._next_generation(), graphs, remove)))
        except BaseException:
            if not staging:
                raise
            try:
                self._update(" ;\n".join(f"DROP SILENT GRAPH {nt(s)}" for s in staging.values()))
            except MetrokgError:
                log.warning("metrokg: could not drop staging graphs under %s%s/", STAGING, token)
            raise

    def _gsp_post(self, graph: URIRef, body: bytes) -> None:
        self._http("POST", self.gsp_url, kind="update", params={"graph": str(graph)}, data=body,
                   headers={"Content-Type": "application/n-triples"})

    def _next_generation(self) -> int:
        """Above the current generation and unique per write (microseconds since the epoch), so two
        writers sharing a server never leave the same generation behind two different contents."""
        return max(self.generation() + 1, time.time_ns() // 1000)

    def _check_union(self) -> None:
        """Once per store: the generation just written must be visible in the default graph."""
        if self._union_checked:
            return
        probe = "ASK { ?s ?p ?o }"
        if not self.query(probe, {"s": STORE_NODE, "p": GENERATION}).askAnswer:
            raise MetrokgError("E236", url=redact(self.query_url))
        self._union_checked = True

    def close(self) -> None:
        session = getattr(self._local, "session", None)
        if session is not None:
            session.close()
            self._local.session = None


__all__ = ["RemoteStore", "parse_spec", "query_form", "redact"]
