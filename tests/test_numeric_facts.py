"""Targets told apart from the numbers that are not goals: baselines, funding rules, time limits,
slogans, ordinals, participants, titles; comparators; laws without targets. Texts written here."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from metrokg.kg.graph.facts_rdf import facts_to_triples
from metrokg.nlp.extraction.pipeline import extract, load_pipeline
from metrokg.nlp.reading.normalize import normalize
from metrokg.nlp.structure.parser import parse_document
from metrokg.ontology.namespace import MKG

PLAN_HEAD = "某市计量发展实施方案\n"
LAW_HEAD = "某省计量监督管理条例\n第一章 总则\n"


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def facts_of(tmp_path: Path, text: str, nlp, name: str = "doc.txt"):
    """Facts of ``text`` written to a file and read as any document is (normalised, parsed)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = parse_document(normalize(path.read_text(encoding="utf-8")), doc_id=path.stem)
    return doc, extract(doc, nlp)


def kinds(facts, kind):
    return [f for f in facts if f.kind == kind]


@pytest.mark.parametrize("phrase, comparator", [
    ("建成社会公用计量标准200项以上", ">="), ("培育诚信计量示范单位不少于50家", ">="),
    ("新建产业计量测试中心至少3家", ">="), ("强制检定覆盖率不低于95%", ">="),
    ("计量器具抽查不合格率5%以下", "<="), ("计量器具抽查不合格率不超过5%", "<="),
    ("计量器具抽查不合格率不高于5%", "<="), ("计量器具抽查不合格率控制在5%以内", "<="),
    ("培育计量示范企业20余家", ">"), ("培育计量示范企业20多家", ">"),
    ("民生计量器具受检率达到98%", ">="), ("计量标准覆盖率达95%", ">="),
    ("至少建成3个产业计量测试中心", ">="), ("最多保留2家计量检定机构", "<="),
])
def test_each_comparator(tmp_path, nlp, phrase, comparator):
    _doc, facts = facts_of(tmp_path, PLAN_HEAD + f"一、发展目标\n到2025年，{phrase}。\n", nlp)
    [t] = kinds(facts, "target")
    assert t.comparator == comparator and t.deadline == 2025


def test_a_second_target_starts_at_its_own_number(tmp_path, nlp):
    _doc, facts = facts_of(tmp_path, PLAN_HEAD + "一、发展目标\n到2025年，市、县级计量检定机构建标分别达到150项以上和15项以上。\n",
                           nlp)
    first, second = kinds(facts, "target")
    assert (first.value, second.value) == (150, 15)
    assert second.text.startswith("15项") and not second.text.startswith("以上")


def test_a_list_of_targets_joined_by_a_comma_of_enumeration(tmp_path, nlp):
    _doc, facts = facts_of(tmp_path, PLAN_HEAD + "一、发展目标\n到2025年，建成计量标准100项以上、计量示范单位20家以上。\n", nlp)
    first, second = kinds(facts, "target")
    assert (first.indicator, first.text) == ("计量标准", "建成计量标准100项以上")
    assert (second.indicator, second.value, second.comparator) == ("计量示范单位", 20, ">=")
    assert not second.text.startswith(("以上", "、"))


def test_background_figures_are_baselines_with_their_year(tmp_path, nlp):
    text = (PLAN_HEAD + "2023年5月9日\n一、发展现状\n截至2020年底，全市已建成社会公用计量标准180项，"
            "获得认可的校准能力达120项。\n二、发展目标\n到2025年，全市建成社会公用计量标准210项以上。\n")
    _doc, facts = facts_of(tmp_path, text, nlp)
    baselines = kinds(facts, "baseline")
    assert [(b.value, b.year, b.year_inherited) for b in baselines] == [(180, 2020, False), (120, 2020, False)]
    assert baselines[0].indicator == "社会公用计量标准"
    [t] = kinds(facts, "target")
    assert (t.value, t.deadline, t.comparator) == (210, 2025, ">=")


def test_achievement_cues_outside_background_and_a_future_as_of(tmp_path, nlp):
    text = (PLAN_HEAD + "一、主要任务\n目前全省已有注册计量师800人。截至2027年底，培育计量示范企业30家以上。\n")
    doc, facts = facts_of(tmp_path, text, nlp)
    [b] = kinds(facts, "baseline")
    assert (b.value, b.unit_text, b.cue) == (800, "人", "目前")
    assert b.year is None  # neither written nor a document date to inherit
    [t] = kinds(facts, "target")  # 截至 a year ahead of the document: a deadline
    assert (t.value, t.deadline) == (30, 2027)


def test_funding_rules_are_not_targets(tmp_path, nlp):
    text = (PLAN_HEAD + "三、保障措施\n对新认定的国家级产业计量测试中心，给予每家不超过50万元补助；"
            "对企业购置计量设备的，按投资额的30%给予补助。\n")
    _doc, facts = facts_of(tmp_path, text, nlp)
    assert kinds(facts, "target") == []
    amount, share = kinds(facts, "funding")
    assert (amount.value, amount.unit_text, amount.comparator, amount.amount_yuan, amount.per) == (
        50, "万元", "<=", Decimal(500000), "家")
    assert amount.beneficiary == "新认定的国家级产业计量测试中心" and amount.instrument == "补助"
    assert (share.value, share.unit_text, share.share, share.basis) == (30, "%", True, "投资额")


@pytest.mark.parametrize("sentence", [
    "坚定捍卫“两个确立”，坚决做到“两个维护”。",  # slogans in quotes
    "坚持以下三个原则。",  # a count of principles
    "深入落实省第十二次党代会和省委十二届二次全会决策部署。",  # ordinals
    "现场检查应当有两名以上执法人员参加。",  # participants
    "我国成为全球有能力参与驾驭国际原子时的8个国家之一。",  # a rank
    "根据《关于修改〈计量法〉等七部法律的决定》修正。",  # a title
])
def test_numbers_that_count_nothing_to_reach(tmp_path, nlp, sentence):
    _doc, facts = facts_of(tmp_path, PLAN_HEAD + "一、总体要求\n" + sentence + "\n", nlp)
    assert kinds(facts, "target") == [] and kinds(facts, "baseline") == []


def test_time_limits_bound_duties_and_are_no_targets(tmp_path, nlp):
    text = (LAW_HEAD + "第一条 计量行政部门应当自受理申请之日起二十个工作日内作出决定。\n"
            "第二条 当事人可以在接到处罚通知之日起十五日内向人民法院起诉。\n"
            "第三条 使用单位每年应当对计量器具进行一次自查。\n")
    _doc, facts = facts_of(tmp_path, text, nlp, "tiaoli.txt")
    assert kinds(facts, "target") == []
    limits = kinds(facts, "time_limit")
    first = limits[0]
    assert (first.value, first.unit_text, first.comparator, first.trigger) == (20, "工作日", "<=", "受理申请")
    assert "作出决定" in first.duty
    assert (limits[1].value, limits[1].unit_text) == (15, "日")
    period = next(t for t in limits if t.period)
    assert (period.value, period.unit_text, period.text) == (1, "年", "每年")
    triples = facts_to_triples("tiaoli", facts)
    bound = [o for s, p, o in triples if p == MKG.bounds]
    assert len(bound) == 3 and all((o, RDF.type, MKG.DeonticStatement) in triples for o in bound)
    assert sum(1 for _s, p, o in triples if p == RDF.type and o == MKG.TimeLimit) == 3


def test_a_plan_keeps_recurring_targets(tmp_path, nlp):
    _doc, facts = facts_of(tmp_path, PLAN_HEAD + "一、主要任务\n每年组织民生计量专项检查不少于4次。\n", nlp)
    [t] = kinds(facts, "target")
    assert (t.value, t.recurrence, t.comparator) == (4, "year", ">=")
    assert kinds(facts, "time_limit") == []  # a plan's 每年 is the target's recurrence


def test_a_law_sets_targets_only_with_a_deadline(tmp_path, nlp):
    text = (LAW_HEAD + "第一条 检定机构应当配备2名以上计量检定员，建立计量标准3项。\n"
            "第二条 到2025年，全省强制检定计量器具受检率达到95%以上。\n")
    _doc, facts = facts_of(tmp_path, text, nlp, "tiaoli.txt")
    [t] = kinds(facts, "target")
    assert (t.value, t.deadline, t.comparator) == (95, 2025, ">=")


def test_new_kinds_are_typed_in_rdf(tmp_path, nlp):
    text = (PLAN_HEAD + "一、发展基础\n全市建成社会公用计量标准180项。\n二、保障措施\n对小微企业给予每家不超过5万元奖励。\n")
    _doc, facts = facts_of(tmp_path, text, nlp)
    triples = facts_to_triples("doc", facts)
    types = {o for _s, p, o in triples if p == RDF.type}
    assert {MKG.Baseline, MKG.FundingRule} <= types and MKG.QuantitativeTarget not in types
    amount = next(o for _s, p, o in triples if p == MKG.amountYuan)
    assert Decimal(str(amount)) == 50000
    assert all(isinstance(s, URIRef) for s, _p, _o in triples)


def test_a_tables_base_year_column_gives_baselines(tmp_path, nlp):
    text = (PLAN_HEAD + "一、主要指标\n序号\t指标名称\t单位\t2020年基数\t2025年目标值\n"
            "1\t社会公用计量标准\t项\t3050\t3500\n2\t强制检定计量器具受检率\t%\t95\t≥98\n")
    _doc, facts = facts_of(tmp_path, text, nlp)
    assert [(t.value, t.deadline, t.comparator) for t in kinds(facts, "target")] == [(3500, 2025, "="), (98, 2025, ">=")]
    assert [(b.indicator, b.value, b.year) for b in kinds(facts, "baseline")] == [
        ("社会公用计量标准", 3050, 2020), ("强制检定计量器具受检率", 95, 2020)]


def test_real_gold_is_read_in_place_from_the_setting(tmp_path, monkeypatch, nlp):
    import json

    from metrokg.errors import MetrokgError
    from metrokg.nlp.extraction.evaluate import evaluate_real

    (tmp_path / "plan.txt").write_text(PLAN_HEAD + "一、发展现状\n全市已建成计量标准180项。\n二、发展目标\n"
                                       "到2025年，计量器具受检率达到95%，建成计量标准210项以上。\n", encoding="utf-8")
    gold = {"plan.txt": {"kind": "policy",
                         "targets": [{"text": "计量器具受检率达到95%", "value": 95, "unit": "%", "comparator": "=",
                                      "deadline": 2025},
                                     {"text": "建成计量标准210项以上", "value": 210, "unit": "项", "comparator": ">=",
                                      "deadline": 2025}],
                         "non_targets": [{"text": "已建成计量标准180项", "value": 180, "unit": "项",
                                          "why": "achievement (status)"}]}}
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("METROKG_REAL_GOLD", str(tmp_path))
    result = evaluate_real(None, nlp)
    target, baseline = result["plan"]["target"], result["plan"]["baseline"]
    assert (target.tp, target.pred, target.gold) == (2, 2, 2)  # 达到 alone: >= matches the gold's =
    assert target.attrs["non_targets avoided"] == [1, 1] and (baseline.tp, baseline.gold) == (1, 1)
    monkeypatch.setenv("METROKG_REAL_GOLD", str(tmp_path / "missing"))
    with pytest.raises(MetrokgError, match="E221"):
        evaluate_real(None, nlp)
