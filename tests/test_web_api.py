"""The named API of `metrokg serve --auth`: scripted with gradio_client, and the login guards /sparql too."""

from __future__ import annotations

import base64
import shutil
import urllib.error
import urllib.parse
import urllib.request

import pytest

from serving import running_server

pytestmark = pytest.mark.slow  # every test here talks to a real `metrokg serve`

USER, PASSWORD = "drafter", "s3cret-Pw"


@pytest.fixture(scope="module")
def server(built_store, tmp_path_factory):
    store = tmp_path_factory.mktemp("webapi") / "store"
    shutil.copytree(built_store, store)
    with running_server(store, ["--auth", f"{USER}:{PASSWORD}"]) as url:
        yield url


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server, auth=(USER, PASSWORD), verbose=False)


def test_named_endpoints_are_listed(client):
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert {"/search", "/ask", "/obligations", "/targets", "/gaps"} <= names


def test_search_takes_only_the_query(client):
    hits = client.predict("碳排放计量", api_name="/search")
    assert hits[0]["number"] == "3.5"


def test_search_filters_are_keyword_arguments(client):
    due = client.predict("计量", deadline_year="2025", api_name="/search")
    assert "1.2" in {h["number"] for h in due}  # 到2025年 …
    with pytest.raises(Exception) as err:
        client.predict("计量", modality="sometimes", api_name="/search")
    assert "E282" in str(err.value)


def test_ask_cites_provisions_and_shows_its_sparql(client):
    answer = client.predict("谁负责中期评估？", api_name="/ask")
    assert answer["sparql"] and "Responsibility" in answer["sparql"]
    assert {a["provision"]["number"] for a in answer["answers"]} == {"6.4"}


def test_obligations_filter_and_targets_and_gaps(client):
    everything = client.predict(api_name="/obligations")
    encouraged = client.predict(modality="encouragement", api_name="/obligations")
    assert 0 < len(encouraged) < len(everything)
    assert {r["modality"] for r in encouraged} == {"encouragement"}
    targets = client.predict(api_name="/targets")
    assert any(t["indicator"] == "国家现代先进测量实验室" and t["value"] == 1 for t in targets)
    gaps = client.predict(by="quantity", api_name="/gaps")
    assert gaps["by"] == "quantity" and gaps["cells"][0]["rank"] == 1


def test_user_mistakes_come_back_as_coded_messages(client):
    with pytest.raises(Exception) as err:
        client.predict(modality="sometimes", api_name="/obligations")
    assert "E310" in str(err.value)


def test_login_is_required(server):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    with pytest.raises(AuthenticationError):
        Client(server, verbose=False).predict("计量", api_name="/search")


def test_sparql_endpoint_needs_the_same_login(server):
    url = server + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url)
    assert err.value.code == 401 and err.value.headers["WWW-Authenticate"].startswith("Basic")
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    req = urllib.request.Request(url, headers={"Authorization": f"Basic {token}",
                                               "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req) as resp:
        assert b'"boolean"' in resp.read()


def _json_api(server, path: str, body: bytes | None = None, auth: bool = True):
    """(status, parsed JSON) of a call to the plain JSON API."""
    import json

    req = urllib.request.Request(server + path, data=body, method="POST" if body is not None else "GET")
    if auth:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        req.add_header("Authorization", "Basic " + token)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read()), resp.headers
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), err.headers


def test_json_api_answers_what_the_named_api_answers(server, client):
    query = urllib.parse.quote("碳排放计量")
    status, hits, _ = _json_api(server, f"/api/search?query={query}&k=3")
    assert status == 200
    named = client.predict("碳排放计量", 3, api_name="/search")
    assert [(h["document"], h["number"]) for h in hits] == [(h["document"], h["number"]) for h in named]
    status, answer, _ = _json_api(server, "/api/ask", '{"question": "谁负责中期评估？"}'.encode())
    assert status == 200 and answer["kind"] == "responsible" and answer["answers"]
    status, docs, _ = _json_api(server, "/api/documents")
    assert status == 200 and any(d["id"].startswith("hubei") for d in docs)


def test_json_api_needs_the_login(server):
    status, body, headers = _json_api(server, "/api/targets", auth=False)
    assert status == 401 and body["error"] == "E253" and "Basic" in headers["WWW-Authenticate"]


@pytest.mark.parametrize("path, body, status, code", [
    ("/api/search?query=x&k=abc", None, 400, "E261"),  # a number that is not one
    ("/api/search?query=x&colour=red", None, 400, "E265"),  # a parameter the endpoint does not take
    ("/api/ask", b"[1, 2]", 400, "E267"),  # a body that is not an object of parameters
    ("/api/ask", b"{not json", 400, "E267"),
    ("/api/ingest", b"{}", 404, "E266"),  # writes go through the page's write queue only
    ("/api/nothing", None, 404, "E266"),
])
def test_json_api_mistakes_get_coded_messages(server, path, body, status, code):
    got, answer, _ = _json_api(server, path, body)
    assert (got, answer["error"]) == (status, code), answer
    assert answer["message"].startswith(f"[{code}]")
