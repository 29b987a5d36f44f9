"""`metrokg breakdown DOC`: the plan's 任务分解表 (one row per task, its bodies, deadline, targets)."""

from __future__ import annotations

from metrokg.ui.cli.commands._common import listing_parser, opened_store, print_listing, side_file


def register(sub) -> None:
    p = listing_parser(sub, "breakdown", "the 任务分解表 of a plan: one row per task with its lead, responsible "
                                         "and supporting bodies, deadline, targets and progress")
    p.add_argument("document", metavar="DOC", help="the document id (see `metrokg documents`)")
    p.add_argument("--xlsx", metavar="FILE", help="also write the table to an Excel file (.xlsx)")
    p.add_argument("--docx", metavar="FILE", help="also write the table to a Word file (.docx)")
    p.add_argument("--english", action="store_true", help="English headers in the table and the files")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.analyses.breakdown import breakdown, breakdown_title, display_rows
    from metrokg.ui.reports.docx import write_breakdown_docx
    from metrokg.ui.reports.xlsx import write_breakdown_xlsx

    with opened_store(args) as store:
        rows = breakdown(store, args.document, required=bool(args.xlsx or args.docx))
        title = breakdown_title(store, args.document)
    lang = "en" if args.english else "zh"
    headers, cells = display_rows(rows, lang)
    for path, write in ((args.xlsx, write_breakdown_xlsx), (args.docx, write_breakdown_docx)):
        side_file(path, lambda p, write=write: write(headers, cells, p, title), len(rows))
    return print_listing(args, rows, lambda: [dict(zip(headers, c)) for c in cells], headers)
