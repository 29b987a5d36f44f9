"""Normalisation: the exact rules, plus hypothesis properties (never crashes, idempotent)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from metrokg.nlp.reading.normalize import is_cjk_char, normalize, to_simplified


def test_fullwidth_letters_digits_space_become_halfwidth():
    assert normalize("ＪＪＦ\u3000１０５９．１－２０１２") == "JJF 1059.1-2012"
    assert normalize("提高到９０％以上") == "提高到90%以上"
    assert normalize("ＧＢ／Ｔ　１９０２２") == "GB/T 19022"


def test_chinese_punctuation_and_both_parenthesis_widths_are_kept():
    text = "（一）加强研究，提升能力；完善体系：《规划〈纲要〉》、“计量”「单位」【注】〔2022〕！？～"
    assert normalize(text) == text
    assert normalize("(一)指导思想\n（二）发展目标") == "(一)指导思想\n（二）发展目标"


def test_line_breaks_are_unified():
    assert normalize("甲\r\n乙\r丙\u2028丁\u2029戊\x0c己") == "甲\n乙\n丙\n丁\n戊\n己"


def test_control_and_zero_width_characters_are_dropped():
    assert normalize("\ufeff计\u200b量\u200c发\u200d展\x00\x07规\u00ad划\u2060") == "计量发展规划"


def test_spaces_between_cjk_are_dropped_latin_spaces_kept():
    assert normalize("计 量 发 展") == "计量发展"
    assert normalize("依据 JJF 1059.1-2012 评定") == "依据JJF 1059.1-2012评定"
    assert normalize("到 2025 年，建成 10 家") == "到2025年，建成10家"
    assert normalize("the  measurement   unit") == "the measurement unit"
    assert normalize("计量 ， 测试 。") == "计量，测试。"
    assert normalize("( 一 ) 指导思想") == "(一)指导思想"
    assert normalize("see ( the “unit” ) list") == "see (the “unit”) list"


def test_line_edges_blank_lines_and_trim():
    assert normalize("  \n\n 一、总体要求  \n\n\n\n\n  （一）指导思想 \n \n ") == "一、总体要求\n\n（一）指导思想"
    assert normalize("甲\n\n乙") == "甲\n\n乙"


def test_tabs_separate_table_cells_and_collapse():
    assert normalize("名称 \t\t 数量\t单位") == "名称\t数量\t单位"


def test_traditional_characters_are_kept():
    assert normalize("計量發展規劃") == "計量發展規劃"


def test_kangxi_radicals_from_pdf_text_become_ideographs():
    assert normalize("\u2f47\u5e38") == "日常"  # ⽇ (Kangxi radical sun) -> 日


def test_to_simplified_maps_characters_and_keeps_length():
    assert to_simplified("計量發展規劃（二〇二二年）") == "计量发展规划（二〇二二年）"
    assert to_simplified("计量ABC") == "计量ABC"


def test_is_cjk_char():
    assert is_cjk_char("计") and is_cjk_char("，") and not is_cjk_char("a")


_MIXED = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("计量發展規劃一二三 \t\n\r\u3000（）()[]，。、；：“”‘’—…·ＡＢ１２"
                             "\u200b\ufeff\u2028\x0c\x00abcXYZ0129-./%％．\u2f47\u3099\u302a"
                             "\u0301\uf900\u00a0")),
        st.characters(),
    ),
    max_size=200,
)


@settings(max_examples=400, deadline=None)
@given(_MIXED)
def test_normalize_is_idempotent_and_clean(text):
    once = normalize(text)
    assert normalize(once) == once
    assert "\r" not in once and "\u200b" not in once and "\ufeff" not in once
    assert "  " not in once and "\n\n\n" not in once
    assert once == once.strip(" \t\n")
    assert all(line == line.strip(" \t") for line in once.split("\n"))
    assert unicodedata.is_normalized("NFC", once)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_to_simplified_preserves_length(text):
    assert len(to_simplified(text)) == len(text)
    assert len(to_simplified(normalize(text))) == len(normalize(text))
