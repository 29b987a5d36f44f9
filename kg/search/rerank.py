"""The second stage of search: the fused ranking's best candidates reordered by what the graph says
about them, not by more text similarity.

No package on the configured index ships the weights of a Chinese-capable cross-encoder or of a
stronger embedder usable offline (the README's Search quality section says what was looked for),
so the second stage reads the graph. A question's intent (:mod:`metrokg.kg.search.intent`:
会受到什么处理 asks for a penalty) lifts the candidates holding a fact of that kind, by
``METROKG_SEARCH_INTENT_BOOST`` of the best candidate's score times the share of candidates
*without* it: a penalty article stands out among plan tasks, while a duty, which nearly every
candidate holds, moves little (军工产品的计量工作谁管 is answered by the article its words find, not
by any article with a duty). Lifting every matching provision above every other, as the first
version did, buried 对罚款不服可以去法院告吗's remedy article under the penalty articles.

A candidate of the asked kind that is also linked to a concept the query names (the conduct a
penalty question is about, the procedure of 对罚款不服) gets the whole lift, another one half: on
the real set English 0.74 → 0.79 R@5 and paraphrase 0.66 → 0.68, the other sets unchanged; for
targets, whose rows often name no concept (受检率达到95%), it cost a plans query, so a target or
time-limit question lifts every candidate of its kind alike.

Each of the best candidates also brings along the provisions it is **linked to by citation**
(:func:`cited_along`): a penalty article and the duty it punishes (上海条例第三十二条 违反本条例第十六条
规定… and 第十六条 on the scales of 集市贸易市场; 进口办法第十七条 and 第九条 on the secrecy of the
applicant's technical data), which say one thing between them in other words. As an intent feature
(a penalty question lifting the articles that cite the duty its words found) they changed no top 5;
as a neighbour of the best 3 lifted to 0.75 of its score, on the real set paraphrase 0.71 → 0.73
R@5 and the plans set's 0.81 → 0.82, every other kind and set unchanged (0.6-0.75 alike; the best
3 at 0.8 and more cost cross-document queries, 0.85 question ones).

The best candidates also bring their **counterparts** along (:func:`counterparts`): the same
provision in another document, as a local regulation or implementing rules repeat a law's
article (计量法第二十二条 and 细则第二十九条 and 河南条例第二十九条 on the certification of
product quality inspection bodies). Measured on the three labelled sets: the real set's
cross-document kind 0.85 → 0.88 R@5, paraphrase 0.70 → 0.71, every other kind and set unchanged;
a lower cosine (0.95-0.96) or a lift of 0.7-0.8 lost question or cross-document queries.

A counterpart must itself be a fair candidate, scored at ``COUNTERPART_FLOOR`` (0.25) of the best
or more: the nearest article of another document is not always the same article (非法定计量单位能
不能用在广告上 lifted 细则第二十一条 on defective spare parts, nearest 计量法第十四条 at the
made-under cosine but scored 0.11 of the best, to third). Of the 166 lifts over the real set's
queries, 9 were of a labelled answer, each scored at 0.32 of the best or more; the floor leaves out
about half the rest: real paraphrase 0.876 → 0.883 R@5, every other kind and set unchanged
(0.2-0.3 alike).

Between a regulation and a law it is made under (``made_under`` of the document facets: 根据
《中华人民共和国计量法》…制定本细则/本条例) the cosine is 0.92: the rules restate the law's article at
more length, below 0.97, while between unrelated documents 0.92 would pair articles that only
share the field's words. Real set: cross-document 0.88 → 0.90 R@5, question 0.95 → 1.00,
paraphrase 0.73 → 0.74, every other kind unchanged (0.90-0.92 and a lift of 0.8-0.85 alike; 0.94
cost a paraphrase query); between any document and the plan it implements it cost the plans
set's target (0.93 → 0.89) and paraphrase kinds, so it is only for laws.

A law's short article and its implementing rules' longer one on the same matter are not always
each other's nearest vectors (计量法第二十一条 on disputes over accuracy and 细则第三十四条 on their
mediation, 0.92, each nearer to other articles of the other text): between such a pair of documents
the provision linked to the concept the query names (计量纠纷) and nearest the candidate among those
is brought along too (:func:`shared_concept_counterparts`), lifted to 0.8 of its score. Real set:
English 0.85 → 0.91 R@5, every other kind and set unchanged.

Most penalty articles of the older regulations cite nothing (违反本条例规定的下列行为, 当事人擅自处理、
转移被封存…的): a penalty article among the 3 best brings along **the duty it punishes in its own
document** (:func:`duty_along`), the provision that holds a duty (an obligation, prohibition or
responsibility, and no penalty), is linked to the same concept the query names, and is nearest it
among those, lifted to 0.7 of its score (河南条例第四十一条 on disposing of sealed goods and
第三十六条 forbidding it). Real set: paraphrase 0.82 → 0.84 R@5, every other kind and set unchanged
(0.65 alike; 0.75 gained another paraphrase query and cost a cross-document one).

Only the ``CANDIDATES`` best fused candidates move, so the cost does not grow with the store, and
only provisions a signal already scores: the second stage reorders, it never adds.
"""

from __future__ import annotations

import numpy as np

from metrokg import settings
from metrokg.kg.search.intent import Intent, intent_mask

#: how many of the fused ranking's best candidates the second stage reorders
CANDIDATES = 50
#: counterparts (:func:`counterparts`): how many of the best candidates bring theirs along, the
#: cosine of provision vectors from which two provisions of different documents say the same
#: (multilingual-e5-small: a law's article and the same article in its implementing rules or a
#: local regulation 0.97-0.99, another article of the same law 0.90-0.94), and the share of the
#: candidate's score its counterpart is lifted to
COUNTERPART_TOP = 5
COUNTERPART_COSINE = 0.97
COUNTERPART_SHARE = 0.85
#: the share of the best candidate's score below which a provision is no counterpart: the nearest
#: article of another document that the query's own signals hardly find says something else
#: (非法定计量单位能不能用在广告上: 细则第二十一条 on defective spare parts, nearest 计量法第十四条
#: at the made-under cosine, scored 0.11 of the best; real set 0.2-0.3 alike)
COUNTERPART_FLOOR = 0.25
#: the cosine from which a regulation's article and one of a law it is made under (根据《计量法》…制定本
#: 细则) are counterparts: implementing rules restate a law's article at more length (计量法第二十一条
#: and 细则第三十四条 on disputes, 0.92), and the pair of documents says they correspond
MADE_UNDER_COSINE = 0.92
#: the lowest cosine at which the provision of a law (or of a regulation made under it) that shares
#: a concept the query names is a candidate's counterpart (:func:`shared_concept_counterparts`),
#: and the share of the candidate's score it is lifted to (real set: 0.75-0.8 alike, 0.7 lost the
#: gain, 0.85 a question; a cosine of 0.85 alike)
SHARED_CONCEPT_COSINE = 0.88
SHARED_CONCEPT_SHARE = 0.8
#: provisions linked by citation (:func:`cited_along`): how many of the best candidates bring
#: theirs along, and the share of the candidate's score they are lifted to
CITED_TOP = 3
CITED_SHARE = 0.75
#: the duty a penalty article punishes (:func:`duty_along`): how many of the best candidates bring
#: theirs along, the share of the candidate's score it is lifted to, and the fact kinds of a duty
DUTY_TOP = 3
DUTY_SHARE = 0.7
DUTY_KINDS = frozenset({"Obligation", "Prohibition", "Responsibility"})
#: the share of the lift a candidate of the asked kind gets when it is not linked to a concept the
#: query names (a penalty article for another conduct than the one asked about)
UNNAMED_SHARE = 0.5


def rerank(fused: np.ndarray, asked: list[Intent], kinds: list[list[str]], boost: float | None = None,
           named: np.ndarray | None = None) -> np.ndarray:
    """``fused`` with its best :data:`CANDIDATES` reordered by the fact kinds ``asked`` for
    (``kinds``: per provision, the fact kinds it holds in the graph). ``named``, per provision,
    says whether it is linked to a concept the query names: for an intent whose answer names the
    question's subject (the penalty *for* a conduct, the duty *for* a thing), a candidate of the
    asked kind without that link gets :data:`UNNAMED_SHARE` of the lift."""
    if boost is None:
        boost = float(settings.get("METROKG_SEARCH_INTENT_BOOST")) if settings.get("METROKG_SEARCH_RERANK") else 0.0
    if not asked or boost <= 0 or not fused.size or float(fused.max()) <= 0:
        return fused
    n = min(CANDIDATES, fused.size)
    pool = np.argpartition(-fused, n - 1)[:n]
    pool = pool[fused[pool] > 0]
    held = intent_mask(asked, [kinds[int(i)] for i in pool])
    out = fused.astype(np.float32, copy=True)
    # a kind most candidates hold (every plan task is a duty) tells them apart by little
    lift = boost * (1.0 - float(held.mean())) * float(fused.max())
    if named is not None and any(i.names_subject for i in asked):
        about = named[pool]  # 对罚款不服可以去法院告吗: the penalty articles of 行政复议和诉讼 first
        out[pool[held & about]] += lift
        out[pool[held & ~about]] += UNNAMED_SHARE * lift
    else:
        out[pool[held]] += lift
    return out


def counterparts(scores: np.ndarray, vectors: np.ndarray, documents: np.ndarray, top: int = COUNTERPART_TOP,
                 cosine: float = COUNTERPART_COSINE, share: float = COUNTERPART_SHARE,
                 made_under: dict[int, list[int]] | None = None,
                 made_under_cosine: float = MADE_UNDER_COSINE,
                 floor_share: float = COUNTERPART_FLOOR) -> np.ndarray:
    """``scores`` with the counterparts of the ``top`` best candidates lifted to ``share`` of the
    candidate's score (never lowered; only provisions already scored move). A counterpart is a provision of another document whose
    vector is the candidate's nearest in that document, and the candidate its nearest in the
    candidate's document, at ``cosine`` or more (``made_under_cosine`` between a regulation and
    a law it is made under, both ways: ``made_under`` maps a document code to those codes), and
    itself scored at ``floor_share`` of the best candidate or more.
    ``vectors``: unit provision vectors (a zero row for a provision that has none);
    ``documents``: an integer code per provision."""
    if not scores.size or float(scores.max()) <= 0 or top <= 0 or vectors.shape[0] != scores.size:
        return scores
    out = scores.astype(np.float32, copy=True)
    top_score = float(scores.max())
    n_docs = int(documents.max()) + 1
    best_first = [int(c) for c in np.argsort(-scores, kind="stable")[:top] if scores[c] > 0 and vectors[c].any()]
    if not best_first:
        return scores
    every = vectors @ vectors[best_first].T  # one pass over the vectors for all of them (memory-bound)
    for column, c in enumerate(best_first):
        sims = every[:, column]
        sims[documents == documents[c]] = -1.0
        best = np.full(n_docs, -np.inf, dtype=np.float32)
        np.maximum.at(best, documents, sims)
        floor = np.full(n_docs, cosine, dtype=np.float32)
        floor[(made_under or {}).get(int(documents[c]), [])] = made_under_cosine
        near = np.flatnonzero((sims >= floor[documents]) & (sims >= best[documents]))  # the nearest in each document
        if not near.size:
            continue
        own = np.flatnonzero(documents == documents[c])
        back = vectors[near] @ vectors[own].T  # each one's nearest in the candidate's document
        mutual = near[own[np.argmax(back, axis=1)] == c]
        # one the query's signals find (and no filter left out): it reorders, never adds
        mutual = mutual[(scores[mutual] > 0) & (scores[mutual] >= floor_share * top_score)]
        out[mutual] = np.maximum(out[mutual], share * float(scores[c]))
    return out


def cited_along(scores: np.ndarray, neighbours: list[list[int]], top: int = CITED_TOP,
                share: float = CITED_SHARE) -> np.ndarray:
    """``scores`` with the provisions each of the ``top`` best candidates cites or is cited by
    (``neighbours``, per provision) lifted to ``share`` of the candidate's score; never lowered,
    and only provisions already scored move (a filter left the others out)."""
    if not scores.size or len(neighbours) != scores.size or top <= 0:
        return scores
    best = [int(c) for c in np.argsort(-scores, kind="stable")[:top] if scores[c] > 0 and neighbours[int(c)]]
    if not best:
        return scores
    out = scores.astype(np.float32, copy=True)
    for c in best:
        linked = np.array(neighbours[c], dtype=np.int64)
        linked = linked[scores[linked] > 0]
        out[linked] = np.maximum(out[linked], share * float(scores[c]))
    return out


def shared_concept_counterparts(scores: np.ndarray, vectors: np.ndarray, documents: np.ndarray,
                                made_under: dict[int, list[int]], named: list[np.ndarray],
                                top: int = COUNTERPART_TOP, share: float = SHARED_CONCEPT_SHARE,
                                cosine: float = SHARED_CONCEPT_COSINE) -> np.ndarray:
    """``scores`` with, for each of the ``top`` best candidates, the provision of each document it
    is made under (or made under it) that is linked to the same concept the query names and is the
    nearest such to the candidate, at ``cosine`` or more, lifted to ``share`` of its score.

    A law's short article and its implementing rules' longer one on the same matter are not each
    other's nearest vectors (计量法第二十一条 on disputes over accuracy sits nearest to other articles
    of the rules than to 细则第三十四条, at 0.92-0.94 alike), but both are linked to the concept the
    question asks about (计量纠纷). ``named``: per concept the query names by a specific label, the
    positions linked to it. Only provisions a signal already scores move."""
    if not scores.size or not made_under or not named or float(scores.max()) <= 0 \
            or vectors.shape[0] != scores.size:
        return scores
    out = scores.astype(np.float32, copy=True)
    for c in (int(c) for c in np.argsort(-scores, kind="stable")[:top]):
        related = made_under.get(int(documents[c]))
        if scores[c] <= 0 or not related or not vectors[c].any():
            continue
        for linked in named:
            if not np.any(linked == c):
                continue
            pool = linked[np.isin(documents[linked], related) & (scores[linked] > 0)]
            if not pool.size:
                continue
            sims = vectors[pool] @ vectors[c]
            for d in np.unique(documents[pool]):  # the nearest linked provision of each related document
                here = np.flatnonzero(documents[pool] == d)
                best = here[int(np.argmax(sims[here]))]
                if sims[best] >= cosine:
                    out[pool[best]] = max(float(out[pool[best]]), share * float(scores[c]))
    return out


def duty_along(scores: np.ndarray, vectors: np.ndarray, documents: np.ndarray, kinds: list[list[str]],
               named: list[np.ndarray], top: int = DUTY_TOP, share: float = DUTY_SHARE) -> np.ndarray:
    """``scores`` with, for each penalty article among the ``top`` best candidates, the duty of its
    own document that it punishes lifted to ``share`` of its score: the provision holding a duty
    (:data:`DUTY_KINDS`) and no penalty, linked to a concept the query names that the article is
    linked to too, nearest the article among those. ``named``: per concept the query names by a
    specific label, the positions linked to it; ``kinds``: per provision, its fact kinds. Only
    provisions a signal already scores move."""
    if not scores.size or not named or float(scores.max()) <= 0 or vectors.shape[0] != scores.size:
        return scores
    out = scores.astype(np.float32, copy=True)
    for c in (int(c) for c in np.argsort(-scores, kind="stable")[:top]):
        if scores[c] <= 0 or "Penalty" not in kinds[c] or not vectors[c].any():
            continue
        for linked in named:
            if not np.any(linked == c):
                continue
            pool = linked[(documents[linked] == documents[c]) & (linked != c) & (scores[linked] > 0)]
            pool = np.array([int(p) for p in pool if DUTY_KINDS.intersection(kinds[p]) and "Penalty" not in kinds[p]],
                            dtype=np.int64)
            if pool.size:
                duty = int(pool[int(np.argmax(vectors[pool] @ vectors[c]))])
                out[duty] = max(float(out[duty]), share * float(scores[c]))
    return out
