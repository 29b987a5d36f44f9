"""`metrokg entities`: industries, quantities, instruments, actors, units and documents with the provisions that mention them."""

from __future__ import annotations

from metrokg.terms import ENTITY_TYPES
from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import emit


def register(sub) -> None:
    p = listing_parser(sub, "entities", "entities mentioned in the documents, with the provisions that mention them")
    p.add_argument("--type", dest="entity_type", choices=ENTITY_TYPES)
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.analyses.entities import list_entities

    with opened_store(args) as store:
        rows = list_entities(store, args.entity_type)
    if args.fmt == "json":
        emit(rows, "json")
    else:
        flat = [{**r, "provisions": [f"{p['document']} {p['number']}" for p in r["provisions"]]} for r in rows]
        emit(flat, args.fmt, ["type", "label", "label_en", "count", "provisions", "iri"])
    return 0
