"""The terms laws define, and search adding a defined term to a query that describes it."""

from __future__ import annotations

from metrokg.kg.search.glossary import Glossary
from metrokg.nlp.structure.definitions import definitions
from metrokg.nlp.tokens import search_tokens

LAW = ("第三条国防计量是指军工产品研制、试验、生产、使用全过程中的计量工作。国防计量工作是国家计量工作的组成部分。\n"
       "第五十九条本细则下列用语的含义是：\n（一）计量器具是指能用以直接或间接测出被测对象量值的装置、仪器仪表、量具和用于统一量值的"
       "标准物质，包括计量基准、计量标准、工作计量器具。\n（三）定型鉴定是指对计量器具新产品样机的计量性能进行全面审查、考核。\n"
       "第五十条本条例所称计量鉴证，是指为交易双方出具第三方计量数据的相关活动。\n"
       "第二条本规划是指导全省计量工作的纲领，指标是指标准的数量。")


def test_definitions_are_read_in_articles_items_and_scoped_sentences():
    found = {d.term: d.definition for d in definitions(LAW)}
    assert found["国防计量"] == "军工产品研制、试验、生产、使用全过程中的计量工作"
    assert found["定型鉴定"].startswith("对计量器具新产品样机") and "计量器具" in found
    assert found["计量鉴证"] == "为交易双方出具第三方计量数据的相关活动"
    assert "本规划" not in found and "指标" not in found  # 是指导, 是指标: not definitions
    d = next(d for d in definitions(LAW) if d.term == "国防计量")
    assert LAW[d.start:d.end] == d.definition


def _defined(glossary: Glossary, query: str) -> list[str]:
    words = search_tokens(query)
    return glossary.defined(query, words, lambda w: 1.0 if w in {"计量", "工作"} else 3.0)


def test_a_query_describing_a_definition_gets_the_term():
    glossary = Glossary.build([LAW], search_tokens)
    assert _defined(glossary, "军工产品的计量工作谁管") == ["国防计量"]
    assert _defined(glossary, "新产品样机的计量性能审查") == ["定型鉴定"]
    assert _defined(glossary, "国防计量工作谁管") == []  # the term is already there
    assert _defined(glossary, "标准物质") == []  # one word of a long definition does not name it
    assert _defined(glossary, "加油站的油枪") == []
    assert Glossary.from_json(glossary.to_json()).entries == glossary.entries
    assert len(glossary.entries) == len(definitions(LAW))
