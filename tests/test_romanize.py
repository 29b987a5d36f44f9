"""Chinese in Latin letters: readable document ids from Chinese file names, English place names."""

from __future__ import annotations

from metrokg.kg.graph.ingest import doc_id_for
from metrokg.nlp.romanize import pinyin_words, romanized_name


def test_a_chinese_file_name_gives_a_readable_pinyin_id():
    doc_id = doc_id_for("宜昌市推进计量高质量发展实施方案.docx")
    assert doc_id.startswith("yichangshi-tuijin-jiliang-gaozhiliang-fazhan-")
    assert doc_id == doc_id_for("宜昌市推进计量高质量发展实施方案.docx")  # stable
    readable, suffix = doc_id.rsplit("-", 1)
    assert len(suffix) == 4 and int(suffix, 16) >= 0


def test_names_that_read_the_same_get_different_ids():
    assert pinyin_words("计量") == pinyin_words("机梁")
    assert doc_id_for("计量.txt") != doc_id_for("机梁.txt")


def test_a_long_chinese_name_is_cut_at_a_word():
    long = "湖北省人民政府关于贯彻落实国务院计量发展规划进一步加强计量工作推进计量高质量发展的实施意见.pdf"
    doc_id = doc_id_for(long)
    readable = doc_id.rsplit("-", 1)[0]
    assert len(readable) <= 60 and not readable.endswith("-")
    assert all(part in "".join(pinyin_words(long)) for part in readable.split("-"))


def test_ascii_and_other_scripts_keep_their_ids():
    assert doc_id_for("My Plan 2023.docx") == "my-plan-2023"
    assert doc_id_for("Café plan.txt").startswith("caf-plan-") and len(doc_id_for("Café plan.txt")) == 19
    assert doc_id_for("😀.txt").startswith("doc-")


def test_place_names_in_pinyin():
    assert romanized_name("宜昌") == "Yichang"
    assert romanized_name("重庆") == "Chongqing"  # the word's reading, not 重 zhong
    assert romanized_name("吕梁") == "Lüliang"
