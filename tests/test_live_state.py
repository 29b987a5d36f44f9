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

