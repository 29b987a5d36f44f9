"""`metrokg eval [GOLD.json...]`: precision, recall and F1 of extraction against gold annotations,
per fact kind and document, for the development gold and the real gold, each row saying which."""

from __future__ import annotations

from metrokg.ui.cli.commands._common import listing_parser
from metrokg.ui.cli.output import emit

COLUMNS = ["set", "document", "type", "gold", "predicted", "precision", "recall", "f1"]


def register(sub) -> None:
    p = listing_parser(sub, "eval", "score extraction against gold annotation files or folders of them "
                                    "(default: the development gold shipped in metrokg/corpus/gold, and the "
                                    "real documents' gold read in place when present: METROKG_REAL_GOLD or "
                                    "../shared/real); a rule that crashes stops it with that error")
    p.add_argument("gold", nargs="*", metavar="GOLD.json|DIR")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.nlp.extraction.evaluate import TYPES, evaluate_sets

    rows = []
    for gold_set, result in evaluate_sets(args.gold or None).items():
        for document, scores in result.items():
            for kind in TYPES:
                s = scores.get(kind)
                # a real document's target row is shown even at 0/0: a law's 0 false targets is the point
                if s is None or (s.gold == 0 and s.pred == 0 and not (gold_set == "real" and kind == "target")):
                    continue
                row = {"set": gold_set, "document": document, "type": kind, "gold": s.gold, "predicted": s.pred,
                       "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3)}
                for name, (correct, total) in s.attrs.items():
                    row[name.replace(" ", "_")] = f"{correct}/{total}"
                rows.append(row)
    emit(rows, args.fmt, COLUMNS)
    return 0
