"""/sparql: a user's bad query is a 400 that says what to change; only metrokg's own failures are 5xx
(a bug 500 with a coded line and the traceback in the log, never in the answer)."""

from __future__ import annotations

import logging
import shutil

import pytest

from metrokg.errors import MetrokgError

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402


@pytest.fixture(scope="module")
def client(built_store, tmp_path_factory):
    from metrokg.kg.store.registry import open_store
    from metrokg.ui.web.sparql_endpoint import EndpointLimits, add_sparql_endpoint

    dest = tmp_path_factory.mktemp("sparql-errors") / "store"
    shutil.copytree(built_store, dest)
    store = open_store(str(dest))
    app = fastapi.FastAPI()
    add_sparql_endpoint(app, store, EndpointLimits(row_limit=20, timeout_s=10, cors_origins=()))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    store.close()


def get(client, query: str):
    return client.get("/sparql", params={"query": query})


def test_a_syntax_error_is_a_400_with_line_column_and_the_text_there(client):
    r = get(client, "SELECT * WHERE { ?s ?p }")
    assert r.status_code == 400
    assert r.text.startswith("[E020]") and "line 1, column 18" in r.text and "'?s ?p }'" in r.text


def test_an_unknown_prefix_is_a_400_naming_the_prefix_to_declare(client):
    r = get(client, "SELECT ?x WHERE { ?x foo:bar ?y }")
    assert r.status_code == 400 and r.text.startswith("[E020]")
    assert "prefix foo: is not declared: add PREFIX foo: <...>" in r.text
    assert "\\u{" not in r.text and "Prefix not found" not in r.text  # not the parser's character classes


@pytest.mark.parametrize("query, keyword", [("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT DATA"),
                                            ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"), ("LOAD <http://x/>", "LOAD")])
def test_an_update_is_a_400_that_says_only_reads_are_allowed(client, query, keyword):
    r = get(client, query)
    assert r.status_code == 400 and r.text.startswith("[E021]") and keyword in r.text
    form = client.post("/sparql", data={"update": query})
    assert form.status_code == 400 and form.text.startswith("[E021]")


def test_a_construct_reads_with_metrokgs_prefixes(client):
    r = get(client, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3")
    assert r.status_code == 200 and "ns1:" not in r.text and "@prefix mkg:" in r.text


def test_our_own_bug_is_a_500_with_a_coded_line_and_the_traceback_only_in_the_log(client, monkeypatch, caplog):
    from metrokg.ui.web import sparql_endpoint

    def broken(*_args, **_kwargs):
        raise KeyError("a bug of ours")

    monkeypatch.setattr(sparql_endpoint, "serialize", broken)
    with caplog.at_level(logging.ERROR, logger="metrokg.web"):
        r = get(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert r.status_code == 500 and r.text.startswith("[E263]") and "KeyError" in r.text
    assert "Traceback" not in r.text and "a bug of ours" not in r.text
    assert any(rec.exc_info for rec in caplog.records)

    def internal(*_args, **_kwargs):
        raise MetrokgError("E370", reason="a query the worker could not run")

    monkeypatch.setattr(sparql_endpoint, "run_user_query", internal)
    assert get(client, "SELECT * WHERE { ?s ?p ?o }").status_code == 500
