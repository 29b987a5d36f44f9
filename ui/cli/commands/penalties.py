"""`metrokg penalties`: the sanctioning articles of laws and regulations (法律责任), each with its
conduct, the provisions it violates, the authority and its typed sanctions."""

from __future__ import annotations

import sys

from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import emit

TABLE = ["document", "article", "item", "conduct", "sanction_kinds", "fine", "authority"]


def register(sub) -> None:
    p = listing_parser(sub, "penalties", "penalties (法律责任): conduct, violated provisions, authority and "
                                         "sanctions of each sanctioning article or item")
    p.add_argument("--document", metavar="ID", help="only this document")
    p.add_argument("--conduct", metavar="TEXT", help="only penalties whose conduct or text contains TEXT")
    p.add_argument("--xlsx", metavar="FILE", help="also write the rows to an Excel file (Chinese headers)")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.analyses.penalties import FLAT_COLUMNS, flat_rows, list_penalties
    from metrokg.ui.reports.penalties_xlsx import write_penalties_xlsx

    with opened_store(args) as store:
        rows = list_penalties(store, document=args.document, conduct=args.conduct)
    if args.xlsx:
        path = write_penalties_xlsx(rows, args.xlsx)
        print(f"metrokg: wrote {len(rows)} rows to {path}", file=sys.stderr)
    if args.fmt == "json":
        emit(rows, "json")
    else:
        emit(flat_rows(rows), args.fmt, TABLE if args.fmt == "table" else FLAT_COLUMNS)
    return 0
