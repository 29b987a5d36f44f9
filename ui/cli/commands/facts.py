"""`metrokg facts --kind baseline|funding|time_limit [--document ID]`: the numbers that are not targets."""

from __future__ import annotations

from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import emit

TABLES = {
    "baseline": ["document", "number", "indicator", "comparator", "value", "unit", "year", "cue", "text"],
    "funding": ["document", "number", "instrument", "beneficiary", "comparator", "value", "unit", "amount_yuan",
                "share_of", "per", "year", "text"],
    "time_limit": ["document", "number", "comparator", "value", "unit", "period", "trigger", "duty"],
}


def register(sub) -> None:
    p = listing_parser(sub, "facts", "numbers that are not targets: baselines (what exists, with the year it "
                                     "describes), funding rules (补助, 奖励 amounts and shares, and to whom) and "
                                     "time limits on duties (二十个工作日内, 每年)")
    p.add_argument("--kind", choices=sorted(TABLES), default="baseline", help="which facts (default: baseline)")
    p.add_argument("--document", metavar="ID", help="only this document")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.analyses.targets import numeric_records

    with opened_store(args) as store:
        rows = numeric_records(store, args.kind, args.document)
    emit(rows, args.fmt, TABLES[args.kind] if args.fmt == "table" else None)
    return 0
