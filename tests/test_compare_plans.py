"""Comparing a plan with the document it implements: structure-aware alignment, one-to-many pairs,
what the plan leaves out or adds, stricter and looser targets, and `implements` resolved at read time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA, DEV_DOCS, cli_json, run_cli
from _analyses import SEED_ID

pytestmark = pytest.mark.slow  # ingests two documents and runs the CLI

CITY = DATA / "compare" / "city-plan-implementing-hubei.txt"
CITY_ID = "city-plan-implementing-hubei"
YICHANG = DEV_DOCS / "yichang-2023-metrology-implementation-plan.txt"
YICHANG_ID = "yichang-2023-metrology-implementation-plan"


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("plans") / "store"
    shutil.copytree(built_store, dest)
    run_cli("ingest", str(CITY), str(YICHANG), store=dest)
    return dest


@pytest.fixture(scope="module")
def city(store) -> dict:
    return cli_json("compare", SEED_ID, CITY_ID, "--method", "lexical", store=store)


def _model_installed() -> bool:
    from metrokg.kg.embedding.embedder import describe_model

    return bool(describe_model()["installed"])


def test_enforcement_provision_pairs_with_the_parents_enforcement(city):
    pairs = {(p["a"], p["b"]): p for p in city["pairs"]}
    # 2.2.1 (加油站作弊、缺斤短两) takes up the second half of Hubei's 5.5, which also holds 2.2.3's 信用记录
    assert ("5.5", "2.2.1") in pairs and ("5.5", "2.2.3") in pairs
    assert {pairs[("5.5", "2.2.1")]["link"], pairs[("5.5", "2.2.3")]["link"]} == {"one-to-one", "split"}
    assert "2.2.1" not in {u["number"] for u in city["unmatched_b"]}


def test_chapters_pair_with_chapters(city, store):
    parts = {(p["a"], p["b"]) for p in city["pairs"] if p["kind"] == "part"}
    # 总体要求, 保障措施; Hubei's chapter on supervision is the city's section 强化计量监管
    assert {("1", "1"), ("6", "3"), ("5", "2.2")} <= parts
    for result in (city, cli_json("compare", SEED_ID, YICHANG_ID, "--method", "lexical", store=store)):
        assert ("1", "2") not in {(p["a"], p["b"]) for p in result["pairs"]}  # 总体要求 is no 重点任务


@pytest.mark.skipif(not _model_installed(), reason="the embedding model is not installed (metrokg model install)")
def test_dense_signal_from_the_search_index(store):
    result = cli_json("compare", SEED_ID, CITY_ID, "--method", "embedding", store=store)
    assert result["method"] == "embedding+concepts+lexical"
    pairs = {(p["a"], p["b"]) for p in result["pairs"]}
    assert {("5.5", "2.2.1"), ("4.1", "2.1.1"), ("4.2", "2.1.2"), ("6.1", "3.1")} <= pairs
    yichang = cli_json("compare", SEED_ID, YICHANG_ID, "--method", "embedding", store=store)
    assert ("1", "2") not in {(p["a"], p["b"]) for p in yichang["pairs"]}
    assert ("1", "1") in {(p["a"], p["b"]) for p in yichang["pairs"]}  # 总体要求 ↔ 主要目标


def test_targets_taken_up_stricter_looser_and_left_out(city):
    diffs = {d["indicator"]: d for d in city["target_differences"]}
    coverage = diffs["强制检定项目覆盖率"]  # 92% in Hubei, 95% in the city
    assert coverage["direction"] == {"value": "stricter", "deadline": None}
    centres = diffs["产业计量测试中心"]  # 10 by 2025 in Hubei, 2 by 2024 in the city
    assert centres["direction"] == {"value": "looser", "deadline": "stricter"}
    left_out = {t["indicator"] for t in city["targets_only_a"]}
    assert "国家现代先进测量实验室" in left_out and "强制检定项目覆盖率" not in left_out
    assert city["targets_only_b"] == []


def test_tasks_left_out_and_added(city):
    added = " ".join(t["text"] for t in city["tasks_only_b"])
    assert "开展燃油加油机专项检查" in added
    left_out = " ".join(t["text"] for t in city["tasks_only_a"])
    assert "大力加强计量前沿技术研究" in left_out  # Hubei's science chapter has no counterpart
    assert "严厉打击缺斤短两" not in left_out


def test_implements_resolves_to_the_parent_in_the_store(city, store):
    assert city["parents_b"] == [{"title": "关于贯彻落实《计量发展规划(2021—2035年)》的实施意见",
                                  "document": SEED_ID, "matched_by": "title",
                                  "document_title": "关于贯彻落实《计量发展规划(2021—2035年)》的实施意见"}]
    table = run_cli("compare", SEED_ID, CITY_ID, "--method", "lexical", store=store).stdout
    assert f"B implements 关于贯彻落实《计量发展规划(2021—2035年)》的实施意见: {SEED_ID}" in table


def test_short_title_and_document_number_resolve(store):
    from metrokg.kg.records.parents import _names, resolve_title
    from metrokg.kg.store.registry import open_store

    with open_store(str(store)) as opened:
        names = _names(opened)
    cited = resolve_title(names, "湖北省人民政府关于贯彻落实〈计量发展规划（2021—2035年）〉的实施意见", CITY_ID)
    assert (cited["document"], cited["matched_by"]) == (SEED_ID, "short title")
    assert resolve_title(names, "计量发展规划(2021—2035年)")["document"] is None  # the national plan is not held
    assert resolve_title(names, "关于贯彻落实《计量发展规划(2021—2035年)》的实施意见", SEED_ID)["document"] is None
    numbered = {"鄂政发[2022]5号": [("some-doc", "文号")]}
    assert resolve_title(numbered, "鄂政发〔2022〕5号") == {"title": "鄂政发〔2022〕5号", "document": "some-doc",
                                                         "matched_by": "文号"}


def test_documents_name_the_parent_the_store_holds(store):
    """`documents --json` resolves a plan's `implements` title to the parent document held (id and title);
    the table names it by id; a parent not held stays a title with no document."""
    docs = {d["id"]: d for d in cli_json("documents", store=store)}
    city = docs[CITY_ID]
    assert [(p["document"], p["document_title"]) for p in city["parents"]] == [(SEED_ID, docs[SEED_ID]["title"])]
    assert docs[SEED_ID]["parents"] == [{"title": "计量发展规划(2021—2035年)", "document": None,
                                         "document_title": None, "matched_by": None}]
    table = run_cli("documents", store=store).stdout
    assert SEED_ID in next(line for line in table.splitlines() if line.startswith(CITY_ID)).split(maxsplit=1)[1]


def test_comparison_tables_in_both_languages_and_xlsx(city, tmp_path):
    from openpyxl import load_workbook

    from metrokg.ui.reports.xlsx import write_sheets_xlsx
    from metrokg.ui.web.tabs.compare import comparison_tables, parent_html

    for lang, header in (("zh", "A 条款"), ("en", "A provision")):
        tables = comparison_tables(city, lang)
        assert tables["pairs"][0][0] == header
        assert len(tables["pairs"][1]) == len(city["pairs"])
        assert len(tables["missing"][1]) == len(city["targets_only_a"]) + len(city["tasks_only_a"])
        path = write_sheets_xlsx([(k, *v) for k, v in tables.items()], tmp_path / f"cmp-{lang}.xlsx")
        book = load_workbook(path)
        assert len(book.sheetnames) == 4
        assert book[book.sheetnames[0]]["A1"].value == header
    assert f"data-doc='{SEED_ID}'" in parent_html(city, "zh")
