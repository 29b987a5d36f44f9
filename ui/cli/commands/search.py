"""`metrokg search QUERY`: ranked provisions with the sentence that matched."""

from __future__ import annotations

import json
import sys

from metrokg.terms import FUSION_METHODS, MODALITIES, SEARCH_MODES
from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import emit

COLUMNS = ["score", "document", "title", "number", "heading", "sentence", "concepts", "also_in", "iri"]
NOTHING = "nothing relevant found / 未找到相关内容"


def register(sub) -> None:
    p = listing_parser(sub, "search", "search provisions (lexical, dense and ontology signals, fused); "
                                      "QUERY '-' reads one query per line from stdin and prints JSON Lines")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--k", type=int, default=10,
                   help="most results (default 10); fewer come when the rest would be noise")
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
    p.add_argument("--kind", metavar="KIND",
                   help="only documents of this kind (law, administrative_regulation, local_regulation, "
                        "normative_document, ... as `metrokg documents` shows)")
    p.add_argument("--jurisdiction", metavar="PLACE",
                   help="only documents of this division or its province (上海市, 浙江省, 全国 for national texts)")
    p.add_argument("--issued", metavar="YYYY", help="only documents issued this year")
    p.add_argument("--group", action="store_true",
                   help="group the hits by document, with its title, kind, jurisdiction and year, and count facets")
    p.set_defaults(func=run)


def _facets(args) -> dict:
    return {"chapter": args.chapter, "industry": args.industry, "quantity": args.quantity,
            "instrument": args.instrument, "actor": args.actor, "modality": args.modality, "year": args.year,
            "kind": args.kind, "jurisdiction": args.jurisdiction, "issued": args.issued}


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
            if not results:
                print(f"metrokg: {NOTHING}", file=sys.stderr)
            return [h.public() for h in results]

        if args.query == "-":
            for line in sys.stdin:
                if line.strip():
                    print(json.dumps(search(line.strip()), ensure_ascii=False), flush=True)
            return 0
        hits = search(args.query)
    if args.group:
        return _print_groups(hits, args.fmt)
    if args.fmt != "json":
        for h in hits:
            h["sentence"] = h["sentence"].get("text", "")
            h["score"] = round(h["score"], 3)
            h["concepts"] = [c["label"] for c in h["concepts"]]
            h["title"] = h.get("document_title") or ""
            h["also_in"] = [d["document"] for d in h["also_in"]]
    emit(hits, args.fmt, COLUMNS)
    return 0


def _print_groups(hits: list[dict], fmt: str) -> int:
    """The hits under their documents' titles (JSON: groups and facet counts)."""
    from metrokg.kg.search.grouping import facet_counts, group_by_document

    groups = group_by_document(hits)
    if fmt == "json":
        print(json.dumps({"groups": groups, "facets": facet_counts(hits)}, ensure_ascii=False))
        return 0
    for g in groups:
        where = " · ".join(str(x) for x in (g["kind"], g["jurisdiction"], g["year"]) if x)
        print(f"{g['title'] or g['document']}  [{g['document']}{'; ' + where if where else ''}]")
        for h in g["hits"]:
            also = f"  (also in {', '.join(d['document'] for d in h['also_in'])})" if h["also_in"] else ""
            print(f"  {h['score']:.3f}  {h['number']:<8} {h['sentence'].get('text', '')[:80]}{also}")
    facets = facet_counts(hits)
    for name, counts in facets.items():
        if counts:
            print(f"{name}: " + ", ".join(f"{k} ({v})" for k, v in sorted(counts.items())))
    return 0
