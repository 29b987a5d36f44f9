"""The parts of corpus-scale search on their own: intent cues, the conduct vocabulary, relevance of
English queries, the second stage, signal agreement, bare headings, jurisdictions, duplicate folding
and grouping, plain BM25 and the metrics."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from metrokg.kg.records.provisions import ProvisionRecord
from metrokg.kg.search.baseline import PlainBM25
from metrokg.kg.search.documents import jurisdiction, matches
from metrokg.kg.search.evaluate import metrics
from metrokg.kg.search.expansion import ConceptMatcher
from metrokg.kg.search.grouping import facet_counts, fold_duplicates, group_by_document
from metrokg.kg.search.index import agreement, heading_only
from metrokg.kg.search.intent import intent_mask, intents
from metrokg.kg.search.rerank import rerank
from metrokg.ontology.vocab import packaged


def unit(*v: float) -> np.ndarray:
    """A unit vector, as the dense index stores provision vectors."""
    a = np.array(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def test_intents_read_chinese_and_english_cues():
    assert [i.name for i in intents("查实后老板会受到什么处理")] == ["penalty"]
    assert [i.name for i in intents("what is the penalty for tampering?")] == ["penalty"]
    assert "duty" in [i.name for i in intents("谁负责本县的计量监督管理")]
    assert "deadline" in [i.name for i in intents("对处罚不服多少天内起诉")]
    assert "target" in [i.name for i in intents("受检率要达到多少")]
    assert intents("燃油加油机") == []
    mask = intent_mask(intents("怎么罚"), [["Penalty"], ["Task"], []])
    assert mask.tolist() == [True, False, False]


def test_conduct_vocabulary_maps_everyday_words_to_regulated_conduct():
    concepts = packaged()
    cheating = concepts.by_iri["https://w3id.org/metrokg/id/conduct/cheating"]
    assert cheating.pref_en and {"动手脚", "少给油", "作弊功能"} <= set(cheating.alt_labels)
    found = {m.iri.rsplit("/", 1)[-1] for m in ConceptMatcher(concepts).match("商家缺斤短两，秤被动了手脚")}
    assert {"short-measure", "cheating"} <= found
    narrower = {c.rsplit("/", 1)[-1] for c in concepts.narrower("https://w3id.org/metrokg/id/conduct/cheating")}
    assert {"impairing-accuracy", "cheating-device", "unauthorised-alteration"} <= narrower
    for slug in ("falsified-verification-data", "nonconforming-instrument", "unverified-instrument",
                 "overdue-verification", "unauthorised-alteration", "unlicensed-manufacture", "fraudulent-instrument"):
        assert f"https://w3id.org/metrokg/id/conduct/{slug}" in concepts.by_iri, slug


def test_english_labels_are_named_in_the_plural_too():
    """scales, water meters, cheating devices: a label in the singular names its concept in the
    plural (a longer label first: taxi meters is the taximeter, not the metre)."""
    m = ConceptMatcher.from_vocabulary()

    def named(q: str) -> set[str]:
        return {x.iri.rsplit("/", 1)[-1] for x in m.match(q)}

    assert "weighing-instrument" in named("using unverified scales")
    assert "water-meter" in named("water meters in households")
    assert "cheating-device" in named("fitting cheating devices")
    assert named("who verifies taxi meters") >= {"taximeter"} and "metre" not in named("who verifies taxi meters")


def test_an_instrument_named_in_english_stands_for_the_labels_generic_instrument():
    """"unverified scales" is "using an unverified measuring instrument" on a scale, in search and
    in a question's topic; the generic words alone ("measuring instruments") name no conduct."""
    from metrokg.kg.analyses.question_terms import english_concepts

    m = ConceptMatcher.from_vocabulary()
    unverified = "https://w3id.org/metrokg/id/conduct/unverified-instrument"
    named = {x.iri: x for x in m.match("penalty for using unverified water meters")}
    assert unverified in named and named[unverified].weight == 1.0  # the label it fits best
    assert "https://w3id.org/metrokg/id/instrument/water-meter" in named
    assert english_concepts(m, "using unverified scales") == [unverified]
    assert english_concepts(m, "scales") == ["https://w3id.org/metrokg/id/instrument/weighing-instrument"]
    assert unverified not in {x.iri for x in m.match("verification of scales")}


def test_english_share_tells_metrology_from_cooking():
    m = ConceptMatcher.from_vocabulary()
    assert m.english_share("best pizza recipe with mozzarella") == 0.0
    assert m.english_share("EV charging") == 1.0 and m.english_share("taxi meters") >= 0.5
    assert m.english_share("加油站") == 0.0
    # the question's frame is not its topic: regulations and law are in the labels, puppies are not
    assert m.english_share("what do the regulations say about puppies") == 0.0
    assert m.english_share("what does the law say about cats") == 0.0
    assert m.english_share("revise the provincial metrology regulation") >= 0.5


def test_second_stage_lifts_the_asked_fact_kind_by_how_rare_it_is_among_candidates():
    fused = np.array([3.0, 2.0, 1.5, 0.0], dtype=np.float32)
    kinds = [["Task"], ["Task"], ["Penalty"], ["Penalty"]]
    out = rerank(fused, intents("会受到什么处理"), kinds, boost=1.0)
    assert int(np.argmax(out)) == 2  # the penalty article first: one candidate in three holds it
    assert out[3] == 0.0  # a provision no signal found is not added
    duty = rerank(fused, intents("谁负责"), [["Task"], ["Task"], ["Task"], []], boost=1.0)
    assert duty.tolist() == fused.tolist()  # every candidate holds a duty: it orders nothing
    assert rerank(fused, [], kinds, boost=1.0) is fused and rerank(fused, intents("怎么罚"), kinds, boost=0.0) is fused


def test_a_penalty_question_prefers_the_penalty_for_the_conduct_it_names():
    fused = np.array([3.0, 2.0, 1.9, 1.0], dtype=np.float32)
    kinds = [["Task"], ["Penalty"], ["Penalty"], ["Task"]]
    named = np.array([True, False, True, False])  # linked to the conduct the query names (作弊)
    out = rerank(fused, intents("作弊会受到什么处理"), kinds, boost=1.0, named=named)
    assert int(np.argmax(out)) == 2  # the penalty article for the conduct asked about comes first
    assert out[1] - fused[1] == pytest.approx(0.5 * (out[2] - fused[2]))  # another conduct's: half the lift
    target = rerank(fused, intents("受检率目标"), [["Task"], ["QuantitativeTarget"], ["QuantitativeTarget"], []],
                    boost=1.0, named=named)
    assert target[1] - fused[1] == pytest.approx(target[2] - fused[2])  # a target row often names no concept: lifted alike


def test_everyday_words_reach_the_duty_to_show_the_measurement_and_imported_instruments():
    """看清称重 is the citizen's 明示计量操作过程; 国外的测量仪器 the laws' 进口计量器具. Both the laws'
    wording and the everyday one name the same concept; a foreign product that is no instrument does not."""
    m = ConceptMatcher(packaged())
    shown = "https://w3id.org/metrokg/id/conduct/undisclosed-measurement"
    imported = "https://w3id.org/metrokg/id/topic/imported-instruments"
    assert shown in {c.iri for c in m.match("做生意必须让顾客看清称重的过程")}
    assert shown in {c.iri for c in m.match("现场计量交易的商品，应当明示计量操作过程和计量器具示值")}
    assert imported in {c.iri for c in m.match("国外的测量仪器拿到中国卖要批准吗")}
    assert imported in {c.iri for c in m.match("凡进口或外商在中国境内销售列入目录内的计量器具的")}
    assert not {shown, imported} & {c.iri for c in m.match("国外的奶粉当面称赞好不好")}


def test_the_best_candidates_bring_the_same_provision_of_another_document_along():
    from metrokg.kg.search.rerank import counterparts

    # a law's article (0), another of its articles (1); the same article in the implementing rules (2),
    # another article there (3); a third document holding a near copy of 1 only (4)
    vectors = np.stack([unit(1, 0.05, 0), unit(0, 1, 0), unit(1, 0.08, 0), unit(0.3, 0, 1), unit(0.02, 1, 0)])
    documents = np.array([0, 0, 1, 1, 2])
    scores = np.array([2.0, 0.1, 0.6, 0.5, 0.3], dtype=np.float32)
    out = counterparts(scores, vectors, documents, top=1, cosine=0.97, share=0.85)
    assert out[2] == pytest.approx(0.85 * 2.0) and np.argsort(-out).tolist()[:2] == [0, 2]
    assert out[[0, 1, 3, 4]].tolist() == scores[[0, 1, 3, 4]].tolist()  # nothing else moves
    # the nearest article that the query's signals hardly find (a tenth of the best) says something else
    faint = np.array([2.0, 0.1, 0.2, 0.5, 0.3], dtype=np.float32)
    assert counterparts(faint, vectors, documents, top=1)[2] == faint[2]
    assert counterparts(faint, vectors, documents, top=1, floor_share=0.05)[2] == pytest.approx(0.85 * 2.0)
    masked = counterparts(np.array([2.0, 0.1, 0.0, 0.5, 0.3], dtype=np.float32), vectors, documents, top=1)
    assert masked[2] == 0.0  # a provision a filter left out is not brought back
    closer = np.stack([*vectors[:4], unit(1, 0.079, 0)])  # doc 2 holds a nearer copy of 2 than 0 is
    assert counterparts(scores, closer, np.array([0, 0, 1, 1, 0]), top=1)[2] == scores[2]  # not mutual
    # a regulation's article restating the law's at more length (cosine 0.93) is its counterpart only
    # when the regulation is made under that law
    restated = np.stack([vectors[0], vectors[1], unit(1, 0.45, 0), vectors[3], vectors[4]])
    assert float(restated[0] @ restated[2]) == pytest.approx(0.93, abs=0.01)
    assert counterparts(scores, restated, documents, top=1)[2] == scores[2]
    lifted = counterparts(scores, restated, documents, top=1, made_under={0: [1], 1: [0]})
    assert lifted[2] == pytest.approx(0.85 * 2.0) and lifted[4] == scores[4]


def test_between_a_law_and_its_rules_the_provision_sharing_the_named_concept_comes_along():
    from metrokg.kg.search.rerank import shared_concept_counterparts

    # the rules' article on disputes (0) and another of theirs (1); the law's article on disputes (2),
    # nearer to 1 than to 0, and the law's article on another matter (3), nearer to 0 than 2 is
    vectors = np.stack([unit(1, 0.4, 0), unit(0.9, 1, 0), unit(1, 0.9, 0.05), unit(1, 0.3, 0)])
    assert float(vectors[2] @ vectors[1]) > float(vectors[2] @ vectors[0]) >= 0.88
    documents = np.array([0, 0, 1, 1])
    scores = np.array([2.0, 1.9, 0.4, 1.0], dtype=np.float32)
    disputes = [np.array([0, 2])]  # the positions linked to the concept the query names
    out = shared_concept_counterparts(scores, vectors, documents, {0: [1], 1: [0]}, disputes, top=1, share=0.8)
    assert out[2] == pytest.approx(1.6) and out[[0, 1, 3]].tolist() == scores[[0, 1, 3]].tolist()
    # between documents not made under one another, for a concept the query does not name, or for a
    # provision a filter left out, nothing moves
    assert shared_concept_counterparts(scores, vectors, documents, {}, disputes, top=1).tolist() == scores.tolist()
    assert shared_concept_counterparts(scores, vectors, documents, {0: [1], 1: [0]}, [np.array([1, 2])],
                                       top=1).tolist() == scores.tolist()
    masked = np.array([2.0, 1.9, 0.0, 1.0], dtype=np.float32)
    assert shared_concept_counterparts(masked, vectors, documents, {0: [1], 1: [0]}, disputes, top=1)[2] == 0.0


def test_the_best_candidates_bring_the_provisions_linked_to_them_by_citation_along():
    from metrokg.kg.search.rerank import cited_along

    # 0: a duty article, 3: the penalty article citing it (违反本条例第十六条规定…), 1, 2: others
    neighbours = [[3], [], [], [0]]
    scores = np.array([2.0, 1.8, 1.7, 0.1], dtype=np.float32)
    out = cited_along(scores, neighbours, top=1, share=0.75)
    assert out[3] == pytest.approx(1.5) and out[[0, 1, 2]].tolist() == scores[[0, 1, 2]].tolist()
    assert np.argsort(-out).tolist() == [0, 1, 2, 3]  # lifted below the others: reordered, not promoted
    assert cited_along(scores, neighbours, top=1, share=0.9)[3] == pytest.approx(1.8)
    masked = cited_along(np.array([2.0, 1.8, 1.7, 0.0], dtype=np.float32), neighbours, top=1)
    assert masked[3] == 0.0  # a provision a filter left out is not brought back
    assert cited_along(np.array([0.1, 1.8, 1.7, 2.0], dtype=np.float32), neighbours, top=1)[0] == pytest.approx(1.5)


def test_a_penalty_article_brings_along_the_duty_of_its_document_that_it_punishes():
    from metrokg.kg.search.rerank import duty_along

    # document 0: the penalty article on sealed goods (0), the prohibition of disposing of them (1),
    # another prohibition on the same concept but further from the penalty (2), another penalty on it
    # (3); document 1: a prohibition on the same concept (4)
    vectors = np.stack([unit(1, 0.2, 0), unit(1, 0.3, 0), unit(0.2, 1, 0), unit(1, 0.25, 0), unit(1, 0.2, 0.01)])
    documents = np.array([0, 0, 0, 0, 1])
    kinds = [["Penalty"], ["Prohibition"], ["Prohibition"], ["Penalty"], ["Prohibition"]]
    scores = np.array([2.0, 0.2, 0.3, 0.1, 0.5], dtype=np.float32)
    sealed = [np.array([0, 1, 2, 3, 4])]  # the positions linked to the concept the query names
    out = duty_along(scores, vectors, documents, kinds, sealed, top=1, share=0.7)
    assert out[1] == pytest.approx(1.4)  # the nearest duty of the same document, not another penalty
    assert out[[0, 2, 3, 4]].tolist() == scores[[0, 2, 3, 4]].tolist()  # nor another document's duty
    # a candidate that is not a penalty, a concept the query does not name, or a duty a filter left
    # out: nothing moves
    duty_first = np.array([0.1, 2.0, 0.3, 0.1, 0.5], dtype=np.float32)
    assert duty_along(duty_first, vectors, documents, kinds, sealed, top=1).tolist() == duty_first.tolist()
    assert duty_along(scores, vectors, documents, kinds, [np.array([1, 2])], top=1).tolist() == scores.tolist()
    masked = np.array([2.0, 0.0, 0.3, 0.1, 0.5], dtype=np.float32)
    assert duty_along(masked, vectors, documents, kinds, sealed, top=1)[1] == 0.0


def test_a_one_character_label_names_its_concept_only_as_a_word_of_the_query():
    m = ConceptMatcher.from_vocabulary()
    scale = "https://w3id.org/metrokg/id/instrument/weighing-instrument"
    assert scale in {c.iri for c in m.match("被查封的秤偷偷卖掉", ["被", "查封", "的", "秤", "偷偷", "卖掉"])}
    assert scale not in {c.iri for c in m.match("秤砣虽小压千斤", ["秤砣", "虽小", "压", "千斤"])}
    assert scale not in {c.iri for c in m.match("被查封的秤偷偷卖掉")}  # no words given: no one-character label


def test_a_short_label_of_metrology_itself_says_the_query_is_about_the_corpus():
    """电表 and 检定 are two characters, as vague 交通 is, but they name metrology's own things."""
    from metrokg.kg.search.index import SearchIndex

    index = SimpleNamespace(matcher=ConceptMatcher.from_vocabulary())
    index.scheme_of = lambda iri: SearchIndex.scheme_of(index, iri)
    named = SearchIndex.specific(index, index.matcher.match("电厂的电表归谁检定"), subject=True)
    assert {m.label for m in named} == {"电表", "检定"}
    assert not SearchIndex.specific(index, index.matcher.match("交通违章扣分怎么查"), subject=True)
    # but a provision linked to 检定 is not thereby an answer: most provisions are
    assert not SearchIndex.specific(index, index.matcher.match("电厂的电表归谁检定"))


def test_agreement_is_the_provision_two_signals_rank_first():
    scores = {"lexical": np.array([0.0, 5.0, 1.0]), "dense": np.array([0.80, 0.85, 0.82]),
              "expansion": np.zeros(3)}
    assert agreement(scores, np.ones(3, dtype=bool)) == {1}
    scores["lexical"] = np.array([0.0, 1.0, 5.0])  # words and meaning disagree: no evidence either way
    assert agreement(scores, np.ones(3, dtype=bool)) == set()
    assert agreement({"lexical": scores["lexical"]}, np.ones(3, dtype=bool)) == set()  # no dense signal


def test_a_word_most_provisions_hold_names_the_corpus_subject():
    from metrokg.kg.search.index import SearchIndex
    from metrokg.kg.search.lexical import LexicalIndex

    lexical = LexicalIndex.from_tokens([["计量", f"词{i}"] for i in range(30)] + [["申请"]] * 5)
    index = SimpleNamespace(lexical=lexical)
    assert SearchIndex.names_subject(index, {"计量": 0.1, "保障": 0.0})
    assert not SearchIndex.names_subject(index, {"申请": 1.9, "公租": 0.0})
    small = SimpleNamespace(lexical=LexicalIndex.from_tokens([["计量"], ["计量"]]))
    assert not SearchIndex.names_subject(small, {"计量": 0.1})  # two provisions say nothing of a subject


def test_a_one_sentence_article_is_content_and_a_short_heading_is_not():
    def record(text: str, heading: str) -> ProvisionRecord:
        return ProvisionRecord(iri="x", document="d", number="1", heading=heading, text=text, start=0, end=len(text))

    article = "经过修理的计量计费的工作计量器具应当经计量器具强制检定合格后，方可交付使用"
    assert not heading_only(record(f"第十五条{article}。", article))
    assert heading_only(record("三、保障措施", "保障措施")) and heading_only(record("第一章总则", "总则"))
    assert heading_only(record("(一)加强计量基础研究。", "加强计量基础研究"))


def test_procedures_reach_chinese_articles_from_english_and_everyday_words():
    m = ConceptMatcher.from_vocabulary()
    found = {x.iri.rsplit("/", 1)[-1] for x in m.match("appeal against an administrative penalty decision")}
    assert {"appeal", "administrative-penalty"} <= found
    assert "dispute" in {x.iri.rsplit("/", 1)[-1] for x in m.match("arbitration verification of metrology disputes")}
    assert "certification" in {x.iri.rsplit("/", 1)[-1] for x in m.match("对计量认证有什么要求")}
    assert m.english_share("appeal against an administrative penalty decision") > 0.5
    assert m.english_share("how to train a puppy to sit") == 0.0


def test_jurisdiction_from_title_and_issuer():
    assert jurisdiction("温州市人民政府关于推进计量高质量发展的实施意见", None) == ("温州市", "浙江省")
    assert jurisdiction("上海市计量监督管理条例", None) == ("上海市", "上海市")
    assert jurisdiction("中华人民共和国计量法", None) == ("全国", "全国")
    assert jurisdiction("工作要点", None) == (None, None)
    meta = {"kind": "law", "jurisdiction": "温州市", "province": "浙江省", "year": 2025}
    assert matches(meta, "jurisdiction", "浙江") and matches(meta, "jurisdiction", "温州市")
    assert matches(meta, "issued", "2025") and not matches(meta, "kind", "plan")


def test_jurisdiction_of_a_text_that_names_none_in_its_title_or_issuer():
    """A fragment opening with its addressees: the area its text speaks of as its own (我市, 全市) and
    names, not the province whose plan it quotes (全省 …); none when it speaks of no area of its own."""
    from metrokg.kg.search.documents import jurisdiction_in_text

    city = ("各县(市、区)人民政府,市政府各部门、直属各单位:\n为贯彻落实《浙江省人民政府关于贯彻落实计量发展规划的"
            "实施意见》,结合我市实际,提出如下意见。到2025年,全省计量能力显著提升,嘉兴计量事业高质量发展。")
    assert jurisdiction_in_text(city) == ("嘉兴市", "浙江省")
    assert jurisdiction_in_text("到2025年,全省建成社会公用计量标准3100项,湖北计量…") == ("湖北省", "湖北省")
    assert jurisdiction_in_text("各地要加强计量监督检查。") == (None, None)  # no area of its own
    assert jurisdiction_in_text("全市要加强计量工作。") == (None, None)  # its own, but no place named


def _hit(doc: str, number: str, text: str, score: float):
    rec = ProvisionRecord(f"urn:{doc}:{number}", doc, number, "", text, 0, len(text))
    return SimpleNamespace(provision=rec, score=score, also_in=[], document_info={"title": doc.upper()})


def test_the_same_text_in_two_documents_is_shown_once_and_hits_group_by_document():
    text = "严禁使用未经检定或者超过检定周期的计量器具，依法从严查处。"
    hits = fold_duplicates([_hit("a", "1", "1." + text, 3), _hit("b", "2.1", "（一）" + text, 2), _hit("a", "3", "其他内容很长的一条规定。", 1)])
    assert [h.provision.number for h in hits] == ["1", "3"] and hits[0].also_in[0]["document"] == "b"
    public = [{"document": d, "document_title": d.upper(), "document_kind": "law", "jurisdiction": "全国",
               "document_year": 2018, "number": n} for d, n in (("x", "1"), ("y", "2"), ("x", "3"))]
    groups = group_by_document(public)
    assert [g["document"] for g in groups] == ["x", "y"] and [h["number"] for h in groups[0]["hits"]] == ["1", "3"]
    assert facet_counts(public)["jurisdiction"] == {"全国": 3}


def test_plain_bm25_and_out_of_domain_metrics():
    bm25 = PlainBM25(["加油站经营者必须使用经检定合格的燃油加油机", "支持高校开设计量相关专业"])
    assert bm25.scores("加油站").argmax() == 0 and not bm25.scores("pizza").any()
    assert metrics([], {})["recall@5"] == 1.0 and metrics(["a:1"], {})["mrr@10"] == 0.0
    m = metrics(["a:1", "b:2", "c:3"], {"a:1": 2, "z:9": 1})
    assert m["coverage@10"] == 0.5 and m["mrr@10"] == 1.0


def test_web_hits_are_grouped_under_document_titles():
    from metrokg.ui.web.render import hits_html

    hit = {"document": "law", "document_title": "中华人民共和国计量法", "document_kind": "law", "jurisdiction": "全国",
           "document_year": 2018, "number": "5.26", "heading": "", "text": "第二十六条使用不合格的计量器具", "start": 0,
           "end": 15, "score": 1.0, "sentence": {}, "concepts": [], "citation": "第二十六条",
           "also_in": [{"document": "copy", "number": "3", "title": "某市条例", "iri": "urn:x"}]}
    page = hits_html([hit], "zh")
    assert "<h4 class='mk-doc'>中华人民共和国计量法" in page and "某市条例 3" in page and "全国 (1)" in page
    assert "未找到相关内容" in hits_html([], "zh") and "Nothing relevant found" in hits_html([], "en")
