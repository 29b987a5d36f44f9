"""`metrokg serve`: the web app and the SPARQL endpoint on 127.0.0.1 (builds the corpus into an empty store first)."""

from __future__ import annotations

import os
import sys
import time

from metrokg.errors import MetrokgError


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the web app (Gradio), its API and a read-only SPARQL endpoint")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--auth", metavar="USER:PASSWORD", default=os.environ.get("METROKG_AUTH"),
                   help="require this login, for shared deployments (default $METROKG_AUTH, which keeps the "
                        "password out of the process list)")
    p.add_argument("--no-build", action="store_true", help="do not build the shipped corpus into an empty store")
    p.add_argument("--sparql-limit", type=int, default=10000, help="most rows /sparql returns (default 10000)")
    p.add_argument("--sparql-timeout", type=float, default=10.0,
                   help="seconds before a /sparql query is stopped (default 10)")
    p.set_defaults(func=run)


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """``USER:PASSWORD`` as a pair (E040 when malformed)."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise MetrokgError("E040", value=value)
    return user, password


def run(args) -> int:
    started = time.perf_counter()
    from metrokg.kg.store import open_store

    auth = parse_auth(args.auth)
    if args.sparql_limit < 1 or args.sparql_timeout <= 0:
        raise MetrokgError("E254", what="--sparql-limit/--sparql-timeout", low=1, high=10**9,
                           value=f"{args.sparql_limit}/{args.sparql_timeout}")
    store = open_store(args.store, write=True)
    try:
        if store.is_empty() and not args.no_build:
            from metrokg.kg.build import build

            print("metrokg: the store is empty; building the shipped corpus first", file=sys.stderr)
            build(store)
        from metrokg.ui.app import serve
        from metrokg.ui.sparql_endpoint import EndpointLimits

        limits = EndpointLimits(row_limit=args.sparql_limit, timeout_s=args.sparql_timeout)
        print(f"metrokg: starting the web app on http://{args.host}:{args.port} (SPARQL endpoint at /sparql; "
              f"prepared in {time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)
        serve(store, host=args.host, port=args.port, auth=auth, limits=limits)
    finally:
        store.close()
    return 0
