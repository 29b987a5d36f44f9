"""Property tests: the structure parser never crashes and its spans always match the text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from metrokg.nlp.structure.numerals import parse_chinese
from metrokg.nlp.structure.numerals import chinese_to_int
from metrokg.nlp.structure.parser import find_references, parse_document, split_sentences

_DIGIT_NAMES = "零一二三四五六七八九"
_GROUP_NAMES = ("", "万", "亿")


def _spell_group(x: int) -> str:
    """0 < x < 10,000 in the formal style: 一千零一十, 三百零五."""
    out, gap = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = x // unit % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        out += ("零" if gap else "") + _DIGIT_NAMES[digit] + name
        gap = False
    return out


def spell(n: int) -> str:
    """``n`` (0 <= n < 10**12) written in Chinese numerals, independently of the parser under test."""
    if n == 0:
        return "零"
    groups = [n // 10 ** (4 * i) % 10 ** 4 for i in range(3)]
    out, gap = "", False
    for i in (2, 1, 0):
        if groups[i] == 0:
            gap = gap or bool(out)
            continue
        zero = bool(out) and (gap or groups[i] < 1000)
        out += ("零" if zero else "") + _spell_group(groups[i]) + _GROUP_NAMES[i]
        gap = False
    return out[1:] if out.startswith("一十") else out  # 十三, as 13 is usually written

MARKERS = ["一、", "二、", "三、", "十一、", "（一）", "(二)", "（三）", "1.", "2、", "3．", "（1）", "(2)", "①", "②",
           "第一章 ", "第二条 ", "2025年", "1.5万", "《", "》", "〈", "〉", "。", "；", "：", "\n", "\n\n", " "]
WORDS = ["计量", "加强", "发展目标", "建设平台", "到2025年", "省市场监管局", "10家以上", "湖北省人民政府",
         "2022年11月13日", "关于印发", "的通知", "实施意见", "（责任单位：市科技局）", "abc", "Ｘ"]
NUMBER_PATH = re.compile(r"^(0|[1-9][0-9]*(~[0-9]+)?)(\.[1-9][0-9]*(~[0-9]+)?)*$")

documents = st.lists(st.sampled_from(MARKERS + WORDS) | st.text(max_size=8), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_parser_never_crashes_and_spans_match(text):
    doc = parse_document(text, doc_id="p")
    numbers = [p.number for p in doc.provisions]
    assert len(numbers) == len(set(numbers))
    for p in doc.provisions:
        assert NUMBER_PATH.match(p.number), p.number
        assert doc.text[p.start:p.end] == p.text
        if p.parent is not None:
            assert p.parent in numbers and p.number.startswith(p.parent + ".")
        for s in p.sentences:
            assert doc.text[s.start:s.end] == s.text and p.start <= s.start <= s.end <= p.end
    for r in doc.references:
        assert doc.text[r.start:r.end] == r.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.integers(min_value=0, max_value=1000))
def test_sentences_and_references_on_any_text(text, offset):
    for s in split_sentences(text, offset):
        assert text[s.start - offset:s.end - offset] == s.text and s.text.strip() == s.text
    for r in find_references(text):
        assert text[r.start:r.end] == r.text and r.text.startswith("《") and r.text.endswith("》")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 12 - 1))
def test_every_chinese_numeral_reads_back(n):
    assert chinese_to_int(spell(n)) == n
    assert parse_chinese(spell(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿", min_size=1, max_size=12))
def test_numeral_runs_never_crash(text):
    value = chinese_to_int(text)
    assert value is None or value >= 0


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=10 ** 8))
def test_articles_of_any_number_are_headings(n):
    doc = parse_document(f"测试条例\n第{spell(n)}条 标题\n正文。\n第{n + 1}条 下一条\n正文。", doc_id="p")
    assert [p.number for p in doc.provisions] == [str(n), str(n + 1)]


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1000, max_value=99999), st.sampled_from(["，", "、", ".", "．"]))
def test_a_large_number_opening_a_line_is_text_unless_it_continues_a_list(n, sep):
    year = "".join(_DIGIT_NAMES[int(d)] for d in str(n)).replace("零", "〇")  # 二〇二二
    text = f"测试方案\n一、目标\n{n}{sep}正文内容。\n{year}、正文。\n（{n}）正文。\n{spell(n)}、正文。"
    assert [p.number for p in parse_document(text, doc_id="p").provisions] == ["1"]
