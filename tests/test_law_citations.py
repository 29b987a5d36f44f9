"""Laws article by article: structure (编章节条款项目), citations, and citations read from text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from metrokg.nlp.reading.normalize import normalize
from metrokg.nlp.structure.citations import Target, find_citations, parse_query, parse_target, title_key
from metrokg.nlp.structure.parser import parse_document
from metrokg.ontology.namespace import is_provision_iri, provision_iri

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real"
LAWS = [("gold.json", n) for n in ("jiliangfa-2018.txt", "jiliangfa-xize-2022.txt", "shanghai-tiaoli-2018.txt",
                                   "jinkou-banfa-2016.txt")] + \
       [("laws/gold.json", n) for n in ("guofang-tiaoli-1990.txt", "henan-tiaoli-2016.txt", "shuidian-guiding-1986.txt")]
ARTICLE = re.compile(r"第[一二三四五六七八九十百千零]+条")


def _real(gold_file: str, name: str):
    if not (REAL / gold_file).exists():
        pytest.skip("../shared/real is absent: real laws not checked")
    gold = json.loads((REAL / gold_file).read_text(encoding="utf-8"))[name]
    text = normalize((REAL / gold_file).parent.joinpath(name).read_text(encoding="utf-8"))
    return gold, parse_document(text, name.removesuffix(".txt"))


@pytest.mark.parametrize("gold_file,name", LAWS)
def test_real_laws_every_article_with_its_citation(gold_file, name):
    gold, doc = _real(gold_file, name)
    articles = [p for p in doc.provisions if p.path and p.path.startswith("article/")]
    assert len(articles) == gold["articles"]
    # numbered 1..n in order, each cited as printed and named by its citation
    for n, p in enumerate(articles, 1):
        assert p.path == f"article/{n}" and p.citation == p.marker
        assert ARTICLE.fullmatch(p.citation) and parse_target(p.citation) == Target(article=n)
        assert doc.text[p.start:p.end] == p.text
        for part in p.parts:
            assert doc.text[part.start:part.end] == part.text and p.start <= part.start < part.end <= p.end
            assert part.citation.startswith(p.citation)
    chapters = {p.number: p.heading for p in doc.provisions if p.path and p.path.startswith("chapter/")}
    for number, heading in gold["sections"].items():
        assert chapters.get(number) == heading, number


def test_real_law_items_and_paragraphs_are_addressable():
    _, doc = _real("gold.json", "jiliangfa-xize-2022.txt")
    art4 = next(p for p in doc.provisions if p.citation == "第四条")
    assert [(q.kind, q.citation) for q in art4.parts] == [
        ("paragraph", "第四条第一款"), *[("item", f"第四条第一款第（{n}）项") for n in "一二三四"],
        ("paragraph", "第四条第二款")]
    assert art4.parts[-1].text.startswith("符合上述条件的") and art4.text.endswith(art4.parts[-1].text)
    art7 = next(p for p in doc.provisions if p.citation == "第七条")
    assert [q.citation for q in art7.parts] == [f"第七条第（{n}）项" for n in "一二三四"]  # one paragraph: no 款
    assert str(provision_iri("x", art4.number, f"{art4.path}/{art4.parts[-1].path}")).endswith(
        "/doc/x/article/4/paragraph/2")


SECTIONS = """某某计量条例
第一章 总　则
第一条 为了规范计量，制定本条例。
第二章 计量器具
第一节 一般规定
第二条 使用计量器具应当遵守本条例。
第二节 强制检定
第三条 实行强制检定的计量器具，应当定期检定。
未按照规定申请检定的，不得使用。
对前款规定以外的计量器具，使用单位应当自行检定。
第四条 有下列情形之一的，依照本条例第三条第二款处理：
（一）使用不合格计量器具的；
（二）破坏计量器具准确度的：
1. 改装的；
2. 拆卸的；
（三）其他情形。
违反前款第（二）项规定的，从重处理。
"""


def test_sections_paragraphs_items_and_subitems():
    doc = parse_document(SECTIONS, "s")
    cites = {p.citation: p for p in doc.provisions if p.citation}
    assert list(cites) == ["第一章", "第一条", "第二章", "第二章第一节", "第二条", "第二章第二节", "第三条", "第四条"]
    assert cites["第一章"].heading == "总则"  # letter-spaced heading
    assert cites["第二章第二节"].path == "chapter/2/section/2" and cites["第三条"].path == "article/3"
    assert [q.citation for q in cites["第三条"].parts] == ["第三条第一款", "第三条第二款", "第三条第三款"]
    art4 = cites["第四条"]
    assert [q.citation for q in art4.parts] == [
        "第四条第一款", "第四条第一款第（一）项", "第四条第一款第（二）项", "第四条第一款第（二）项第1目",
        "第四条第一款第（二）项第2目", "第四条第一款第（三）项", "第四条第二款"]
    assert art4.text.endswith("从重处理。")  # the article is one provision, its items inside it
    assert [p.number for p in doc.provisions if p.parent == art4.number] == []
    found = {c.text: c.citations for p in doc.provisions for c in find_citations(p.text, p.start, p)}
    assert found["本条例第三条第二款"] == ["第三条第二款"]
    assert found["前款第（二）项"] == ["第四条第一款第（二）项"]
    assert found["前款"] == ["第三条第二款"]
    art3 = cites["第三条"]
    assert [c.citations for c in find_citations("依照本条第二款和前条，前两款", art3.parts[2].start, art3)] == [
        ["第三条第二款"], ["第二条"], ["第三条第一款", "第三条第二款"]]


def test_rule_without_chapters_and_parts_of_a_code():
    rule = "某某计量管理办法\n第一条 为了加强管理，制定本办法。\n第二条 本办法自发布之日起施行。\n"
    doc = parse_document(rule, "r")
    assert [(p.number, p.citation, p.path) for p in doc.provisions] == [
        ("1", "第一条", "article/1"), ("2", "第二条", "article/2")]
    code = ("某某计量法\n第一编 总则\n第一章 基本规定\n第一条 本法调整计量关系。\n第二编 计量器具\n第一章 一般规定\n"
            "第二条 计量器具应当检定。\n")
    doc = parse_document(code, "c")
    assert [(p.citation, p.path) for p in doc.provisions] == [
        ("第一编", "part/1"), ("第一编第一章", "part/1/chapter/1"), ("第一条", "article/1"),
        ("第二编", "part/2"), ("第二编第一章", "part/2/chapter/1"), ("第二条", "article/2")]


def test_unnumbered_chapter_headings_between_articles():
    text = ("某省计量条例\n第一条 为了加强计量监督管理，制定本条例。\n第二条 本条例适用于本省。\n计量器具管理\n"
            "第三条 计量器具应当检定。\n第三章 法律责任\n第四条 违反本条例第三条规定的，责令改正。\n")
    doc = parse_document(text, "h")
    chapters = [(p.number, p.heading, p.citation) for p in doc.provisions if p.path and p.path.startswith("chapter")]
    assert chapters == [("1", "", "第一章"), ("2", "计量器具管理", "第二章"), ("3", "法律责任", "第三章")]
    assert [p.citation for p in doc.provisions if p.parent == "2"] == ["第三条"]


def test_plans_carry_no_citation():
    doc = parse_document("某市计量方案\n一、总体要求\n（一）加强计量。\n二、保障措施\n", "p")
    assert all(p.citation is None and p.path is None and not p.parts for p in doc.provisions)
    assert str(provision_iri("p", "1.1")).endswith("/doc/p/provision/1.1")
    assert is_provision_iri(str(provision_iri("p", "1.1"))) and is_provision_iri(str(provision_iri("p", "2", "article/2")))


@pytest.mark.parametrize("text,title,cited", [
    ("依照《中华人民共和国计量法》第九条的规定", "中华人民共和国计量法", ["第九条"]),
    ("违反计量法第二十二条规定的", "计量法", ["第二十二条"]),
    ("依照计量法实施细则第十五条", "计量法实施细则", ["第十五条"]),
    ("《上海市计量监督管理条例》第十条第二款", "上海市计量监督管理条例", ["第十条第二款"]),
    ("违反本条例第十七条第四款规定的", None, ["第十七条第四款"]),
    ("依照本法第二十五条第（三）项", None, ["第二十五条第（三）项"]),
    ("违反本办法第二十五条至第二十八条规定", None, ["第二十五条", "第二十六条", "第二十七条", "第二十八条"]),
    ("本细则第四条第一款第（二）项第1目", None, ["第四条第一款第（二）项第1目"]),
    ("依照本法第二章第一节的规定", None, ["第二章第一节"]),
    ("按照第12条执行", None, ["第十二条"]),
])
def test_citation_forms(text, title, cited):
    c = find_citations("（" + text + "）", 10)
    assert len(c) == 1 and c[0].title == title and c[0].citations == cited
    assert c[0].start >= 11 and ("（" + text)[c[0].start - 10:c[0].end - 10] == c[0].text


def test_lists_documents_and_what_is_not_a_citation():
    found = find_citations("违反本条例第十条、第十一条和第十三条第一款、第二款规定的")
    assert [c.citations for c in found] == [["第十条"], ["第十一条"], ["第十三条第一款"], ["第十三条第二款"]]
    docs = find_citations("根据《中华人民共和国计量法》《中华人民共和国计量法实施细则》等法律法规")
    assert [(c.title, c.targets) for c in docs] == [("中华人民共和国计量法", ()), ("中华人民共和国计量法实施细则", ())]
    assert find_citations("第一条 为了加强管理") == []  # a heading marker, not a citation
    assert find_citations("依照本法规定执行；第（一）项所列情形") == []
    assert find_citations("前款规定") == []  # relative, with no article to stand in
    assert find_citations("本条例自2019年起施行，本法律") == []


def test_queries_and_title_keys():
    assert parse_query("计量法第九条规定了什么").title == "计量法"
    assert parse_query("第九条").citations == ["第九条"] and parse_query("第九条").title is None
    assert parse_query("加油站少给油怎么管") is None
    assert title_key("《中华人民共和国计量法》") == title_key("计量法") == "计量法"


def test_citations_in_text_are_links_that_open_the_cited_provision():
    from metrokg.ui.web.render import cited_html

    text = "违反本条例第三条规定的，依照《计量法》处理。"
    provision = {"text": text, "start": 100, "cites": [
        {"start": 102, "end": 108, "text": "本条例第三条", "citation": "第三条", "document": "law", "number": "1.3"},
        {"start": 114, "end": 119, "text": "《计量法》", "citation": None, "document": None, "number": None}]}
    html = cited_html(provision)
    assert "<a class='mk-cite' href='#' data-doc='law' data-num='1.3' title='第三条'>本条例第三条</a>" in html
    assert "《计量法》" in html.replace("&lt;", "<") and html.count("<a ") == 1  # unresolved: plain text
    assert html.startswith("违反") and html.endswith("处理。")


AMENDED = """某某计量条例
第一条 为了加强计量管理，制定本条例。
第二条 计量器具应当检定。
第二条之一 使用强制检定的计量器具，应当登记。
使用者应当保存检定记录。
第三条 违反本条例第二条之一第二款规定的，责令改正；依照《中华人民共和国计量法》第九条办理，违反该法第十五条的，依法处理。
"""


def test_inserted_articles_are_provisions_with_their_own_citation_and_iri():
    doc = parse_document(AMENDED, "rule")
    assert [(p.citation, p.path) for p in doc.provisions] == [
        ("第一条", "article/1"), ("第二条", "article/2"), ("第二条之一", "article/2-1"), ("第三条", "article/3")]
    assert [part.citation for part in doc.provisions[2].parts] == ["第二条之一第一款", "第二条之一第二款"]
    assert not any("numbering jumps" in w or "duplicate" in w for w in doc.warnings)


@pytest.mark.parametrize("text,title,cited", [
    ("违反本法第十七条之一规定的", None, ["第十七条之一"]),
    ("依照计量法第二十二条之二第（一）项", "计量法", ["第二十二条之二第（一）项"]),
    ("《中华人民共和国计量法》第九条和该法第十五条", "中华人民共和国计量法", ["第九条", "第十五条"]),
    ("依照《中华人民共和国计量法》的规定，违反该法第十五条第二款", "中华人民共和国计量法",
     ["第十五条第二款"]),
])
def test_inserted_articles_and_the_law_named_before(text, title, cited):
    found = [c for c in find_citations(text) if c.targets]
    assert {c.title for c in found} == {title} and [u for c in found for u in c.citations] == cited


def test_that_law_with_no_law_named_before_is_not_the_citing_document():
    assert find_citations("违反该法第三条规定的") == []


def test_this_law_that_law_and_inserted_articles_resolve_across_the_store():
    from metrokg.kg.graph.citations import Resolver
    from metrokg.nlp.structure.citations import provision_citations

    law = parse_document("中华人民共和国计量法\n第九条 计量器具应当检定。\n第十五条 不得使用。\n第十五条之一 应当登记。\n",
                         "law")
    rule = parse_document(AMENDED.replace("第九条办理", "第九条和第十五条之一办理"), "rule")
    units = {d.doc_id: {str(provision_iri(d.doc_id, p.number, p.path)) for p in d.provisions}
             | {str(provision_iri(d.doc_id, "", f"{p.path}/{part.path}")) for p in d.provisions for part in p.parts}
             for d in (law, rule)}
    res = Resolver([("law", law.title, None), ("rule", rule.title, None)], units)
    found = {}
    for c in provision_citations(rule.text, rule.provisions[-1]):
        doc_id, iris = res.resolve(c.title, [parse_target(u) for u in c.citations], "rule")
        found[c.text] = iris
    assert found["本条例第二条之一第二款"] == [str(provision_iri("rule", "", "article/2-1/paragraph/2"))]
    assert found["第十五条之一"] == [str(provision_iri("law", "", "article/15-1"))]
    assert found["该法第十五条"] == [str(provision_iri("law", "", "article/15"))]


def test_inserted_articles_sort_between_their_neighbours():
    from metrokg.kg.records.factview import number_key

    numbers = ["7.3", "7.2-1", "7.10", "7.2", "10.1", "7.2-2"]
    assert sorted(numbers, key=number_key) == ["7.2", "7.2-1", "7.2-2", "7.3", "7.10", "10.1"]


def test_a_question_may_name_a_law_by_its_short_name_a_text_not():
    """上海条例第三十二条: a person's 简称 keeps the title's kind word and the rest of its characters
    in order; one document alone must fit, and a text's own citations are never read that way
    (产品质量法 is no 办法, 上海办法 no 条例)."""
    from metrokg.kg.graph.citations import Resolver, abbreviates

    assert abbreviates("上海条例", "上海市计量监督管理条例") and abbreviates("进口办法", "进口计量器具监督管理办法")
    assert not abbreviates("上海办法", "上海市计量监督管理条例")
    assert not abbreviates("产品质量法", "产品质量检验机构计量认证管理办法")
    assert not abbreviates("条例", "上海市计量监督管理条例")  # the kind word alone names nothing
    titles = [("sh", "上海市计量监督管理条例", None), ("hn", "河南省计量监督管理条例", None),
              ("jk", "中华人民共和国进口计量器具监督管理办法", None)]
    res = Resolver(titles, {})
    assert res.document("上海条例", abbreviated=True) == "sh"
    assert res.document("进口办法", abbreviated=True) == "jk"
    assert res.document("上海条例") is None  # a citation in a text: only exact and tail matches
    assert res.document("计量条例", abbreviated=True) is None  # two fit: neither is guessed
