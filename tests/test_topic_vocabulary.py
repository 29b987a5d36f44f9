"""The fields and topics of metrology work (ontology/topics.ttl): an English topic a user asks about
(carbon metrology, mid-term evaluation, defence metrology supervision) names a concept, so ask and search
look for the Chinese provisions by its labels instead of falling back to plain search on English words."""

from __future__ import annotations

import pytest

from metrokg.kg.analyses.question_terms import concept_terms, topic_terms
from metrokg.kg.search.expansion import ConceptMatcher
from metrokg.ontology.vocab import packaged, scheme_of

TOPIC = "https://w3id.org/metrokg/id/topic/"


@pytest.fixture(scope="module")
def matcher() -> ConceptMatcher:
    return ConceptMatcher.from_vocabulary()


@pytest.mark.parametrize("english, chinese", [
    ("carbon metrology", "碳计量"),
    ("mid-term evaluation", "中期评估"),
    ("the midterm evaluation", "中期评估"),
    ("defence metrology supervision", "国防计量"),
    ("defense metrology", "国防计量"),
    ("livelihood metrology", "民生计量"),
    ("metrology talent", "计量人才"),
    ("legal units of measurement", "法定计量单位"),
    ("verification regulations", "计量检定规程"),
])
def test_english_topic_is_looked_for_by_the_chinese_label_first(matcher, english, chinese):
    assert concept_terms(matcher, english)[0] == chinese


def test_a_topic_word_inside_a_longer_concept_keeps_the_longer_one(matcher):
    """碳计量中心 is the facility, not the field; 使用非法定计量单位 the conduct, not the legal units."""
    named = {m.iri.rsplit("/", 1)[-1] for m in matcher.match("建设国家碳计量中心，查处使用非法定计量单位的行为")}
    assert "carbon-metrology-centre" in named and "illegal-units" in named
    assert "carbon-metrology" not in named and "legal-units" not in named


def test_chinese_topic_widens_to_its_synonyms(matcher):
    lists = list(topic_terms(matcher, "碳排放计量"))
    assert lists[0] == ["碳排放计量"]
    assert "碳计量" in lists[1]


def test_a_topic_is_looked_for_without_its_opening_verb_last(matcher):
    """谁负责建设社会公用计量标准: the texts 新建 or 建立 the same standards, so after the topic as written
    and its concepts, the thing it acts on (with that thing's synonyms) is looked for."""
    lists = list(topic_terms(matcher, "建设社会公用计量标准"))
    assert lists[0] == ["建设社会公用计量标准"] and lists[-1][0] == "社会公用计量标准"
    assert list(topic_terms(matcher, "建设")) == [["建设"]]  # a verb alone is what it is
    assert list(topic_terms(matcher, "产业计量测试中心建设"))[-1][0] == "产业计量测试中心"  # or closing it
    assert all("计量" not in terms for terms in topic_terms(matcher, "计量监督检查"))  # too little is left
    assert list(topic_terms(matcher, "碳排放计量"))[-1] != ["排放计量"]  # no verb opens it


def test_plan_evaluation_reaches_the_mid_term_evaluation_below_it(matcher):
    found = matcher.expand([m for m in matcher.match("规划实施评估") if m.via == "label"])
    assert TOPIC + "mid-term-evaluation" in {m.iri for m in found}


def test_every_topic_is_bilingual_and_in_its_scheme():
    topics = [c for c in packaged() if scheme_of(c.iri) == "topic"]
    assert len(topics) >= 20
    for c in topics:
        assert c.pref_zh and c.pref_en, c.iri


def test_supervision_of_a_field_stays_below_metrological_supervision(matcher):
    """民生计量监督 is read as one term (not 民生计量 and a lost 计量监督), and a question on 计量监督 or
    on 民生计量 still reaches it."""
    named = {m.iri for m in matcher.match("加强民生计量监督工作") if m.via == "label"}
    assert named == {TOPIC + "livelihood-supervision"}
    for asked in ("计量监督", "民生计量"):
        found = matcher.expand([m for m in matcher.match(asked) if m.via == "label"])
        assert TOPIC + "livelihood-supervision" in {m.iri for m in found}, asked
