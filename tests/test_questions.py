"""`metrokg ask`: question patterns answered by bound SPARQL, each item citing its source span."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DEV_DOCS as DEV_DOCS_TEXT, cli_json, run_cli

SEED_ID = "hubei-2022-metrology-implementation"


@pytest.fixture(scope="module")
def seed_text(built_store):
    from metrokg.kg.records.listing import document_text
    from metrokg.kg.store.registry import open_store

    store = open_store(str(built_store))
    try:
        return document_text(store, SEED_ID)
    finally:
        store.close()


def ask(store, question: str) -> dict:
    return cli_json("ask", question, "--mode", "lexical", store=store)


def assert_cited(answer: dict, text: str) -> None:
    assert answer["answers"]
    cited = {p["iri"] for p in answer["provisions"]}
    for item in answer["answers"]:
        span, prov = item["span"], item["provision"]
        assert text[span["start"]:span["end"]] == span["text"]
        assert prov["iri"] in cited and prov["document"] == SEED_ID


def test_who_is_responsible(built_store, seed_text):
    a = ask(built_store, "谁负责中期评估？")
    assert a["kind"] == "responsible"
    assert "省市场监管局" in {i["actor"] for i in a["answers"]}
    assert {i["provision"]["number"] for i in a["answers"]} == {"6.4"}
    assert "中期评估" not in a["sparql"] and "?topic" in a["sparql"]  # bound, never pasted
    assert a["bindings"] == [{"topic": "中期评估"}]
    assert_cited(a, seed_text)


def test_who_is_responsible_phrased_the_other_way(built_store):
    a = ask(built_store, "中期评估由哪个部门负责")
    assert a["kind"] == "responsible" and "省市场监管局" in {i["actor"] for i in a["answers"]}


@pytest.mark.slow
def test_targets_due_by_a_year(built_store, seed_text):
    a = ask(built_store, "到2025年要完成哪些目标？")
    assert a["kind"] == "targets_by_year"
    assert len(a["answers"]) >= 10
    assert all(i["year"] <= 2025 for i in a["answers"])
    assert {"1.2"} == {i["provision"]["number"] for i in a["answers"]}
    assert any(i["value"] == 10 and i["unit"] == "家" for i in a["answers"])
    assert_cited(a, seed_text)
    assert ask(built_store, "targets due by 2025")["answers"] == a["answers"]
    assert ask(built_store, "到2020年要完成哪些目标")["kind"] != "targets_by_year"  # none due: falls back


@pytest.mark.parametrize("question", ["汽车产业有哪些任务", "what tasks concern the automotive industry"])
def test_tasks_concerning_an_industry_follow_the_hierarchy(built_store, seed_text, question):
    a = ask(built_store, question)
    assert a["kind"] == "tasks"
    numbers = {i["provision"]["number"] for i in a["answers"]}
    assert "3.2" in numbers
    assert any("新能源汽车" in i["span"]["text"] for i in a["answers"])  # a narrower concept's task
    assert_cited(a, seed_text)


def test_obligations_of_an_actor(built_store, seed_text):
    a = ask(built_store, "各市、州、县人民政府有哪些职责？")
    assert a["kind"] == "obligations"
    assert {"6.1", "6.2"} <= {i["provision"]["number"] for i in a["answers"]}
    assert all("人民政府" in i["actor"] for i in a["answers"])
    assert_cited(a, seed_text)


def test_what_a_document_says_about_a_topic(built_store, seed_text):
    a = ask(built_store, "湖北的实施意见关于碳计量有什么规定")
    assert a["kind"] == "document_says"
    assert a["answers"][0]["provision"]["number"] == "3.5"
    assert a["bindings"][0]["document"] == SEED_ID
    assert_cited(a, seed_text)


def test_unmatched_questions_fall_back_to_search(built_store, seed_text):
    a = ask(built_store, "电动车充电")
    assert a["kind"] == "search" and a["sparql"] is None
    assert {"3.6", "5.4"} <= {i["provision"]["number"] for i in a["answers"][:3]}
    assert_cited(a, seed_text)


def test_hostile_question_text_stays_a_bound_literal(built_store):
    a = ask(built_store, '谁负责"} } ; DROP ALL ; SELECT * { ?s ?p "')
    assert a["kind"] in {"responsible", "search"}
    assert len(cli_json("documents", store=built_store)) == 1


def test_empty_question_is_a_clear_error(built_store):
    proc = run_cli("ask", " ？", store=built_store, check=False)
    assert proc.returncode == 2 and "E287" in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- both languages, roles, scopes, Learn
# A provincial plan written for these tests: four tasks, each with its lead (牵头) and supporting (配合)
# bodies; 省财政厅 supports three and leads one.
TASK_DIVISION = Path(__file__).resolve().parent / "data" / "questions" / "province-task-division.txt"
DIVISION_ID = "province-task-division"


@pytest.fixture(scope="module")
def division_store(built_store, tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("questions") / "store"
    shutil.copytree(built_store, store)
    run_cli("ingest", str(TASK_DIVISION), store=store)
    return store


def numbers(answer: dict, document: str = DIVISION_ID) -> list[str]:
    return [i["provision"]["number"] for i in answer["answers"] if i["provision"]["document"] == document]


@pytest.mark.parametrize("question", ["哪些工作由省财政厅配合？", "省财政厅配合哪些工作？",
                                      "which tasks does the provincial finance department support?"])
def test_supporting_questions_in_both_languages(division_store, question):
    a = ask(division_store, question)
    assert a["kind"] == "by_role" and numbers(a) == ["1.1", "1.2", "1.3"]
    assert {i["role"] for i in a["answers"]} == {"supporting"}
    assert a["lang"] == ("en" if question.isascii() else "zh")
    label = {i["actor_label"] for i in a["answers"]}
    assert label == ({"provincial department of finance"} if question.isascii() else {"省财政厅"})


def test_an_actors_tasks_are_every_row_lead_first(division_store):
    text = TASK_DIVISION.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if "省财政厅" in line]
    a = ask(division_store, "省财政厅有哪些任务？")
    assert a["kind"] == "obligations" and len(a["answers"]) == len(rows) == 4
    assert [(i["provision"]["number"], i["role"]) for i in a["answers"]] == [
        ("1.4", "lead"), ("1.1", "supporting"), ("1.2", "supporting"), ("1.3", "supporting")]
    en = ask(division_store, "what are the tasks of the provincial finance department?")
    assert [i["span"] for i in en["answers"]] == [i["span"] for i in a["answers"]]
    assert numbers(ask(division_store, "what does the provincial finance department lead?")) == ["1.4"]


def test_who_is_responsible_names_the_lead_body_first_with_each_role(division_store):
    a = ask(division_store, "谁负责建设省级计量数据中心？")
    assert a["kind"] == "responsible"
    assert [(i["actor"], i["role"]) for i in a["answers"]][0] == ("省市场监管局", "lead")
    assert {(i["actor"], i["role"]) for i in a["answers"][1:]} == {("省财政厅", "supporting"), ("省大数据局", "supporting")}


def test_lead_questions_span_documents_grouped_with_their_titles(division_store):
    a = ask(division_store, "省市场监管局牵头哪些工作？")
    assert a["kind"] == "by_role" and {i["role"] for i in a["answers"]} == {"lead"}
    groups = {g["document"]: g for g in a["groups"]}
    assert set(groups) == {SEED_ID, DIVISION_ID}
    assert groups[DIVISION_ID]["title"] == "浙江省计量能力提升重点任务分工方案"
    assert groups[DIVISION_ID]["jurisdiction"] == "浙江省" and groups[SEED_ID]["jurisdiction"] == "湖北省"
    assert sum(g["count"] for g in a["groups"]) == len(a["answers"])
    assert numbers(a) == ["1.1", "1.2"] and numbers(a, SEED_ID) == ["6.4"]


@pytest.mark.parametrize("question", ["哪些省份禁止破坏计量器具准确度",
                                      "which provinces prohibit impairing the accuracy of measuring instruments?"])
def test_which_provinces_questions_answer_per_document(division_store, question):
    a = ask(division_store, question)
    assert a["kind"] == "which_documents"
    assert [(g["document"], g["jurisdiction"]) for g in a["groups"]] == [(DIVISION_ID, "浙江省")]
    item = a["answers"][0]
    assert item["modality"] == "prohibition" and "不得破坏计量器具准确度" in item["span"]["text"]


@pytest.mark.parametrize("question", ["哪些文件提到了碳计量", "which documents mention carbon metrology?"])
def test_which_documents_mention_a_topic_in_any_modality(built_store, question):
    a = ask(built_store, question)
    assert a["kind"] == "which_documents" and [g["document"] for g in a["groups"]] == [SEED_ID]
    assert a["answers"] and all("碳" in i["span"]["text"] for i in a["answers"])  # each statement names it


def test_a_work_named_in_english_is_found_by_its_english_label():
    from metrokg.kg.analyses.question_terms import work_titles
    from metrokg.kg.search.expansion import ConceptMatcher

    m = ConceptMatcher.from_vocabulary()
    assert work_titles(m, "the metrology law")[0] == "中华人民共和国计量法"  # the Law, not its Detailed Rules
    assert work_titles(m, "implementing rules of the metrology law")[0] == "中华人民共和国计量法实施细则"
    assert work_titles(m, "the pizza law") == []


def test_what_is_metrology_is_answered_from_the_learn_topic(built_store):
    from metrokg.kg.analyses.learn_topics import TOPICS

    topic = next(t for t in TOPICS if t.id == "what-is-metrology")
    zh = ask(built_store, "计量是什么？为什么重要？")
    assert zh["kind"] == "what_is" and zh["answers"][0]["topic"] == topic.id
    assert zh["answers"][0]["text"] == topic.text("zh") and zh["groups"][0]["document"] is None
    for question in ("why does metrology matter?", "What is metrology?"):
        en = ask(built_store, question)
        assert en["kind"] == "what_is" and en["lang"] == "en"
        assert en["answers"][0]["topic"] == topic.id and en["answers"][0]["text"] == topic.text("en")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in en["answers"][0]["text"])


def test_the_learn_tab_shows_the_moved_topics():
    from metrokg.kg.analyses.learn_topics import TOPICS
    from metrokg.ui.web.render import learn_html

    for lang, title in (("zh", "计量是什么？为什么重要？"), ("en", "What is metrology, and why does it matter?")):
        page = learn_html(TOPICS, {}, lang)
        assert "learn-what-is-metrology" in page and title in page and "learn-petrol-station" in page


def test_the_ask_tab_groups_answers_in_the_pages_language(division_store):
    from metrokg.kg.analyses.questions import QuestionAnswerer
    from metrokg.kg.store.registry import open_store
    from metrokg.ui.web.tabs.ask import answer_groups_html

    store = open_store(str(division_store))
    try:
        qa = QuestionAnswerer(store, "lexical")
        pages = {lang: answer_groups_html(qa.ask("哪些工作由省财政厅配合？", 10, lang).public(), lang)
                 for lang in ("zh", "en")}
    finally:
        store.close()
    assert "浙江省计量能力提升重点任务分工方案" in pages["zh"] and pages["zh"].count("mk-doc") == 1
    assert "浙江省" in pages["zh"] and "配合" in pages["zh"] and "规范性文件" in pages["zh"]
    assert "Zhejiang" in pages["en"] and "provincial department of finance" in pages["en"]
    assert "supporting" in pages["en"] and "policy document" in pages["en"]


def test_english_words_no_concept_names_are_said_to_be_searched(built_store):
    proc = run_cli("ask", "who is responsible for the weather forecast?", "--mode", "lexical", store=built_store)
    assert "[W250]" in proc.stderr and "'weather forecast'" in proc.stderr


@pytest.mark.parametrize("key", ["by_role", "what_is", "tasks"])  # lexical: concepts carry English
def test_the_example_questions_get_the_same_answer_in_both_languages(built_store, key):
    from metrokg.ui.web.i18n import t

    zh, en = (ask(built_store, t(f"ask.example.{key}", lang)) for lang in ("zh", "en"))
    assert zh["kind"] == en["kind"] and zh["answers"] and (zh["lang"], en["lang"]) == ("zh", "en")
    assert [i.get("span") for i in zh["answers"] if "provision" in i] == \
        [i.get("span") for i in en["answers"] if "provision" in i]


# ---- questions that compare two documents

@pytest.fixture(scope="module")
def city_store(built_store, tmp_path_factory) -> Path:
    """The seed (Hubei's implementation opinions) and 宜昌's plan, which implements them."""
    store = tmp_path_factory.mktemp("compare") / "store"
    shutil.copytree(built_store, store)
    run_cli("ingest", str(DEV_DOCS_TEXT / "yichang-2023-metrology-implementation-plan.txt"), store=store)
    return store


@pytest.mark.parametrize("question", ["比较湖北的实施意见和宜昌的实施方案", "宜昌的实施方案和湖北的实施意见相比有什么不同",
                                      "how does the Yichang plan differ from the Hubei plan?"])
def test_a_comparison_question_tells_what_the_implementing_plan_changes(city_store, question):
    """Either order, either language: the plan implemented is the reference; the city's targets set
    otherwise come first with the province's value beside them, then its additions."""
    a = ask(city_store, question)
    assert a["kind"] == "compare" and a["bindings"] == [{"a": "hubei-2022-metrology-implementation",
                                                          "b": "yichang-2023-metrology-implementation-plan"}]
    first = a["answers"][0]
    assert first["change"] == "differs" and first["provision"]["document"] == "yichang-2023-metrology-implementation-plan"
    rate = next(i for i in a["answers"] if i.get("indicator") == "强制检定计量器具受检率")
    assert rate["value"] == 95 and rate["versus"] == ">=92% (2025)" and rate["direction"] == "stricter"
    text = (DEV_DOCS_TEXT / "yichang-2023-metrology-implementation-plan.txt").read_text(encoding="utf-8")
    assert all(text[i["span"]["start"]:i["span"]["end"]] == i["span"]["text"]
               for i in a["answers"] if i["provision"]["document"].startswith("yichang"))
    assert {"added"} <= {i["change"] for i in a["answers"]} and a["note_key"] == "compare"
    assert [g["document"] for g in a["groups"]][0] == "yichang-2023-metrology-implementation-plan"


def test_a_comparison_of_things_that_are_no_documents_is_searched(city_store):
    assert ask(city_store, "小狗和小猫有什么区别")["kind"] == "search"


@pytest.mark.parametrize("question", ["2025年底前要完成哪些任务", "哪些任务要在2025年底前完成", "which tasks are due by 2025?"])
def test_tasks_due_by_a_year_are_the_statements_dated_by_their_words(city_store, question):
    """宜昌's 建设市级产业计量测试中心两家，2024年底前完成项目论证 is due by 2025, with its bodies; the
    statements due only through a plan's horizon (到2025年) are counted, not listed; targets stay targets."""
    a = ask(city_store, question)
    assert a["kind"] == "tasks_by_year" and int(a["note_fields"]["horizon"]) > 0
    centre = [i for i in a["answers"] if i["provision"]["number"] == "2.1.1"
              and i["provision"]["document"] == "yichang-2023-metrology-implementation-plan"]
    assert centre and all(i["year"] == 2024 for i in centre)
    assert {"市场监督管理局（市级，宜昌市）", "科学技术局（市级，宜昌市）"} <= {i.get("actor_label") for i in centre}
    assert all(i["year"] <= 2025 for i in a["answers"])
    text = (DEV_DOCS_TEXT / "yichang-2023-metrology-implementation-plan.txt").read_text(encoding="utf-8")
    assert all(text[i["span"]["start"]:i["span"]["end"]] == i["span"]["text"] for i in centre)
    assert ask(city_store, "到2025年要达到哪些目标")["kind"] == "targets_by_year"


@pytest.mark.parametrize("question", ["产业计量测试中心建设的牵头单位是谁", "谁牵头建设产业计量测试中心",
                                      "who leads the construction of industrial metrology test centres?"])
def test_who_leads_a_task_asked_by_its_lead_body_or_in_english(city_store, question):
    # 建设市级产业计量测试中心两家…（责任单位：市市场监管局、市科技局）: found by the thing without its verb
    a = ask(city_store, question)
    assert a["kind"] == "responsible" and not a["note"], (a["kind"], a["note"])
    yichang = {(i["provision"]["number"], i["actor"]) for i in a["answers"]
               if i["provision"]["document"] == "yichang-2023-metrology-implementation-plan"}
    assert {("2.1.1", "市市场监管局"), ("2.1.1", "市科技局")} <= yichang, yichang
