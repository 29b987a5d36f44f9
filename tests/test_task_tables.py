"""Task tables: found in DOCX, HTML, tab-separated, space-aligned and one-cell-per-line text, with
columns mapped by header meaning in any order, and read into tasks, bodies in their roles,
deadlines and targets with offsets into the document text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metrokg.nlp.extraction.pipeline import extract
from metrokg.nlp.reading.readers import read_bytes, read_document
from metrokg.nlp.structure.parser import parse_document
from metrokg.nlp.structure.tables import align_spaced_tables, find_tables, header_role

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"

INTRO = "关于推进计量工作的实施方案\n一、重点任务\n各部门要按照分工抓好落实。\n"
ROWS = [
    ("1", "建设省级产业计量测试中心", "省市场监管局", "省科技厅、省财政厅", "2025年底前"),
    ("2", "开展计量比对", "省计量院", "", "2024年12月"),
    ("3", "培育诚信计量示范单位", "各市人民政府", "省市场监管局", "长期坚持"),
]


def _facts(text: str, name: str = "plan"):
    doc = parse_document(text, doc_id=name)
    return doc, extract(doc)


def _rows_of(facts, text):
    """{task text: {role: [names]}} with every offset checked against the document text."""
    out: dict[str, dict[str, list[str]]] = {}
    for f in facts:
        assert text[f.start:f.end] == f.text
        if f.kind == "task":
            out.setdefault(f.text, {})
    for f in facts:
        if f.kind == "responsibility" and f.text in out:
            assert text[f.actor_start:f.actor_end] == f.actor_name
            out[f.text].setdefault(f.role, []).append(f.actor_name)
    return out


def _check_rows(doc, facts):
    rows = _rows_of(facts, doc.text)
    assert rows["建设省级产业计量测试中心"] == {"lead": ["省市场监管局"], "supporting": ["省科技厅", "省财政厅"]}
    assert rows["开展计量比对"] == {"lead": ["省计量院"]}
    assert rows["培育诚信计量示范单位"] == {"lead": ["各市人民政府"], "supporting": ["省市场监管局"]}
    deadlines = {f.text: f.deadline for f in facts if f.kind == "task" and f.text in rows}
    assert deadlines["建设省级产业计量测试中心"] == 2025 and deadlines["开展计量比对"] == 2024


@pytest.mark.parametrize("word, role", [("序号", "number"), ("重点任务", "task"), ("主要指标", "indicator"),
                                        ("目标值", "value"), ("牵头单位", "lead"), ("牵头部门", "lead"),
                                        ("责任单位", "responsible"), ("责任部门", "responsible"),
                                        ("配合单位", "supporting"), ("配合部门", "supporting"),
                                        ("完成时限", "deadline"), ("完成时间", "deadline"),
                                        ("时间节点", "deadline"), ("2025年目标", "value"), ("加强计量监督", None)])
def test_header_words_by_meaning(word, role):
    assert header_role(word) == role


def test_docx_table_with_an_empty_cell(tmp_path):
    from docx import Document

    d = Document()
    for line in INTRO.strip().split("\n"):
        d.add_paragraph(line)
    table = d.add_table(rows=1, cols=5)
    for cell, head in zip(table.rows[0].cells, ("序号", "重点任务", "牵头单位", "配合单位", "完成时限")):
        cell.text = head
    for values in ROWS:
        for cell, v in zip(table.add_row().cells, values):
            cell.text = v
    path = tmp_path / "plan.docx"
    d.save(str(path))
    raw = read_document(path)
    assert "2\t开展计量比对\t省计量院\t—\t2024年12月" in raw.text  # the empty 配合单位 keeps its column
    _check_rows(*_facts(raw.text))


def test_html_table_headers_in_another_order():
    cells = "".join(f"<tr><td>{n}</td><td>{d}</td><td>{s}</td><td>{t}</td><td>{lead}</td></tr>"
                    for n, t, lead, s, d in ROWS)
    html = (f"<html><body>{''.join(f'<p>{x}</p>' for x in INTRO.strip().split(chr(10)))}<table>"
            f"<tr><th>序号</th><th>完成时间</th><th>配合部门</th><th>重点任务</th><th>牵头部门</th></tr>{cells}"
            "</table></body></html>")
    raw = read_bytes(html.encode("utf-8"), "plan.html")
    assert raw.format == "html"
    _check_rows(*_facts(raw.text))


def test_tab_separated_text():
    lines = ["序号\t重点任务\t牵头单位\t配合单位\t完成时限"] + ["\t".join(r) for r in ROWS]
    text = read_bytes((INTRO + "\n".join(lines)).encode("utf-8"), "plan.txt").text
    _check_rows(*_facts(text))


def test_space_aligned_text_as_pdf_extraction_gives(tmp_path):
    def line(*cells: str) -> str:
        return "".join(c + " " * (16 - len(c) * 2 % 16 + 2) for c in cells).rstrip()

    table = [line("序号", "牵头单位", "重点任务", "完成时限", "配合单位")]
    table += [line(n, lead, t, d, s or "—") for n, t, lead, s, d in ROWS]
    path = tmp_path / "plan.txt"
    path.write_text(INTRO + "\n".join(table) + "\n二、保障措施\n加强组织领导。\n", encoding="utf-8")
    raw = read_document(path)
    assert "1\t省市场监管局\t建设省级产业计量测试中心" in raw.text
    assert "加强组织领导。" in raw.text  # text after the table is left as it was
    _check_rows(*_facts(raw.text))


def test_spaced_text_without_a_header_is_left_alone():
    text = "计量  发展\n加强  计量  监督\n"
    assert align_spaced_tables(text) == text


def test_stacked_cells_with_a_page_break_inside_a_row():
    text = ("附件\n重点任务分工表\n序号\n重点任务\n责任单位\n完成时限\n"
            "1\n建设计量\n测试中心\n市市场监管局、市财政局\n2025年\n"
            "2\n开展能源计量审查和\n序号\n重点任务\n责任单位\n完成时限\n监督检查\n市发展改革局\n2024年底前")
    tables = find_tables(text)
    assert len(tables) == 1 and tables[0].layout == "stacked"
    rows = tables[0].rows
    assert [r.get("task").value for r in rows] == ["建设计量测试中心", "开展能源计量审查和监督检查"]
    assert [r.get("responsible").value for r in rows] == ["市市场监管局、市财政局", "市发展改革局"]
    assert [r.get("deadline").value for r in rows] == ["2025年", "2024年底前"]
    for r in rows:
        for cell in r.cells.values():  # offsets point at the words; the value joins the pieces
            assert cell.value.startswith(text[cell.start:cell.end].replace("\n", ""))
            assert "".join(text[a:b] for a, b in cell.pieces) == cell.value


def test_indicator_table_gives_targets_with_bodies():
    lines = ["序号\t主要指标\t目标值\t责任单位",
             "1\t社会公用计量标准（项）\t≥500\t省市场监管局",
             "2\t诚信计量示范单位\t3000家以上\t各市人民政府"]
    text = read_bytes(("关于计量发展的实施方案\n一、主要指标\n" + "\n".join(lines)).encode("utf-8"), "t.txt").text
    doc, facts = _facts(text)
    targets = {(f.indicator, int(f.value), f.unit_text, f.comparator) for f in facts if f.kind == "target"}
    assert ("社会公用计量标准", 500, "项", ">=") in targets
    assert ("诚信计量示范单位", 3000, "家", ">=") in targets
    bodies = {f.actor_name for f in facts if f.kind == "responsibility" and f.role == "responsible"}
    assert bodies == {"省市场监管局", "各市人民政府"}


def test_jiangmen_target_table_rows_get_their_bodies():
    path = REAL / "jiangmen-2016.txt"
    if not path.exists():
        pytest.skip("../shared/real is not here")
    gold = json.loads((REAL / "gold.json").read_text(encoding="utf-8"))["jiangmen-2016.txt"]["responsible"]
    text = read_document(path).text
    doc, facts = _facts(text, "jiangmen-2016")
    tables = find_tables(text)
    assert len(tables) == 1 and [r.number for r in tables[0].rows][:6] == ["1", "2", "3", "4", "5", "6"]
    by_row = {}
    for row in tables[0].rows:
        cell = row.statement
        by_row[row.number] = [f.actor_name for f in facts if f.kind == "responsibility"
                              and f.start == cell.start and f.role == "responsible"]
    for entry in gold:
        number = entry["section"].split()[-1]
        assert by_row[number] == entry["actors"], number
    assert sum(1 for v in by_row.values() if v) == 6
