"""`metrokg eval [GOLD.json...]`: precision, recall and F1 of extraction against gold annotations."""

from __future__ import annotations

from metrokg.ui.cli.commands._common import listing_parser
from metrokg.ui.cli.output import emit

COLUMNS = ["document", "type", "gold", "predicted", "precision", "recall", "f1"]


def register(sub) -> None:
    p = listing_parser(sub, "eval", "score extraction against gold annotation files or folders of them "
                                    "(default: the development gold shipped in metrokg/corpus/gold); "
                                    "a rule that crashes stops it with that error")
    p.add_argument("gold", nargs="*", metavar="GOLD.json|DIR")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.nlp.extraction.evaluate import TYPES, evaluate

    result = evaluate(args.gold or None)
    rows = []
    for document, scores in result.items():
        for kind in TYPES:
            s = scores.get(kind)
            if s is None or (s.gold == 0 and s.pred == 0):
                continue
            rows.append({"document": document, "type": kind, "gold": s.gold, "predicted": s.pred,
                         "precision": round(s.precision, 3), "recall": round(s.recall, 3),
                         "f1": round(s.f1, 3)})
    emit(rows, args.fmt, COLUMNS)
    return 0
