"""`metrokg build`: the graph from the shipped corpus and the ontology."""

from __future__ import annotations

from dataclasses import asdict

from metrokg.ui.cli.commands._common import listing_parser, opened_store, progress_bar, refresh_indexes
from metrokg.ui.cli.output import emit

COLUMNS = ["id", "status", "provisions", "facts", "title"]


def register(sub) -> None:
    p = listing_parser(sub, "build", "ingest the shipped corpus and the ontology (idempotent)")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.corpus import manifest
    from metrokg.kg.graph.build import build

    with opened_store(args, write=True) as store:
        with progress_bar(len(manifest()) + 2, "build") as bar:
            results = build(store, progress=lambda _name: bar.update(1))
            refresh_indexes(store)
            bar.update(1)
    emit([asdict(r) for r in results], args.fmt, COLUMNS)
    return 0
