"""`metrokg search QUERY`: ranked provisions with the sentence that matched."""

from __future__ import annotations

import json
import sys

from metrokg.ui.commands._common import listing_parser, opened_store
from metrokg.ui.output import emit

COLUMNS = ["score", "document", "number", "heading", "sentence", "iri"]


def register(sub) -> None:
    p = listing_parser(sub, "search", "search provisions; QUERY '-' reads one query per line from stdin "
                                      "and prints JSON Lines")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--k", type=int, default=10, help="number of results (default 10)")
    p.add_argument("--document", metavar="ID", help="only this document")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.listing import check_document
    from metrokg.kg.search import SearchIndex

    with opened_store(args) as store:
        check_document(store, args.document)
        index = SearchIndex.open(store)
        if args.query == "-":
            for line in sys.stdin:
                if line.strip():
                    hits = index.search(line.strip(), k=args.k, document=args.document)
                    print(json.dumps([h.public() for h in hits], ensure_ascii=False), flush=True)
            return 0
        hits = [h.public() for h in index.search(args.query, k=args.k, document=args.document)]
    if args.fmt != "json":
        for h in hits:
            h["sentence"] = h["sentence"].get("text", "")
            h["score"] = round(h["score"], 3)
    emit(hits, args.fmt, COLUMNS)
    return 0
