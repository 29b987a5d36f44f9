"""`metrokg targets` tells two plans' targets apart, `progress set` never lands on the other plan's target,
baselines stand beside targets of the same indicator, and `metrokg facts` lists the numbers that are not goals."""

from __future__ import annotations

import pytest

from conftest import cli_json, run_cli

pytestmark = pytest.mark.slow

PLAN = ("某市计量发展实施方案\n2023年5月9日\n一、发展现状\n截至2022年底，全市已建成社会公用计量标准180项。\n"
        "二、发展目标\n到2025年，全市建成社会公用计量标准210项以上。\n"
        "三、保障措施\n对新认定的产业计量测试中心，给予每家不超过50万元补助。\n")
CITY = ("某区计量发展实施方案\n2023年6月1日\n一、发展目标\n到2025年，全区建成社会公用计量标准60项以上。\n"
        "二、主要任务\n（一）到2026年，培育诚信计量示范单位30家以上。\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    (folder / "plan.txt").write_text(PLAN, encoding="utf-8")
    (folder / "city-plan.txt").write_text(CITY, encoding="utf-8")
    path = folder / "store"
    run_cli("ingest", str(folder / "plan.txt"), str(folder / "city-plan.txt"), store=path)
    return path


def test_targets_show_their_document_and_the_baseline(store):
    rows = cli_json("targets", store=store)
    same = [r for r in rows if r["indicator"] == "社会公用计量标准"]
    assert {r["document"] for r in same} == {"plan", "city-plan"}
    mine = next(r for r in same if r["document"] == "plan")
    assert mine["baseline"]["value"] == 180 and mine["baseline"]["year"] == 2022
    assert next(r for r in same if r["document"] == "city-plan")["baseline"] is None
    table = run_cli("targets", store=store).stdout
    assert "city-plan" in table and "2022: 180项" in table


def test_progress_lands_on_the_named_plan_only(store, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    rows = cli_json("targets", store=copy)
    mine = next(r for r in rows if r["document"] == "plan")
    obs = cli_json("progress", "set", mine["id"], "190", "--as-of", "2024-06-30", store=copy)
    assert obs["target"] == mine["iri"]
    other = next(r for r in rows if r["document"] == "city-plan" and r["number"] == "2.1")
    # ``plan:2.1:1`` is a tail of ``city-plan:2.1:1`` but names no target of the plan ``plan``
    ghost = other["id"].replace("city-plan:", "plan:")
    proc = run_cli("progress", "set", ghost, "5", "--as-of", "2024-06-30", store=copy, check=False)
    assert proc.returncode == 2 and "[E320]" in proc.stderr
    history = cli_json("progress", "history", other["id"], store=copy)
    assert history["history"] == []


def test_facts_lists_baselines_and_funding_rules(store):
    baselines = cli_json("facts", store=store)
    assert [(b["document"], b["value"], b["year"], b["cue"]) for b in baselines] == [("plan", 180, 2022, "已建成")]
    funding = cli_json("facts", "--kind", "funding", store=store)
    assert [(f["value"], f["unit"], f["amount_yuan"], f["comparator"], f["per"]) for f in funding] == [
        (50, "万元", 500000, "<=", "家")]
    assert cli_json("facts", "--kind", "time_limit", store=store) == []
    proc = run_cli("facts", "--document", "nope", store=store, check=False)
    assert proc.returncode == 2 and "[E" in proc.stderr
