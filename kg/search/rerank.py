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

Citation links (a penalty question answered by the article that cites the duty its words found)
were tried as a second feature and left out: on the three labelled sets they changed no top 5.

Only the ``CANDIDATES`` best fused candidates move, so the cost does not grow with the store, and
only provisions a signal already scores: the second stage reorders, it never adds.
"""

from __future__ import annotations

import numpy as np

from metrokg import settings
from metrokg.kg.search.intent import Intent, intent_mask

#: how many of the fused ranking's best candidates the second stage reorders
CANDIDATES = 50
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
