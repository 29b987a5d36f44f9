"""What a question asks for, read from its wording, and the fact kinds that answer it.

会受到什么处理 / how is it punished asks for a penalty; 谁负责 / who is responsible for a duty;
多少天 / within how many days for a time limit; 要达到多少 / what target for a quantitative target.
Search lifts the provisions that hold a fact of the asked kind in the graph (the extraction's
mkg:Penalty, mkg:Responsibility, mkg:TimeLimit, mkg:QuantitativeTarget ... statements), among
those the query's words already reach: the intent reorders, it never adds a provision no
signal found. No answer is written by hand; the cues are the only thing this module knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from metrokg.ontology.namespace import MKG


@dataclass(frozen=True)
class Intent:
    """One kind of question: its cue phrases (zh, en) and the fact classes that answer it."""

    name: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    kinds: frozenset[str]  # local names of mkg: classes
    #: whether an answer names what the question names (the penalty for 作弊 is an article on
    #: 作弊, the time limit for a 验光仪's verification one on 验光仪), so the second stage prefers
    #: the candidates linked to the query's concepts
    names_subject: bool = False


INTENTS: tuple[Intent, ...] = (
    Intent("penalty",
           ("什么处理", "什么处罚", "怎么处理", "如何处理", "怎么罚", "怎么处罚", "如何处罚", "罚多少", "罚款多少",
            "法律责任", "被罚", "会被", "受到什么", "处罚", "罚款", "追究"),
           ("penalty", "penalties", "punish", "punished", "fine", "fined", "sanction", "sanctions",
            "liability"),
           frozenset({"Penalty"}), names_subject=True),
    Intent("duty",
           ("谁负责", "由谁", "哪个部门", "哪些部门", "谁来", "谁管", "归谁", "负责什么", "职责", "牵头", "责任单位",
            "必须", "应当", "要求"),
           ("who is responsible", "responsible for", "who must", "must", "obliged", "duty", "duties",
            "in charge"),
           frozenset({"Responsibility", "Obligation", "Prohibition", "Task"}), names_subject=True),
    Intent("deadline",
           ("多少天", "几天", "多少日", "期限", "多久", "什么时候", "何时", "日内", "时限", "之日起"),
           ("how many days", "deadline", "time limit", "within how", "when"),
           frozenset({"TimeLimit"}), names_subject=True),
    Intent("target",
           ("要达到多少", "达到多少", "多少项", "多少个", "目标", "指标", "要完成", "受检率", "覆盖率"),
           ("target", "targets", "goal", "goals", "how many", "how much"),
           frozenset({"QuantitativeTarget", "Baseline"})),
)
#: every class an intent may ask for, as local names (what the index records per provision)
FACT_KINDS = frozenset().union(*(i.kinds for i in INTENTS))
KINDS_QUERY = ("PREFIX mkg: <%s> SELECT DISTINCT ?prov ?type WHERE { ?f mkg:inProvision ?prov ; a ?type . "
               "FILTER(?type IN (%s)) }" % (MKG, ", ".join(f"mkg:{k}" for k in sorted(FACT_KINDS))))


def _en_pattern(cue: str) -> re.Pattern:
    return re.compile(r"(?<![a-z])" + re.escape(cue) + r"(?![a-z])")


_EN = {i.name: [_en_pattern(c) for c in i.en] for i in INTENTS}


def intents(query: str) -> list[Intent]:
    """The intents whose cue the query has (Chinese cues as substrings, English as whole words)."""
    low = query.lower()
    return [i for i in INTENTS if any(c in query for c in i.zh) or any(p.search(low) for p in _EN[i.name])]


def provision_kinds(store, positions: dict[str, int], size: int) -> list[list[str]]:
    """Per provision (by position): the fact kinds of :data:`FACT_KINDS` it holds in the graph."""
    out: list[list[str]] = [[] for _ in range(size)]
    for prov, kind in store.rows(KINDS_QUERY):
        i = positions.get(str(prov))
        name = str(kind).rsplit("#", 1)[-1]
        if i is not None and name not in out[i]:
            out[i].append(name)
    return out


def intent_mask(asked: list[Intent], kinds: list[list[str]]) -> np.ndarray:
    """Which provisions hold a fact of a kind the query asks for."""
    wanted = frozenset().union(*(i.kinds for i in asked)) if asked else frozenset()
    return np.array([bool(wanted.intersection(k)) for k in kinds], dtype=bool)
