"""`metrokg serve`: the web app on 127.0.0.1 (builds the corpus into an empty store first)."""

from __future__ import annotations

import sys

from metrokg.errors import MetrokgError


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the web app (Gradio) and its API")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--auth", metavar="USER:PASSWORD", help="require this login (for shared deployments)")
    p.add_argument("--no-build", action="store_true", help="do not build the shipped corpus into an empty store")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.store import open_store

    auth = None
    if args.auth:
        user, sep, password = args.auth.partition(":")
        if not sep or not user or not password:
            raise MetrokgError("E040", value=args.auth)
        auth = (user, password)
    store = open_store(args.store, write=True)
    try:
        if store.is_empty() and not args.no_build:
            from metrokg.kg.build import build

            print("metrokg: the store is empty; building the shipped corpus first", file=sys.stderr)
            build(store)
        from metrokg.ui.app import serve

        print(f"metrokg: serving on http://{args.host}:{args.port}", file=sys.stderr, flush=True)
        serve(store, host=args.host, port=args.port, auth=auth)
    finally:
        store.close()
    return 0
