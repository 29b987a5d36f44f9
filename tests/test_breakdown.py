"""The 任务分解表 (`metrokg breakdown`) and the register exports: rows, inherited deadlines, XLSX and DOCX
as a drafter opens them, Chinese headers, and coded errors for mistakes."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from conftest import cli_json, run_cli
from _analyses import SEED_ID

ROW_KEYS = {"number", "task", "text", "lead", "responsible", "supporting", "deadline", "targets", "progress"}
PLAN = """关于推进县域计量工作的实施方案（2023—2025年）
一、总体要求
到2025年，县域计量能力明显提升。
二、重点任务
（一）建设计量标准。新建社会公用计量标准20项以上，2024年底前完成（牵头单位：县市场监管局；配合单位：县财政局）。
（二）开展能源计量审查。县发展改革局要组织重点用能单位开展能源计量审查。
三、重点任务分工
序号\t重点任务\t责任单位\t牵头单位\t完成时限
1\t建设计量技术服务平台\t县科技局、县财政局\t县市场监管局\t2024年6月底前
2\t培育诚信计量示范单位\t各乡镇人民政府\t县市场监管局\t—
"""
PLAN_ID = "county-plan"
pytestmark = pytest.mark.slow  # builds a store and runs the command line


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory):
    dest = tmp_path_factory.mktemp("breakdown") / "store"
    shutil.copytree(built_store, dest)
    plan = tmp_path_factory.mktemp("plan") / f"{PLAN_ID}.txt"
    plan.write_text(PLAN, encoding="utf-8")
    run_cli("ingest", str(plan), store=dest)
    return dest


@pytest.fixture(scope="module")
def rows(store):
    return cli_json("breakdown", PLAN_ID, store=store)


def test_rows_in_document_order_with_bodies_and_deadlines(rows):
    assert rows and all(ROW_KEYS <= set(r) for r in rows)
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    heading, note = [r for r in rows if r["provision"] == "2.1"]
    assert heading["task"] == "建设计量标准" and note["task"] == "新建社会公用计量标准20项以上"
    for r in (heading, note):  # the note covers the provision's text before it
        assert r["lead"] == ["县市场监管局"] and r["supporting"] == ["县财政局"] and r["deadline"] == 2024
        assert any("≥20项" in t for t in r["targets"])
    assert note["deadline_source"] == "own" and not note["deadline_inherited"]
    assert heading["deadline_source"] == "provision" and heading["deadline_inherited"]  # written in the next sentence
    subject = next(r for r in rows if r["task"].startswith("组织重点用能单位"))
    assert subject["responsible"] == ["县发展改革局"]
    assert subject["deadline"] == 2025 and subject["deadline_inherited"]  # the plan's horizon
    table = [r for r in rows if r["number"] in ("1", "2")]
    assert [r["task"] for r in table] == ["建设计量技术服务平台", "培育诚信计量示范单位"]
    assert table[0]["responsible"] == ["县科技局", "县财政局"] and table[0]["lead"] == ["县市场监管局"]
    assert table[0]["deadline"] == 2024 and table[0]["deadline_text"] == "2024年6月底前"
    assert table[1]["responsible"] == ["各乡镇人民政府"]
    assert table[1]["deadline"] == 2025 and table[1]["deadline_source"] == "plan"


def test_seed_breakdown_inherits_deadlines(store):
    seed = cli_json("breakdown", SEED_ID, store=store)
    assert len(seed) > 50 and all(ROW_KEYS <= set(r) for r in seed)
    assert all(r["deadline"] is not None for r in seed)
    sources = {r["deadline_source"] for r in seed}
    assert {"provision", "plan"} <= sources
    assert all(r["deadline_inherited"] == (r["deadline_source"] != "own") for r in seed)
    goals = [r for r in seed if r["provision"] == "1.2"]  # 到2025年，… under 发展目标
    assert goals and all(r["deadline"] == 2025 and r["deadline_source"] == "provision" for r in goals)
    assert any(r["responsible"] or r["lead"] for r in seed)


def test_xlsx_is_printable_with_chinese_headers(store, rows, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "分解表.xlsx"
    run_cli("breakdown", PLAN_ID, "--xlsx", str(out), store=store)
    ws = load_workbook(out).worksheets[0]
    assert [c.value for c in ws[1]] == ["序号", "重点任务", "任务原文", "牵头单位", "责任单位", "配合单位",
                                        "完成时限", "相关指标", "进展"]
    assert ws.max_row == len(rows) + 1
    assert ws.freeze_panes == "A2" and ws.print_title_rows in ("1:1", "$1:$1")
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert all(cell.alignment.wrap_text for row in ws.iter_rows(min_row=2) for cell in row)
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHI"]
    assert widths[0] < widths[2] and max(widths) <= 60
    deadlines = [c.value for c in ws["G"][1:]]
    assert "2024年6月底前" in deadlines and "2025年（据规划期限）" in deadlines
    english = tmp_path / "breakdown.xlsx"
    run_cli("breakdown", PLAN_ID, "--xlsx", str(english), "--english", store=store)
    assert load_workbook(english).worksheets[0]["B1"].value == "Task"


def test_docx_is_a_landscape_table(store, rows, tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT

    out = tmp_path / "分解表.docx"
    run_cli("breakdown", PLAN_ID, "--docx", str(out), store=store)
    d = docx.Document(str(out))
    assert d.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert d.sections[0].page_width > d.sections[0].page_height
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells][:5] == ["序号", "重点任务", "任务原文", "牵头单位", "责任单位"]
    assert len(table.rows) == len(rows) + 1
    assert "县科技局、县财政局" in [c.text for row in table.rows for c in row.cells]
    assert "县市场监管局会同" not in d.paragraphs[0].text and "任务分解表" in d.paragraphs[0].text


def test_mistakes_get_coded_errors(store, tmp_path):
    bad = run_cli("breakdown", PLAN_ID, "--docx", str(tmp_path / "x.doc"), store=store, check=False)
    assert bad.returncode == 2 and "[E475]" in bad.stderr and not (tmp_path / "x.doc").exists()
    bad = run_cli("breakdown", PLAN_ID, "--xlsx", str(tmp_path / "x.csv"), store=store, check=False)
    assert bad.returncode == 2 and "[E313]" in bad.stderr
    missing = run_cli("breakdown", "no-such-plan", store=store, check=False)
    assert missing.returncode == 2 and "[E010]" in missing.stderr and "Traceback" not in missing.stderr


def test_register_exports_are_chinese_without_technical_columns(store, tmp_path):
    from openpyxl import load_workbook

    proc = run_cli("obligations", "--document", PLAN_ID, "--csv", store=store)
    parsed = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert parsed and {"主体（原文）", "角色", "牵头单位", "配合单位", "期限", "期限来源", "原文"} <= set(parsed[0])
    assert not {"iri", "IRI", "start", "起始位置"} & set(parsed[0])
    row = next(r for r in parsed if r["主体（原文）"] == "县财政局")
    assert row["角色"] == "配合" and row["牵头单位"] == "县市场监管局" and row["配合单位"] == "县财政局"
    assert {r["期限来源"] for r in parsed} <= {"本项写明", "继承：所在条款", "继承：规划期限"}
    out = tmp_path / "register.xlsx"
    run_cli("obligations", "--document", PLAN_ID, "--xlsx", str(out), "--all-columns", store=store)
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    assert "IRI" in header and "起始位置" in header and ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape"
    english = run_cli("obligations", "--document", PLAN_ID, "--csv", "--english", store=store).stdout
    assert english.splitlines()[0].startswith("Document,Provision,Kind")


def test_obligations_rows_carry_their_deadline(store):
    rows = cli_json("obligations", "--document", PLAN_ID, store=store)
    assert rows and all(r["deadline"] is not None for r in rows)
    finance = next(r for r in rows if r["actor"] == "县财政局" and r["role"] == "supporting")
    assert finance["deadline"] == 2024 and finance["deadline_source"] == "own"
    assert any(r["deadline_inherited"] for r in rows)


def test_web_breakdown_button_gives_the_document_xlsx(store, tmp_path):
    from openpyxl import load_workbook

    from metrokg.errors import MetrokgError
    from metrokg.ui.reports.xlsx import write_breakdown_xlsx
    from metrokg.ui.web.state import AppState
    from metrokg.ui.web.tabs.obligations import breakdown_cells

    from metrokg.kg.store.registry import open_store

    opened = open_store(str(store))
    try:
        state = AppState(opened, work_dir=tmp_path / "web")
        with pytest.raises(MetrokgError, match="E477"):
            breakdown_cells(state, None, "zh")
        rows, (headers, cells), title = breakdown_cells(state, PLAN_ID, "en")
    finally:
        opened.close()
    assert headers[0] == "No." and len(cells) == len(rows) and "任务分解表" in title
    path = write_breakdown_xlsx(headers, cells, tmp_path / "b.xlsx", title)
    assert load_workbook(path).worksheets[0].max_row == len(rows) + 1
