"""Fusion of search signals: a weighted sum of normalised scores, or reciprocal-rank fusion.

Both take ``{signal name: score per provision}``. Weights were tuned on the labelled queries
in ``corpus/queries`` with ``metrokg eval-search --tune`` (figures in the README); the
defaults below are the result. An untuned equal-weight fusion can rank worse than its best
signal, which is why the weights are not all 1.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

#: default method and weights per search mode (tuned; see module docstring)
DEFAULT_METHOD = "weighted"
WEIGHTS: dict[str, dict[str, float]] = {
    "hybrid": {"lexical": 1.5, "dense": 1.0, "expansion": 1.5, "translation": 0.5},
    "lexical": {"lexical": 1.0, "expansion": 1.0, "translation": 0.5},
}
RRF_WEIGHTS: dict[str, dict[str, float]] = {
    "hybrid": {"lexical": 1.0, "dense": 1.0, "expansion": 2.0},
    "lexical": {"lexical": 1.0, "expansion": 0.1},
}
RRF_K = 60
#: cosine similarities below the per-query floor of this quantile carry no weight
DENSE_FLOOR_QUANTILE = 0.5


def normalise(name: str, scores: np.ndarray) -> np.ndarray:
    """Scores mapped into [0, 1] for weighting.

    BM25 and expansion scores are divided by the query's best score (0 stays "no match").
    Cosine similarities of a multilingual model sit in a narrow band for any text, so the
    dense signal is rescaled between the query's median and its best similarity.
    """
    if scores.size == 0:
        return scores.astype(np.float32)
    if name == "dense":
        lo = float(np.quantile(scores, DENSE_FLOOR_QUANTILE))
        hi = float(scores.max())
        if hi - lo <= 1e-9:
            return np.zeros_like(scores, dtype=np.float32)
        return np.clip((scores - lo) / (hi - lo), 0.0, 1.0).astype(np.float32)
    hi = float(scores.max())
    if hi <= 0:
        return np.zeros_like(scores, dtype=np.float32)
    return np.clip(scores / hi, 0.0, 1.0).astype(np.float32)


def weighted(signals: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """Sum of weight × normalised score over the signals present."""
    size = next(iter(signals.values())).size if signals else 0
    out = np.zeros(size, dtype=np.float32)
    for name, scores in signals.items():
        w = float(weights.get(name, 0.0))
        if w:
            out += w * normalise(name, scores)
    return out


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each position (ties broken by position); 0 where the score is not positive."""
    order = np.argsort(-scores, kind="stable")
    r = np.empty(scores.size, dtype=np.int64)
    r[order] = np.arange(1, scores.size + 1)
    return np.where(scores > 0, r, 0)


def rrf(signals: Mapping[str, np.ndarray], weights: Mapping[str, float], k: int = RRF_K) -> np.ndarray:
    """Weighted reciprocal-rank fusion: sum of weight / (k + rank) over the signals that rank a provision."""
    size = next(iter(signals.values())).size if signals else 0
    out = np.zeros(size, dtype=np.float32)
    for name, scores in signals.items():
        w = float(weights.get(name, 0.0))
        if not w:
            continue
        s = normalise(name, scores) if name == "dense" else scores
        r = ranks(s)
        out += np.where(r > 0, w / (k + np.maximum(r, 1)), 0.0).astype(np.float32)
    return out


def fuse(signals: Mapping[str, np.ndarray], method: str = DEFAULT_METHOD, mode: str = "hybrid",
         weights: Mapping[str, float] | None = None) -> np.ndarray:
    """The fused score of every provision."""
    if method == "rrf":
        return rrf(signals, weights or RRF_WEIGHTS.get(mode, {}))
    return weighted(signals, weights or WEIGHTS.get(mode, {}))
