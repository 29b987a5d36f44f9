"""`metrokg serve` answers the SPARQL 1.1 Protocol at /sparql, read-only, queried with SPARQLWrapper."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph

from serving import running_server

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML  # noqa: E402
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed  # noqa: E402

pytestmark = pytest.mark.slow  # every test here talks to a real `metrokg serve`

ROW_LIMIT = 50
DOCS = """PREFIX mkg: <https://w3id.org/metrokg/ontology#>
SELECT ?id ?title WHERE { ?d mkg:documentId ?id ; mkg:title ?title }"""
SEED_ID = "hubei-2022-metrology-implementation"


@pytest.fixture(scope="module")
def endpoint(built_store, tmp_path_factory):
    store = tmp_path_factory.mktemp("sparql") / "store"
    shutil.copytree(built_store, store)
    with running_server(store, ["--sparql-limit", str(ROW_LIMIT), "--sparql-timeout", "2"]) as url:
        yield url + "/sparql"


def wrapper(url: str, query: str, fmt=JSON, method=None, request_method=None):
    sw = SPARQLWrapper.SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    if request_method:
        sw.setRequestMethod(request_method)
    return sw


def test_select_as_json_by_get(endpoint):
    res = wrapper(endpoint, DOCS).queryAndConvert()
    assert res["head"]["vars"] == ["id", "title"]
    assert SEED_ID in [b["id"]["value"] for b in res["results"]["bindings"]]


@pytest.mark.parametrize("request_method", [None, POSTDIRECTLY], ids=["form-encoded", "sparql-query-body"])
def test_select_by_post(endpoint, request_method):
    res = wrapper(endpoint, DOCS, method=POST, request_method=request_method).queryAndConvert()
    assert SEED_ID in [b["id"]["value"] for b in res["results"]["bindings"]]


def test_select_as_xml(endpoint):
    doc = wrapper(endpoint, DOCS, fmt=XML).queryAndConvert()
    values = [lit.firstChild.nodeValue for b in doc.getElementsByTagName("binding")
              if b.getAttribute("name") == "id" for lit in b.getElementsByTagName("literal")]
    assert SEED_ID in values


def test_select_as_csv_and_tsv(endpoint):
    csv_text = wrapper(endpoint, DOCS, fmt=CSV).queryAndConvert().decode("utf-8")
    assert csv_text.splitlines()[0] == "id,title" and SEED_ID in csv_text
    tsv_text = wrapper(endpoint, DOCS, fmt=TSV).queryAndConvert().decode("utf-8")
    head, *rows = tsv_text.splitlines()
    assert head == "?id\t?title"
    assert any(r.startswith(f'"{SEED_ID}"\t') for r in rows)  # TSV keeps terms in Turtle syntax


def test_ask_and_construct(endpoint):
    ask = wrapper(endpoint, f'PREFIX mkg: <https://w3id.org/metrokg/ontology#> ASK {{ ?d mkg:documentId "{SEED_ID}" }}')
    assert ask.queryAndConvert()["boolean"] is True
    construct = wrapper(endpoint, """PREFIX mkg: <https://w3id.org/metrokg/ontology#>
        CONSTRUCT { ?p mkg:number ?n } WHERE { ?p a mkg:Provision ; mkg:number ?n } """, fmt=TURTLE)
    g = Graph().parse(data=construct.queryAndConvert(), format="turtle")
    assert len(g) >= 30


def test_content_negotiation_by_accept_header(endpoint):
    url = endpoint + "?" + urllib.parse.urlencode({"query": DOCS})
    req = urllib.request.Request(url, headers={"Accept": "text/tab-separated-values;q=0.9, text/csv"})
    with urllib.request.urlopen(req) as resp:
        assert resp.headers["Content-Type"].startswith("text/csv")
        assert resp.read().decode("utf-8").startswith("id,title")


@pytest.mark.parametrize("query, keyword", [
    # SPARQLWrapper sends an INSERT as the protocol's update operation: refused as UPDATE.
    ('PREFIX mkg: <https://w3id.org/metrokg/ontology#> INSERT DATA { <urn:x> mkg:title "x" }', "UPDATE"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
])
def test_updates_and_service_are_refused(endpoint, query, keyword):
    with pytest.raises(QueryBadFormed) as err:
        wrapper(endpoint, query, method=POST).queryAndConvert()
    assert "E021" in str(err.value) and keyword in str(err.value)
    res = wrapper(endpoint, DOCS).queryAndConvert()  # and nothing changed
    assert len(res["results"]["bindings"]) == 1


def test_update_sent_as_a_query_is_refused(endpoint):
    body = urllib.parse.urlencode({"query": "CLEAR ALL"}).encode()
    req = urllib.request.Request(endpoint, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req)
    assert err.value.code == 400 and "E021" in err.value.read().decode()


def test_row_limit_truncates_and_says_so(endpoint):
    url = endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s ?p ?o }", "format": "json"})
    with urllib.request.urlopen(url) as resp:
        assert resp.headers.get("X-Metrokg-Truncated")
        import json

        assert len(json.loads(resp.read())["results"]["bindings"]) == ROW_LIMIT


def test_time_limit_stops_a_long_query(endpoint):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=60)
    assert err.value.code == 503 and "E022" in err.value.read().decode()


def _status_headers_body(req: urllib.request.Request) -> tuple[int, object, str]:
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def test_rdfxml_that_cannot_be_written_is_a_coded_error(endpoint):
    """RDF/XML needs each predicate split into namespace and local name; `<http://example.org/>` has
    none (this was an HTTP 500 with a traceback in the log)."""
    query = ("CONSTRUCT { ?d <http://example.org/> ?id } "
             "WHERE { ?d <https://w3id.org/metrokg/ontology#documentId> ?id }")
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    for req in (urllib.request.Request(url + "&format=xml"),
                urllib.request.Request(url, headers={"Accept": "application/rdf+xml"})):
        status, _, body = _status_headers_body(req)
        assert status == 406 and "[E356]" in body and "Turtle" in body
    status, _, body = _status_headers_body(urllib.request.Request(url + "&format=turtle"))
    assert status == 200 and SEED_ID in body


def test_cors_is_off_by_default(endpoint):
    url = endpoint + "?" + urllib.parse.urlencode({"query": DOCS})
    status, headers, _ = _status_headers_body(urllib.request.Request(url))
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, body = _status_headers_body(urllib.request.Request(url, headers={"Origin": "http://page.example"}))
    assert status == 403 and "[E357]" in body and "Access-Control-Allow-Origin" not in headers
    preflight = urllib.request.Request(url, method="OPTIONS", headers={
        "Origin": "http://page.example", "Access-Control-Request-Method": "POST"})
    status, headers, _ = _status_headers_body(preflight)
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
