"""Penalties (法律责任) and legal duties: amounts, the penalty reader on the real laws and on laws written
here, subjects of prohibitions, the `penalties` command and the web tab."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, cli_json, run_cli
from metrokg.nlp.structure.amounts import read_bounds

REAL = ROOT.parent / "shared" / "real"
LAWS = ("jiliangfa-2018", "jiliangfa-xize-2022", "shanghai-tiaoli-2018", "jinkou-banfa-2016")
BANFA = """某市电子计价秤监督管理办法
第一条 为了加强电子计价秤的监督管理，制定本办法。
第二条 经营者应当使用经检定合格的电子计价秤，并不得破坏其准确度。
第三条 未按照规定申请检定或者检定不合格的，不得使用。
第四条 违反本办法第二条规定，使用不合格电子计价秤的，由县级以上市场监督管理部门责令改正，没收违法所得，并处违法所得一倍以上三倍以下罚款；没有违法所得的，处二千元以上二万元以下罚款。
第五条 有下列行为之一的，由市场监督管理部门责令限期改正，给予警告；逾期不改正的，处五千元以下罚款：
（一）拒绝、阻碍计量监督检查的；
（二）伪造检定数据的。
有前款第（二）项行为，给他人造成损失的，依法承担赔偿责任。
第六条 本办法自2026年1月1日起施行。
"""


@pytest.mark.parametrize("text, expected", [
    ("处一千元以上一万元以下罚款", (1000, 10000, "元", None)),
    ("可并处1000元以下的罚款", (None, 1000, "元", None)),
    ("处违法所得一倍以上三倍以下罚款", (1, 3, "倍", "违法所得")),
    ("相当其违法所得10%至50%的罚款", (Decimal("0.1"), Decimal("0.5"), "倍", "违法所得")),
    ("相当于进口或销售额百分之三十以下的罚款", (None, Decimal("0.3"), "倍", "货值金额")),
    ("处2.5万元罚款", (25000, 25000, "元", None)),
    ("处五千元以上五万元以下的罚款", (5000, 50000, "元", None)),
])
def test_fine_bounds(text, expected):
    b = read_bounds(text)[0]
    assert (b.min, b.max, b.unit, b.basis) == expected


def _facts(text: str, doc_id: str):
    from metrokg.nlp.extraction.pipeline import extract
    from metrokg.nlp.structure.parser import parse_document

    doc = parse_document(text, doc_id)
    return doc, extract(doc)


def _bounds(s) -> tuple:
    return tuple(None if v is None else float(v) for v in (s.min, s.max)) + (s.unit, s.basis)


@pytest.mark.parametrize("law", LAWS)
def test_every_gold_penalty_of_the_real_laws(law):
    if not (REAL / "penalties_gold.json").exists():
        pytest.skip("../shared/real is absent beside the checkout; real penalties not checked")
    from metrokg.nlp.reading.readers import read_document

    gold = [g for g in json.loads((REAL / "penalties_gold.json").read_text(encoding="utf-8")) if g["doc"] == law]
    doc, facts = _facts(read_document(REAL / f"{law}.txt").text, law)
    found = {(f.article, f.item): f for f in facts if f.kind == "penalty"}
    assert set(found) == {(g["article"], g["item"]) for g in gold}
    for g in gold:
        f = found[(g["article"], g["item"])]
        assert {s.kind for s in f.sanctions} == {s["kind"] for s in g["sanctions"]}, g["article"]
        fines = {_bounds(s) for s in f.sanctions if s.kind == "fine"}
        for s in g["sanctions"]:
            if s["kind"] == "fine":
                assert (s["min"], s["max"], s["unit"], s["basis"]) in fines, g["article"]
        assert f.refers_to == g["refers_to"] and f.authority == g["authority"], g["article"]
        assert doc.text[f.start:f.end] == f.text
        assert all(doc.text[s.start:s.end] == s.text for s in f.sanctions)


@pytest.mark.parametrize("law", LAWS)
def test_gold_prohibitions_with_their_subjects(law):
    if not (REAL / "gold.json").exists():
        pytest.skip("../shared/real is absent beside the checkout; real prohibitions not checked")
    from metrokg.nlp.reading.readers import read_document

    gold = json.loads((REAL / "gold.json").read_text(encoding="utf-8"))[f"{law}.txt"]
    doc, facts = _facts(read_document(REAL / f"{law}.txt").text, law)
    markers = {p.number: p.marker for p in doc.provisions}
    prohibitions = [f for f in facts if f.kind == "deontic" and f.modality == "prohibition"]
    for quote in gold["prohibitions"]:
        article = gold["prohibitions_where"][quote]["article"]
        hits = [f for f in prohibitions if f.text in quote and markers[f.provision] == article]
        assert hits and all(h.subject for h in hits), quote
    sanctions = [f for f in facts if f.kind == "deontic" and f.modality == "permission" and "罚款" in f.text]
    assert not sanctions  # 可以并处罚款 is a sanction, not a permission


def test_a_rule_without_chapters_with_items_and_alternatives():
    doc, facts = _facts(BANFA, "banfa")
    pens = {(f.article, f.item): f for f in facts if f.kind == "penalty"}
    four = pens[("第四条", None)]
    assert four.refers_to == ["第二条"] and four.authority == "县级以上市场监督管理部门"
    fines = [(s.min, s.max, s.unit, s.basis, s.condition) for s in four.sanctions if s.kind == "fine"]
    assert fines == [(1, 3, "倍", "违法所得", None), (2000, 20000, "元", None, "没有违法所得的")]
    # the items differ (前款第（二）项 adds compensation): one record per item
    assert ("第五条", None) not in pens
    assert [s.kind for s in pens[("第五条", "（一）")].sanctions] == ["order_to_correct", "warning", "fine"]
    assert "compensation" in [s.kind for s in pens[("第五条", "（二）")].sanctions]
    assert pens[("第五条", "（一）")].conduct == "拒绝、阻碍计量监督检查"
    duties = [f for f in facts if f.kind == "deontic"]
    by_text = {f.text: f for f in duties}
    assert by_text["并不得破坏其准确度"].subject == "经营者"  # inherited from 经营者应当…
    assert by_text["不得使用"].subject.startswith("使用者")  # the user of such an instrument


@pytest.mark.slow
def test_penalties_command_json_csv_xlsx_and_web_tab(tmp_path):
    law = tmp_path / "banfa.txt"
    law.write_text(BANFA, encoding="utf-8")
    store = tmp_path / "store"
    run_cli("ingest", str(law), store=store)
    rows = cli_json("penalties", "--document", "banfa", store=store)
    assert [(r["article"], r["item"]) for r in rows] == [("第四条", None), ("第五条", "（一）"), ("第五条", "（二）")]
    keys = {"document", "article", "item", "conduct", "refers_to", "authority", "sanctions", "text", "start", "end"}
    assert all(keys <= set(r) for r in rows)
    assert all({"kind", "min", "max", "unit", "basis", "text"} <= set(s) for r in rows for s in r["sanctions"])
    fine = rows[0]["sanctions"][2]
    assert [fine[k] for k in ("kind", "min", "max", "unit", "basis")] == ["fine", 1, 3, "倍", "违法所得"]
    assert [r["article"] for r in cli_json("penalties", "--conduct", "伪造", store=store)] == ["第五条"]
    csv = run_cli("penalties", "--csv", "--xlsx", str(tmp_path / "p.xlsx"), store=store).stdout
    assert csv.splitlines()[0].startswith("document,article,item,conduct") and (tmp_path / "p.xlsx").stat().st_size
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "p.xlsx").active["D1"].value == "违法行为"
    asked = cli_json("ask", "违反本办法第二条会怎样处罚", store=store)
    assert asked["kind"] == "penalties" and [a["article"] for a in asked["answers"]] == ["第四条"]
    assert asked["answers"][0]["provision"]["document"] == "banfa"
    asked = cli_json("ask", "谁不得破坏其准确度", store=store)
    assert asked["kind"] == "who_must" and asked["answers"][0]["actor"] == "经营者"
    register = cli_json("obligations", "--document", "banfa", "--modality", "prohibition", store=store)
    assert "经营者" in [r["actor"] for r in register]
    bad = run_cli("penalties", "--document", "nope", store=store, check=False)
    assert bad.returncode == 2 and "[E010]" in bad.stderr

    from metrokg.kg.store.registry import open_store
    from metrokg.ui.web.tabs.penalties import penalty_table

    with open_store(str(store)) as s:
        from metrokg.kg.analyses.penalties import list_penalties

        table = penalty_table(list_penalties(s), "zh")
    assert table["headers"][3] == "违法行为" and table["data"][0][1] == "第四条" and "罚款" in table["data"][0][6]
    assert Path(store).exists()
