"""`metrokg eval-search`: Recall@5, MRR@10, nDCG@10 and coverage@10 of each search signal, of the
fusions, of search as it answers and of plain BM25, overall and per query kind."""

from __future__ import annotations

import json

from metrokg.terms import FUSION_METHODS, LEXICAL_MODES


def register(sub) -> None:
    p = sub.add_parser("eval-search", help="measure search quality on labelled queries",
                       description="Score lexical only, dense only, expansion only and the fused rankings on "
                                   "labelled queries (default: the set shipped in metrokg/corpus/queries), overall and per query "
                                   "kind against plain BM25 (jieba). --tune also grid-searches "
                                   "the fusion weights and cross-validates them.")
    p.add_argument("--queries", metavar="PATH", default=None, help="a labelled-query file or folder")
    p.add_argument("--mode", choices=LEXICAL_MODES, default="hybrid",
                   help="lexical leaves the dense signal (and the embedding model) out")
    p.add_argument("--tune", action="store_true", help="grid-search the fusion weights and report 2-fold CV")
    p.add_argument("--per-query", action="store_true", help="also print each query's ranking as `metrokg search` returns it")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.search.evaluate import DEFAULT_QUERIES, Evaluation, format_kinds, format_table, load_queries
    from metrokg.kg.search.index import SearchIndex
    from metrokg.ui.cli.commands._common import opened_store

    queries = load_queries(args.queries or DEFAULT_QUERIES)
    with opened_store(args) as store:
        ev = Evaluation(SearchIndex.open(store), queries, dense=args.mode == "hybrid")
        out: dict = {"queries": len(queries), "table": ev.table(), "by_kind": ev.by_kind()}
        if args.tune:
            out["tuning"] = []
            for method in FUSION_METHODS:
                for mode in (LEXICAL_MODES if args.mode == "hybrid" else ("lexical",)):
                    weights, best = ev.tune(method, mode)
                    out["tuning"].append({"method": method, "mode": mode, "weights": weights, "in_sample": best,
                                          "cross_validated": ev.cross_validate(method, mode)})
        if args.per_query:  # what `metrokg search` returns for each, as the "search" rows score it
            out["per_query"] = ev.search_rows()
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"{len(queries)} labelled queries\n")
    print(format_table(out["table"]))
    print("\nper query kind (search = what `metrokg search` returns):\n")
    print(format_kinds(out["by_kind"]))
    for t in out.get("tuning", []):
        w = ", ".join(f"{k}={v}" for k, v in t["weights"].items())
        print(f"\ntuned {t['method']} ({t['mode']}): {w}; nDCG@10 in-sample {t['in_sample']['ndcg@10']:.3f}, "
              f"2-fold CV {t['cross_validated']['ndcg@10']:.3f}; Recall@5 CV {t['cross_validated']['recall@5']:.3f}")
    for row in out.get("per_query", []):
        print(f"{row['ndcg@10']:.2f}  {row['query']}  -> {' '.join(row['ranked'][:5])}")
    return 0
