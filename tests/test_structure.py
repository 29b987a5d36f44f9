"""The structure parser on the seed and on documents written in other styles."""

from __future__ import annotations

import pytest

from conftest import DATA, SEED
from metrokg.nlp.structure.dates import parse_date
from metrokg.nlp.structure.parser import find_references, parse_document, split_sentences

SEED_SECTIONS = {
    "1": "总体要求", "1.1": "指导思想", "1.2": "发展目标",
    "2": "推动计量科技创新发展", "2.1": "加强计量前沿技术研究", "2.2": "开展新型量传溯源和关键共性技术研究",
    "2.3": "构建良好计量科技创新生态",
    "3": "提升重点领域计量支撑保障水平", "3.1": "实施光电子信息产业计量支撑计划",
    "3.2": "实施汽车制造产业计量保障能力提升工程", "3.3": "支撑和保障其他重点产业发展",
    "3.4": "助推全国数字经济发展高地建设", "3.5": "助力绿色低碳发展", "3.6": "提升交通运输领域计量保障能力",
    "3.7": "加强大众健康与安全领域计量能力建设", "3.8": "实施仪器仪表品牌培育工程",
    "4": "构建科学高效量值传递溯源体系", "4.1": "实施社会公用计量标准能力提升工程",
    "4.2": "开展法定计量技术机构能力提升行动", "4.3": "开展工业企业计量标杆示范行动",
    "4.4": "开展标准物质能力提升行动", "4.5": "加强计量人才队伍建设",
    "5": "提升计量监管和综合治理效能", "5.1": "完善计量法规体系", "5.2": "深化计量监管制度改革",
    "5.3": "实施计量惠民工程", "5.4": "创新智慧计量监管模式", "5.5": "加大计量执法力度",
    "5.6": "促进计量服务市场健康发展", "5.7": "推动计量工作协调发展",
    "6": "保障措施", "6.1": "加强组织领导", "6.2": "加强政策支持", "6.3": "加强学科和文化建设",
    "6.4": "加强检查和考核评估",
}


@pytest.fixture(scope="module")
def seed():
    from metrokg.nlp.reading.readers import read_document

    raw = read_document(SEED)
    return parse_document(raw.text, doc_id="seed")


def _doc(name: str):
    return parse_document((DATA / "structure" / name).read_text(encoding="utf-8"), doc_id=name)


def test_seed_front_matter(seed):
    assert seed.title == "关于贯彻落实《计量发展规划(2021—2035年)》的实施意见"
    assert seed.issuer == "湖北省计量工作厅际联席会议办公室"
    assert seed.date == "2022-11-13"
    assert seed.implements == ["计量发展规划(2021—2035年)"]
    assert seed.doc_type == "ImplementationOpinion"
    assert seed.warnings == []


def test_seed_every_section_with_exact_heading(seed):
    numbered = {p.number: p.heading for p in seed.provisions if p.number != "0"}
    assert numbered == SEED_SECTIONS


def test_seed_offsets_point_into_the_text(seed):
    for p in seed.provisions:
        assert seed.text[p.start:p.end] == p.text
        assert p.sentences, p.number
        for s in p.sentences:
            assert seed.text[s.start:s.end] == s.text
            assert p.start <= s.start < s.end <= p.end


def test_seed_preamble_and_parents(seed):
    pre = seed.provision("0")
    assert pre.text.startswith("为全面贯彻落实国务院")
    assert seed.provision("3.5").parent == "3"
    assert seed.provision("3").parent is None
    # a section's text starts with its heading sentence and holds its body
    assert seed.provision("3.5").text.startswith("(五)助力绿色低碳发展。建立健全碳达峰碳中和")


def test_seed_cover_notice_is_not_a_provision(seed):
    assert all("印发给你们" not in p.text for p in seed.provisions)
    assert all("2022年11月13日" not in p.text for p in seed.provisions)


def test_city_plan_with_cover_notice_items_and_mixed_brackets():
    doc = _doc("city_plan.txt")
    assert doc.title == "襄樊市计量发展实施方案（2023—2025年）"
    assert doc.issuer == "襄樊市人民政府办公室"
    assert doc.date == "2023-03-15"  # written in Chinese numerals
    assert doc.document_number == "襄政办发〔2023〕8号"
    assert doc.recipients == "各县（市、区）人民政府，市政府各部门"
    assert doc.doc_type == "ImplementationPlan"
    assert doc.implements == ["计量发展规划(2021—2035年)",
                              "湖北省关于贯彻落实《计量发展规划(2021—2035年)》的实施意见"]
    numbers = [p.number for p in doc.provisions]
    assert numbers == ["0", "1", "2", "2.1", "2.2", "2.2.1", "2.2.2", "2.3", "3", "3.1", "3.2"]
    assert doc.provision("2.1").heading == "加强计量标准建设"
    assert doc.provision("2.1").text.endswith("（责任单位：市市场监管局、市科技局）")
    assert doc.provision("2.2.1").parent == "2.2"
    assert doc.provision("3.1").heading == "加强组织领导"


def test_law_style_chapters_and_articles():
    doc = _doc("law_style.txt")
    assert doc.title == "某省计量监督管理条例"
    assert [p.number for p in doc.provisions] == ["1", "1.1", "1.2", "2", "2.3", "2.4"]
    assert doc.provision("2").heading == "计量器具管理"
    assert doc.warnings == []


def test_skipped_numbering_keeps_the_written_numbers_and_warns():
    doc = _doc("skipped.txt")
    assert [p.number for p in doc.provisions] == ["1", "3", "3.1", "3.3"]
    assert any(w.startswith("[W259] numbering jumps from 1 to 3") for w in doc.warnings)


def test_items_numbered_on_across_sections_are_not_a_jump():
    """Plans often number their items on through the sections (（一）1. 2. （二）3. 4.): no W259 for
    that, the numbers kept as written; a real gap inside the run still warns."""
    text = ("某市计量工作方案\n一、主要任务\n（一）夯实基础。\n1.建立计量标准。\n2.开展专项检查。\n"
            "（二）严格监管。\n3.加强加油机检定。\n4.支持企业建标。\n（三）强化服务。\n6.开展计量服务。\n")
    doc = parse_document(text, doc_id="t")
    assert [p.number for p in doc.provisions if p.number.count(".") == 2] == ["1.1.1", "1.1.2", "1.2.3", "1.2.4",
                                                                            "1.3.6"]
    jumps = [w for w in doc.warnings if w.startswith("[W259]")]
    assert len(jumps) == 1 and "from 4 to 6" in jumps[0]


def test_unstructured_text_is_one_provision_with_a_warning():
    doc = _doc("no_structure.txt")
    assert len(doc.provisions) == 1
    assert any(w.startswith("[W258] no numbered headings") for w in doc.warnings)
    assert doc.provisions[0].text == doc.text.strip()


def test_heading_as_first_sentence_of_a_paragraph():
    text = "关于测试的意见\n（一）加强计量前沿技术研究。加快时间频率研究。\n（二）完善体系\n正文。"
    doc = parse_document(text, doc_id="t")
    assert [(p.number, p.heading) for p in doc.provisions] == [("1", "加强计量前沿技术研究"), ("2", "完善体系")]


@pytest.mark.parametrize("marker,number", [
    ("一、", "1"), ("(一)", "1"), ("（一）", "1"), ("1.", "1"), ("1、", "1"), ("1．", "1"),
    ("(1)", "1"), ("（1）", "1"), ("①", "1"), ("第一章 ", "1"), ("第十二条 ", "12"), ("二十一、", "21"),
])
def test_marker_styles(marker, number):
    doc = parse_document(f"测试方案\n{marker}标题文字\n正文。", doc_id="t")
    assert doc.provisions[0].number == number
    assert doc.provisions[0].heading == "标题文字"


def test_numbers_inside_text_are_not_headings():
    doc = parse_document("测试方案\n一、目标\n1.5万台计量器具完成检定。\n2025年底前完成。", doc_id="t")
    assert [p.number for p in doc.provisions] == ["1"]


@pytest.mark.parametrize("text,iso", [
    ("2022年11月13日", "2022-11-13"), ("二〇二二年十一月十三日", "2022-11-13"),
    ("二○二三年三月五日", "2023-03-05"), ("2021年2月30日", None), ("2023-1-9", "2023-01-09"),
])
def test_dates(text, iso):
    assert parse_date(text) == iso


def test_references_with_nested_titles():
    text = "现将《关于贯彻落实〈计量发展规划(2021—2035年)〉的实施意见》印发，依据《计量法》。"
    refs = find_references(text)
    assert [r.text for r in refs] == ["《关于贯彻落实〈计量发展规划(2021—2035年)〉的实施意见》", "《计量法》"]
    assert all(text[r.start:r.end] == r.text for r in refs)


def test_sentences_keep_closing_quotes():
    spans = split_sentences("打造“策源地。”然后继续！最后", 10)
    assert [s.text for s in spans] == ["打造“策源地。”", "然后继续！", "最后"]
    assert spans[0].start == 10


def test_traditional_characters_keep_their_text_and_structure():
    text = "關於加強計量工作的實施意見\n一、發展目標\n到2025年，新建社會公用計量標準500項以上。\n二、重點任務\n（一）完善計量體系"
    doc = parse_document(text, doc_id="t")
    assert doc.title == "關於加強計量工作的實施意見"
    assert doc.doc_type == "ImplementationOpinion"
    assert [(p.number, p.heading) for p in doc.provisions] == [("1", "發展目標"), ("2", "重點任務"), ("2.1", "完善計量體系")]


@pytest.mark.parametrize("marker,number", [
    ("第一千条 ", "1000"), ("第一千零一条 ", "1001"), ("第一千一百一十一条 ", "1111"), ("第两千条 ", "2000"),
    ("第一万条 ", "10000"), ("第一万零一条 ", "10001"), ("第1000条 ", "1000"), ("第一千零一章 ", "1001"),
])
def test_articles_and_chapters_numbered_over_999(marker, number):
    doc = parse_document(f"测试条例\n{marker}标题文字\n正文。", doc_id="t")
    assert [(p.number, p.heading) for p in doc.provisions] == [(number, "标题文字")]


@pytest.mark.parametrize("template", ["{n}.第{n}项", "{n}、第{n}项", "（{n}）第{n}项"])
def test_arabic_lists_continue_past_999(template):
    text = "测试方案\n" + "".join(template.format(n=n) + "。\n" for n in range(1, 1004))
    doc = parse_document(text, doc_id="t")
    assert [p.number for p in doc.provisions] == [str(n) for n in range(1, 1004)]
    assert doc.provision("1000").heading == "第1000项" and doc.warnings == []


def test_chinese_lists_continue_past_thirty():
    from test_structure_properties import spell

    text = "测试方案\n" + "".join(f"{spell(n)}、第{n}项\n" for n in range(1, 36))
    assert [p.number for p in parse_document(text, doc_id="t").provisions] == [str(n) for n in range(1, 36)]


@pytest.mark.parametrize("line", ["2024，全省新建标准50项。", "2025、2026年持续推进。", "1000.5万台器具完成检定。",
                                  "1000、2000家企业参与。", "二〇二二、二〇二三年连续达标。", "一千零一、表述。", "（2023）年度计划。"])
def test_large_numbers_that_open_a_line_are_text(line):
    doc = parse_document(f"测试方案\n一、目标\n{line}\n二、任务\n正文。", doc_id="t")
    assert [p.number for p in doc.provisions] == ["1", "2"]
    assert line in doc.provision("1").text
