"""Regulated conduct in the entity linker: the laws' words and everyday ones linked with their offsets,
written to the graph as mentions, penalties found by a conduct concept (on the real laws too), no conduct
in the gap map; the linker's vocabulary failing loudly (E200); quantity labels inside longer words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from metrokg.errors import BackendError
from metrokg.kg.graph.facts_rdf import facts_to_triples
from metrokg.nlp.extraction.linking import load_vocabulary_patterns, shared_linker
from metrokg.nlp.extraction.pipeline import extract, load_pipeline, run_text
from metrokg.nlp.structure.parser import parse_document
from metrokg.ontology import vocab
from metrokg.ontology.namespace import MKG, concept_iri

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
LAWS = ("jiliangfa-2018", "jiliangfa-xize-2022", "shanghai-tiaoli-2018", "jinkou-banfa-2016")
# a rule whose penalties name their conduct only by the article they violate (第五条 → 第二条) or in the
# items they introduce (第六条)
RULE = """某市加油站计量监督管理办法
第一条 为了加强加油站计量监督管理，制定本办法。
第二条 加油站经营者不得有下列行为：
（一）破坏计量器具准确度；
（二）擅自改动、拆装燃油加油机。
第三条 加油站经营者使用超过检定周期的燃油加油机的，责令停止使用，可并处一千元以下罚款。
第四条 检定人员伪造检定数据的，给予行政处分。
第五条 违反本办法第二条规定，有禁止行为之一的，没收违法所得，并处五千元以上三万元以下罚款。
第六条 计量监督人员有下列行为之一的，给予行政处分：
（一）玩忽职守的；
（二）泄露商业秘密的。
第七条 本办法自2026年1月1日起施行。
"""


def conduct(slug: str) -> str:
    return str(concept_iri("conduct", slug))


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _conduct_mentions(facts) -> list:
    return [f for f in facts if f.kind == "mention" and f.scheme == "conduct"]


# ----------------------------------------------------------------------------- linking

@pytest.mark.parametrize("text, words", [
    ("使用不合格的计量器具或者破坏计量器具准确度，给国家和消费者造成损失的，责令赔偿损失。",
     {("不合格的计量器具", "nonconforming-instrument"), ("破坏计量器具准确度", "impairing-accuracy")}),
    ("检定人员伪造检定数据的，给予行政处分。", {("伪造检定数据", "falsified-verification-data")}),
    ("属于强制检定范围的计量器具，未按照规定申请检定的，责令停止使用。",
     {("未按照规定申请检定", "unverified-instrument")}),
    ("加油机被人动了手脚，老板少给油。", {("动了手脚", "cheating"), ("少给油", "cheating")}),
    ("菜场的秤缺斤短两。", {("缺斤短两", "short-measure")}),
    ("计量监督人员玩忽职守的，给予行政处分。", {("玩忽职守", "official-misconduct")}),
    ("当事人擅自处理、转移被封存、登记保存的计量器具的，处以罚款。",
     {("擅自处理、转移被封存", "disposing-of-sealed-goods"), ("登记保存", "disposing-of-sealed-goods")}),
    ("被查封的秤偷偷拿走卖掉会被罚多少", {("被查封", "disposing-of-sealed-goods")}),
])
def test_conduct_is_linked_in_the_laws_and_the_citizens_words_with_offsets(nlp, text, words):
    found = _conduct_mentions(run_text(nlp, text))
    assert {(m.text, m.iri.rsplit("/", 1)[1]) for m in found} == words
    assert all(text[m.start:m.end] == m.text and m.label for m in found)


def test_conduct_mentions_are_written_to_the_graph_with_their_provision(nlp):
    doc = parse_document(RULE, doc_id="rule")
    facts = extract(doc, nlp)
    mention = next(m for m in _conduct_mentions(facts) if m.iri == conduct("overdue-verification"))
    assert doc.text[mention.start:mention.end] == "超过检定周期"
    triples = set(facts_to_triples("rule", facts))
    nodes = {s for s, p, o in triples if p == MKG.refersTo and o == URIRef(conduct("overdue-verification"))}
    assert len(nodes) == 1
    (node,) = nodes
    assert {(node, RDF.type, MKG.Mention), (node, MKG.start, Literal(mention.start)),
            (node, MKG.end, Literal(mention.end))} <= triples
    provision = next(o for s, p, o in triples if s == node and p == MKG.inProvision)
    assert (provision, MKG.mentions, URIRef(conduct("overdue-verification"))) in triples


@pytest.mark.parametrize("law", LAWS)
def test_the_real_laws_penalties_hold_their_conduct(law):
    """Every gold penalty whose quoted text holds a conduct label has that conduct mentioned in its span."""
    if not (REAL / "penalties_gold.json").exists():
        pytest.skip("../shared/real is absent beside the checkout; real penalties not checked")
    from metrokg.nlp.reading.readers import read_document

    doc = parse_document(read_document(REAL / f"{law}.txt").text, law)
    facts = extract(doc)
    mentions = _conduct_mentions(facts)
    table = vocab.packaged()
    labels = {label: c.iri for c in table.in_scheme("conduct") for label in (c.pref_zh, *c.alt_labels)
              if label and not label.isascii()}
    gold = [g for g in json.loads((REAL / "penalties_gold.json").read_text(encoding="utf-8")) if g["doc"] == law]
    penalties = {(f.article, f.item): f for f in facts if f.kind == "penalty"}
    checked = 0
    for g in gold:
        named = {iri for label, iri in labels.items() if label in g["quote"]}
        if not named:
            continue
        p = penalties[(g["article"], g["item"])]
        inside = {m.iri for m in mentions if p.start <= m.start and m.end <= p.end}
        # a longer label may win over a shorter one it holds: one of each label's concept or a broader one
        assert all(iri in inside or table.narrower_closure(iri) & inside
                   or any(iri in table.narrower_closure(i) for i in inside) for iri in named), g["article"]
        checked += 1
    assert checked >= 1


def test_conduct_is_no_column_of_the_gap_map():
    from metrokg.kg.analyses.gaps import DIMENSIONS, _columns_for

    table = vocab.packaged()
    assert table.in_scheme("conduct")
    for c in table.in_scheme("conduct"):
        for by in DIMENSIONS:
            assert _columns_for(table, c.iri, by) == set(), (c.iri, by)


# ----------------------------------------------------------------------------- penalties by conduct

def _articles(rows) -> list[tuple[str, str, str | None]]:
    return [(r["document"], r["article"], r["item"]) for r in rows]


@pytest.fixture(scope="module")
def laws_store(tmp_path_factory):
    if not (REAL / "jiliangfa-2018.txt").exists():
        pytest.skip("../shared/real is absent beside the checkout; real laws not ingested")
    from metrokg.kg.graph.ingest import ingest_paths
    from metrokg.kg.store.registry import open_store

    folder = tmp_path_factory.mktemp("conduct")
    (folder / "rule.txt").write_text(RULE, encoding="utf-8")
    with open_store(str(folder / "store"), write=True) as store:
        ingest_paths(store, [*(REAL / f"{law}.txt" for law in LAWS), folder / "rule.txt"])
        yield store


@pytest.mark.slow
def test_penalties_of_the_real_laws_by_a_conduct_concept(laws_store):
    from metrokg.kg.analyses.penalties import list_penalties

    # an everyday word names 计量作弊: the penalties of the conducts below it, though no article says 动手脚
    cheating = _articles(list_penalties(laws_store, conduct="动手脚"))
    assert {("jiliangfa-2018", "第二十六条", None), ("jiliangfa-2018", "第二十七条", None),
            ("jiliangfa-xize-2022", "第四十六条", None), ("jiliangfa-xize-2022", "第四十八条", None)} <= set(cheating)
    assert ("jiliangfa-2018", "第二十五条", None) not in cheating  # unverified instruments are no cheating
    assert _articles(list_penalties(laws_store, conduct="metrological cheating")) == cheating
    # a citizen's sentence: the conduct the linker finds in it
    assert _articles(list_penalties(laws_store, conduct="加油机被人动了手脚")) == cheating
    # a narrow concept: its own penalties only, by an everyday label too
    # 实施细则 第五十四条: 计量检定人员有下列行为之一的，给予行政处分…：（一）伪造检定数据的；…
    forged = [("shanghai-tiaoli-2018", "第三十三条", "（一）"), ("rule", "第四条", None),
              ("jiliangfa-xize-2022", "第五十四条", None)]
    assert sorted(_articles(list_penalties(laws_store, conduct="检定造假"))) == sorted(forged)
    assert sorted(_articles(list_penalties(laws_store, conduct="伪造检定数据"))) == sorted(forged)
    officials = _articles(list_penalties(laws_store, conduct="玩忽职守"))
    assert {("jiliangfa-2018", "第二十九条", None), ("jiliangfa-xize-2022", "第五十二条", None),
            ("shanghai-tiaoli-2018", "第三十九条", None)} <= set(officials)
    # words that are no label still match the text, as before
    assert ("jiliangfa-2018", "第二十七条", None) in _articles(list_penalties(laws_store, conduct="欺骗消费者"))
    assert list_penalties(laws_store, conduct="没有这种行为zz") == []


@pytest.mark.slow
def test_a_question_s_conduct_words_reach_the_penalty_articles(laws_store):
    from metrokg.kg.analyses.penalties import penalties_for_question

    items = penalties_for_question(laws_store, "少给油")
    found = {(i["provision"]["document"], i["article"]) for i in items}
    assert {("jiliangfa-2018", "第二十六条"), ("jiliangfa-2018", "第二十七条")} <= found
    assert all(i["span"]["text"] and i["provision"]["iri"] for i in items)
    # a citation still answers with the penalties that violate the cited article, and only those
    cited = penalties_for_question(laws_store, "本办法第二条")
    assert "第五条" in {i["article"] for i in cited} and all("第二条" in i["refers_to"] for i in cited)


@pytest.mark.slow
def test_a_penalty_takes_the_conduct_of_the_article_it_violates(laws_store):
    from metrokg.kg.analyses.penalties import list_penalties

    # 第五条 says only 违反本办法第二条规定，有禁止行为之一的: 第二条 lists 破坏计量器具准确度 and 擅自改动
    for words in ("破坏计量器具准确度", "擅自改动", "动手脚"):
        assert ("rule", "第五条", None) in _articles(list_penalties(laws_store, document="rule", conduct=words)), words
    assert _articles(list_penalties(laws_store, document="rule", conduct="超期未检")) == [("rule", "第三条", None)]


@pytest.mark.slow
def test_a_list_lead_takes_the_conduct_of_its_items(laws_store):
    from metrokg.kg.analyses.penalties import list_penalties

    assert _articles(list_penalties(laws_store, document="rule", conduct="玩忽职守")) == [("rule", "第六条", None)]
    assert _articles(list_penalties(laws_store, document="rule", conduct="abuse of power")) == [("rule", "第六条", None)]


# ----------------------------------------------------------------------------- the linker's vocabulary

@pytest.fixture
def shipped_vocabulary_replaced(monkeypatch):
    """Point the shipped vocabulary at other files; the real one is read again afterwards."""
    def use(paths: list[Path]) -> None:
        monkeypatch.setattr(vocab, "turtle_files", lambda: paths)
        vocab.packaged.cache_clear()
        vocab._cached.cache_clear()

    yield use
    monkeypatch.undo()
    vocab.packaged.cache_clear()
    vocab._cached.cache_clear()


def test_a_broken_vocabulary_file_is_e200_naming_it(tmp_path, shipped_vocabulary_replaced):
    broken = tmp_path / "conduct.ttl"
    broken.write_text('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                      '<https://w3id.org/metrokg/id/conduct/x> skos:prefLabel "x"@zh ; skos:altLabel .\n',
                      encoding="utf-8")
    shipped_vocabulary_replaced([broken])
    with pytest.raises(BackendError) as err:
        load_vocabulary_patterns()
    assert err.value.code == "E200" and str(broken) in str(err.value)
    shipped_vocabulary_replaced([tmp_path / "missing.ttl"])
    with pytest.raises(BackendError, match="E200.*missing.ttl"):
        load_vocabulary_patterns()


def test_a_bug_behind_the_vocabulary_is_not_hidden_by_a_fallback(monkeypatch):
    def bug(scheme=None):
        raise KeyError("a bug in the concept model")

    monkeypatch.setattr(vocab, "concepts", bug)
    with pytest.raises(KeyError, match="a bug in the concept model"):
        load_vocabulary_patterns()


def test_the_vocabulary_gives_every_scheme_s_patterns():
    schemes = {p.scheme for p in load_vocabulary_patterns()}
    assert {"conduct", "instrument", "quantity", "industry", "actortype", "unit"} <= schemes


# ----------------------------------------------------------------------------- quantities in compounds

def _linked(text: str) -> set[tuple[str, str, str]]:
    return {(m.text, m.scheme, m.iri.rsplit("/", 1)[1]) for m in shared_linker().mentions(text)}


@pytest.mark.parametrize("text, present, absent", [
    # 周期检定 is periodic verification (like 周期性检定), not the quantity period
    ("使用单位应当按照规定申请周期检定。", set(), {("周期", "quantity", "period")}),
    # a longer label of the vocabulary wins: overdue verification is a conduct, not a period
    ("计量器具超过检定周期仍在使用", {("超过检定周期", "conduct", "overdue-verification")},
     {("周期", "quantity", "period")}),
    # 时间 as a schedule is no quantity; listed with quantities it is one
    ("确定必要的安装维护时间", set(), {("时间", "quantity", "time")}),
    ("研究长度、时间等基本量", {("时间", "quantity", "time")}, set()),
    # an instrument the ontology names is that instrument, not its quantity
    ("配备温度计和电能表", {("温度计", "instrument", "thermometer"), ("电能表", "instrument", "electricity-meter")},
     {("温度", "quantity", "temperature"), ("电能", "quantity", "electric-energy")}),
    ("加强电能计量", {("电能", "quantity", "electric-energy")}, set()),
])
def test_a_quantity_label_inside_a_longer_word(text, present, absent):
    found = _linked(text)
    assert present <= found and not absent & found, found


def test_every_instrument_named_after_its_quantity_is_linked_as_the_instrument():
    """温度计, 电能表, 压力表…: wherever the ontology names the compound, the compound wins."""
    table = vocab.packaged()
    quantity_labels = {label for c in table.in_scheme("quantity") for label in (c.pref_zh, *c.alt_labels) if label}
    checked = 0
    for c in table.in_scheme("instrument"):
        for label in (c.pref_zh, *c.alt_labels):
            if label.isascii() or not any(q in label and q != label for q in quantity_labels):
                continue
            found = [(m.text, m.iri) for m in shared_linker().mentions(f"配备{label}。")]
            assert (label, c.iri) in found, (label, found)
            checked += 1
    assert checked >= 5
