"""`metrokg serve` answers the web app and its named API (driven with gradio_client)."""

from __future__ import annotations

import pytest

from serving import running_server

pytestmark = pytest.mark.slow  # every test here talks to a real `metrokg serve`


@pytest.fixture(scope="module")
def server(built_store, tmp_path_factory):
    import shutil

    store = tmp_path_factory.mktemp("serve") / "store"
    shutil.copytree(built_store, store)
    with running_server(store) as url:
        yield url


def test_search_api_returns_provisions(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    hits = client.predict("碳排放计量", api_name="/search")
    assert hits and hits[0]["number"] == "3.5"
    assert {"number", "heading", "text", "start", "end", "score", "sentence"} <= set(hits[0])


def test_search_api_empty_query_is_a_readable_error(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    with pytest.raises(Exception) as err:
        client.predict("", api_name="/search")
    assert "E031" in str(err.value) or "empty" in str(err.value).lower()


def test_the_web_app_starts_without_the_extraction_pipeline(built_store):
    """The page and its warm-up read the store and the search index only: spaCy (and thinc's torch
    behind it, 3 s of start-up) is imported when a document is uploaded, not before."""
    import subprocess
    import sys

    code = ("import sys, time; import metrokg.ui.web.app as app; from metrokg.kg.store.registry import open_store;"
            f"server, state = app.create_server(open_store({str(built_store)!r})); time.sleep(3);"
            "print([m for m in ('spacy', 'thinc', 'torch', 'sentence_transformers') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0 and out.stdout.strip().splitlines()[-1] == "[]", (out.stdout, out.stderr[-2000:])
