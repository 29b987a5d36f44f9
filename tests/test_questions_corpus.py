"""`metrokg ask` over the real corpus (../shared/real and its laws/, read in place, with the seed and
corpus/docs): questions across documents, answers grouped by document. Skipped when absent."""

from __future__ import annotations

import pytest

import test_search_corpus_real as corpus_real
from conftest import cli_json

REAL = corpus_real.REAL
real_store = corpus_real.real_store  # the real corpus's store (seed, corpus/docs, ../shared/real), once per module

pytestmark = pytest.mark.slow  # ingests the real corpus


def ask(store, question: str) -> dict:
    return cli_json("ask", question, "--mode", "lexical", store=store)


def cited(answer: dict) -> set[tuple[str, str]]:
    return {(i["provision"]["document"], i["provision"]["number"]) for i in answer["answers"]}


def test_a_city_bureaus_tasks_are_every_row_of_the_task_table(real_store):
    # 江门's 重点项目表 lists 市财政局 in the 责任单位 cell of some rows: every one is an answer
    rows = [line for line in (REAL / "jiangmen-2016.txt").read_text(encoding="utf-8").splitlines() if "市财政局" in line]
    a = ask(real_store, "市财政局有哪些任务？")
    assert a["kind"] == "obligations"
    jiangmen = [i for i in a["answers"] if i["provision"]["document"] == "jiangmen-2016"]
    assert len(jiangmen) == len(rows) == 5
    assert {("wenzhou-2025-metrology-implementation-opinions", "2.1.1"),
            ("yichang-2023-metrology-implementation-plan", "3")} <= cited(a)
    groups = {g["document"]: g for g in a["groups"]}
    assert groups["jiangmen-2016"]["title"] == "江门市计量发展规划“十三五”重点项目表"
    assert groups["jiangmen-2016"]["jurisdiction"] == "江门市"


def test_which_local_regulations_prohibit_impairing_accuracy(real_store):
    a = ask(real_store, "哪些地方条例禁止破坏计量器具准确度")
    assert a["kind"] == "which_documents"
    assert {g["kind"] for g in a["groups"]} == {"local_regulation"}
    assert ("henan-tiaoli-2016", "3.14") in cited(a)
    henan = next(i for i in a["answers"] if i["provision"]["document"] == "henan-tiaoli-2016")
    text = (REAL / "laws" / "henan-tiaoli-2016.txt").read_text(encoding="utf-8")
    assert henan["span"]["text"] == "（三）破坏计量器具准确度；" and henan["modality"] == "prohibition"
    assert henan["span"]["text"] in text
    assert next(g for g in a["groups"] if g["document"] == "henan-tiaoli-2016")["title"] == "河南省计量监督管理条例"


def test_which_provinces_require_the_same_in_both_languages(real_store):
    zh = ask(real_store, "哪些省份要求强制检定")
    en = ask(real_store, "which provinces require compulsory verification?")
    assert zh["kind"] == en["kind"] == "which_documents" and en["lang"] == "en"
    assert cited(zh) and cited(zh) <= cited(en)  # English adds the synonyms of its concept (强检)
    assert {"henan-tiaoli-2016", "shanghai-tiaoli-2018"} <= {g["document"] for g in zh["groups"]}
    assert all(g["jurisdiction"] == g["province"] != "全国" for g in zh["groups"])  # no national text, no city


def test_deadlines_and_penalties_across_documents(real_store):
    a = ask(real_store, "仲裁检定的期限是多少天")
    assert a["kind"] == "deadlines"
    assert any(i["value"] == 15 and i["unit"] == "日" and i["provision"]["document"] == "jiliangfa-xize-2022"
               for i in a["answers"])
    zh = ask(real_store, "伪造检定数据会受到什么处罚")
    en = ask(real_store, "what is the penalty for falsifying verification data?")
    assert zh["kind"] == en["kind"] == "penalties" and cited(zh) and cited(zh) <= cited(en)
    assert ("shanghai-tiaoli-2018", "6.33") in cited(en)


@pytest.mark.parametrize("question", ["what is the penalty for using unverified scales?",
                                      "penalties for using unverified water meters", "使用未经检定的秤的处罚",
                                      "what happens if someone uses unverified scales?"])
def test_a_penalty_question_naming_an_instrument_finds_the_conducts_articles(real_store, question):
    # "unverified scales": the scale stands for the label's "measuring instrument" (using an
    # unverified measuring instrument), so the question is not searched blind (W250)
    a = ask(real_store, question)
    assert a["kind"] == "penalties", a["kind"]
    assert {("jiliangfa-2018", "5.25"), ("jiliangfa-xize-2022", "10.43")} <= cited(a), cited(a)


def test_who_is_responsible_for_a_task_the_texts_phrase_with_another_verb(real_store):
    # 建设社会公用计量标准: the plans 新建、改造升级 or 新建 the standards, naming who does it
    a = ask(real_store, "谁负责建设社会公用计量标准")
    assert a["kind"] == "responsible" and not a["note"], a["note"]
    assert ("guangdong-2025-metrology-action-plan", "2.2.4") in cited(a), cited(a)
    assert all("社会公用计量标准" in i["span"]["text"] for i in a["answers"])


def test_which_cities_plans_are_asked_by_the_kind_of_document_too(real_store):
    a = ask(real_store, "哪些城市的方案提到了产业计量测试中心")  # 的方案, 的实施意见里: the scope's documents
    assert a["kind"] == "which_documents", a["kind"]
    assert ("yichang-2023-metrology-implementation-plan", "2.1.1") in cited(a)
    assert all(g["jurisdiction"] and g["jurisdiction"].endswith("市") for g in a["groups"]), a["groups"]
    # two fragments print neither title nor issuer: their place is the city their text calls its own
    places = {g["document"]: g["jurisdiction"] for g in a["groups"]}
    assert places.get("dazhou-2023") == "达州市" and places.get("jiaxing-2023") == "嘉兴市", places


def test_what_is_metrology_quotes_the_learn_topic_then_the_texts(real_store):
    a = ask(real_store, "计量是什么？为什么重要？")
    assert a["answers"][0]["topic"] == "what-is-metrology"
    groups = {g["document"]: g for g in a["groups"][1:]}
    assert groups["guowuyuan-2021"]["title"] == "计量发展规划(2021—2035年)"
    assert all(i["text"].startswith("计量是") for i in a["answers"][1:])


@pytest.mark.parametrize("question, document, number", [
    ("what does the metrology law say about legal units?", "jiliangfa-2018", "1.3"),
    ("what does the implementing rules of the metrology law say about arbitration verification?",
     "jiliangfa-xize-2022", "8.34"),
    ("what does the Shanghai regulation say about market scales?", "shanghai-tiaoli-2018", "3.16"),
    # a document named before what it requires: 计量法规定…, 根据上海条例，…
    ("计量法规定哪些计量器具必须强制检定？", "jiliangfa-2018", "2.9"),
    ("根据计量法，谁负责处理计量器具准确度引起的纠纷", "jiliangfa-2018", "4.21"),
    ("根据上海条例，集贸市场的秤要检定吗", "shanghai-tiaoli-2018", "3.16"),
    ("计量法实施细则规定计量纠纷由谁调解", "jiliangfa-xize-2022", "8.34"),
    ("according to the metrology law, what are the legal units?", "jiliangfa-2018", "1.3"),
])
def test_the_document_a_question_names_is_the_one_asked_about(real_store, question, document, number):
    """In English or Chinese, before the topic or around it: the answers come from that document."""
    a = ask(real_store, question)
    assert a["kind"] == "document_says" and {g["document"] for g in a["groups"]} == {document}, a["groups"]
    assert (document, number) in cited(a)


def test_a_bare_kind_of_document_names_none(real_store):
    a = ask(real_store, "实施方案规定的任务有哪些")
    assert a["kind"] != "document_says"
