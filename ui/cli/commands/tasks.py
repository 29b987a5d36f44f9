"""`metrokg tasks`: task clauses with their action, object, linked entities and industries."""

from __future__ import annotations

from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import emit


def register(sub) -> None:
    p = listing_parser(sub, "tasks", "tasks (研制…装置, 建设…平台) with the entities they concern")
    p.add_argument("--industry", metavar="NAME", help="only tasks serving this industry (汽车, automotive)")
    p.add_argument("--quantity", metavar="NAME", help="only tasks concerning this quantity kind (扭矩, torque)")
    p.add_argument("--document", metavar="ID", help="only this document")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.analyses.entities import list_tasks

    with opened_store(args) as store:
        rows = list_tasks(store, args.industry, args.quantity, args.document)
    if args.fmt == "json":
        emit(rows, "json")
    else:
        flat = [{**r, "entities": [e["label"] for e in r["entities"]],
                 "industries": [i["label"] for i in r["industries"]]} for r in rows]
        emit(flat, args.fmt, ["document", "number", "action", "object", "entities", "industries", "deadline"])
    return 0
