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
