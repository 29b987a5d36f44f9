"""`metrokg doctor [--repair]`: check the store and say what to do about each problem."""

from __future__ import annotations

from metrokg.ui.cli.commands._common import listing_parser
from metrokg.ui.cli.output import emit


def register(sub) -> None:
    p = listing_parser(sub, "doctor", "check the store's files, contents and indexes (reads only, unless --repair)")
    p.add_argument("--repair", action="store_true",
                   help="fix what is safe to fix: a missing CURRENT file, graphs an interrupted bulk load left, "
                        "stale or foreign indexes and cached records")
    p.add_argument("--deep", action="store_true",
                   help="also read every quad through each of the database's six indexes (minutes on millions of "
                        "triples)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Exit code 1 while an error remains, so scripts can test the store before using it."""
    from metrokg.kg.store.recovery import COLUMNS, as_rows, diagnose, repair

    findings = repair(args.store, args.deep) if args.repair else diagnose(args.store, args.deep)
    emit(as_rows(findings), args.fmt, COLUMNS, max_width=100)  # the details and actions are the point
    return 1 if any(f.status == "error" for f in findings) else 0
