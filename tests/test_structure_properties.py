"""Property tests: the structure parser never crashes and its spans always match the text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from metrokg.nlp.structure import find_references, parse_document, split_sentences

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
