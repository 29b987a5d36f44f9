"""Compare two documents (a parent and a plan that implements it, or two peers): which parts and
provisions correspond, what the second leaves out or adds, how their targets differ.

Signals, each in [0, 1], are those search ranks with (:mod:`metrokg.kg.search`):

* dense: the search index's embeddings, ``0.5 (provision cosine + best sentence-pair cosine)``
  (search's ``DENSE_MODE`` "both"), rescaled so that the floor unrelated Chinese texts reach
  with multilingual-e5 (about 0.75) maps to 0: ``(cos - 0.75) / 0.25``;
* concepts: idf-weighted Jaccard overlap of the concepts the index links each provision to
  (the extraction's links and the labels in its words, as the expansion signal uses);
* lexical: the larger of the character-bigram cosine of the two provisions and of how much of one
  the other takes up, clause by clause (:func:`clause_coverage`: a short city provision matches the
  clauses of a long one it takes up).

``similarity = 0.5 dense + 0.25 concepts + 0.25 lexical`` (without dense: ``0.6 lexical + 0.4
concepts``); identical texts score 1.

Alignment follows the structure. *Parts* (chapters, and any provision with sub-provisions)
align with parts, *items* (the provisions without sub-provisions, chapters without any too) with items.
A part's similarity blends its own text and heading with how well the items under it match the
items under the other (``0.35 own + 0.15 heading + 0.5 content``), so 总体要求 pairs with the
chapter that holds the goals, not with 重点任务. Items of parts that are paired get a small bonus
(:data:`STRUCTURE_BONUS`). Pairs are first a one-to-one assignment maximising total similarity
(Hungarian algorithm), kept when a pair stands out of its row and column (:data:`STANDOUT` over
their medians) or is clearly similar (threshold + STANDOUT; for parts, threshold - PART_SLACK);
then a provision's best counterpart, when it is not its pair and stands out, pairs too, so one provision can pair with several where a plan merges or
splits sections (``link``: ``one-to-one``, ``merged``: several of A in one of B, ``split``:
one of A spread over several of B).

Targets are matched by indicator concept, else by indicator text, totals with totals; a pair is
reported when value, comparator, unit or deadline differ, with whether B is ``stricter`` or
``looser`` (a higher floor, a lower ceiling or an earlier deadline is stricter). A's tasks and
targets without a counterpart in B are what B does not take up; B's without one in A are its
additions.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from metrokg import settings
from metrokg.errors import MetrokgError
from metrokg.kg.analyses.targets import target_records
from metrokg.kg.records.factview import ProvisionInfo, load_facts, load_provision_infos, number_key
from metrokg.kg.records.listing import check_document
from metrokg.kg.records.parents import parent_documents
from metrokg.kg.store.base import Store

THRESHOLDS = {"embedding": 0.4, "lexical": 0.25}  # on the seed against a second province and a city plan
E5_FLOOR = 0.75
CONCEPT_PRIOR = 2.0  # idf-weighted concepts added to every union: few concepts are weak evidence
STANDOUT = 0.08  # a second pair of one provision must exceed its row's and column's median by this
STRUCTURE_BONUS = 0.05
PART_SLACK = 0.08  # parts are few and averaged over their items: one-to-one pairs of parts need less  # items under paired parts: structure is evidence too
_CLAUSE = re.compile(r"[。，；;,!?！？\n]")
_PUNCT = set("，。、；：,.;:()（）《》“”\"'！？!?〔〕[]【】")


# ---------------------------------------------------------------- signals

def _bigrams(text: str) -> list[str]:
    chars = [c for c in text if not c.isspace() and c not in _PUNCT]
    return [a + b for a, b in zip(chars, chars[1:])]


def _bigram_rows(texts: list[str], vocab: dict[str, int]) -> sparse.csr_matrix:
    """L2-normalised bigram count vectors, one row per text (columns shared through ``vocab``)."""
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        counts: dict[int, int] = {}
        for g in _bigrams(text):
            j = vocab.setdefault(g, len(vocab))
            counts[j] = counts.get(j, 0) + 1
        norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
        for j, v in counts.items():
            rows.append(i)
            cols.append(j)
            vals.append(v / norm)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), max(len(vocab), 1)))


def lexical_matrix(a: list[str], b: list[str]) -> np.ndarray:
    """Character-bigram cosine of every text of ``a`` with every text of ``b``."""
    vocab: dict[str, int] = {}
    va, vb = _bigram_rows(a, vocab), _bigram_rows(b, vocab)
    shape = (va.shape[0], max(len(vocab), 1))
    va.resize(shape)
    vb.resize((vb.shape[0], shape[1]))
    return np.asarray((va @ vb.T).todense()) if a and b else np.zeros((len(a), len(b)))


def _group_max(m: np.ndarray, owners_a: np.ndarray, owners_b: np.ndarray, na: int, nb: int) -> np.ndarray:
    """The largest value of ``m`` (rows owned by owners_a, columns by owners_b) per owner pair."""
    out = np.zeros((na, nb))
    if m.size:
        np.maximum.at(out, (owners_a[:, None], owners_b[None, :]), m)
    return out


def concept_matrix(a: list[set[str]], b: list[set[str]], idf: dict[str, float] | None = None) -> np.ndarray:
    """(idf-weighted) Jaccard overlap of concept sets; two sets without concepts score 0."""
    out = np.zeros((len(a), len(b)))
    mean_idf = sum(idf.values()) / len(idf) if idf else 1.0
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            union = x | y
            if union:
                if idf is None:
                    out[i, j] = len(x & y) / len(union)
                else:  # two shared concepts are evidence, one concept alike on each side hardly
                    total = sum(idf.get(c, 1.0) for c in union) + CONCEPT_PRIOR * mean_idf
                    out[i, j] = sum(idf.get(c, 1.0) for c in x & y) / total
    return out


def dense_matrix(a: list[str], b: list[str], embedder) -> np.ndarray:
    """Rescaled cosine of the embedder's passage vectors (any object with ``embed_passages``)."""
    cos = np.asarray(embedder.embed_passages(a)) @ np.asarray(embedder.embed_passages(b)).T
    return _rescale(cos)


def _rescale(cos: np.ndarray) -> np.ndarray:
    return np.clip((cos - E5_FLOOR) / (1 - E5_FLOOR), 0.0, 1.0)


def blend(lex: np.ndarray, con: np.ndarray, dense: np.ndarray | None) -> np.ndarray:
    """The similarity the module docstring defines from its three signals."""
    return 0.6 * lex + 0.4 * con if dense is None else 0.5 * dense + 0.25 * con + 0.25 * lex


def similarity_matrix(a_texts: list[str], b_texts: list[str], a_concepts: list[set[str]],
                      b_concepts: list[set[str]], embedder=None) -> np.ndarray:
    """Similarity of free texts with concept sets (no store): whole-text signals only."""
    dense = dense_matrix(a_texts, b_texts, embedder) if embedder is not None else None
    sim = blend(lexical_matrix(a_texts, b_texts), concept_matrix(a_concepts, b_concepts), dense)
    _identity(sim, a_texts, b_texts)
    return sim


def _identity(sim: np.ndarray, a: list[str], b: list[str]) -> None:
    if a and b:
        sim[np.array([[x == y for y in b] for x in a], dtype=bool)] = 1.0


# ---------------------------------------------------------------- the documents' signals from the index

@dataclass
class _Side:
    """One document's provisions in order, with their positions in the search index."""

    provisions: list[ProvisionInfo]
    positions: list[int]

    def clauses(self) -> tuple[list[str], np.ndarray]:
        """Every clause (text between 。，；) of every provision, with its provision's position."""
        texts, owners = [], []
        for k, p in enumerate(self.provisions):
            parts = [c for c in _CLAUSE.split(p.text) if len(_bigrams(c)) >= 2] or [p.text]
            texts += parts
            owners += [k] * len(parts)
        return texts, np.asarray(owners, dtype=np.int64)


def _side(store: Store, index, doc: str) -> _Side:
    provs = sorted(load_provision_infos(store, doc).values(), key=lambda p: p.order)
    if not provs:
        raise MetrokgError("E340", doc_id=doc)
    where = {r.iri: i for i, r in enumerate(index.records)} if index is not None else {}
    return _Side(provs, [where.get(p.iri, -1) for p in provs])


def _index_concepts(index, side: _Side) -> list[set[str]]:
    """Per provision, the concepts search links it to (its extraction links and labels in its words)."""
    out = [set(p.concepts) for p in side.provisions]
    if index is None:
        return out
    wanted = {pos: k for k, pos in enumerate(side.positions) if pos >= 0}
    for iri, posting in index.expansion.postings.items():
        for pos in posting:
            k = wanted.get(pos)
            if k is not None:
                out[k].add(iri)
    return out


def _dense_pair(index, a: _Side, b: _Side) -> np.ndarray | None:
    """Search's dense score between provisions: mean of provision and best sentence-pair cosine."""
    dense = index.dense()

    def vectors(side: _Side):
        prov = np.zeros((len(side.provisions), dense.provisions.shape[1]), np.float32)
        sents, owners = [], []
        for k, pos in enumerate(side.positions):
            if pos < 0:
                continue
            prov[k] = dense.provisions[pos]
            lo, hi = int(dense.first[pos]), int(dense.first[pos + 1])
            sents.append(dense.sentences[lo:hi])
            owners += [k] * (hi - lo)
        sent = np.concatenate(sents) if sents else np.zeros((0, prov.shape[1]), np.float32)
        return prov, sent, np.asarray(owners, dtype=np.int64)

    pa, sa, oa = vectors(a)
    pb, sb, ob = vectors(b)
    prov = pa @ pb.T
    best = _group_max(sa @ sb.T, oa, ob, len(a.provisions), len(b.provisions)) if len(sa) and len(sb) else prov
    empty = (np.abs(pa).sum(1) == 0)[:, None] | (np.abs(pb).sum(1) == 0)[None, :]
    return np.where(empty, 0.0, _rescale(0.5 * (prov + np.maximum(best, prov))))


def clause_coverage(a: _Side, b: _Side) -> np.ndarray:
    """How much of one provision the other takes up: the mean, over the clauses of one (weighted by
    length), of their best bigram cosine with a clause of the other; the larger of both ways."""
    ta, oa = a.clauses()
    tb, ob = b.clauses()
    na, nb = len(a.provisions), len(b.provisions)
    m = lexical_matrix(ta, tb)
    if not m.size:
        return np.zeros((na, nb))
    best_b = np.zeros((len(ta), nb))  # each clause of A against each provision of B
    np.maximum.at(best_b.T, ob, m.T)
    best_a = np.zeros((na, len(tb)))
    np.maximum.at(best_a, oa, m)

    def mean_by(owners: np.ndarray, texts: list[str], n: int) -> np.ndarray:
        w = np.zeros((n, len(texts)))
        w[owners, np.arange(len(texts))] = [len(t) for t in texts]
        return w / np.maximum(w.sum(axis=1, keepdims=True), 1)

    cover_a = mean_by(oa, ta, na) @ best_b  # (na, nb): A's provision covered by B's
    cover_b = (mean_by(ob, tb, nb) @ best_a.T).T
    return np.maximum(cover_a, cover_b)


def document_similarity(store: Store, a: _Side, b: _Side, index, use_dense: bool) -> np.ndarray:
    """Every provision of A against every provision of B, from the three signals."""
    texts_a = [f"{p.heading}\n{p.text}" for p in a.provisions]
    texts_b = [f"{p.heading}\n{p.text}" for p in b.provisions]
    lex = np.maximum(lexical_matrix(texts_a, texts_b), clause_coverage(a, b))
    idf = None
    if index is not None:
        idf = {c: index.expansion.idf(c) for c in index.expansion.postings}
    con = concept_matrix(_index_concepts(index, a), _index_concepts(index, b), idf)
    dense = _dense_pair(index, a, b) if use_dense and index is not None else None
    sim = blend(lex, con, dense)
    _identity(sim, [p.text for p in a.provisions], [p.text for p in b.provisions])
    return sim


# ---------------------------------------------------------------- structure

def _has_children(p: ProvisionInfo, numbers: set[str]) -> bool:
    return any(n.startswith(p.number + ".") for n in numbers)


def _is_part(p: ProvisionInfo, numbers: set[str]) -> bool:
    """A chapter (top-level number) or a provision with sub-provisions. A chapter without
    sub-provisions (一、工作目标 and its text) is an item too."""
    return "." not in p.number or _has_children(p, numbers)


def _leaves_under(provs: list[ProvisionInfo], k: int, items: list[int]) -> list[int]:
    prefix = provs[k].number + "."
    under = [i for i in items if provs[i].number.startswith(prefix)]
    return under or [k]


def _assign(sim: np.ndarray) -> list[tuple[int, int]]:
    if sim.size == 0:
        return []
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(-sim)
    return list(zip(rows.tolist(), cols.tolist()))


def _align(sim: np.ndarray, threshold: float, forced: float | None = None,
           raw: np.ndarray | None = None) -> list[tuple[int, int, str]]:
    """One-to-one pairs at or above ``threshold``; then a provision's best counterpart, when it is
    not its pair, also pairs with it if it reaches the threshold and stands out of its row and
    column (:data:`STANDOUT` over their medians): merges and splits. ``raw`` (the similarity
    without the structure bonus, which helps choose among counterparts but is no evidence of a
    second one) decides the extra pairs."""
    if not sim.size:
        return []
    raw = sim if raw is None else raw

    def stands_out(m: np.ndarray, i: int, j: int) -> bool:
        row, col = np.median(m[i]), np.median(m[:, j])
        return m[i, j] >= threshold and m[i, j] - max(row, col) >= STANDOUT

    # the assignment pairs everything it can; a pair it forces on two provisions that are no
    # closer to each other than to the rest is left out, unless it is clearly similar
    forced = threshold + STANDOUT if forced is None else forced
    pairs = [(i, j) for i, j in _assign(sim) if stands_out(sim, i, j) or sim[i, j] >= forced]
    taken = set(pairs)
    paired_a, paired_b = {i for i, _ in pairs}, {j for _, j in pairs}
    best = [(i, int(np.argmax(raw[i]))) for i in range(raw.shape[0])]
    best += [(int(np.argmax(raw[:, j])), j) for j in range(raw.shape[1])]
    extra = []
    for i, j in best:
        if (i, j) not in taken and stands_out(raw, i, j):
            taken.add((i, j))
            # one of A already paired spreads over several of B; several of A meet in one of B
            link = "split" if i in paired_a else "merged" if j in paired_b else "one-to-one"
            paired_a.add(i)
            paired_b.add(j)
            extra.append((i, j, link))
    return [(i, j, "one-to-one") for i, j in pairs] + extra


def _subset(sim: np.ndarray, rows: list[int], cols: list[int]) -> np.ndarray:
    return sim[np.ix_(rows, cols)] if rows and cols else np.zeros((len(rows), len(cols)))


def structural_alignment(a: list[ProvisionInfo], b: list[ProvisionInfo], sim: np.ndarray,
                         threshold: float) -> list[tuple[int, int, str, float, str]]:
    """(i, j, kind, similarity, link): parts paired with parts, then items with items."""
    nums_a, nums_b = {p.number for p in a}, {p.number for p in b}
    parts_a = [k for k, p in enumerate(a) if _is_part(p, nums_a)]
    parts_b = [k for k, p in enumerate(b) if _is_part(p, nums_b)]
    items_a = [k for k, p in enumerate(a) if not _has_children(p, nums_a)]
    items_b = [k for k, p in enumerate(b) if not _has_children(p, nums_b)]
    heading = lexical_matrix([p.heading for p in a], [p.heading for p in b])
    part_sim = np.zeros((len(parts_a), len(parts_b)))
    for x, i in enumerate(parts_a):
        under_a = _leaves_under(a, i, items_a)
        for y, j in enumerate(parts_b):
            under_b = _leaves_under(b, j, items_b)
            block = sim[np.ix_(under_a, under_b)]
            content = 0.5 * (block.max(axis=1).mean() + block.max(axis=0).mean())
            part_sim[x, y] = 1.0 if sim[i, j] == 1.0 else \
                0.35 * sim[i, j] + 0.15 * heading[i, j] + 0.5 * content
    out = [(parts_a[x], parts_b[y], "part", float(part_sim[x, y]), link)
           for x, y, link in _align(part_sim, threshold, threshold - PART_SLACK)]
    paired = {(a[i].number, b[j].number) for i, j, *_ in out}

    def under_paired(i: int, j: int) -> bool:
        return any(a[i].number.startswith(x + ".") and b[j].number.startswith(y + ".") for x, y in paired)

    raw = _subset(sim, items_a, items_b)
    item_sim = raw.copy()
    for x, i in enumerate(items_a):
        for y, j in enumerate(items_b):
            if item_sim[x, y] < 1.0 and under_paired(i, j):
                item_sim[x, y] = min(1.0, item_sim[x, y] + STRUCTURE_BONUS)
    out += [(items_a[x], items_b[y], "item", float(item_sim[x, y]), link)
            for x, y, link in _align(item_sim, threshold, raw=raw) if (a[items_a[x]].number, b[items_b[y]].number) not in paired]
    return out


# ---------------------------------------------------------------- targets and tasks

def _target_key(t: dict) -> str:
    return t["indicator_iri"] or (t["indicator"] or "").strip()


def _target_match(ta: dict, b_targets: list[dict], used_b: set[str]) -> dict | None:
    key = _target_key(ta)
    if not key:
        return None
    cands = [tb for tb in b_targets if tb["iri"] not in used_b and _target_key(tb) == key
             and tb["is_total"] == ta["is_total"]]
    if not cands and ta["indicator"]:  # 社会公用计量标准 vs 自治区社会公用计量标准
        cands = [tb for tb in b_targets if tb["iri"] not in used_b and tb["is_total"] == ta["is_total"]
                 and tb["indicator"] and (ta["indicator"] in tb["indicator"] or tb["indicator"] in ta["indicator"])]
    return cands[0] if cands else None


def _direction(ta: dict, tb: dict) -> dict[str, str | None]:
    """Whether B's value and deadline are stricter or looser than A's (None: equal or not comparable)."""
    value = None
    if ta.get("comparator") == tb.get("comparator") and ta.get("unit") == tb.get("unit") \
            and isinstance(ta.get("value"), (int, float)) and isinstance(tb.get("value"), (int, float)) \
            and ta["value"] != tb["value"]:
        higher = tb["value"] > ta["value"]
        if ta["comparator"] in (">=", ">", "="):
            value = "stricter" if higher else "looser"
        elif ta["comparator"] in ("<=", "<"):
            value = "looser" if higher else "stricter"
    deadline = None
    if isinstance(ta.get("deadline"), int) and isinstance(tb.get("deadline"), int) and ta["deadline"] != tb["deadline"]:
        deadline = "stricter" if tb["deadline"] < ta["deadline"] else "looser"
    return {"value": value, "deadline": deadline}


_TARGET_FIELDS = ("number", "value", "unit", "comparator", "deadline", "scope", "text", "iri", "indicator")


def target_differences(a_targets: list[dict], b_targets: list[dict]) -> list[dict]:
    """Targets with the same indicator in both documents whose value, unit, comparator,
    deadline or scope differ (totals are compared with totals only)."""
    return compare_targets(a_targets, b_targets)["differences"]


def compare_targets(a_targets: list[dict], b_targets: list[dict]) -> dict:
    """``{"differences", "only_a", "only_b"}``: matched targets that differ (with B's direction),
    A's targets B does not take up, and B's additions."""
    out, matched_a = [], set()
    used_b: set[str] = set()
    for ta in a_targets:
        tb = _target_match(ta, b_targets, used_b)
        if tb is None:
            continue
        used_b.add(tb["iri"])
        matched_a.add(ta["iri"])
        fields = [f for f in ("value", "unit", "comparator", "deadline", "recurring") if ta.get(f) != tb.get(f)]
        if fields:
            out.append({"indicator": ta["indicator"], "indicator_iri": ta["indicator_iri"], "differences": fields,
                        "direction": _direction(ta, tb),
                        "a": {k: ta.get(k) for k in _TARGET_FIELDS}, "b": {k: tb.get(k) for k in _TARGET_FIELDS}})

    def brief(t: dict) -> dict:
        return {k: t.get(k) for k in _TARGET_FIELDS}

    return {"differences": out, "only_a": [brief(t) for t in a_targets if t["iri"] not in matched_a],
            "only_b": [brief(t) for t in b_targets if t["iri"] not in used_b]}


def _tasks(store: Store, doc: str) -> list[dict]:
    return [{"iri": f.iri, "number": f.number, "text": f.text} for f in load_facts(store, "task", doc) if f.text]


def compare_tasks(a_tasks: list[dict], b_tasks: list[dict], b_texts: list[str],
                  threshold: float) -> dict:
    """``{"only_a", "only_b"}``: A's tasks whose text no sentence of B comes close to (bigram
    cosine below ``threshold``), and B's tasks no sentence of A's tasks is close to."""
    def uncovered(tasks: list[dict], other: list[str]) -> list[dict]:
        if not tasks:
            return []
        if not other:
            return tasks
        best = lexical_matrix([t["text"] for t in tasks], other).max(axis=1)
        return [{**t, "closest": round(float(s), 4)} for t, s in zip(tasks, best) if s < threshold]

    return {"only_a": uncovered(a_tasks, b_texts), "only_b": uncovered(b_tasks, [t["text"] for t in a_tasks])}


# ---------------------------------------------------------------- the comparison

def compare_documents(store: Store, doc_a: str, doc_b: str, embedder=None,
                      threshold: float | None = None, *, dense: bool | None = None) -> dict:
    """Align the provisions of two ingested documents and diff their targets and tasks.

    ``{"a", "b", "parents_b", "pairs": [{"a", "b", "similarity", "heading_a", "heading_b", "kind",
    "link", "shared_concepts"}], "unmatched_a", "unmatched_b", "target_differences",
    "targets_only_a", "targets_only_b", "tasks_only_a", "tasks_only_b", "method", "threshold"}``;
    provisions are given by number. ``dense`` (or, as before, any ``embedder``) uses the search
    index's embeddings; otherwise the concepts and characters only.
    """
    from metrokg.kg.search.index import SearchIndex

    check_document(store, doc_a)
    check_document(store, doc_b)
    use_dense = bool(dense) if dense is not None else embedder is not None
    if threshold is None:
        threshold = THRESHOLDS["embedding" if use_dense else "lexical"]
    index = SearchIndex.open(store)
    a, b = _side(store, index, doc_a), _side(store, index, doc_b)
    sim = document_similarity(store, a, b, index, use_dense)
    provs_a, provs_b = a.provisions, b.provisions
    pairs = []
    for i, j, kind, s, link in structural_alignment(provs_a, provs_b, sim, threshold):
        pa, pb = provs_a[i], provs_b[j]
        pairs.append({"a": pa.number, "b": pb.number, "similarity": round(s, 4), "kind": kind, "link": link,
                      "heading_a": pa.heading, "heading_b": pb.heading,
                      "shared_concepts": sorted(pa.concepts & pb.concepts)})
    pairs.sort(key=lambda p: (number_key(p["a"]), number_key(p["b"])))
    matched_a, matched_b = {p["a"] for p in pairs}, {p["b"] for p in pairs}

    def unmatched(provs: list[ProvisionInfo], other: list[ProvisionInfo], matched: set[str], m: np.ndarray):
        out = []
        for k, p in enumerate(provs):
            if p.number in matched:
                continue
            best = int(np.argmax(m[k])) if m.shape[1] else None
            out.append({"number": p.number, "heading": p.heading, "text": p.text[:200],
                        "closest": None if best is None else {"number": other[best].number,
                                                              "similarity": round(float(m[k, best]), 4)}})
        return out

    targets = compare_targets(target_records(store, doc_a), target_records(store, doc_b))
    tasks = compare_tasks(_tasks(store, doc_a), _tasks(store, doc_b), b.clauses()[0],
                          float(settings.get("METROKG_COMPARE_TASK_THRESHOLD")))
    return {"a": doc_a, "b": doc_b, "method": "embedding+concepts+lexical" if use_dense else "concepts+lexical",
            "threshold": threshold, "parents_b": parent_documents(store, doc_b), "pairs": pairs,
            "unmatched_a": unmatched(provs_a, provs_b, matched_a, sim),
            "unmatched_b": unmatched(provs_b, provs_a, matched_b, sim.T),
            "target_differences": targets["differences"], "targets_only_a": targets["only_a"],
            "targets_only_b": targets["only_b"], "tasks_only_a": tasks["only_a"], "tasks_only_b": tasks["only_b"]}
