"""Precision, recall and F1 of the extraction pipeline against hand-made gold annotations.

Gold files anchor every item by a substring of the document's normalised text
(``text``/``anchor``/``context``, with ``nth`` for repeated strings), so they survive changes
in provision numbering; their ``source`` is the document, relative to the gold file. The
development gold ships with the package (``metrokg/corpus/gold``, on the documents in
``corpus/docs``), so ``metrokg eval`` runs from an installed wheel. Matching, per type:

* **target** — the predicted span overlaps the gold span and value, unit, comparator and
  deadline are all equal (strict); indicator, scope, total and recurrence are reported as
  accuracies over the span-matched pairs (indicator: equal, or one contains the other).
  ``达``/``达到`` with no bound word is read as ``>=`` (reaching a level means at least it); a
  gold that writes ``=`` for it (the real gold does) is matched by that ``>=``;
* **baseline**, **funding**, **time_limit** — where the gold lists them (``baselines``,
  ``funding``, ``time_limits``: ``text``, ``value``, ``unit``, optionally ``year``): span overlaps,
  the value (and the year, where given) is equal;
* **responsibility** — statement overlaps the anchor, same actor name as written, same role;
* **deontic** — same cue offset and same modality;
* **task** — span overlaps and same action; where the gold gives ``tasks_regions``
  (``[{"from": anchor, "to": anchor}]``) it lists the tasks of those regions only and
  predictions outside them are not scored;
* **mention** — exact span and, where the gold gives one, same IRI. Mentions are only
  sampled, so precision counts predictions that overlap an annotated span.

Extraction runs strict: a rule that raises stops the evaluation with that error (a crash is
never scored as facts not found). Run ``python -m metrokg.nlp.extraction.evaluate [GOLD.json|DIR ...]``
to print the table.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from metrokg.corpus import corpus_dir
from metrokg.errors import MetrokgError
from metrokg.nlp.extraction.facts import Fact

GOLD_DIR = corpus_dir() / "gold"
TYPES = ("target", "baseline", "funding", "time_limit", "responsibility", "deontic", "task", "mention")
# the gold key that lists each numeric kind other than targets
NUMERIC_KEYS = {"baseline": "baselines", "funding": "funding", "time_limit": "time_limits"}
_REACHED = re.compile(r"达到?$")


@dataclass
class Score:
    """Counts for one fact type; precision/recall/F1 derived."""

    gold: int = 0
    pred: int = 0
    tp: int = 0
    attrs: dict[str, list[int]] = field(default_factory=dict)  # name -> [correct, total]

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.tp += other.tp
        for k, (c, t) in other.attrs.items():
            a = self.attrs.setdefault(k, [0, 0])
            a[0] += c
            a[1] += t


def locate(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``needle`` (E220 if absent: the gold is stale)."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            raise MetrokgError("E220", needle=needle, nth=nth)
    return pos, pos + len(needle)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _num(v: Any) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def _indicator_ok(gold: str | None, pred: str | None) -> bool:
    if not gold or not pred:
        return gold == pred
    return gold == pred or gold in pred or pred in gold


def comparator_ok(gold: str, pred: Fact, text: str) -> bool:
    """Same comparator, or a gold ``=`` for a level reached (``覆盖率达到84%``), which metrokg reads as ``>=``."""
    if gold == pred.comparator:
        return True
    vs = getattr(pred, "value_start", None)
    return (gold == "=" and pred.comparator == ">=" and vs is not None
            and _REACHED.search(text, max(0, vs - 2), vs) is not None
            and not text.startswith(("以上", "及以上"), getattr(pred, "value_end", vs) or vs))


def _numeric_score(golds: list[dict], preds: list[Fact], text: str) -> Score:
    """Span overlaps and value equal (baselines, funding rules, time limits)."""
    g_n = [(g, locate(text, g["text"], g.get("nth", 0))) for g in golds]
    s = Score(gold=len(g_n), pred=len(preds))
    s.tp = _match(g_n, preds, lambda gs, p: _overlap(gs[1], (p.start, p.end)) and _num(gs[0]["value"]) == p.value
                  and ("year" not in gs[0] or gs[0]["year"] == getattr(p, "year", None)))
    return s


def _match(golds: list, preds: list, same) -> int:
    """Greedy one-to-one matching; returns the number of matched pairs."""
    used: set[int] = set()
    tp = 0
    for g in golds:
        for i, p in enumerate(preds):
            if i not in used and same(g, p):
                used.add(i)
                tp += 1
                break
    return tp


def score_document(gold: dict, text: str, facts: list[Fact]) -> dict[str, Score]:
    """Scores per type for one document."""
    by_kind: dict[str, list[Fact]] = {k: [f for f in facts if f.kind == k] for k in TYPES}
    out: dict[str, Score] = {}

    # targets
    g_t = [(g, locate(text, g["text"], g.get("nth", 0))) for g in gold.get("targets", [])]
    preds = by_kind["target"]
    s = Score(gold=len(g_t), pred=len(preds))

    def strict(gs, p) -> bool:
        g, span = gs
        return (_overlap(span, (p.start, p.end)) and _num(g["value"]) == p.value and g["unit"] == p.unit_text
                and comparator_ok(g["comparator"], p, text) and g.get("deadline") == p.deadline)

    s.tp = _match(g_t, preds, strict)
    for g, span in g_t:
        p = next((p for p in preds if _overlap(span, (p.start, p.end)) and _num(g["value"]) == p.value), None)
        if p is None:
            continue
        for name, ok in (("indicator", _indicator_ok(g.get("indicator"), p.indicator)),
                         ("scope", g.get("scope") == p.scope),
                         ("total", bool(g.get("total")) == p.is_total),
                         ("recurring", g.get("recurring") == p.recurrence)):
            a = s.attrs.setdefault(name, [0, 0])
            a[0] += int(ok)
            a[1] += 1
    out["target"] = s
    for kind, key in NUMERIC_KEYS.items():
        if key in gold:
            out[kind] = _numeric_score(gold[key], by_kind[kind], text)

    # responsibilities
    g_r = [(g, locate(text, g["anchor"], g.get("nth", 0))) for g in gold.get("responsibilities", [])]
    preds = by_kind["responsibility"]
    s = Score(gold=len(g_r), pred=len(preds))
    s.tp = _match(g_r, preds, lambda gs, p: _overlap(gs[1], (p.start, p.end)) and gs[0]["actor"] == p.actor_name
                  and gs[0]["role"] == p.role)
    for g, span in g_r:
        p = next((p for p in preds if _overlap(span, (p.start, p.end)) and g["actor"] == p.actor_name), None)
        if p is None:
            continue
        for name, key, got in (("actor_iri", "actor_iri", p.actor_iri), ("level", "level", p.level),
                               ("modality", "modality", p.modality)):
            if key in g:
                a = s.attrs.setdefault(name, [0, 0])
                a[0] += int(g[key] == got)
                a[1] += 1
    out["responsibility"] = s

    # deontics
    g_d = []
    for g in gold.get("deontics", []):
        cs, _ = locate(text, g["context"], g.get("nth", 0))
        pos = cs + g["context"].index(g["cue"])
        g_d.append((g, pos))
    preds = by_kind["deontic"]
    s = Score(gold=len(g_d), pred=len(preds))
    s.tp = _match(g_d, preds, lambda gs, p: p.cue_start == gs[1] and p.modality == gs[0]["modality"])
    out["deontic"] = s

    # tasks (only where the gold annotates them)
    if "tasks" in gold:
        g_k = [(g, locate(text, g["text"], g.get("nth", 0))) for g in gold["tasks"]]
        preds = by_kind["task"]
        regions = [(locate(text, r["from"])[0], locate(text, r["to"])[0]) for r in gold.get("tasks_regions", [])]
        if regions:  # the gold lists the tasks of some chapters only: score predictions there
            preds = [p for p in preds if any(a <= p.start < b for a, b in regions)]
        s = Score(gold=len(g_k), pred=len(preds))
        s.tp = _match(g_k, preds, lambda gs, p: _overlap(gs[1], (p.start, p.end)) and p.action == gs[0]["action"])
        out["task"] = s

    # mentions (a sample): precision over predictions touching an annotated span
    g_m = []
    for g in gold.get("mentions", []):
        a, b = locate(text, g["text"], g.get("nth", 0))
        if "span" in g:
            a += g["text"].index(g["span"])
            b = a + len(g["span"])
        g_m.append((g, (a, b)))
    preds = [p for p in by_kind["mention"] if any(_overlap(span, (p.start, p.end)) for _, span in g_m)]
    s = Score(gold=len(g_m), pred=len(preds))
    s.tp = _match(g_m, preds, lambda gs, p: (p.start, p.end) == gs[1] and gs[0].get("iri", p.iri) == p.iri)
    out["mention"] = s
    return out


def load_gold(path: str | Path) -> dict:
    """A gold file as a dict (E221 if it cannot be read)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MetrokgError("E221", path=str(path), reason=str(exc)) from exc


def evaluate_file(path: str | Path, nlp=None) -> tuple[dict[str, Score], dict, list[Fact], str]:
    """Parse the gold's source document, run the pipeline, score it."""
    gold = load_gold(path)
    if not isinstance(gold, dict) or not isinstance(gold.get("source"), str):
        raise MetrokgError("E221", path=str(path), reason="it names no \"source\" document")
    src = Path(path).parent / gold["source"]  # an absolute source stays as it is
    text, facts = _read_and_extract(src, gold.get("doc_id", src.stem), nlp)
    return score_document(gold, text, facts), gold, facts, text


def _read_and_extract(src: Path, doc_id: str, nlp) -> tuple[str, list[Fact]]:
    """The normalised text of ``src`` and its facts, extracted strict (a crash is an error, not a score)."""
    from metrokg.nlp.reading.normalize import normalize
    from metrokg.nlp.extraction.pipeline import extract
    from metrokg.nlp.structure.parser import parse_document

    if not src.is_file():
        raise MetrokgError("E221", path=str(src), reason="the gold's source document is missing")
    text = normalize(src.read_text(encoding="utf-8"))
    return text, extract(parse_document(text, doc_id=doc_id), nlp, strict=True)


def gold_files(paths: list[str | Path] | None = None) -> list[Path]:
    """The gold files named, a folder standing for its ``*.json`` (default: the shipped gold);
    E221 when there are none, rather than an empty table that would read as a perfect score."""
    files: list[Path] = []
    for p in map(Path, paths or [GOLD_DIR]):
        found = sorted(p.glob("*.json")) if p.is_dir() else [p]
        if not found:
            raise MetrokgError("E221", path=str(p), reason="the folder holds no *.json gold files")
        files += found
    return files


def evaluate(paths: list[str | Path] | None = None, nlp=None) -> dict[str, dict[str, Score]]:
    """Scores per document (key: doc id) plus ``"all"`` (micro-averaged)."""
    paths = gold_files(paths)
    result: dict[str, dict[str, Score]] = {}
    total: dict[str, Score] = {}
    for p in paths:
        scores, gold, _facts, _text = evaluate_file(p, nlp)
        result[gold.get("doc_id", Path(p).stem)] = scores
        for k, v in scores.items():
            total.setdefault(k, Score()).add(v)
    result["all"] = total
    return result


# ----------------------------------------------------------------- real documents (read in place)

REAL_GOLD_FILES = ("gold.json", "laws/gold.json")


def real_gold_dir() -> Path | None:
    """The folder of real documents with gold: ``METROKG_REAL_GOLD``, else ``../shared/real`` beside the
    checkout; None when it is not there (an installed package has none). A configured folder
    without ``gold.json`` is E221."""
    from metrokg import settings

    configured = settings.get("METROKG_REAL_GOLD")
    folder = Path(str(configured)) if configured else Path(__file__).resolve().parents[2].parent / "shared" / "real"
    if (folder / "gold.json").is_file():
        return folder
    if configured:
        raise MetrokgError("E221", path=str(folder / "gold.json"), reason="METROKG_REAL_GOLD names a folder without it")
    return None


def is_real_gold(data: Any) -> bool:
    """Real gold: one entry per file name (``{"x.txt": {"kind": …, "targets": […]}}``), no ``source``."""
    return (isinstance(data, dict) and "source" not in data and bool(data)
            and all(isinstance(v, dict) and "kind" in v for v in data.values()))


def score_real(entry: dict, text: str, facts: list[Fact]) -> dict[str, Score]:
    """Scores of one real document. Its gold lists every quantitative goal (``targets``: a law's list
    is empty, so every target there is false) and ``non_targets`` that must not be read as goals
    (attribute ``non_targets avoided``); the non-targets it calls achievements are the baselines."""
    by_kind = {k: [f for f in facts if f.kind == k] for k in TYPES}
    golds = [g for g in entry.get("targets") or [] if isinstance(g, dict)]
    g_t = [(g, locate(text, g["text"])) for g in golds]
    preds = by_kind["target"]
    s = Score(gold=len(g_t), pred=len(preds))
    s.tp = _match(g_t, preds, lambda gs, p: _overlap(gs[1], (p.start, p.end)) and _num(gs[0]["value"]) == p.value
                  and gs[0]["unit"] == p.unit_text and comparator_ok(gs[0]["comparator"], p, text)
                  and gs[0].get("deadline") == p.deadline)
    non = [(n, locate(text, n["text"])) for n in entry.get("non_targets") or [] if isinstance(n, dict)]
    if non:
        hit = sum(any(_overlap(span, (p.start, p.end)) and _num(n["value"]) == p.value for p in preds)
                  for n, span in non)
        s.attrs["non_targets avoided"] = [len(non) - hit, len(non)]
    out = {"target": s}
    achieved = [n for n, _span in non if "achievement" in str(n.get("why", ""))]
    if achieved or by_kind["baseline"]:
        out["baseline"] = _numeric_score(achieved, by_kind["baseline"], text)
    return out


def real_files(folder: Path) -> list[Path]:
    """The real gold files in ``folder`` (``gold.json``, ``laws/gold.json``)."""
    return [folder / name for name in REAL_GOLD_FILES if (folder / name).is_file()]


def evaluate_real(paths: list[str | Path] | None = None, nlp=None) -> dict[str, dict[str, Score]]:
    """Scores per real document (key: file stem) plus ``"all"``; default: :func:`real_gold_dir`'s files
    (nothing when there is none)."""
    if paths is None:
        folder = real_gold_dir()
        paths = real_files(folder) if folder is not None else []
    result: dict[str, dict[str, Score]] = {}
    total: dict[str, Score] = {}
    for path in map(Path, paths):
        data = load_gold(path)
        if not is_real_gold(data):
            raise MetrokgError("E221", path=str(path), reason="it is not real gold (one entry per file name)")
        for name, entry in data.items():
            text, facts = _read_and_extract(path.parent / name, Path(name).stem, nlp)
            scores = score_real(entry, text, facts)
            result[Path(name).stem] = scores
            for k, v in scores.items():
                total.setdefault(k, Score()).add(v)
    if result:
        result["all"] = total
    return result


def evaluate_sets(paths: list[str | Path] | None = None, nlp=None) -> dict[str, dict[str, dict[str, Score]]]:
    """``{"development": …, "real": …}``: with no paths, the shipped gold and the real gold when present;
    otherwise each path by its format (a folder holding real ``gold.json`` is real)."""
    if not paths:
        return {"development": evaluate(None, nlp), "real": evaluate_real(None, nlp)}
    dev: list[Path] = []
    real: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir() and (p / "gold.json").is_file() and is_real_gold(load_gold(p / "gold.json")):
            real += real_files(p)
        elif p.is_file() and is_real_gold(load_gold(p)):
            real.append(p)
        else:
            dev.append(p)
    return {"development": evaluate(dev, nlp) if dev else {}, "real": evaluate_real(real, nlp) if real else {}}


def format_table(result: dict[str, dict[str, Score]], gold_set: str | None = None) -> str:
    """A Markdown table: one row per document and type (``gold_set``: a first column saying which set)."""
    head = "| set " if gold_set else ""
    lines = [head + "| document | type | gold | pred | TP | P | R | F1 | attributes |",
             ("|---" if gold_set else "") + "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    lead = f"| {gold_set} " if gold_set else ""
    for doc_id, scores in result.items():
        for k in TYPES:
            if k not in scores:
                continue
            s = scores[k]
            attrs = ", ".join(f"{n} {c}/{t}" for n, (c, t) in s.attrs.items())
            lines.append(f"{lead}| {doc_id} | {k} | {s.gold} | {s.pred} | {s.tp} | {s.precision:.2f} | "
                         f"{s.recall:.2f} | {s.f1:.2f} | {attrs} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation tables for the given gold files (default: development and real gold)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        for name, result in evaluate_sets(args or None).items():
            if result:
                print(format_table(result, name))
    except MetrokgError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
