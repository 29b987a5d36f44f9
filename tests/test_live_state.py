"""The web app's one live state: document lists follow the store's generation, writes are
serialised while searches answer from the published index, and the upload points of issue 18."""

from __future__ import annotations

import threading

import pytest

from conftest import DATA
from metrokg.errors import MetrokgError


@pytest.fixture
def app_state(store_copy, tmp_path):
    from metrokg.kg.store.registry import open_store
    from metrokg.ui.web.state import AppState

    store = open_store(str(store_copy), write=True)
    received = tmp_path / "received"
    received.mkdir()
    state = AppState(store, work_dir=tmp_path / "work", received=received)
    yield state
    state.close()
    store.close()


def received_file(state, name: str, data: bytes):
    folder = state.received / "abc123"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.slow
def test_documents_follow_every_write_and_the_index_follows_once_written(app_state):
    before = app_state.documents()
    generation = app_state.generation()
    assert app_state.documents() is before  # unchanged store: not listed again
    path = received_file(app_state, "live_plan.txt", (DATA / "structure" / "city_plan.txt").read_bytes())
    result = app_state.add_upload(app_state.keep_upload(path))  # no preview first
    assert result.status == "added" and app_state.generation() > generation
    assert "live-plan" in [d["id"] for d in app_state.documents()]
    assert any(h["document"] == "live-plan" for h in app_state.search("计量", k=50))
    app_state.remove_document("live-plan")
    assert "live-plan" not in [d["id"] for d in app_state.documents()]


@pytest.mark.slow
def test_a_search_during_a_write_answers_from_the_index_published_before(app_state):
    published = app_state.read_index()
    started, release = threading.Event(), threading.Event()

    def slow_write():
        app_state.store.replace_graphs({})  # a new generation, as every write makes
        started.set()
        release.wait(30)

    writer = threading.Thread(target=app_state.write, args=(slow_write,))
    writer.start()
    try:
        assert started.wait(30)
        assert app_state.store.generation() != published.generation
        assert app_state.read_index() is published  # not rebuilt while the write holds the lock
        assert app_state.search("计量", k=1)
    finally:
        release.set()
        writer.join(60)
    assert app_state.read_index().generation == app_state.store.generation()


def test_every_fact_kind_and_status_has_both_labels():
    from metrokg.kg.graph.uploads import FACT_CLASSES
    from metrokg.ui.web.i18n import TEXT

    assert all(f"fact.{name}" in TEXT for name in FACT_CLASSES)
    assert all(f"status.{s}" in TEXT for s in ("added", "replaced", "unchanged", "removed"))


def test_the_preview_counts_facts_in_the_pages_language():
    from metrokg.kg.graph.uploads import UploadPreview
    from metrokg.ui.web.render import preview_html

    preview = UploadPreview(token="0" * 32, id="x", title="某方案", format="txt", source_name="x.txt",
                            provisions=[], facts={"Task": 32, "QuantitativeTarget": 12}, replaces=False)
    zh, en = preview_html(preview, "zh"), preview_html(preview, "en")
    assert "任务: 32，量化目标: 12" in zh and "Task" not in zh
    assert "Tasks: 32, Quantitative targets: 12" in en


@pytest.mark.parametrize("name, data, code, words", [
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "E004", "image"),
    ("notes.pdf", "某市计量发展实施方案\n一、总体要求\n".encode("utf-8"), "E007", "not a PDF"),
])
def test_an_upload_it_cannot_read_is_refused_with_the_reason(app_state, name, data, code, words):
    generation = app_state.generation()
    path = received_file(app_state, name, data)
    with pytest.raises(MetrokgError) as err:
        app_state.preview_upload(path)
    assert err.value.code == code and words in str(err.value) and name in str(err.value)
    token = app_state.keep_upload(path)
    with pytest.raises(MetrokgError):
        app_state.add_upload(token)
    assert app_state.generation() == generation  # nothing written


@pytest.mark.slow
def test_every_document_list_refreshes_on_load_tab_timer_and_after_writes(store_copy):
    from metrokg.kg.store.registry import open_store
    from metrokg.ui.web.page import build_page
    from metrokg.ui.web.state import AppState

    store = open_store(str(store_copy))
    try:
        demo = build_page(AppState(store))
        config = demo.get_config_file()
    finally:
        store.close()
    ids = {c["id"]: c["props"].get("elem_id") for c in config["components"]}
    wanted = {"doc-table", "doc-select", "remove-select", "search-document", "obl-document", "gap-document"}
    refreshers = [d for d in config["dependencies"] if wanted <= {ids.get(o) for o in d["outputs"]}]
    triggers = {event for d in refreshers for _, event in d["targets"]}
    assert {"load", "tick", "select"} <= triggers
    fns = list(demo.fns.values())
    writes = [f for f in fns if f.concurrency_id == "writes"]
    assert len(writes) >= 3 and all(f.concurrency_limit == 1 for f in writes)  # add, remove, /ingest
    for name in ("search", "ask", "targets", "obligations", "gaps", "documents"):
        api = next(f for f in fns if f.api_name == name)
        assert api.concurrency_limit > 1 and api.concurrency_id != "writes"  # reads run side by side



YICHANG_NOTICE = ("宜昌市人民政府关于加强计量工作的实施意见\n一、总体要求\n加强计量监督管理，提升计量服务能力。\n"
                  "二、重点任务\n开展加油机计量专项检查，严厉打击计量作弊行为。\n宜昌市人民政府\n2024年3月1日\n")


@pytest.mark.slow
def test_the_search_tabs_document_facets_count_and_follow_an_upload(app_state):
    """The kind, jurisdiction and year dropdowns list the store's values with their document counts, in
    both languages, and an upload adds its own (the live refresh hands them to every page)."""
    from metrokg.ui.web.live import facet_updates
    from metrokg.ui.web.tabs._shared import UI
    from metrokg.ui.web.tabs.search import document_facet_choices, facet_choices

    before = document_facet_choices(app_state.document_facets(), "zh")
    assert before["kind"][0] == ("全部", "") and "宜昌市" not in {v for _, v in before["jurisdiction"]}
    hubei = dict((v, label) for label, v in before["jurisdiction"])["湖北省"]
    path = received_file(app_state, "yichang_notice.txt", YICHANG_NOTICE.encode("utf-8"))
    doc_id = app_state.add_upload(app_state.keep_upload(path)).id
    after = document_facet_choices(app_state.document_facets(), "zh")
    places = [v for _, v in after["jurisdiction"]]
    assert places.index("宜昌市") == places.index("湖北省") + 1  # under its province
    assert ("\u3000宜昌市（1 份）", "宜昌市") in after["jurisdiction"]
    assert dict((v, label) for label, v in after["jurisdiction"])["湖北省"] != hubei  # one more
    assert ("2024（1 份）", "2024") in after["issued"]
    english = document_facet_choices(app_state.document_facets(), "en")
    assert ("\u3000Yichang (1)", "宜昌市") in english["jurisdiction"] and english["kind"][0] == ("All", "")
    assert {h["document"] for h in app_state.search("计量", k=20, jurisdiction="宜昌市", issued="2024")} == {doc_id}
    # a page's refresh keeps a chosen value still there, and falls back to "all" for one that is gone
    ui = UI(labels=None, lang=None, facet_filters=[(None, facet_choices(app_state, "jurisdiction"))] * 2)
    kept, gone = facet_updates(ui, "zh", ["宜昌市", "某某县"])
    assert "value" not in kept and gone["value"] == "" and ("\u3000宜昌市（1 份）", "宜昌市") in kept["choices"]


def test_a_refresh_that_finishes_late_does_not_undo_a_pick():
    """A refresh carries the values the lists had when it began: an empty one (the page just loaded) must
    not clear the document the user picked meanwhile; a removed document's is cleared."""
    from types import SimpleNamespace

    from metrokg.ui.web.live import list_updates
    from metrokg.ui.web.tabs._shared import UI

    docs = [{"id": "a", "title": "甲", "issuer": None, "date": None, "provisions": 1, "parents": []}]
    state = SimpleNamespace(documents=lambda: docs)
    ui = UI(labels=None, lang=None, doc_filter=object(), doc_pickers=[object(), object()])
    _table, filter_, empty, removed = list_updates(state, ui, "zh", [None, "", None, "gone"])
    assert "value" not in filter_ and "value" not in empty  # left as the page has them now
    assert removed["value"] is None and removed["choices"] == [("甲 (a)", "a")]
