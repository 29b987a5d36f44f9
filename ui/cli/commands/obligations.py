"""`metrokg obligations`: the obligations register (who must do what, by when), filterable and exportable."""

from __future__ import annotations

import sys

from metrokg.terms import MODALITIES, ROLES
from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import emit

COLUMNS = ["document", "number", "kind", "actor", "actor_label", "role", "modality", "action", "deadline",
           "industries", "text"]


def register(sub) -> None:
    p = listing_parser(sub, "obligations", "the obligations register: tasks, obligations and responsibilities "
                                           "with their actor, role, modality and deadline")
    p.add_argument("--actor", metavar="TEXT", help="an actor as written or named (省市场监管局, 湖北省市场监督管理局)")
    p.add_argument("--actor-type", metavar="TYPE", help="an actor type (市场监督管理局, market-regulation-bureau)")
    p.add_argument("--modality", choices=MODALITIES)
    p.add_argument("--role", choices=ROLES)
    p.add_argument("--deadline", type=int, metavar="YEAR", help="only rows due by the end of YEAR")
    p.add_argument("--document", metavar="ID", help="only this document")
    p.add_argument("--industry", metavar="NAME", help="only rows serving this industry (or a narrower one)")
    p.add_argument("--by-actor", action="store_true", help="print counts per actor and modality instead")
    p.add_argument("--xlsx", metavar="FILE", help="also write the rows (and the per-actor counts) to an Excel file")
    p.add_argument("--all-columns", action="store_true",
                   help="keep the IRI and offset columns in --csv and --xlsx (left out by default)")
    p.add_argument("--english", action="store_true", help="English headers and values in --csv and --xlsx")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.analyses.obligations import SUMMARY_COLUMNS, export_view, list_obligations, summary_by_actor
    from metrokg.ui.reports.xlsx import write_xlsx

    with opened_store(args) as store:
        rows = list_obligations(store, actor=args.actor, actor_type=args.actor_type, modality=args.modality,
                                deadline=args.deadline, document=args.document, industry=args.industry,
                                role=args.role)
    summary = summary_by_actor(rows)
    lang = "en" if args.english else "zh"
    if args.xlsx:
        path = write_xlsx(rows, args.xlsx, summary, lang=lang, all_columns=args.all_columns)
        print(f"metrokg: wrote {len(rows)} rows to {path}", file=sys.stderr)
    if args.by_actor:
        emit(summary, args.fmt, SUMMARY_COLUMNS)
    elif args.fmt == "csv":  # the register as people read it: headers and values in Chinese by default
        headers, cells = export_view(rows, lang, args.all_columns)
        emit([dict(zip(headers, c)) for c in cells], "csv", headers)
    else:
        emit(rows, args.fmt, COLUMNS if args.fmt == "table" else
             ["iri", "document", "number", "kind", "actor", "actor_label", "actor_iri", "role", "modality",
              "action", "deadline", "deadline_source", "industries", "text", "start", "end"])
    return 0
