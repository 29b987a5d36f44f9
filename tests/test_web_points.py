"""Issue 18's smaller points: quantities inside compounds, the graph's lookup and edges, the SPARQL
console's messages, the command descriptions, Turtle prefixes and the honest gap map."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter

import pytest

from conftest import ROOT, cli_json, run_cli
from _analyses import SEED_ID

PERIOD = "https://w3id.org/metrokg/id/quantity/period"
SAMPLE_CSV = ROOT / "corpus" / "specs-sample.csv"


@pytest.fixture(scope="module")
def store(built_store):
    from metrokg.kg.store.registry import open_store

    with open_store(str(built_store)) as opened:
        yield opened


# ----------------------------------------------------------------------------- quantities in compounds

@pytest.mark.parametrize("text, found", [
    ("推进计量器具全寿命周期管理", False),  # jieba cuts 全/寿命/周期: a stop compound
    ("北斗导航全生命周期计量服务", False),
    ("开展周期性检定", False),  # 周期性 is a word of jieba's dictionary
    ("缩短检定周期", True),
    ("加强压力计和温度计量", True),  # 压力计 names an instrument of pressure; 温度 stands alone
])
def test_a_quantity_inside_a_longer_word_is_no_mention(text, found):
    from metrokg.nlp.extraction.linking import shared_linker

    quantities = {m.text for m in shared_linker().mentions(text) if m.scheme == "quantity"}
    assert ("周期" in quantities or "压力" in quantities) is found


def test_the_pipeline_links_no_period_in_whole_life_cycle():
    from metrokg.nlp.extraction.pipeline import load_pipeline

    doc = load_pipeline()("推进计量器具全寿命周期管理，缩短检定周期")
    periods = [m for m in doc._.metrokg_mentions if m.iri == PERIOD]
    assert [m.text for m in periods] == ["周期"] and periods[0].start == len("推进计量器具全寿命周期管理，缩短检定")


def test_no_period_gap_from_whole_life_cycle(store):
    from metrokg.kg.analyses.gaps import gap_map

    for cell in gap_map(store)["cells"]:
        if cell["column_iri"] == PERIOD:
            assert not any("寿命周期" in p["text"] or "周期性" in p["text"] for p in cell["provisions"]), cell


# ----------------------------------------------------------------------------- graph

def test_an_exact_label_beats_a_label_that_contains_it(store):
    from metrokg.kg.analyses.neighbourhood import find_entities

    assert find_entities(store, "汽车")[0]["iri"] == "https://w3id.org/metrokg/id/industry/automotive"
    assert find_entities(store, "汽车衡")[0]["iri"] == "https://w3id.org/metrokg/id/instrument/weighing-instrument"
    assert find_entities(store, "没有这个词的实体zz") == []


def test_a_provisions_neighbourhood_folds_repeated_labels_and_reads_in_both_languages(store):
    from metrokg.kg.analyses.neighbourhood import FOLD_AFTER, neighbourhood

    iri = f"https://w3id.org/metrokg/doc/{SEED_ID}/provision/5.5"
    zh = neighbourhood(store, iri, lang="zh")
    shown = Counter(e["label"] for e in zh["edges"] if e["label"])
    assert shown and max(shown.values()) <= FOLD_AFTER
    assert any(re.search(r"×\d+$", label) for label in shown)  # a folded label says how many
    raw = {"inProvision", "wasDerivedFrom", "refersTo", "usedIn", "prefLabel", "inDocument"}
    assert not raw & {part for label in shown for part in re.split(r" · | ×\d+", label)}
    assert "所属文件" in shown
    en = neighbourhood(store, iri, lang="en")
    assert "in document" in {e["label"] for e in en["edges"]}
    meter = neighbourhood(store, "https://w3id.org/metrokg/id/instrument/weighing-instrument", lang="en")
    assert not any(re.search(r"[\u4e00-\u9fff]", e["label"]) for e in meter["edges"])


def test_graph_not_found_message_names_the_term():
    from metrokg.ui.web.i18n import t

    assert t("graph.none", "zh", text="zzz").startswith("未找到") and "zzz" in t("graph.none", "zh", text="zzz")
    assert t("graph.none", "en", text="zzz").startswith("Not found")


# ----------------------------------------------------------------------------- SPARQL, help, export

def test_sparql_parse_messages_are_readable():
    from metrokg.ui.web.tabs.sparql import readable_reason

    reason = readable_reason("SELECT ?s WHERE { ?s ex:p ?o }", "error at 1:27: expected OPTIONAL")
    assert reason.startswith("syntax error at line 1, column 27, near '?o }'")
    assert "prefix ex: is not declared" in reason
    declared = readable_reason("PREFIX ex: <http://e/>\nSELECT ?s WHERE { ?s ex:p ?o", "error at 2:29: expected }")
    assert "line 2" in declared and "not declared" not in declared
    assert readable_reason("SELECT", "syntax error at line 1") == "syntax error at line 1"


@pytest.mark.slow
@pytest.mark.parametrize("command, words", [("sparql", "read-only SPARQL 1.1 query"),
                                            ("export", "named graphs"), ("serve", "SPARQL 1.1 endpoint")])
def test_commands_describe_themselves(command, words):
    out = run_cli(command, "--help").stdout
    assert words in " ".join(out.split())


@pytest.mark.slow
def test_turtle_export_uses_metrokgs_prefixes(built_store, tmp_path):
    out = tmp_path / "graph.ttl"
    run_cli("export", "--format", "ttl", "-o", str(out), store=built_store)
    text = out.read_text(encoding="utf-8")
    head = "\n".join(line for line in text.splitlines() if line.startswith("@prefix"))
    assert "@prefix mkg: <https://w3id.org/metrokg/ontology#>" in head and "@prefix skos:" in head
    assert not re.search(r"\bns\d+:", text)
    from rdflib import Graph

    assert len(Graph().parse(data=text, format="turtle")) > 1000


# ----------------------------------------------------------------------------- the honest gap map

def test_the_catalogue_says_what_it_holds(store):
    from metrokg.kg.analyses.gaps import catalogue_summary

    summary = catalogue_summary(store)
    assert summary["specifications"] == summary["shipped"] > 0 and summary["imported"] == 0
    assert sum(summary["series"].values()) == summary["specifications"] and "JJG" in summary["series"]


def test_cells_resting_on_one_weak_mention_are_marked(store):
    from metrokg.kg.analyses.gaps import gap_map, is_weak

    cells = gap_map(store)["cells"]
    assert any(c["weak"] for c in cells) and not all(c["weak"] for c in cells)
    for c in cells:
        assert c["weak"] == (c["demand"] == 1 and is_weak(c["provisions"][0]))


def test_gap_map_in_english_shows_english_labels(store):
    from metrokg.kg.analyses.gaps import gap_map
    from metrokg.ui.web.tabs.gaps import catalogue_note, localised, mark_weak

    english = localised(gap_map(store), "en")
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert not any(cjk.search(c["industry"]) or cjk.search(c["column"]) for c in english["cells"])
    assert not any(cjk.search(i) for i in english["industries"])
    torque = next(c for c in english["cells"] if c["column"] == "torque" and c["industry"] == "automotive")
    assert torque["column_iri"].endswith("/torque")
    weak = next(c for c in english["cells"] if c["weak"])
    html = mark_weak(f"<td data-industry='{weak['industry']}' data-column='{weak['column']}'>1</td>", english)
    assert "class='mk-weak'" in html
    assert "shipped with metrokg" in catalogue_note({"specifications": 3, "shipped": 2, "imported": 1,
                                                     "series": {"JJG": 3}}, "en")


def test_the_legend_explains_each_value_in_both_languages():
    from metrokg.ui.web.i18n import t

    for lang, words in (("zh", ("需求", "规范", "缺口", "0.25", "0.5", "1.5", "specs-sample.csv", "虚线")),
                        ("en", ("demand", "supply", "gap", "0.25", "0.5", "1.5", "specs-sample.csv", "dashed"))):
        legend = t("gap.legend", lang)
        assert all(w in legend for w in words), (lang, legend)


def test_the_sample_catalogue_is_documented_and_imports(built_store, tmp_path):
    rows = list(csv.DictReader(SAMPLE_CSV.open(encoding="utf-8")))
    from metrokg.kg.graph.catalogue import COLUMNS

    assert tuple(rows[0]) == COLUMNS
    assert all(re.fullmatch(r"JJ[GF] \d+(\.\d+)?-\d{4}", r["id"]) for r in rows)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "corpus/specs-sample.csv" in readme and all(f"`{c}`" in readme for c in COLUMNS)
    dest = tmp_path / "store"
    shutil.copytree(built_store, dest)
    before = cli_json("gaps", store=dest)
    run_cli("specs", "import", str(SAMPLE_CSV), store=dest)
    after = cli_json("gaps", store=dest)

    def supply(gmap, column):
        return next(c["supply"] for c in gmap["columns"] if c["column"] == column)

    assert supply(after, "扭矩") == supply(before, "扭矩") + 2  # JJG 707, JJF 1610
    from metrokg.kg.analyses.gaps import catalogue_summary
    from metrokg.kg.store.registry import open_store

    with open_store(str(dest)) as opened:
        assert catalogue_summary(opened)["imported"] == 6  # JJF 1059.1 covers no quantity kind
