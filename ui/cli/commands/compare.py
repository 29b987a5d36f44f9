"""`metrokg compare DOC_A DOC_B`: aligned provisions, provisions without counterpart, target differences."""

from __future__ import annotations

from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import emit


def register(sub) -> None:
    p = listing_parser(sub, "compare", "align the provisions of two documents and show how their targets differ")
    p.add_argument("doc_a", metavar="DOC_A")
    p.add_argument("doc_b", metavar="DOC_B")
    p.add_argument("--method", choices=["auto", "embedding", "lexical"], default="auto",
                   help="auto: embeddings when the model is installed, else concepts and characters only")
    p.add_argument("--threshold", type=float, default=None, help="lowest similarity kept as a pair")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.analyses.compare import compare_documents

    from metrokg.kg.records.listing import check_document

    with opened_store(args) as store:
        check_document(store, args.doc_a)
        check_document(store, args.doc_b)
        dense = False
        if args.method != "lexical":
            from metrokg.kg.embedding.embedder import describe_model

            dense = args.method == "embedding" or describe_model()["installed"]
        result = compare_documents(store, args.doc_a, args.doc_b, threshold=args.threshold, dense=dense)
    if args.fmt == "json":
        emit(result, "json")
    else:
        rows = [{"a": p["a"], "heading_a": p["heading_a"], "b": p["b"], "heading_b": p["heading_b"],
                 "similarity": p["similarity"], "link": p["link"]} for p in result["pairs"]]
        rows += [{"a": u["number"], "heading_a": u["heading"], "b": "—", "similarity": None}
                 for u in result["unmatched_a"]]
        rows += [{"a": "—", "b": u["number"], "heading_b": u["heading"], "similarity": None}
                 for u in result["unmatched_b"]]
        emit(rows, args.fmt, ["a", "heading_a", "b", "heading_b", "similarity", "link"])
        if args.fmt == "table" and result["target_differences"]:
            diffs = [{"indicator": d["indicator"], "differs": d["differences"],
                      "a": f"{d['a']['number']} {d['a']['comparator']}{d['a']['value']}{d['a']['unit'] or ''} "
                           f"({d['a']['deadline']})",
                      "b": f"{d['b']['number']} {d['b']['comparator']}{d['b']['value']}{d['b']['unit'] or ''} "
                           f"({d['b']['deadline']})"} for d in result["target_differences"]]
            print()
            emit(diffs, "table", ["indicator", "differs", "a", "b"])
        if args.fmt == "table":
            for key, title in (("targets_only_a", "targets of A that B does not take up"),
                               ("targets_only_b", "targets B adds")):
                if result[key]:
                    print(f"\n{title}:")
                    emit(result[key], "table", ["number", "indicator", "comparator", "value", "unit", "deadline"])
            for parent in result["parents_b"]:
                print(f"\nB implements {parent['title']}: {parent['document'] or 'not in the store'}")
    return 0
