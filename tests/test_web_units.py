"""The web app's parts without a server: labels, rendering, error guard, uploads, graph view, Learn, formats."""

from __future__ import annotations

import re
import shutil
import string

import pytest

from metrokg.errors import MetrokgError


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory):
    from metrokg.kg.store.registry import open_store

    path = tmp_path_factory.mktemp("webunits") / "store"
    shutil.copytree(built_store, path)
    s = open_store(str(path), write=True)
    yield s
    s.close()


# ----------------------------------------------------------------------------- labels

def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_label_has_both_languages_with_the_same_fields():
    from metrokg.ui.web.i18n import TEXT

    for key, (zh, en) in TEXT.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key
        assert re.search(r"[\u4e00-\u9fff]", zh) or key.startswith("tab.sparql") or zh == en, key


@pytest.mark.slow
def test_switching_language_updates_every_registered_component(store):
    from metrokg.ui.web.page import TAB_IDS, build_page
    from metrokg.ui.web.state import AppState

    demo = build_page(AppState(store))
    config = demo.get_config_file()
    tabs = [c["props"] for c in config["components"] if c["type"] == "tabitem"]
    assert [t["id"] for t in tabs] == list(TAB_IDS)
    assert [t["label"] for t in tabs] == ["检索", "问答", "义务", "法律责任", "目标", "比较", "缺口", "图谱", "文档", "SPARQL",
                                          "科普", "导出"]
    switch = next(d for d in config["dependencies"] if d["targets"] and
                  any(c["props"].get("elem_id") == "lang-switch" and c["id"] == d["targets"][0][0]
                      for c in config["components"]))
    assert len(switch["outputs"]) >= 60  # every label, placeholder, button text and tab title


def test_labels_registry_translates_keys_and_callables():
    import gradio as gr

    from metrokg.ui.web.i18n import Labels

    labels = Labels()
    with gr.Blocks():
        labels.add(gr.Textbox(), label="search.query", placeholder=lambda lang: f"<{lang}>")
    (update,) = labels.updates("en")
    assert update["label"] == "Search for" and update["placeholder"] == "<en>"


# ----------------------------------------------------------------------------- rendering and errors

def test_hits_are_escaped_and_their_sentence_marked():
    from metrokg.ui.web.render import hits_html

    text = "前言<script>alert(1)</script>。加强计量。"
    hit = {"number": "1.2", "heading": "<b>x</b>", "document": "d", "score": 1.0, "text": text, "start": 100,
           "end": 100 + len(text), "sentence": {"start": 100 + text.index("加强"), "end": 100 + len(text)},
           "concepts": [{"label": "计量"}]}
    out = hits_html([hit], "en")
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;x" in out
    assert "<mark>加强计量。</mark>" in out
    assert "data-num='1.2'" in out and "Matched concepts" in out


def test_guard_shows_coded_messages_and_hides_tracebacks(caplog):
    from metrokg.ui.web.callbacks import guarded

    @guarded(2, 0, lang_arg=0)
    def user_mistake(lang):
        raise MetrokgError("E031")

    @guarded(2, 0, lang_arg=0)
    def bug(lang):
        raise RuntimeError("secret path /srv/x")

    status, other = user_mistake("zh")
    assert "[E031]" in status and "mk-error" in status and other == {"__type__": "update"}
    status, _ = bug("en")
    assert "internal error" in status and "secret" not in status and "Traceback" not in status
    assert "secret path" in caplog.text  # logged on the server


def test_every_tab_is_built_and_offers_the_declared_search_filters(store):
    import inspect

    from metrokg.kg.search.index import SearchIndex
    from metrokg.ui.web.page import build_page
    from metrokg.ui.web.state import FACETS, AppState

    assert set(FACETS) <= set(inspect.signature(SearchIndex.search).parameters)
    ids = {c["props"].get("elem_id") for c in build_page(AppState(store)).get_config_file()["components"]}
    assert {"ask-box", "obl-table", "tgt-bars", "gap-heatmap", "graph-network"} <= ids
    assert {f"search-{name}" for name in FACETS} <= ids
    assert not any(str(i).endswith("-pending") for i in ids)


def test_the_web_calls_the_library_only_through_app_state():
    from pathlib import Path

    import metrokg.ui.web as web

    folder = Path(web.__file__).parent
    bypass = [f"{p.name}:{n}" for p in sorted(folder.rglob("*.py")) if p.name != "state.py"
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "state.store" in line]
    assert not bypass, f"library calls that bypass AppState: {bypass}"


def test_app_state_answers_as_the_library_does(store):
    from metrokg.kg.analyses.gaps import gap_map
    from metrokg.kg.analyses.neighbourhood import labels_for
    from metrokg.kg.analyses.obligations import list_obligations
    from metrokg.kg.analyses.targets import list_targets
    from metrokg.kg.store.export import export_graph
    from metrokg.ui.web.state import AppState

    state = AppState(store)
    try:
        assert state.obligations(modality="obligation") == list_obligations(store, modality="obligation")
        assert state.targets() == list_targets(store)
        assert state.gaps(by="instrument") == gap_map(store, by="instrument")
        columns, rows, truncated = state.sparql("SELECT ?s WHERE { ?s a ?t } LIMIT 3", row_limit=2, timeout_s=10)
        assert columns == ["s"] and len(rows) == 2 and truncated
        assert state.export_graph("nq") == export_graph(store, "nq")
        meter = state.find_entities("电能表")[0]
        assert state.neighbourhood(meter["iri"])["center"] == meter["iri"]
        assert state.labels([meter["iri"]], "en") == labels_for(store, [meter["iri"]], "en")
    finally:
        state.close()


def test_guard_asks_for_a_bug_report_for_an_internal_error(caplog):
    from metrokg.ui.web.callbacks import guarded

    @guarded(2, 0, lang_arg=0)
    def internal(lang):
        raise MetrokgError("E370", reason="a CONSTRUCT query has no rows")

    @guarded(1, 0)
    def backend():
        raise MetrokgError("E383", path="/srv/store", reason="Input/output error")

    status, _ = internal("en")
    assert "[E370]" in status and "bug in metrokg" in status and "report" in status
    assert "Traceback" in caplog.text and "E370" in caplog.text  # logged on the server with its traceback
    status = backend()
    assert "[E383]" in status and "bug" not in status


def test_whole_numbers_from_form_fields():
    from metrokg.ui.web.state import whole_number

    assert whole_number("25", "rows", 1, 100) == 25
    for bad in ("0", "1.5", "abc", None, 101):
        with pytest.raises(MetrokgError) as err:
            whole_number(bad, "rows", 1, 100)
        assert err.value.code == "E254"


# ----------------------------------------------------------------------------- uploads

PLAN = ("某市计量发展实施方案\n一、总体要求\n到2025年，新建社会公用计量标准20项以上。\n"
        "二、重点任务\n（一）加强民生计量。市市场监管局要加强对加油机、电能表的监督检查。\n").encode("utf-8")


def test_uploads_are_stored_under_generated_names(tmp_path):
    from metrokg.kg.graph.uploads import UploadArea

    area = UploadArea(tmp_path / "up")
    token = area.put(PLAN, "../../etc/passwd.txt")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert sorted(p.name for p in (tmp_path / "up").iterdir()) == [f"{token}.bin", f"{token}.json"]
    data, name = area.get(token)
    assert data == PLAN and name == "passwd.txt"
    for bad in ("../x", "0" * 31, token.upper()):
        with pytest.raises(MetrokgError) as err:
            area.get(bad)
        assert err.value.code == "E250"


def test_upload_size_and_type_are_checked(tmp_path, monkeypatch):
    from metrokg.kg.graph.uploads import UploadArea, parse_upload

    monkeypatch.setenv("METROKG_MAX_UPLOAD_MB", "0.0001")
    with pytest.raises(MetrokgError) as err:
        UploadArea(tmp_path / "up").put(PLAN * 10, "big.txt")
    assert err.value.code == "E170"
    monkeypatch.delenv("METROKG_MAX_UPLOAD_MB")
    with pytest.raises(MetrokgError) as err:
        parse_upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "plan.txt")  # an image renamed .txt
    assert err.value.code == "E004"


def test_preview_then_add_an_upload(store, tmp_path):
    from metrokg.kg.records.listing import document_ids
    from metrokg.kg.graph.uploads import UploadArea, add_upload, preview_upload

    area = UploadArea(tmp_path / "up")
    token = area.put(PLAN, "city-plan.txt")
    generation = store.generation()
    steps = []
    preview = preview_upload(store, area, token, step=lambda s, f: steps.append(s))
    assert steps == ["read", "parse", "extract"] and store.generation() == generation  # nothing written
    assert preview.id == "city-plan" and [p["number"] for p in preview.provisions] == ["1", "2", "2.1"]
    assert preview.facts.get("QuantitativeTarget", 0) >= 1 and not preview.replaces
    result = add_upload(store, area, token)
    assert result.status == "added" and "city-plan" in document_ids(store)
    with pytest.raises(MetrokgError):
        area.get(token)  # the stored copy is gone once added


# ----------------------------------------------------------------------------- graph view

def test_neighbourhood_of_a_provision_and_walking_on(store):
    from metrokg.kg.analyses.neighbourhood import find_entities, neighbourhood

    prov = "https://w3id.org/metrokg/doc/hubei-2022-metrology-implementation/provision/3.5"
    n = neighbourhood(store, prov, limit=100)
    kinds = {node["kind"] for node in n["nodes"]}
    assert n["label"] == "3.5 助力绿色低碳发展" and {"document", "provision", "concept"} <= kinds
    assert all(e["source"] == prov or e["target"] == prov for e in n["edges"])
    assert any(d["property"] == "标题" for d in n["details"])  # property names in the page's language
    assert any(d["property"] == "heading" for d in neighbourhood(store, prov, limit=100, lang="en")["details"])
    meter = find_entities(store, "电能表")[0]
    assert meter["kind"] == "concept"
    assert any(node["id"] == meter["iri"] for node in neighbourhood(store, meter["iri"])["nodes"])


@pytest.mark.parametrize("entity", ["https://w3id.org/metrokg/id/nothing/here", "not an iri", "<bad>"])
def test_unknown_entities_are_a_readable_error(store, entity):
    from metrokg.kg.analyses.neighbourhood import neighbourhood

    with pytest.raises(MetrokgError) as err:
        neighbourhood(store, entity)
    assert err.value.code == "E255"


# ----------------------------------------------------------------------------- SPARQL formats

@pytest.mark.parametrize("kind, accept, fmt, expected", [
    ("SELECT", "application/sparql-results+json", None, "json"),
    ("SELECT", "application/sparql-results+xml;q=0.5, text/csv", None, "csv"),
    ("SELECT", "text/tab-separated-values", None, "tsv"),
    ("SELECT", "*/*", None, "json"),
    ("ASK", "text/html", None, "json"),
    ("SELECT", "text/csv", "xml", "xml"),
    ("CONSTRUCT", "application/sparql-results+json, text/turtle;q=0.8", None, "turtle"),
    ("DESCRIBE", "application/ld+json", None, "json-ld"),
    ("CONSTRUCT", None, "application/n-triples", "nt"),
])
def test_format_negotiation(kind, accept, fmt, expected):
    from metrokg.ui.web.sparql_endpoint import choose_format

    assert choose_format(kind, accept, fmt) == expected


def test_unknown_format_is_refused():
    from metrokg.ui.web.sparql_endpoint import choose_format

    with pytest.raises(MetrokgError) as err:
        choose_format("SELECT", None, "yaml")
    assert err.value.code == "E023"


# ----------------------------------------------------------------------------- Learn

def test_learn_states_the_defining_constants_and_units_exactly():
    from metrokg.kg.analyses import learn_topics as learn

    text = " ".join(topic.body(lang) for topic in learn.TOPICS for lang in ("zh", "en"))
    for value in ("9 192 631 770 Hz", "299 792 458 m/s", "6.626 070 15 × 10<sup>−34</sup> J·s",
                  "1.602 176 634 × 10<sup>−19</sup> C", "1.380 649 × 10<sup>−23</sup> J/K",
                  "6.022 140 76 × 10<sup>23</sup> mol<sup>−1</sup>", "683 lm/W"):
        assert value in text
    assert [u[4] for u in learn.BASE_UNITS] == ["s", "m", "kg", "A", "K", "mol", "cd"]
    assert len(learn.DERIVED_UNITS) == 22 and len({u[4] for u in learn.DERIVED_UNITS}) == 22
    assert {"亩", "斤、两", "公分"} <= {u[0] for u in learn.NOT_LEGAL}
    for word in ("水表", "电能表", "燃气表", "加油机", "强制检定", "第三条", "第九条"):
        assert word in text

