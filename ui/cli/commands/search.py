"""`metrokg search QUERY`: ranked provisions with the sentence that matched."""

from __future__ import annotations

import json
import sys

from metrokg.terms import FUSION_METHODS, MODALITIES, SEARCH_MODES
from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import emit

COLUMNS = ["score", "document", "number", "heading", "sentence", "concepts", "iri"]


def register(sub) -> None:
    p = listing_parser(sub, "search", "search provisions (lexical, dense and ontology signals, fused); "
                                      "QUERY '-' reads one query per line from stdin and prints JSON Lines")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--k", type=int, default=10, help="number of results (default 10)")
    p.add_argument("--document", metavar="ID", help="only this document")
    p.add_argument("--mode", choices=SEARCH_MODES, default="hybrid",
                   help="hybrid (default): all signals; lexical: BM25 + ontology expansion, never loads "
                        "the embedding model (fast start); dense: embeddings only")
    p.add_argument("--fusion", choices=FUSION_METHODS, default=None,
                   help="how signals are combined (default weighted, tuned on the labelled queries)")
    p.add_argument("--chapter", metavar="N", help="only this chapter (top-level number, or its heading)")
    p.add_argument("--industry", metavar="X", help="only provisions linked to this industry (label, slug or IRI)")
    p.add_argument("--quantity", metavar="X", help="only provisions linked to this quantity kind or discipline")
    p.add_argument("--instrument", metavar="X", help="only provisions linked to this measuring instrument")
    p.add_argument("--actor", metavar="X", help="only provisions naming this actor (or actor type)")
    p.add_argument("--modality", metavar="M",
                   help=f"only provisions with a statement of this modality ({', '.join(MODALITIES)})")
    p.add_argument("--year", metavar="YYYY", help="only provisions with a target or task due this year")
    p.set_defaults(func=run)


def _facets(args) -> dict:
    return {"chapter": args.chapter, "industry": args.industry, "quantity": args.quantity,
            "instrument": args.instrument, "actor": args.actor, "modality": args.modality, "year": args.year}


def run(args) -> int:
    from metrokg.kg.records.listing import check_document
    from metrokg.kg.search.index import SearchIndex

    with opened_store(args) as store:
        check_document(store, args.document)
        index = SearchIndex.open(store)

        def search(query: str) -> list[dict]:
            results = index.search(query, k=args.k, document=args.document, mode=args.mode,
                                   method=args.fusion, **_facets(args))
            for notice in results.notices:  # what was cut from the query
                print(f"metrokg: warning: {notice}", file=sys.stderr)
            return [h.public() for h in results]

        if args.query == "-":
            for line in sys.stdin:
                if line.strip():
                    print(json.dumps(search(line.strip()), ensure_ascii=False), flush=True)
            return 0
        hits = search(args.query)
    if args.fmt != "json":
        for h in hits:
            h["sentence"] = h["sentence"].get("text", "")
            h["score"] = round(h["score"], 3)
            h["concepts"] = [c["label"] for c in h["concepts"]]
    emit(hits, args.fmt, COLUMNS)
    return 0
