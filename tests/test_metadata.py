"""Document metadata wherever it is printed, laws' versions and dates, legal kinds, 文号 prefixes."""

from __future__ import annotations

import json
import re

import pytest

from _samples import PLAN
from conftest import ROOT
from metrokg.nlp.reading.readers import read_document
from metrokg.nlp.structure.parser import parse_document
from metrokg.ontology.divisions import divisions, issuers_for_prefix
from metrokg.terms import PROVINCES

REAL = ROOT.parent / "shared" / "real"
FIELDS = {"issuer": "issuer", "date": "date", "doc_number": "document_number"}
_TERM = re.compile(r"第[一二三四五六七八九十]+届")


def _gold(name: str) -> dict:
    path = REAL / name
    if not path.exists():
        pytest.skip("../shared/real is absent beside the checkout; real-document metadata not checked")
    return json.loads(path.read_text(encoding="utf-8"))


def _norm(field: str, value: str | None) -> str | None:
    """Gold writes the NPC without its term (全国人民代表大会常务委员会) and 河南's with it: compare without."""
    if value is None:
        return None
    return _TERM.sub("", value) if field == "issuer" else value.replace("[", "〔").replace("]", "〕")


@pytest.mark.parametrize("gold_file", ["gold.json", "laws/gold.json"])
def test_every_printed_field_of_the_real_documents_is_found(gold_file):
    gold = _gold(gold_file)
    missed = []
    for name, g in gold.items():
        doc = parse_document(read_document((REAL / gold_file).parent / name).text, "x")
        for field, attr in FIELDS.items():
            if g.get(f"{field}_in_text") and _norm(field, getattr(doc, attr)) != _norm(field, g[field]):
                missed.append((name, field, getattr(doc, attr), g[field]))
    assert missed == []


@pytest.mark.parametrize("text, doc_id, title", [
    ("湘政发〔2022〕18号\n各市州、县市区人民政府,省政府各厅委、各直属机构:\n为贯彻落实规划,提出如下意见。\n一、总体要求\n",
     "hunan", "湘政发〔2022〕18号"),
    ("各县(市、区)人民政府,市政府各部门、直属各单位:\n为贯彻落实规划,提出如下意见。\n一、总体要求\n",
     "jiaxing-2023", "jiaxing-2023"),
])
def test_a_text_that_prints_no_title_is_named_by_its_wenhao_else_its_file_not_its_addressees(text, doc_id, title):
    doc = parse_document(text, doc_id)
    assert doc.title == title and any(w.startswith("[W255]") and title in w for w in doc.warnings)


def test_the_real_texts_without_a_title_are_not_named_by_their_addressees():
    gold = _gold("gold.json")
    for name, g in gold.items():
        if g.get("title") is None:
            doc = parse_document(read_document(REAL / name).text, name.removesuffix(".txt"))
            assert doc.title in (g.get("doc_number"), name.removesuffix(".txt")), (name, doc.title)


def test_real_laws_carry_their_versions_kind_and_dates():
    gold = _gold("laws/gold.json")
    for name, g in gold.items():
        doc = parse_document(read_document(REAL / "laws" / name).text, "x")
        assert [(v.date, v.event, v.body) for v in doc.versions] == \
            [(v["date"], v["event"], v["body"]) for v in g["versions"]], name
        assert doc.date == g["versions"][-1]["date"]
        assert doc.legal_kind in ("administrative_regulation", "local_regulation"), name
    law = parse_document(read_document(REAL / "jiliangfa-2018.txt").text, "x")
    assert law.legal_kind == "law" and law.effective == "1986-07-01" and len(law.versions) == 6
    assert [v.event for v in law.versions] == ["通过"] + ["修正"] * 5
    assert law.versions[4].decision == "关于修改〈中华人民共和国招标投标法〉〈中华人民共和国计量法〉的决定"
    assert not any("第四次修正" in p.text for p in law.provisions)  # the history is not the body
    rules = parse_document(read_document(REAL / "jiliangfa-xize-2022.txt").text, "x")
    assert rules.effective == rules.promulgated == "1987-02-01"  # 本细则自发布之日起施行
    assert rules.legal_kind == "administrative_regulation" and rules.versions[-1].event == "修订"


CITY_SIGNED = """关于推进计量惠民工作的实施方案
为落实计量惠民要求，制定本方案。
一、工作目标
到2026年，集贸市场在用衡器检定率达到100%。
二、保障措施
各县（区）要加强组织领导。
绵阳市市场监督管理局
2024年3月18日
附件：重点任务分工表
抄送：省市场监管局
"""

NUMBER_ONLY = """湘政办发〔2023〕41号
各市州、县市区人民政府，省政府各厅委、各直属机构：
现提出如下意见。
一、总体要求
提升湖南省计量服务能力。
"""

CITY_NUMBER = """常政办发〔2023〕12号
各辖市、区人民政府：
一、总体要求
常州市各地要提升计量服务能力。
"""


def test_issuer_only_in_the_title():
    doc = parse_document(PLAN, "x")
    assert (doc.issuer, doc.document_number) == ("四川省人民政府", "川府发〔2024〕9号")
    assert doc.legal_kind == "normative_document" and doc.doc_type == "ImplementationOpinion"


def test_city_plan_signed_at_the_end_before_its_annex_and_copies():
    doc = parse_document(CITY_SIGNED, "x")
    assert (doc.issuer, doc.date) == ("绵阳市市场监督管理局", "2024-03-18")
    assert not any("绵阳市市场监督管理局" in p.text for p in doc.provisions)
    assert doc.doc_type == "ImplementationPlan"


def test_the_wenhao_prefix_is_the_only_issuer_clue():
    assert parse_document(NUMBER_ONLY, "x").issuer == "湖南省人民政府办公厅"
    assert parse_document(CITY_NUMBER, "x").issuer == "常州市人民政府办公室"  # 常 is also 常德: the text says 常州


def test_issue_sentence_names_the_issuer():
    text = "市场监管总局印发《计量器具管理办法》\n各省、自治区、直辖市市场监管局：\n一、总则\n加强管理。\n"
    assert parse_document(text, "x").issuer == "市场监管总局"


LOCAL_RULE = """某某省计量器具管理办法
2019年5月6日某某省人民政府令第12号公布
第一条 为加强计量器具管理，制定本办法。
第二条 本办法自2019年7月1日起施行。
"""


def test_a_provincial_government_rule_with_its_order_and_dates():
    doc = parse_document(LOCAL_RULE, "x")
    assert doc.legal_kind == "local_government_rule" and doc.doc_type == "LocalGovernmentRule"
    assert doc.document_number == "某某省人民政府令第12号" and doc.issuer == "某某省人民政府"
    assert (doc.promulgated, doc.effective, doc.date) == ("2019-05-06", "2019-07-01", "2019-05-06")


def test_national_and_local_prefixes():
    assert [i.issuer for i in issuers_for_prefix("国办发")] == ["国务院办公厅"]
    assert issuers_for_prefix("国市监计量发")[0].issuer == "市场监管总局"
    assert issuers_for_prefix("鄂政发")[0].issuer == "湖北省人民政府"
    assert issuers_for_prefix("鄂政办发")[0].issuer == "湖北省人民政府办公厅"
    assert "巴中市人民政府" in [i.issuer for i in issuers_for_prefix("巴府发")]
    assert issuers_for_prefix("某某发") == ()


def test_divisions_table_agrees_with_the_province_list():
    shorts = {d.short for d in divisions() if d.level == "province"}
    assert shorts == set(PROVINCES)
    assert sum(d.level == "city" for d in divisions()) > 300 and sum(d.level == "county" for d in divisions()) > 2800


def test_actors_named_with_a_city_or_county_keep_the_place_and_its_level():
    from metrokg.nlp.extraction.lexicon.actors import level_of, split_level

    for text, kind, prefix, level in [("由宜昌市市场监督管理局牵头", "市场监督管理局", "宜昌市", "city"),
                                      ("成都市武侯区人民政府负责", "人民政府", "成都市武侯区", "district"),
                                      ("湖北省宜昌市人民政府", "人民政府", "湖北省宜昌市", "city"),
                                      ("恩施土家族苗族自治州人民政府", "人民政府", "恩施土家族苗族自治州", "prefecture"),
                                      ("各市、州、县人民政府", "人民政府", "各市、州、县", "city,prefecture,county"),
                                      ("会同市场监管部门", "市场监管部门", "", None)]:
        at = text.index(kind)
        start = split_level(text, at)
        assert (text[start:at], level_of(text[start:at])) == (prefix, level), text


@pytest.mark.parametrize("text, kind", [
    ("中华人民共和国标准化法\n1988年12月29日 第七届全国人民代表大会常务委员会第五次会议通过\n第一条 为了加强标准化工作，制定本法。\n",
     "law"),
    ("计量标准考核办法\n2005年1月14日国家质量监督检验检疫总局令第72号公布\n第一条 为了规范计量标准考核工作，制定本办法。\n",
     "departmental_rule"),
    ("某某市计量监督管理条例\n第一条 为了加强计量监督管理，制定本条例。\n", "local_regulation"),
    ("关于开展计量服务中小企业行动的通知\n各有关单位：\n一、工作目标\n提升服务能力。\n", "normative_document"),
])
def test_legal_kinds(text, kind):
    assert parse_document(text, "x").legal_kind == kind


def test_every_division_lies_in_a_province_municipalities_included():
    """A municipality's own city row shares its code: the walk up must end at the province, never loop."""
    from metrokg.ontology.divisions import by_code, divisions, province_of

    assert all(province_of(d).level == "province" for d in divisions())
    assert by_code()["310000"].level == "province"
    jiading = next(d for d in divisions() if d.name == "嘉定区")
    assert province_of(jiading).name == "上海市"


@pytest.mark.parametrize("joiner", ["和", "及", "、", "以及"])
@pytest.mark.parametrize("number", ["（国发〔2021〕37号）", "(国发〔2021〕37号)", ""])
def test_every_implemented_work_is_kept_with_or_without_its_wenhao(joiner, number):
    text = ("关于推进计量发展的实施方案\n"
            f"为贯彻落实《计量发展规划（2021—2035年）》{number}{joiner}"
            "《湖北省人民政府关于贯彻落实〈计量发展规划（2021—2035年）〉的实施意见》（鄂政发〔2022〕5号），"
            "结合实际，制定本方案。\n一、总体要求\n到2025年，建成计量标准100项。\n")
    assert parse_document(text, "x").implements == [
        "计量发展规划（2021—2035年）", "湖北省人民政府关于贯彻落实《计量发展规划（2021—2035年）》的实施意见"]


def test_the_list_of_implemented_works_ends_at_other_words():
    text = ("关于推进计量发展的实施方案\n为贯彻落实《计量发展规划（2021—2035年）》，参照《某省计量条例》有关规定，"
            "制定本方案。\n一、总体要求\n加强计量工作。\n")
    assert parse_document(text, "x").implements == ["计量发展规划（2021—2035年）"]


def test_a_law_made_under_another_names_it_as_the_work_it_implements():
    """根据《A》…制定本细则: implementing rules, local regulations and measures name the law they are
    made under, so `documents` resolves it as their parent and the compare tab finds it."""
    def works(first: str) -> list[str]:
        return parse_document(f"某某条例\n第一章 总则\n第一条 {first}\n第二条 本条例自公布之日起施行。\n", "x").implements
    assert works("根据《中华人民共和国计量法》的规定，制定本细则。") == ["中华人民共和国计量法"]
    assert works("根据《中华人民共和国计量法》第三十三条的规定，制定本条例。") == ["中华人民共和国计量法"]
    assert works("根据《中华人民共和国计量法》和《中华人民共和国计量法实施细则》的有关规定，制定本办法。") == [
        "中华人民共和国计量法", "中华人民共和国计量法实施细则"]
    assert works("根据《中华人民共和国计量法》和有关法律、法规，结合本省实际，制定本条例。") == ["中华人民共和国计量法"]
    # a work named for another purpose is no basis: 根据…《技术规范》的要求制定 (no 本…), 参照《…》
    assert works("定型鉴定根据国务院计量行政部门发布的《计量器具定型鉴定技术规范》的要求制定。") == []
    assert works("参照《某省计量条例》有关规定，制定本办法。") == []
