"""Quantitative targets and the deadlines that govern them, on texts cut for the purpose."""

from decimal import Decimal

import pytest

from metrokg.nlp.structure.deadlines import find_deadlines, open_deadline, sentence_deadlines
from metrokg.nlp.extraction.pipeline import build_pipeline, run_text


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(load_vocabulary=False)


def targets(nlp, text, inherited=None):
    return [f for f in run_text(nlp, text, inherited) if f.kind == "target"]


def test_noun_first_with_scope_and_level_qualifiers(nlp):
    (t,) = targets(nlp, "新建国家级、省级产业计量测试中心10家。")
    assert (t.scope, t.indicator, t.value, t.unit_text, t.comparator) == ("新建", "产业计量测试中心", 10, "家", "=")


def test_total_inherits_indicator(nlp):
    a, b = targets(nlp, "新建市级计量标准不少于三十项，全市总数达到二百项以上。")
    assert (a.value, a.comparator, a.indicator) == (30, ">=", "计量标准")
    assert (b.value, b.comparator, b.is_total, b.indicator, b.scope) == (200, ">=", True, "计量标准", None)


def test_number_first_drops_modifier(nlp):
    (t,) = targets(nlp, "培育5个具有较强影响力的计量服务品牌。")
    assert (t.scope, t.indicator, t.value, t.unit_text) == ("培育", "计量服务品牌", 5, "个")


@pytest.mark.parametrize("text,comparator", [
    ("复查计量标准不超过一百五十项。", "<="), ("建成测试中心3个左右。", "~"), ("抽查不合格率控制在5%以内。", "<="),
    ("建设实验室超过4家。", ">"), ("培育示范单位3000余家。", ">"), ("覆盖率达到100%。", ">="),
    ("新建基地不少于两家。", ">="), ("建设文化基地10个。", "="), ("强制检定覆盖率低于90%的地区。", "<"),
])
def test_comparators(nlp, text, comparator):
    (t,) = targets(nlp, text)
    assert t.comparator == comparator


def test_recurring_quantity(nlp):
    (t,) = targets(nlp, "每年检定出租汽车计价器等民生计量器具不少于300台。")
    assert (t.recurrence, t.value, t.unit_text, t.comparator, t.scope) == ("year", 300, "台", ">=", "检定")


def test_rate_has_no_scope(nlp):
    (t,) = targets(nlp, "强制检定项目覆盖率达92%以上。")
    assert (t.scope, t.indicator, t.value) == (None, "强制检定项目覆盖率", 92)


def test_shared_verb_carries_scope(nlp):
    a, b = targets(nlp, "建成能源计量中心2家以上,计量数据应用基地1家以上。")
    assert (a.scope, b.scope, b.indicator) == ("建成", "建成", "计量数据应用基地")


def test_opening_deadline_governs_following_paragraphs(nlp):
    text = "到2025年,计量体系基本建立。\n能力提升。新建实验室1家以上。\n到2035年,全面建成。\n建设基地10个。"
    got = [(t.value, t.deadline) for t in targets(nlp, text)]
    assert got == [(1, 2025), (10, 2035)]


def test_in_sentence_deadline_governs_only_its_sentence(nlp):
    text = "建设产业计量测试中心两家，2024年底前完成论证。培育示范单位20家。"
    got = [(t.value, t.deadline) for t in targets(nlp, text)]
    assert got == [(2, 2024), (20, None)]


def test_deadline_in_one_part_of_a_list_sentence(nlp):
    text = "一是新建计量标准20项以上；二是力争到2026年，建成测试中心3个左右。"
    got = [(t.value, t.deadline) for t in targets(nlp, text)]
    assert got == [(20, None), (3, 2026)]


def test_inherited_deadline(nlp):
    (t,) = targets(nlp, "1.培育诚信计量示范单位两百家。", inherited=2025)
    assert (t.value, t.deadline) == (Decimal(200), 2025)


def test_deadline_forms():
    years = [d.year for d in find_deadlines("到2025年,…2024年6月底前…至二〇三〇年…到“十四五”末…2022年11月13日…2023年起")]
    assert years == [2025, 2024, 2030, 2025]


def test_open_deadline_passes_to_children():
    assert open_deadline("一、主要目标\n到2025年，全市实现以下目标：") == 2025
    assert open_deadline("一、重点任务") is None
    assert [s.year for s in sentence_deadlines("(二)发展目标\n到2025年,建成。")] == [None, 2025]


@pytest.mark.parametrize("text", ["统一计量单位。", "党的二十大精神。", "一带一路倡议。", "第十二次党代会。", "建立一个平台。",
                                  "3个月内完成。", ""])
def test_no_target(nlp, text):
    assert targets(nlp, text) == []


# --- rules added for other documents' styles (made-up sentences) -----------------------

def test_stock_level_is_a_total(nlp):
    (t,) = targets(nlp, "到2027年，全县社会公用计量标准达到60项。")
    assert (t.is_total, t.scope, t.indicator, t.deadline) == (True, None, "社会公用计量标准", 2027)


def test_amount_added_is_not_a_total(nlp):
    (t,) = targets(nlp, "“十四五”期间，累计新建计量标准30项以上。")
    assert (t.is_total, t.scope, t.deadline) == (False, "新建", 2025)


def test_rate_reached_is_not_a_total(nlp):
    (t,) = targets(nlp, "计量器具受检率达到90%以上。")
    assert (t.is_total, t.value) == (False, 90)


def test_scope_after_subject_and_frequency(nlp):
    (t,) = targets(nlp, "第四条 镇人民政府每年组织计量宣传活动不少于2场。")
    assert (t.scope, t.indicator, t.recurrence, t.value, t.unit_text) == ("组织", "计量宣传活动", "year", 2, "场")


def test_scope_after_a_place(nlp):
    a, b = targets(nlp, "山区各县建成计量服务站1个以上，沿海地区建成不少于4个。")
    assert (a.scope, a.indicator) == ("建成", "计量服务站")
    assert (b.scope, b.indicator, b.value, b.is_total) == ("建成", "计量服务站", 4, False)


def test_bare_amount_takes_the_object_before_it(nlp):
    (t,) = targets(nlp, "县财政局要足额保障检定经费，每年投入不少于30万元。")
    assert (t.indicator, t.scope, t.value, t.unit_text, t.recurrence) == ("检定经费", "投入", 30, "万元", "year")


def test_frequency_carries_to_the_next_count_not_to_a_rate(nlp):
    a, b = targets(nlp, "每月开展集中巡查，检查摊位不少于40户，抽检合格率不低于95%。")
    assert (a.value, a.recurrence) == (40, "month")
    assert (b.value, b.recurrence) == (95, None)


def test_stative_verb_is_a_modifier(nlp):
    (t,) = targets(nlp, "取得资质认定的检测机构达到20家。")
    assert (t.scope, t.indicator, t.is_total) == (None, "检测机构", True)


def test_deadline_before_the_verb_is_not_part_of_the_indicator(nlp):
    (t,) = targets(nlp, "（二）到2028年培育计量服务企业不少于12家。")
    assert (t.indicator, t.scope, t.deadline) == ("计量服务企业", "培育", 2028)


@pytest.mark.parametrize("text", [
    "违反前款规定的，处2000元以上2万元以下罚款。",
    "没收计量器具和违法所得，可并处5000元罚款。",
    "量值复现不确定度优于10的负15次方。",
])
def test_not_targets(nlp, text):
    assert targets(nlp, text) == []


TABLE = ("表2 主要指标\n"
         "序号\t指标\t单位\t2023年现状\t2026年目标值\t属性\n"
         "1\t社会公用计量标准\t项\t410\t480\t预期性\n"
         "2\t计量器具受检率\t%\t92\t≥96\t约束性\n"
         "3\t新建计量实验室（个）\t\t3\t8以上\t预期性\n")


def test_indicator_table():
    from metrokg.nlp.extraction.components.targets import table_targets

    got = [(t.indicator, t.value, t.unit_text, t.comparator, t.deadline, t.is_total, t.scope)
           for t in table_targets(TABLE)]
    assert got == [("社会公用计量标准", 480, "项", "=", 2026, True, None),
                   ("计量器具受检率", 96, "%", ">=", 2026, False, None),
                   ("计量实验室", 8, "个", ">=", 2026, False, "新建")]


def test_table_base_year_cells_are_no_targets(nlp):
    got = sorted(int(t.value) for t in targets(nlp, TABLE))
    assert got == [8, 96, 480]


def test_table_spans_point_into_the_text():
    from metrokg.nlp.extraction.components.targets import table_targets

    for t in table_targets(TABLE):
        assert TABLE[t.start:t.end] == t.text and t.text.startswith((t.scope or "") + t.indicator[:2])
