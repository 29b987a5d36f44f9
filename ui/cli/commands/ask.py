"""`metrokg ask QUESTION`: a question answered from the graph (with the SPARQL it ran) or by search."""

from __future__ import annotations

import json
import sys

from metrokg.terms import LEXICAL_MODES


def register(sub) -> None:
    p = sub.add_parser("ask", help="answer a question from the graph, citing provisions",
                       description="Answer a question such as 谁负责中期评估？, 市市场监管局牵头哪些工作？, "
                                   "哪些省份要求…, who is responsible for X?, what is metrology? from the graph, in "
                                   "the question's language; answers are grouped by document (title, kind, "
                                   "jurisdiction). The answer shows the SPARQL query it ran and its bound values; "
                                   "questions no pattern fits are answered by search.")
    p.add_argument("question", metavar="QUESTION")
    p.add_argument("--k", type=int, default=10, help="at most this many search results (fallback)")
    p.add_argument("--mode", choices=LEXICAL_MODES, default="hybrid",
                   help="search mode for fallbacks (lexical never loads the embedding model)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.analyses.questions import ask
    from metrokg.ui.cli.commands._common import opened_store

    with opened_store(args) as store:
        answer = ask(store, args.question, k=args.k, mode=args.mode)
    for notice in answer["notices"]:  # what was cut from the question
        print(f"metrokg: warning: {notice}", file=sys.stderr)
    if args.json:
        print(json.dumps(answer, ensure_ascii=False))
        return 0
    print(f"[{answer['kind']}] {answer['question']}")
    if answer["note"]:
        print(f"  ({answer['note']})")
    at = 0
    for group in answer["groups"]:
        if group["document"]:
            where = " · ".join(str(x) for x in (group["document"], group["kind"], group["jurisdiction"], group["year"])
                               if x)
            print(f"\n{group['title'] or group['document']} ({where})")
        for item in answer["answers"][at:at + group["count"]]:
            print("- " + _item_line(item))
        at += group["count"]
    if answer["sparql"]:
        print("\nSPARQL:\n" + answer["sparql"])
        for b in answer["bindings"]:
            print("  bound: " + ", ".join(f"?{k} = {v}" for k, v in b.items()))
    return 0


def _item_line(item: dict) -> str:
    """One answer: who (with the role) or what, then where it is cited from."""
    head = item.get("actor_label") or item.get("actor") or item.get("indicator") or item.get("title") \
        or item.get("action") or ""
    if item.get("role"):
        head += f" [{item['role']}]"
    if item.get("value") is not None:
        head += f" {item.get('comparator') or ''}{item['value']}{item.get('unit') or ''}"
    if item.get("year") is not None:
        head += f" ({item['year']})"
    if item.get("versus"):
        head += f" against {item['versus']}" + (f", {item['direction']}" if item.get("direction") else "")
    if item.get("change"):
        head = f"[{item['change']}] {head}"
    p, span = item.get("provision"), item.get("span")
    lead = f"{head} — " if head else ""  # a search hit names no one: its place and text alone
    if p is None or span is None:
        return f"{lead}{item.get('text', '')[:200]}"
    return f"{lead}{p['document']} §{p['number']} [{span['start']}:{span['end']}] {span['text'][:80]}"
