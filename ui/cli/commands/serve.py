"""`metrokg serve`: the web app and the SPARQL endpoint on 127.0.0.1 (builds the corpus into an empty store first)."""

from __future__ import annotations

import math
import sys
import time

from metrokg import settings
from metrokg.errors import MetrokgError


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the web app (Gradio), its API and a read-only SPARQL endpoint",
                       description="Serve the web app (search, ask, obligations, targets, compare, gaps, graph, "
                                   "documents, SPARQL, learn, export), its named API and a read-only SPARQL 1.1 "
                                   "endpoint at /sparql, on 127.0.0.1 unless --host says otherwise. An empty "
                                   "store gets the shipped corpus first (unless --no-build).")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--auth", metavar="USER:PASSWORD", default=settings.get("METROKG_AUTH"),
                   help="require this login, for shared deployments (default $METROKG_AUTH, which keeps the "
                        "password out of the process list)")
    p.add_argument("--no-build", action="store_true", help="do not build the shipped corpus into an empty store")
    p.add_argument("--sparql-limit", type=int, default=10000, help="most rows /sparql returns (default 10000)")
    p.add_argument("--sparql-timeout", type=float, default=10.0,
                   help="seconds before a /sparql query is stopped (default 10)")
    p.add_argument("--cors-origin", action="append", metavar="ORIGIN",
                   help="let pages on this web origin (https://host:port, or * for any) query /sparql from a "
                        "browser; repeat for more (default $METROKG_CORS_ORIGINS, else none)")
    p.set_defaults(func=run)


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """``USER:PASSWORD`` as a pair (E040 when malformed)."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise MetrokgError("E040")  # the value is not echoed: it may be a password
    return user, password


def cors_origins(values: list[str] | None) -> tuple[str, ...] | None:
    """The --cors-origin values checked (E358); None when none was given (the setting decides)."""
    if not values:
        return None
    checked: list[str] = []
    for value in values:
        try:
            checked.extend(settings.origins(value))
        except ValueError:
            raise MetrokgError("E358", value=value) from None
    return tuple(checked)


def check_options(args) -> None:
    """Refuse impossible numbers before anything is opened (uvicorn would raise OverflowError)."""
    if not 1 <= args.port <= 65535:
        raise MetrokgError("E254", what="port (--port)", low=1, high=65535, value=args.port)
    if not 1 <= args.sparql_limit <= 10**9:
        raise MetrokgError("E254", what="--sparql-limit", low=1, high=10**9, value=args.sparql_limit)
    if not (math.isfinite(args.sparql_timeout) and args.sparql_timeout > 0):
        raise MetrokgError("E359", value=args.sparql_timeout)


def run(args) -> int:
    started = time.perf_counter()
    from metrokg.kg.store.registry import open_store

    auth = parse_auth(args.auth)
    check_options(args)
    cors = cors_origins(args.cors_origin)
    if cors is None:
        cors = settings.get("METROKG_CORS_ORIGINS")
    for name in ("METROKG_SPARQL_MEMORY_MB", "METROKG_SPARQL_MAX_QUERY_CHARS"):
        settings.get(name)  # a bad value is refused now (E016), not at the first query
    store = open_store(args.store, write=True)
    try:
        if store.is_empty() and not args.no_build:
            from metrokg.kg.graph.build import build

            print("metrokg: the store is empty; building the shipped corpus first", file=sys.stderr)
            build(store)
        from metrokg.ui.web.app import serve
        from metrokg.ui.web.sparql_endpoint import EndpointLimits

        limits = EndpointLimits(row_limit=args.sparql_limit, timeout_s=args.sparql_timeout, cors_origins=cors)
        print(f"metrokg: starting the web app on http://{args.host}:{args.port} (SPARQL endpoint at /sparql; "
              f"prepared in {time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)
        serve(store, host=args.host, port=args.port, auth=auth, limits=limits)
    finally:
        store.close()
    return 0
