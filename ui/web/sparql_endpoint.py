"""The SPARQL 1.1 Protocol, read-only, at ``/sparql``: so YASGUI, Protégé or SPARQLWrapper can query.

GET ``?query=``, POST form-encoded ``query=`` or a raw ``application/sparql-query`` body.
Results by content negotiation (``Accept``) or a ``format``/``output`` parameter:
SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples,
RDF/XML or JSON-LD. The rules are the console's (:func:`metrokg.kg.store.user_sparql.run_user_query`):
updates and SERVICE are refused, rows, time and memory are limited. The default graph is the
union of all named graphs.

Browsers: no CORS by default, so a page on another origin cannot drive the endpoint (issue 13).
Origins listed in ``--cors-origin`` / METROKG_CORS_ORIGINS get CORS headers; a request that
carries any other foreign ``Origin`` is refused (403, E357) before the query runs.
"""

from __future__ import annotations

import base64
import io
import logging
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from metrokg import settings
from metrokg.errors import BackendError, InternalError, MetrokgError
from metrokg.kg.store.user_sparql import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_S, run_user_query
from metrokg.kg.store.base import Store, nt

log = logging.getLogger("metrokg.web")

# format name -> media type; the first media type of each kind is its default.
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
    "json-ld": "application/ld+json",
}
_ALIASES = {
    "application/json": "json", "text/javascript": "json", "application/javascript": "json",
    "application/xml": "xml", "text/xml": "xml", "ttl": "turtle", "n3": "turtle", "text/n3": "turtle",
    "ntriples": "nt", "n-triples": "nt", "text/plain": "nt", "rdfxml": "xml", "rdf+xml": "xml",
    "jsonld": "json-ld", "json+ld": "json-ld",
}


@dataclass
class EndpointLimits:
    """The safety rules the endpoint applies to every query; ``cors_origins`` None reads
    METROKG_CORS_ORIGINS."""

    row_limit: int = DEFAULT_ROW_LIMIT
    timeout_s: float = DEFAULT_TIMEOUT_S
    cors_origins: tuple[str, ...] | None = None


def _accepted(accept: str) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, order kept on ties)."""
    items = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((-q, i, fields[0].lower()))
    return [m for _, _, m in sorted(items)]


def choose_format(kind: str, accept: str | None, fmt: str | None) -> str:
    """The format name for a result of ``kind`` (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
    table = GRAPH_TYPES if kind in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    if fmt:
        name = fmt.strip().lower()
        name = next((k for k, v in table.items() if v == name), _ALIASES.get(name, name))
        if name not in table:
            raise MetrokgError("E023", fmt=fmt, choices=", ".join(table))
        return name
    for media in _accepted(accept or ""):
        for name, mt in table.items():
            if media == mt:
                return name
        alias = _ALIASES.get(media)
        if alias in table:
            return alias
        if media in ("*/*", "application/*", "text/*"):
            break
    return next(iter(table))


def _tsv_term(term) -> str:
    return "" if term is None else nt(term)


def serialize(result, fmt: str) -> bytes:
    """A query result in one of the protocol's formats."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        rdflib_fmt = {"turtle": "turtle", "nt": "nt", "xml": "xml", "json-ld": "json-ld"}[fmt]
        from metrokg.kg.store.export import bound

        try:
            return bound(result.graph).serialize(format=rdflib_fmt, encoding="utf-8")
        except ValueError as err:  # RDF/XML needs every predicate split into namespace + local name
            raise MetrokgError("E356", fmt=GRAPH_TYPES[fmt], reason=str(err)) from None
    if fmt in ("json", "xml"):
        return result.serialize(format=fmt)
    sep = "," if fmt == "csv" else "\t"
    if result.type == "ASK":
        return f"_askResult\r\n{str(bool(result.askAnswer)).lower()}\r\n".encode("utf-8")
    if fmt == "csv":
        buf = io.BytesIO()
        result.serialize(destination=buf, format="csv")
        return buf.getvalue()
    lines = [sep.join("?" + str(v) for v in result.vars)]
    for row in result.bindings:
        lines.append(sep.join(_tsv_term(row.get(v)) for v in result.vars))
    return ("\n".join(lines) + "\n").encode("utf-8")


def media_type(kind: str, fmt: str) -> str:
    table = GRAPH_TYPES if kind in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    return table[fmt]


def answer(store: Store, query: str, accept: str | None, fmt: str | None,
           limits: EndpointLimits) -> tuple[bytes, str, bool]:
    """Run ``query`` under the limits; returns (body, media type, truncated). A query that does not parse
    is E020 with the line, column and text there, and the prefixes it uses without declaring them."""
    try:
        result, truncated = run_user_query(store, query, row_limit=limits.row_limit, timeout_s=limits.timeout_s)
    except MetrokgError as err:
        if err.code != "E020":
            raise
        from metrokg.ui.web.tabs.sparql import readable_reason

        raise MetrokgError("E020", reason=readable_reason(query, str(err.fields.get("reason", "")))) from None
    name = choose_format(result.type, accept, fmt)
    return serialize(result, name), media_type(result.type, name), truncated


def _status_for(err: MetrokgError) -> int:
    """400 for a request the user can fix; 500 for a bug of ours, 503 for a store that failed."""
    special = {"E022": 503, "E253": 401, "E355": 503, "E356": 406, "E357": 403}
    if err.code in special:
        return special[err.code]
    return 500 if isinstance(err, InternalError) else 503 if isinstance(err, BackendError) else 400


def _same_origin(origin: str, request: Request) -> bool:
    """Whether ``Origin`` names this server itself (the browser sends it on its own POSTs too)."""
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


def _cors(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
    """CORS headers for the request's Origin; E357 for a foreign origin that is not allowed."""
    origin = request.headers.get("origin")
    if not origin or _same_origin(origin, request):
        return {}
    if origin.rstrip("/") in allowed or "*" in allowed:
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    raise MetrokgError("E357", origin=origin)


def _check_basic(header: str | None, auth: tuple[str, str]) -> bool:
    if not header or not header.lower().startswith("basic "):
        return False
    try:
        user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return False
    return secrets.compare_digest(user, auth[0]) and secrets.compare_digest(password, auth[1])


def add_sparql_endpoint(app, store: Store, limits: EndpointLimits | None = None,
                        auth: tuple[str, str] | None = None, path: str = "/sparql") -> None:
    """Add the read-only endpoint to a FastAPI/Starlette ``app`` (HTTP Basic when ``auth``)."""
    limits = limits or EndpointLimits()
    allowed = limits.cors_origins if limits.cors_origins is not None else settings.get("METROKG_CORS_ORIGINS")

    def error(err: MetrokgError, cors: dict[str, str]) -> Response:
        headers = dict(cors)
        if err.code == "E253":
            headers["WWW-Authenticate"] = 'Basic realm="metrokg"'
        return Response(str(err) + "\n", status_code=_status_for(err), media_type="text/plain; charset=utf-8",
                        headers=headers)

    async def sparql(request: Request) -> Response:
        try:
            cors = _cors(request, allowed)
        except MetrokgError as err:
            return error(err, {})
        try:
            if auth and not _check_basic(request.headers.get("authorization"), auth):
                raise MetrokgError("E253")
            params = {k: v for k, v in request.query_params.multi_items()}
            query = params.get("query")
            if request.method == "POST":
                ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
                body = await request.body()
                if ctype == "application/sparql-query":
                    query = body.decode("utf-8", errors="replace")
                elif ctype == "application/x-www-form-urlencoded":
                    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", errors="replace")).items()}
                    if "update" in form:
                        raise MetrokgError("E021", keyword="UPDATE")
                    params.update(form)
                    query = form.get("query", query)
                elif ctype == "application/sparql-update":
                    raise MetrokgError("E021", keyword="UPDATE")
                elif body:
                    raise MetrokgError("E251", ctype=ctype or "(none)")
            if "update" in params:
                raise MetrokgError("E021", keyword="UPDATE")
            if params.get("default-graph-uri") or params.get("named-graph-uri"):
                raise MetrokgError("E252")
            if not query or not query.strip():
                raise MetrokgError("E020", reason="no query was given: pass it as the 'query' parameter "
                                   "or as an application/sparql-query body")
            fmt = params.get("format") or params.get("output")
            body_out, mt, truncated = await run_in_threadpool(
                answer, store, query, request.headers.get("accept"), fmt, limits)
        except MetrokgError as err:
            if isinstance(err, InternalError):
                log.error("/sparql hit a bug: %s", err, exc_info=err)
            return error(err, cors)
        except Exception as exc:  # noqa: BLE001 - our bug: logged, a 500 with a coded line, never a traceback
            log.exception("/sparql failed")
            return error(MetrokgError("E263", error=type(exc).__name__), cors)
        headers = dict(cors)
        if truncated:
            headers["X-Metrokg-Truncated"] = f"only the first {limits.row_limit} rows"
        charset = "" if mt.endswith("+xml") or mt.endswith("/xml") else "; charset=utf-8"
        return Response(body_out, media_type=mt + charset, headers=headers)

    async def preflight(request: Request) -> Response:
        try:
            cors = _cors(request, allowed)
        except MetrokgError as err:
            return error(err, {})
        if cors:
            cors.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS", "Access-Control-Max-Age": "600",
                         "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization"})
        return Response(status_code=204, headers=cors)

    app.add_api_route(path, sparql, methods=["GET", "POST"], include_in_schema=False)
    app.add_api_route(path, preflight, methods=["OPTIONS"], include_in_schema=False)
