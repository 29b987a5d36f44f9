"""Search quality on labelled queries: Recall@5, MRR@10, nDCG@10 and coverage@10, per signal,
fused, as ``search`` answers, and for plain BM25 (the baseline), overall and per query kind.

Labelled queries live in ``*.json`` files; the development set (on the shipped seed document)
ships with the package in ``metrokg/corpus/queries``, so ``metrokg eval-search`` runs from a wheel::

    {"document": "<doc id>", "queries": [{"id": "...", "query": "...", "lang": "zh|en",
      "kind": "paraphrase|keyword|english|question|citation", "relevant": {"5.4": 2, "5.5": 1}}]}

A file with ``"scope": "store"`` ranks the whole store (no document filter) and names provisions
as ``"<document id>:<number>"``; there a query with no relevant provision (kind ``out-of-domain``)
is right only when nothing is returned. ``relevant`` maps provisions to a grade (2 answers the
query, 1 partly). Signals are computed once per query; every ranking (each signal alone, the
fusions, and any weights tried while tuning) is derived from them. The fused rankings put a
provision the query cites (计量法第九条) first, as search does; a signal alone does not. The
``search`` row is what :meth:`SearchIndex.search` returns: intent, cutoff and all.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from metrokg.corpus import corpus_dir
from metrokg.errors import MetrokgError
from metrokg.kg.search import fusion
from metrokg.kg.search.index import SearchIndex, Signals, cite_first

GRID = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
DEFAULT_QUERIES = corpus_dir() / "queries"


@dataclass
class LabelledQuery:
    id: str
    query: str
    document: str | None  # None: ranked over the whole store, provisions named "document:number"
    relevant: dict[str, int]
    lang: str = "zh"
    kind: str = ""


def load_queries(path: str | Path = DEFAULT_QUERIES) -> list[LabelledQuery]:
    """Every labelled query in a file or in the ``*.json`` files of a folder."""
    path = Path(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    out: list[LabelledQuery] = []
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
            whole = data.get("scope") == "store"
            for q in data["queries"]:
                out.append(LabelledQuery(q.get("id", q["query"]), q["query"],
                                         None if whole else q.get("document", data["document"]),
                                         {str(k): int(v) for k, v in q["relevant"].items()},
                                         q.get("lang", "zh"), q.get("kind", "")))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise MetrokgError("E290", path=f, reason=str(err) or type(err).__name__) from None
    if not out:
        raise MetrokgError("E291", path=path)
    return out


def ranking(scores: np.ndarray, k: int = 10) -> list[int]:
    """Positions of the ``k`` best provisions with a positive score."""
    order = np.argsort(-scores, kind="stable")[:k]
    return [int(i) for i in order if scores[i] > 0]


METRICS = ("recall@5", "r-cap@5", "success@5", "mrr@10", "ndcg@10", "coverage@10")


def metrics(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    """Recall@5, capped Recall@5 (BEIR's R_cap: out of min(5, answers), so a query with seven
    answers can score 1), Success@5, MRR@10, nDCG@10 (gain 2^grade − 1) and coverage@10 (share of
    all answers in the top 10) of one ranking. With no relevant provision the right answer is
    "nothing relevant": every metric is 1 for an empty ranking and 0 otherwise."""
    rel = {n for n, g in relevant.items() if g > 0}
    if not rel:
        return {m: float(not ranked) for m in METRICS}
    found5 = len(rel.intersection(ranked[:5]))
    rr = next((1.0 / (i + 1) for i, n in enumerate(ranked[:10]) if n in rel), 0.0)
    dcg = sum((2 ** relevant.get(n, 0) - 1) / math.log2(i + 2) for i, n in enumerate(ranked[:10]))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return {"recall@5": found5 / len(rel), "r-cap@5": found5 / min(5, len(rel)), "success@5": float(found5 > 0), "mrr@10": rr,
            "ndcg@10": dcg / idcg if idcg else 0.0, "coverage@10": len(rel.intersection(ranked[:10])) / len(rel)}


def mean(rows: Iterable[dict[str, float]]) -> dict[str, float]:
    rows = list(rows)
    keys = [k for k, v in rows[0].items() if isinstance(v, float)] if rows else []
    return {k: sum(r[k] for r in rows) / len(rows) for k in keys}


class Evaluation:
    """Signals of every labelled query against one index, and the rankings derived from them."""

    def __init__(self, index: SearchIndex, queries: list[LabelledQuery], dense: bool = True):
        self.index = index
        self.queries = queries
        self.keys = [f"{r.document}:{r.number}" for r in index.records]
        numbers = {(r.document, r.number) for r in index.records}
        for q in queries:
            for n in q.relevant:
                doc, number = (q.document, n) if q.document is not None else n.partition(":")[::2]
                if (doc, number) not in numbers:
                    raise MetrokgError("E292", query=q.query, number=number, document=doc or "(none)")
        everything = np.ones(len(index.records), dtype=bool)
        self.masks = {d: everything if d is None else np.array([r.document == d for r in index.records])
                      for d in {q.document for q in queries}}
        self.mode = mode = "hybrid" if dense else "lexical"
        self.signals: list[Signals] = [index.signals(q.query, mode) for q in queries]
        self._baseline = None
        self._search: dict[int, list[dict]] = {}  # k -> search's rows, computed once
        self.citations = [index.citation_scores(q.query, q.document) for q in queries]  # fused rankings cite first
        self.dense_variants: dict[str, list[np.ndarray]] = {}
        if dense:
            from metrokg.kg.search.dense import DENSE_MODES

            for variant in DENSE_MODES:
                self.dense_variants[variant] = [index.signals(q.query, "dense", variant).scores["dense"]
                                                for q in queries]

    def score(self, scorer: Callable[[int, Signals], np.ndarray], subset: set[int] | None = None,
              cite: bool = False) -> tuple[dict[str, float], list[dict]]:
        """Mean metrics of the ranking ``scorer`` gives each query, and the per-query rows; with
        ``cite``, a query that cites a provision ranks it first, as search does."""
        rows = []
        for i, (q, sig) in enumerate(zip(self.queries, self.signals)):
            if subset is not None and i not in subset:
                continue
            scores = np.where(self.masks[q.document], scorer(i, sig), 0.0)
            if cite:
                scores = cite_first(scores, self.citations[i])
            rows.append(self.row(q, ranking(scores)))
        return mean(rows), rows

    def row(self, q: LabelledQuery, positions: list[int]) -> dict:
        """The metrics of one query's ranking (positions in the index), with its kind."""
        ranked = [self.index.records[p].number if q.document is not None else self.keys[p] for p in positions]
        return {"id": q.id, "query": q.query, "kind": q.kind or "other", "ranked": ranked,
                **metrics(ranked, q.relevant)}

    def baseline_rows(self) -> list[dict]:
        """Per query: plain BM25 over jieba's words (:class:`PlainBM25`), the figure to beat."""
        from metrokg.kg.search.baseline import PlainBM25

        if self._baseline is None:
            self._baseline = PlainBM25([f"{r.heading}\n{r.text}" for r in self.index.records])
        return [self.row(q, ranking(np.where(self.masks[q.document], self._baseline.scores(q.query), 0.0)))
                for q in self.queries]

    def search_rows(self, k: int = 10) -> list[dict]:
        """Per query: what :meth:`SearchIndex.search` returns (cited first, intent, cutoff)."""
        if k in self._search:
            return self._search[k]
        position = {r.iri: i for i, r in enumerate(self.index.records)}
        self._search[k] = [self.row(q, [position[iri] for h in self.index.search(q.query, k=k, document=q.document, mode=self.mode)
                             for iri in (h.provision.iri, *(d["iri"] for d in h.also_in))][:k])
                for q in self.queries]
        return self._search[k]

    def rows_by_config(self) -> dict[str, list[dict]]:
        """Per-query rows of the configurations compared per kind: the baseline, each signal,
        the default fusion, the fusion reordered by the second stage (:mod:`rerank`, no cutoff)
        and search as it answers."""
        mode = self.mode
        out = {"bm25 (jieba, baseline)": self.baseline_rows(),
               "lexical": self.score(lambda i, s: s.scores["lexical"])[1],
               "expansion": self.score(lambda i, s: s.scores["expansion"])[1]}
        if "dense" in (self.signals[0].scores if self.signals else {}):
            out["dense"] = self.score(lambda i, s: s.scores["dense"])[1]
        out["fused"] = self.score(lambda i, s: fusion.fuse(s.scores, "weighted", mode, fusion.WEIGHTS[mode]),
                                  cite=True)[1]
        out["reranked"] = self.score(lambda i, s: self.index.second_stage(
            self.queries[i].query, fusion.fuse(s.scores, "weighted", mode, fusion.WEIGHTS[mode]), s), cite=True)[1]
        out["search"] = self.search_rows()
        return out

    def by_kind(self) -> list[dict]:
        """Mean metrics per configuration and query kind, then over all queries ("all")."""
        table = []
        for config, rows in self.rows_by_config().items():
            kinds: dict[str, list[dict]] = {}
            for r in rows:
                kinds.setdefault(r["kind"], []).append(r)
            for kind in [*sorted(kinds), "all"]:
                chosen = rows if kind == "all" else kinds[kind]
                table.append({"config": config, "kind": kind, "queries": len(chosen), **mean(chosen)})
        return table

    def single(self, name: str) -> dict[str, float]:
        return self.score(lambda i, s: s.scores[name])[0]

    def fused(self, method: str, mode: str, weights: dict[str, float],
              subset: set[int] | None = None) -> dict[str, float]:
        def scorer(i: int, s: Signals) -> np.ndarray:
            return fusion.fuse({k: v for k, v in s.scores.items() if k in weights}, method, mode, weights)
        return self.score(scorer, subset, cite=True)[0]

    def table(self) -> list[dict]:
        """One row per configuration: each signal alone, then the default fusions."""
        rows = [{"config": "lexical only", **self.single("lexical")},
                {"config": "expansion only", **self.single("expansion")}]
        for variant, scores in self.dense_variants.items():
            rows.append({"config": f"dense only ({variant})",
                         **self.score(lambda i, s, sc=scores: sc[i])[0]})
        rows.append({"config": "lexical + expansion (weighted, --mode lexical)",
                     **self.fused("weighted", "lexical", fusion.WEIGHTS["lexical"])})
        rows.append({"config": "lexical + expansion (rrf)",
                     **self.fused("rrf", "lexical", fusion.RRF_WEIGHTS["lexical"])})
        if self.dense_variants:
            rows.append({"config": "fused equal-weight rrf (untuned)",
                         **self.fused("rrf", "hybrid", {"lexical": 1, "dense": 1, "expansion": 1})})
            rows.append({"config": "fused rrf (tuned)", **self.fused("rrf", "hybrid", fusion.RRF_WEIGHTS["hybrid"])})
            rows.append({"config": "fused weighted (tuned, default)",
                         **self.fused("weighted", "hybrid", fusion.WEIGHTS["hybrid"])})
        return rows

    def tune(self, method: str, mode: str, objective: str = "ndcg@10",
             subset: list[int] | None = None) -> tuple[dict[str, float], dict[str, float]]:
        """Grid search of the other weights (the reference signal keeps weight 1), on ``subset``
        of the queries (all by default); ties go to the smaller weights."""
        reference = "lexical" if mode == "lexical" else "dense"
        names = [n for n in ("lexical", "expansion") if n != reference]
        best_w: dict[str, float] = {}
        best_m: dict[str, float] = {}
        keep = set(range(len(self.queries)) if subset is None else subset)
        for combo in itertools.product(GRID, repeat=len(names)):
            w = {reference: 1.0, **dict(zip(names, combo))}
            m = self.fused(method, mode, w, keep)
            if not best_m or (m[objective], m["recall@5"]) > (best_m[objective], best_m["recall@5"]):
                best_w, best_m = w, m
        return best_w, best_m

    def cross_validate(self, method: str, mode: str, folds: int = 2) -> dict[str, float]:
        """Weights tuned on all but one fold, scored on the held-out fold: an honest figure."""
        rows = []
        n = len(self.queries)
        for f in range(folds):
            held = [i for i in range(n) if i % folds == f]
            weights, _ = self.tune(method, mode, subset=[i for i in range(n) if i % folds != f])
            m = self.fused(method, mode, weights, set(held))
            rows.append({k: v * len(held) for k, v in m.items()})
        return {k: sum(r[k] for r in rows) / n for k in rows[0]}


def format_table(rows: list[dict]) -> str:
    """A Markdown table of the metric rows."""
    cols = ["recall@5", "r-cap@5", "success@5", "mrr@10", "ndcg@10"]
    lines = ["| configuration | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for r in rows:
        lines.append(f"| {r['config']} | " + " | ".join(f"{r[c]:.3f}" for c in cols) + " |")
    return "\n".join(lines)


def format_kinds(rows: list[dict]) -> str:
    """A Markdown table of :meth:`Evaluation.by_kind`: one line per query kind, a column group per
    configuration (R@5 / MRR@10 / nDCG@10 / coverage@10)."""
    configs = list(dict.fromkeys(r["config"] for r in rows))
    kinds = list(dict.fromkeys(r["kind"] for r in rows))
    cell = {(r["config"], r["kind"]): r for r in rows}
    lines = ["| kind | n | " + " | ".join(configs) + " |", "|---|---:|" + "---|" * len(configs)]
    for kind in kinds:
        n = next(cell[(c, kind)]["queries"] for c in configs if (c, kind) in cell)
        vals = []
        for c in configs:
            r = cell.get((c, kind))
            vals.append("/".join(f"{r[m]:.2f}" for m in ("recall@5", "mrr@10", "ndcg@10", "coverage@10"))
                        if r else "")
        lines.append(f"| {kind} | {n} | " + " | ".join(vals) + " |")
    return "\n".join(lines) + "\n\ncells: R@5/MRR@10/nDCG@10/coverage@10"
