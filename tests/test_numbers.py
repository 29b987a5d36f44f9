"""Numbers: Arabic and Chinese numerals, scales, percentages, counters."""

from decimal import Decimal

import pytest

from metrokg.nlp.extraction.components.numbers import find_numbers, parse_number, parse_quantity, parse_tenths
from metrokg.nlp.structure.numerals import parse_chinese


@pytest.mark.parametrize("text,value", [
    ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("一百", 100), ("一百零五", 105), ("三千一百", 3100),
    ("一万五千", 15000), ("二十万", 200000), ("二〇二五", 2025), ("一点五万", 15000),
    ("3100", 3100), ("1.5万", 15000), ("92%", 92), ("百分之九十二", 92), ("百分之5", 5), ("0.5", Decimal("0.5")),
])
def test_parse_number(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "十x", "1.2.3"])
def test_parse_number_rejects_non_numbers(text):
    assert parse_number(text) is None


def test_parse_chinese_empty():
    assert parse_chinese("") is None


def _found(text):
    return [(n.text, n.value, n.unit) for n in find_numbers(text)]


def test_counters_and_percentages():
    got = _found("新建中心10家,全省总数达到15家以上;覆盖率达92%以上;开展计量比对50项次")
    assert got == [("10", 10, "家"), ("15", 15, "家"), ("92", 92, "%"), ("50", 50, "项次")]


def test_chinese_numerals_need_a_counter():
    # 统一、第十二次、二十大、一带一路: words and ordinals, not quantities
    assert _found("统一标准，第十二次党代会，党的二十大，一带一路，一批企业") == []
    assert _found("培育两个品牌，建设一百项，增加三百台") == [("两", 2, "个"), ("一百", 100, "项"), ("三百", 300, "台")]


def test_percent_written_in_words():
    n = find_numbers("受检率不低于百分之九十五")[0]
    assert (n.value, n.unit, n.percent) == (95, "%", True)


def test_scales_and_money():
    assert _found("1.5万台") == [("1.5万", 15000, "台")]
    # 万元/亿元 stay units, as written, in both numeral systems
    assert _found("投入100万元，补助三万元") == [("100", 100, "万元"), ("三", 3, "万元")]


def test_approximate_qualifier():
    n = find_numbers("培育3000余家")[0]
    assert (n.value, n.unit, n.qualifier) == (3000, "家", "余")


def test_codes_are_not_quantities():
    # the digits of JJF1059 follow a letter: a code
    assert all(n.unit is None for n in find_numbers("依据JJF1059.1-2012"))


def test_counter_inside_a_power_is_no_count():
    assert [(n.text, n.unit) for n in find_numbers("不确定度达到10的负16次方量级")] == [("10", None), ("16", None)]


def test_visit_counters():
    assert [(n.value, n.unit) for n in find_numbers("服务企业300家次，检查摊位50户次")] == [(300, "家次"), (50, "户次")]


@pytest.mark.parametrize("text,value", [
    ("一千零一", 1001), ("一千零一十", 1010), ("一千一百一十一", 1111), ("九千九百九十九", 9999), ("一万零一", 10001),
    ("一万零五百", 10500), ("十万", 100000), ("三亿五千万", 350000000), ("一亿零五万", 100050000),
    ("一万亿", 10 ** 12), ("两千零二十四", 2024), ("壹仟贰佰", 1200), ("一十三", 13),
    # a last digit with no 零 before it is one unit lower, as people say it
    ("一千五", 1500), ("两万五", 25000), ("三百五", 350), ("一千一", 1100),
    ("三点五", Decimal("3.5")), ("九十九点九", Decimal("99.9")), ("零点五", Decimal("0.5")),
])
def test_chinese_numerals_of_any_size(text, value):
    assert parse_chinese(text) == Decimal(value)


@pytest.mark.parametrize("text", ["十十", "二十二十", "千千", "一百零", "一万一万", "一亿亿", "二三百", "零万", "一万零", "三点"])
def test_malformed_chinese_numerals_are_no_numbers(text):
    assert parse_chinese(text) is None


@pytest.mark.parametrize("text,value", [
    ("九成", 90), ("八成五", 85), ("九成半", 95), ("十成", 100), ("9成", 90), ("9.5成", 95), ("三成", 30),
])
def test_tenths_are_percentages(text, value):
    assert parse_tenths(text) == Decimal(value)


@pytest.mark.parametrize("text", ["十一成", "十成五", "9.5成五", "成", "九", "九成五五"])
def test_tenths_rejects_what_is_not_a_share(text):
    assert parse_tenths(text) is None


@pytest.mark.parametrize("text,expected", [
    ("12家", (12, "家")), ("1.2万台", (12000, "台")), ("三点五", (Decimal("3.5"), "")), ("92%", (92, "%")),
    ("百分之九十九点九", (Decimal("99.9"), "%")), ("百分之五十", (50, "%")), ("九成", (90, "%")),
    ("十二项", (12, "项")), ("5 %", (5, "%")),
])
def test_parse_quantity_splits_value_and_unit(text, expected):
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "百分之", "百分之abc", "九成家", "百分之五十家", "1.2.3", "十十项"])
def test_parse_quantity_refuses_non_numbers(text):
    assert parse_quantity(text) is None


def test_chinese_decimals_in_running_text():
    # the decimal part is not a number of its own: 三点五个百分点 is 3.5 points, not 5
    assert _found("提高三点五个百分点，受检率达到百分之九十九点九，投入三点五万元，新增一点五万台") == [
        ("三点五", Decimal("3.5"), "个百分点"), ("百分之九十九点九", Decimal("99.9"), "%"),
        ("三点五", Decimal("3.5"), "万元"), ("一点五万", 15000, "台")]
    assert _found("一点一滴，提高一点，千千万万个") == []
