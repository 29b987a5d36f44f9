"""`metrokg penalties`: the sanctioning articles of laws and regulations (法律责任), each with its
conduct, the provisions it violates, the authority and its typed sanctions."""

from __future__ import annotations

from metrokg.ui.cli.commands._common import listing_parser, opened_store, print_listing, side_file

TABLE = ["document", "article", "item", "conduct", "sanction_kinds", "fine", "authority"]


def register(sub) -> None:
    p = listing_parser(sub, "penalties", "penalties (法律责任): conduct, violated provisions, authority and "
                                         "sanctions of each sanctioning article or item")
    p.add_argument("--document", metavar="ID", help="only this document")
    p.add_argument("--conduct", metavar="TEXT",
                   help="only penalties whose conduct or text contains TEXT, or that mention the conduct "
                        "concept TEXT names or holds (动手脚, 伪造检定数据, tampering)")
    p.add_argument("--xlsx", metavar="FILE", help="also write the rows to an Excel file (Chinese headers)")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.analyses.penalties import FLAT_COLUMNS, flat_rows, list_penalties
    from metrokg.ui.reports.penalties_xlsx import write_penalties_xlsx

    with opened_store(args) as store:
        rows = list_penalties(store, document=args.document, conduct=args.conduct)
    side_file(args.xlsx, lambda p: write_penalties_xlsx(rows, p), len(rows))
    return print_listing(args, rows, lambda: flat_rows(rows), TABLE if args.fmt == "table" else FLAT_COLUMNS)
