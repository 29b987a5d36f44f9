"""Compare two documents: which provisions correspond, which have no counterpart, how targets differ.

Similarity of two provisions blends three signals, each in [0, 1]:

* dense: cosine of the embedder's passage vectors, rescaled so that the floor unrelated
  Chinese texts reach with multilingual-e5 (about 0.75) maps to 0: ``(cos - 0.75) / 0.25``;
* concepts: Jaccard overlap of the vocabulary concepts the extraction linked in each;
* lexical: cosine of character-bigram counts.

``similarity = 0.5 dense + 0.25 concepts + 0.25 lexical`` (without an embedder:
``0.6 lexical + 0.4 concepts``). Pairs are a one-to-one assignment maximising total
similarity (Hungarian algorithm), kept when at least :data:`THRESHOLDS` of the method. Identical texts
score 1, so a document compared with itself aligns every provision to itself.
Targets are matched by indicator concept, else by indicator text; a pair is reported when
value, comparator, unit or deadline differ.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from metrokg.errors import MetrokgError
from metrokg.kg.records.factview import load_provision_infos, number_key
from metrokg.kg.records.listing import check_document
from metrokg.kg.store.base import Store
from metrokg.kg.analyses.targets import target_records

THRESHOLDS = {"embedding": 0.4, "lexical": 0.3}  # chosen on the seed against a second province's text
E5_FLOOR = 0.75


def _bigrams(text: str) -> Counter:
    chars = [c for c in text if not c.isspace() and c not in "，。、；：,.;:()（）《》“”\"'"]
    return Counter(a + b for a, b in zip(chars, chars[1:]))


def lexical_matrix(a: list[str], b: list[str]) -> np.ndarray:
    va, vb = [_bigrams(t) for t in a], [_bigrams(t) for t in b]
    out = np.zeros((len(a), len(b)))
    for i, x in enumerate(va):
        nx = math.sqrt(sum(v * v for v in x.values()))
        for j, y in enumerate(vb):
            if not nx:
                continue
            ny = math.sqrt(sum(v * v for v in y.values()))
            if ny:
                small, big = (x, y) if len(x) < len(y) else (y, x)
                out[i, j] = sum(v * big.get(k, 0) for k, v in small.items()) / (nx * ny)
    return out


def concept_matrix(a: list[set[str]], b: list[set[str]]) -> np.ndarray:
    out = np.zeros((len(a), len(b)))
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if x or y:
                out[i, j] = len(x & y) / len(x | y)
            # two provisions without concepts: no evidence either way (0)
    return out


def dense_matrix(a: list[str], b: list[str], embedder) -> np.ndarray:
    va = embedder.embed_passages(a)
    vb = embedder.embed_passages(b)
    cos = np.asarray(va) @ np.asarray(vb).T
    return np.clip((cos - E5_FLOOR) / (1 - E5_FLOOR), 0.0, 1.0)


def similarity_matrix(a_texts: list[str], b_texts: list[str], a_concepts: list[set[str]],
                      b_concepts: list[set[str]], embedder=None) -> np.ndarray:
    lex = lexical_matrix(a_texts, b_texts)
    con = concept_matrix(a_concepts, b_concepts)
    if embedder is None:
        sim = 0.6 * lex + 0.4 * con
    else:
        sim = 0.5 * dense_matrix(a_texts, b_texts, embedder) + 0.25 * con + 0.25 * lex
    same = np.array([[x == y for y in b_texts] for x in a_texts], dtype=bool) if a_texts and b_texts else None
    if same is not None:
        sim[same] = 1.0
    return sim


def _assign(sim: np.ndarray) -> list[tuple[int, int]]:
    if sim.size == 0:
        return []
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(-sim)
    return list(zip(rows.tolist(), cols.tolist()))


def _target_key(t: dict) -> str:
    return t["indicator_iri"] or (t["indicator"] or "").strip()


def target_differences(a_targets: list[dict], b_targets: list[dict]) -> list[dict]:
    """Targets with the same indicator in both documents whose value, unit, comparator,
    deadline or scope differ (totals are compared with totals only)."""
    out = []
    used_b: set[str] = set()
    for ta in a_targets:
        key = _target_key(ta)
        if not key:
            continue
        cands = [tb for tb in b_targets if tb["iri"] not in used_b and _target_key(tb) == key
                 and tb["is_total"] == ta["is_total"]]
        if not cands and ta["indicator"]:  # 社会公用计量标准 vs 自治区社会公用计量标准
            cands = [tb for tb in b_targets if tb["iri"] not in used_b and tb["is_total"] == ta["is_total"]
                     and tb["indicator"] and (ta["indicator"] in tb["indicator"] or tb["indicator"] in ta["indicator"])]
        if not cands:
            continue
        tb = cands[0]
        used_b.add(tb["iri"])
        fields = [f for f in ("value", "unit", "comparator", "deadline", "recurring")
                  if ta.get(f) != tb.get(f)]
        entry = {"indicator": ta["indicator"], "indicator_iri": ta["indicator_iri"], "differences": fields,
                 "a": {k: ta[k] for k in ("number", "value", "unit", "comparator", "deadline", "scope", "text", "iri")},
                 "b": {k: tb[k] for k in ("number", "value", "unit", "comparator", "deadline", "scope", "text", "iri")}}
        if fields:
            out.append(entry)
    return out


def compare_documents(store: Store, doc_a: str, doc_b: str, embedder=None,
                      threshold: float | None = None) -> dict:
    """Align the provisions of two ingested documents and diff their targets.

    ``{"a", "b", "pairs": [{"a", "b", "similarity", "heading_a", "heading_b"}], "unmatched_a",
    "unmatched_b", "target_differences", "method"}``; provisions are given by number.
    ``embedder`` is any object with ``embed_passages``; None uses lexical and concept signals.
    """
    check_document(store, doc_a)
    check_document(store, doc_b)
    if threshold is None:
        threshold = THRESHOLDS["embedding" if embedder is not None else "lexical"]
    provs_a = sorted(load_provision_infos(store, doc_a).values(), key=lambda p: p.order)
    provs_b = sorted(load_provision_infos(store, doc_b).values(), key=lambda p: p.order)
    for doc, provs in ((doc_a, provs_a), (doc_b, provs_b)):
        if not provs:
            raise MetrokgError("E340", doc_id=doc)
    sim = similarity_matrix([p.text for p in provs_a], [p.text for p in provs_b],
                            [p.concepts for p in provs_a], [p.concepts for p in provs_b], embedder)
    pairs = []
    matched_a, matched_b = set(), set()
    for i, j in _assign(sim):
        s = float(sim[i, j])
        if s >= threshold:
            pa, pb = provs_a[i], provs_b[j]
            pairs.append({"a": pa.number, "b": pb.number, "similarity": round(s, 4),
                          "heading_a": pa.heading, "heading_b": pb.heading,
                          "shared_concepts": sorted(pa.concepts & pb.concepts)})
            matched_a.add(i)
            matched_b.add(j)
    pairs.sort(key=lambda p: number_key(p["a"]))

    def unmatched(provs, matched, other_sim):
        out = []
        for k, p in enumerate(provs):
            if k in matched:
                continue
            best = int(np.argmax(other_sim[k])) if other_sim.shape[1] else None
            out.append({"number": p.number, "heading": p.heading, "text": p.text[:200],
                        "closest": None if best is None else {"number": (provs_b if provs is provs_a else provs_a)[best].number,
                                                              "similarity": round(float(other_sim[k, best]), 4)}})
        return out

    return {"a": doc_a, "b": doc_b, "method": "embedding+concepts+lexical" if embedder else "concepts+lexical",
            "threshold": threshold, "pairs": pairs,
            "unmatched_a": unmatched(provs_a, matched_a, sim),
            "unmatched_b": unmatched(provs_b, matched_b, sim.T),
            "target_differences": target_differences(target_records(store, doc_a), target_records(store, doc_b))}
