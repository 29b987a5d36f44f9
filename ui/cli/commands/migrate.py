"""`metrokg migrate --from STORE --to STORE`: copy a whole store between backends.

Named graphs are copied as they are (documents, ontology, catalogue, inferred triples), in
batches of whole graphs, then the target's search index is rebuilt. The source is only read.
"""

from __future__ import annotations

import sys
import time
from typing import Callable

from metrokg.errors import MetrokgError
from metrokg.ui.cli.commands._common import listing_parser, progress_bar
from metrokg.ui.cli.output import emit

BATCH_TRIPLES = 20_000  # triples per write: a few MB per request, whole graphs only
COLUMNS = ["graph", "triples"]


def register(sub) -> None:
    p = listing_parser(sub, "migrate", "copy a whole store to another backend (embedded directory "
                                       "or sparql+http(s):// URL), then rebuild its search index")
    p.add_argument("--from", dest="source", required=True, metavar="STORE", help="store to copy from")
    p.add_argument("--to", dest="target", required=True, metavar="STORE", help="store to copy into")
    p.add_argument("--replace", action="store_true",
                   help="allow a non-empty target; it ends up an exact copy of the source")
    p.set_defaults(func=run)


def copy_store(source, target, replace: bool = False,
               progress: Callable[[str, int], None] | None = None) -> list[dict]:
    """Copy every named graph of ``source`` into ``target``; returns one row per graph."""
    from metrokg.ontology.namespace import META_GRAPH

    if source.spec == target.spec:
        raise MetrokgError("E238", spec=source.spec)
    graphs = [g for g in source.graph_iris() if g != META_GRAPH]
    existing = [g for g in target.graph_iris() if g != META_GRAPH]
    if existing and not replace:
        raise MetrokgError("E239", spec=target.spec, count=len(existing))
    stale = [g for g in existing if g not in set(graphs)]
    rows: list[dict] = []
    batch: dict = {}
    size = 0
    for g in graphs:
        triples = list(source.graph_triples(g))
        batch[g] = triples
        size += len(triples)
        rows.append({"graph": str(g), "triples": len(triples)})
        if progress:
            progress(str(g), len(triples))
        if size >= BATCH_TRIPLES:
            target.replace_graphs(batch)
            batch, size = {}, 0
    if batch or stale or not graphs:
        target.replace_graphs(batch, remove=stale)
    return rows


def _same(a: str, b: str) -> bool:
    """Whether two specs name the same store (directories compared as resolved paths)."""
    import os

    if "://" in a or "://" in b:
        return a.rstrip("/") == b.rstrip("/")
    return os.path.realpath(os.path.expanduser(a)) == os.path.realpath(os.path.expanduser(b))


def run(args) -> int:
    from metrokg.kg.search.index import SearchIndex
    from metrokg.kg.store.registry import open_store

    if _same(args.source, args.target):
        raise MetrokgError("E238", spec=args.target)
    started = time.perf_counter()
    source = open_store(args.source)
    try:
        target = open_store(args.target, write=True)
        try:
            total = len(source.graph_iris())
            with progress_bar(total, "migrate") as bar:
                rows = copy_store(source, target, args.replace, lambda _g, _n: bar.update(1))
            print("metrokg: rebuilding the search index of the target", file=sys.stderr)
            SearchIndex.build(target)
        finally:
            target.close()
    finally:
        source.close()
    triples = sum(r["triples"] for r in rows)
    print(f"metrokg: copied {len(rows)} graphs, {triples} triples in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    emit(rows, args.fmt, COLUMNS)
    return 0
