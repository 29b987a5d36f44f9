"""One language at a time, below the browser: the graph's details, the SPARQL console's syntax
message and the Learn page speak the page's language only (the browser walk is test_browser_language)."""

from __future__ import annotations

import re

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")
METER = "https://w3id.org/metrokg/id/instrument/electricity-meter"


@pytest.fixture(scope="module")
def store(built_store):
    from metrokg.kg.store.registry import open_store

    with open_store(str(built_store)) as s:
        yield s


def test_an_entity_shows_its_labels_and_property_names_in_one_language(store):
    from metrokg.kg.analyses.neighbourhood import neighbourhood

    zh, en = (neighbourhood(store, METER, lang=lang)["details"] for lang in ("zh", "en"))
    zh_names = {d["property"]: d["value"] for d in zh}
    en_names = {d["property"]: d["value"] for d in en}
    assert zh_names.get("名称") == "电能表" and "name" not in zh_names
    assert en_names.get("name") and not HAN.search(en_names["name"]) and "名称" not in en_names
    assert not any(HAN.search(d["property"]) for d in en)


def test_a_literal_without_a_sibling_in_the_language_is_still_shown(store):
    from rdflib import Literal

    from metrokg.kg.analyses.neighbourhood import literal_details

    pref = "http://www.w3.org/2004/02/skos/core#prefLabel"
    shown = literal_details(store, [(pref, Literal("燃油加油机", lang="zh"))], "en")
    assert shown == [{"property": "name", "value": "燃油加油机"}]  # no English label: the Chinese one stands
    both = [(pref, Literal("燃油加油机", lang="zh")), (pref, Literal("fuel dispenser", lang="en"))]
    assert [d["value"] for d in literal_details(store, both, "zh")] == ["燃油加油机"]
    assert [d["value"] for d in literal_details(store, both, "en")] == ["fuel dispenser"]


def test_the_sparql_consoles_syntax_message_is_in_the_pages_language():
    from metrokg.ui.web.tabs.sparql import readable_reason

    query = "SELECT ?s WHERE { ?s ex:p ?o }"
    zh = readable_reason(query, "error at 1:27: expected OPTIONAL", "zh")
    assert zh.startswith("第 1 行第 27 列“?o }”附近有语法错误（应为 OPTIONAL）") and "PREFIX ex:" in zh
    assert not re.search(r"\b(?:syntax|error|near|line|column|expected|prefix)\b", zh)
    en = readable_reason(query, "error at 1:27: expected OPTIONAL")
    assert en.startswith("syntax error at line 1, column 27, near '?o }' (expected OPTIONAL)") and not HAN.search(en)


def test_the_english_learn_page_names_units_without_chinese():
    from metrokg.kg.analyses.learn_topics import _not_legal

    english = _not_legal("en")
    assert "kilogram, gram (kg, g)" in english and not HAN.search(english)
    assert "千克 kg、克 g" in _not_legal("zh")


def test_every_example_question_is_asked_in_both_languages():
    from metrokg.ui.web.i18n import TEXT

    examples = {key: pair for key, pair in TEXT.items() if key.startswith("ask.example.")}
    assert len(examples) >= 4
    assert all(HAN.search(zh) and not HAN.search(en) for zh, en in examples.values())


def test_the_stores_own_syntax_check_is_said_again_in_chinese():
    from metrokg.errors import MetrokgError
    from metrokg.kg.store.sparql_check import check_read_only
    from metrokg.ui.web.tabs.sparql import readable_reason

    query = "SELECT ?s WHERE { ?s "
    with pytest.raises(MetrokgError) as caught:
        check_read_only(query)
    reason = caught.value.fields["reason"]
    assert readable_reason(query, reason, "zh") == "第 1 行第 19 列“?s”附近有语法错误"
    assert readable_reason(query, reason) == reason


def test_a_body_named_by_type_level_and_place_is_said_again_in_english():
    from metrokg.ui.web.tabs.obligations import actor_text

    gov = "https://w3id.org/metrokg/id/actortype/peoples-government"
    row = {"actor_label": "人民政府（市级、州级、县级，湖北）", "actor_type_iri": gov, "level": "city,prefecture,county",
           "actor_key": f"{gov}@city,prefecture,county@湖北"}
    labels = {gov: "people's government"}
    assert actor_text(row, "en", labels) == "people's government (city, prefecture, county level, Hubei)"
    assert actor_text(row, "zh", labels) == row["actor_label"]
    named = {"actor_label": "湖北省市场监督管理局", "actor_type_iri": gov, "level": "province",
             "actor_key": "https://w3id.org/metrokg/id/actor/hubei-amr", "actor_iri": "https://w3id.org/metrokg/id/actor/hubei-amr"}
    assert actor_text(named, "en", labels) == "湖北省市场监督管理局"  # no English name: its own name stands
    assert actor_text(named, "en", {named["actor_key"]: "Hubei AMR"}) == "Hubei AMR"


@pytest.mark.slow  # loads the search index
def test_a_city_or_county_in_an_actor_label_is_said_in_pinyin_in_english():
    from metrokg.ui.web.tabs.obligations import actor_text, place_en

    bureau = "https://w3id.org/metrokg/id/actortype/market-regulation-bureau"
    row = {"actor_label": "市场监督管理局（市级，宜昌市）", "actor_type_iri": bureau, "level": "city",
           "actor_key": f"{bureau}@city@宜昌市"}
    assert actor_text(row, "en", {bureau: "market regulation bureau"}) == "market regulation bureau (city level, Yichang)"
    assert (place_en("秭归县"), place_en("湖北省"), place_en("上海市")) == ("Zigui County", "Hubei", "Shanghai")


def test_the_english_example_questions_are_answered_as_asked(store):
    from metrokg.kg.analyses.questions import QuestionAnswerer
    from metrokg.ui.web.i18n import t

    qa = QuestionAnswerer(store)
    for key, kind in (("responsible", "responsible"), ("targets", "targets_by_year"), ("tasks", "tasks")):
        for lang in ("zh", "en"):
            answer = qa.ask(t(f"ask.example.{key}", lang))
            assert answer.kind == kind and answer.answers, (key, lang, answer.kind)
    assert qa.ask(t("ask.example.search", "en")).answers  # no pattern: search answers it


def test_a_guarded_callback_shows_the_error_in_the_pages_language():
    from metrokg.errors import MetrokgError
    from metrokg.ui.web.callbacks import guarded

    @guarded(1, 0, lang_arg=0)
    def record(lang):
        raise MetrokgError("E322", value="很多")

    assert "[E322] 进度值“很多”不是数字" in record("zh")
    assert "[E322] The progress value &#x27;很多&#x27; is not a number" in record("en")  # escaped HTML
