"""`metrokg documents` and `metrokg provisions`: what the store holds."""

from __future__ import annotations

from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import emit


def register(sub) -> None:
    d = listing_parser(sub, "documents", "list the ingested documents")
    d.set_defaults(func=run_documents)
    p = listing_parser(sub, "provisions", "list provisions (numbered sections and items) with their text")
    p.add_argument("--document", metavar="ID", help="only this document")
    p.set_defaults(func=run_provisions)


def run_documents(args) -> int:
    from metrokg.kg.records.listing import list_documents
    from metrokg.kg.records.parents import with_parents

    with opened_store(args) as store:
        rows = with_parents(store, list_documents(store))
    if args.fmt != "json":  # a table names each parent the store holds by its id
        rows = [{**r, "implements": [implemented(p) for p in r["parents"]]} for r in rows]
    emit(rows, args.fmt, ["id", "title", "issuer", "date", "implements", "provisions"])
    return 0


def implemented(parent: dict) -> str:
    """One parent as a table cell: the held document's id and title, else the cited title."""
    return f"{parent['document']} {parent['document_title']}" if parent["document"] else parent["title"]


def run_provisions(args) -> int:
    from metrokg.kg.records.listing import list_provisions

    with opened_store(args) as store:
        emit(list_provisions(store, args.document), args.fmt,
             ["document", "number", "heading", "text", "start", "end", "iri"])
    return 0
