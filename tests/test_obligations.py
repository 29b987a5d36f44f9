"""The obligations register: rows, actor normalisation, filters, per-actor counts, CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import cli_json, run_cli
from _analyses import JIANGXI_ID, SEED_ID, store_with_jiangxi


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory):
    return store_with_jiangxi(built_store, tmp_path_factory.mktemp("obl") / "store")


@pytest.fixture(scope="module")
def rows(store):
    return cli_json("obligations", store=store)


def test_contract_fields_and_kinds(rows):
    keys = {"iri", "document", "number", "actor", "actor_iri", "role", "modality", "action", "deadline", "text",
            "start", "end"}
    assert rows and all(keys <= set(r) for r in rows)
    kinds = {r["kind"] for r in rows}
    assert {"responsibility", "deontic", "task"} <= kinds


def test_provincial_regulator_is_normalised_to_the_named_body(store):
    by_full_name = cli_json("obligations", "--actor", "湖北省市场监督管理局", "--document", SEED_ID, store=store)
    by_short = cli_json("obligations", "--actor", "省市场监管局", "--document", SEED_ID, store=store)
    assert [r["number"] for r in by_full_name] == ["6.4"]
    row = by_full_name[0]
    assert row["actor"] == "省市场监管局"
    assert row["actor_iri"] == "https://w3id.org/metrokg/id/actor/hubei-amr"
    assert row["actor_label"] == "湖北省市场监督管理局"
    assert row["role"] == "lead"
    assert [r["iri"] for r in by_short] == [row["iri"]]


@pytest.mark.slow
def test_filters(store, rows):
    obligations = cli_json("obligations", "--modality", "obligation", store=store)
    assert obligations and all(r["modality"] == "obligation" for r in obligations)
    subjects = {r["actor"] for r in obligations if r["document"] == SEED_ID}
    assert "各市、州、县人民政府" in subjects
    auto = cli_json("obligations", "--industry", "汽车", "--document", SEED_ID, store=store)
    assert any("动态扭矩校准装置" in r["text"] and r["number"] == "3.2" for r in auto)
    assert all(r["number"].startswith("3.") or r["number"] in ("2.3",) or "汽车" in "".join(r["industries"])
               for r in auto)
    jx = cli_json("obligations", "--document", JIANGXI_ID, "--role", "responsible", store=store)
    assert jx and all(r["document"] == JIANGXI_ID and r["role"] == "responsible" for r in jx)
    assert cli_json("obligations", "--deadline", "2000", store=store) == []


def test_unknown_industry_is_a_coded_error(store):
    proc = run_cli("obligations", "--industry", "不存在的行业xyz", store=store, check=False)
    assert proc.returncode == 2 and "[E312]" in proc.stderr and "Traceback" not in proc.stderr


def test_by_actor_counts_match_rows(store, rows):
    summary = cli_json("obligations", "--by-actor", store=store)
    with_actor = [r for r in rows if r["actor_label"]]
    assert sum(g["total"] for g in summary) == len(with_actor)
    jx_amr = next(g for g in summary if g["actor_label"].startswith("市场监督管理局（省级，江西"))
    assert jx_amr["total"] == sum(1 for r in rows if r["actor_label"] == jx_amr["actor_label"])
    # 省市场监管局 in the Jiangxi text is Jiangxi's regulator, not Hubei's
    hubei = next(g for g in summary if g["actor_label"] == "湖北省市场监督管理局")
    assert hubei["documents"] == [SEED_ID]


def test_csv_and_xlsx_exports(store, rows, tmp_path):
    proc = run_cli("obligations", "--csv", store=store)
    parsed = list(csv.DictReader(io.StringIO(proc.stdout)))
    # Chinese headers by default (issue 16), no IRI or offset columns unless --all-columns
    assert len(parsed) == len(rows) and parsed[0].keys() >= {"主体（原文）", "情态", "原文", "牵头单位", "配合单位"}
    assert not {"iri", "IRI", "start", "起始位置"} & parsed[0].keys()
    out = tmp_path / "register.xlsx"
    run_cli("obligations", "--xlsx", str(out), store=store)
    from openpyxl import load_workbook

    wb = load_workbook(out)
    sheet = wb.worksheets[0]
    assert sheet.max_row == len(rows) + 1
    header = [c.value for c in sheet[1]]
    texts = [row[header.index("原文")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any("省市场监管局会同有关部门" in (t or "") for t in texts)
    assert wb.worksheets[1].max_row > 1
    bad = run_cli("obligations", "--xlsx", str(tmp_path / "register.csv"), store=store, check=False)
    assert bad.returncode == 2 and "[E313]" in bad.stderr
