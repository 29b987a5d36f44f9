"""`metrokg ask`: question patterns answered by bound SPARQL, each item citing its source span."""

from __future__ import annotations

import pytest

from conftest import cli_json, run_cli

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
