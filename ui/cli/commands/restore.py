"""`metrokg restore FILE --to DIR`: a new store from a backup made with `metrokg export`."""

from __future__ import annotations

from pathlib import Path

from metrokg.ui.cli.commands._common import listing_parser, refresh_indexes
from metrokg.ui.cli.output import emit


def register(sub) -> None:
    p = listing_parser(sub, "restore", "load a backup (`metrokg export --format nq`) into a new, empty store")
    p.add_argument("backup", metavar="FILE", help="an N-Quads (.nq) or TriG (.trig) export")
    p.add_argument("--to", required=True, metavar="DIR", help="the new store's directory (new or empty)")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.store.recovery import restore
    from metrokg.kg.store.embedded import EmbeddedStore

    target = Path(args.to).expanduser()
    summary = restore(Path(args.backup).expanduser(), target)
    with EmbeddedStore(target) as store:
        refresh_indexes(store)
    emit(summary, args.fmt, ["store", "graphs", "triples", "generation"])
    return 0
