"""Attacks on the web app's file inputs and named API, against a real ``metrokg serve`` on 127.0.0.1.

Before the fix, ``/ingest`` took a server-side path: /etc/os-release and a private key were
ingested and read back, a 26 MB file was copied into Gradio's cache before the 20 MB limit
was checked, a file named like the shipped document replaced it (36 provisions -> 4), type
errors answered ``{"error": null}`` and SIGTERM left ``/tmp/metrokg-web-*`` behind. Requests
are sent over raw HTTP where gradio_client would check (or upload) them itself.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from metrokg.errors import MetrokgError
from serving import running_server

SEED_ID = "hubei-2022-metrology-implementation"
FILE_META = {"_type": "gradio.FileData"}
MARKER = "MKGSECRET" + uuid.uuid4().hex[:12]
KEY_TEXT = (f"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU{MARKER}\n"
            "-----END OPENSSH PRIVATE KEY-----\n")
PLAN = "某市计量方案\n一、总体要求\n到2025年，新建社会公用计量标准20项以上。\n二、重点任务\n（一）加强民生计量。\n"
MB = 1024 * 1024
HTTP_TIMEOUT = 120


# ----------------------------------------------------------------------------- helpers

@dataclass
class Live:
    """A running server and the TMPDIR it made its work dir in."""

    url: str
    tmp: Path

    @property
    def work_dir(self) -> Path:
        (found,) = self.tmp.glob("metrokg-web-*")
        return found

    @property
    def uploads(self) -> Path:
        return self.work_dir / "gradio"


@contextmanager
def live_server(built_store: Path, root: Path) -> Iterator[Live]:
    """``metrokg serve`` on a copy of the built store, with its temp files under ``root/tmp``."""
    store, tmp = root / "store", root / "tmp"
    shutil.copytree(built_store, store)
    tmp.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TMPDIR", str(tmp))  # read by the server when it starts, then restored here
        server = running_server(store)
        url = server.__enter__()
    try:
        yield Live(url, tmp)
    finally:
        server.__exit__(None, None, None)


def _sse_messages(resp) -> Iterator[tuple[str, str]]:
    """(event, data) pairs of a server-sent event stream."""
    event = ""
    for raw in resp:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            yield event, line[5:].strip()


def api(url: str, name: str, *data) -> tuple[str, object]:
    """Call a named endpoint over raw HTTP; returns ("complete", outputs) or ("error", message)."""
    body = json.dumps({"data": list(data)}).encode()  # Infinity and NaN pass, as Python's parser reads them
    req = urllib.request.Request(f"{url}/gradio_api/call/{name}", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp:
        event_id = json.load(resp)["event_id"]
    with urllib.request.urlopen(f"{url}/gradio_api/call/{name}/{event_id}", timeout=HTTP_TIMEOUT) as resp:
        for event, payload in _sse_messages(resp):
            if event == "complete":
                return event, json.loads(payload)
            if event == "error":
                return event, (json.loads(payload) or {}).get("error") if payload != "null" else None
    raise AssertionError(f"/{name} ended without an answer")


def page_event(url: str, elem_id: str, data: list, session: str) -> dict:
    """Run the page's click handler of component ``elem_id`` as the browser does (queue/join)."""
    with urllib.request.urlopen(f"{url}/config", timeout=HTTP_TIMEOUT) as resp:
        config = json.load(resp)
    comp = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id)
    fn_index = next(d["id"] for d in config["dependencies"] if [comp, "click"] in d["targets"])
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None,
                       "trigger_id": comp}).encode()
    req = urllib.request.Request(f"{url}/gradio_api/queue/join", data=body,
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=HTTP_TIMEOUT).close()
    with urllib.request.urlopen(f"{url}/gradio_api/queue/data?session_hash={session}",
                                timeout=HTTP_TIMEOUT) as resp:
        for _event, payload in _sse_messages(resp):
            msg = json.loads(payload)
            if msg.get("msg") == "process_completed":
                return msg
    raise AssertionError(f"{elem_id} ended without an answer")


def upload(url: str, name: str, data: bytes) -> str:
    """Upload through Gradio's own route, as the browser and gradio_client do; the server's path."""
    import httpx

    resp = httpx.post(f"{url}/gradio_api/upload", files=[("files", (name, data))], timeout=HTTP_TIMEOUT)
    resp.raise_for_status()
    return resp.json()[0]


def sparql_rows(url: str, query: str) -> list[dict]:
    req = urllib.request.Request(url + "/sparql?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp:
        return json.load(resp)["results"]["bindings"]


def provision_count(url: str, doc_id: str) -> int:
    rows = sparql_rows(url, 'PREFIX mkg: <https://w3id.org/metrokg/ontology#> SELECT (COUNT(DISTINCT ?p) AS ?n) '
                            f'WHERE {{ ?d mkg:documentId "{doc_id}" . ?p a mkg:Provision ; ?rel ?d }}')
    return int(rows[0]["n"]["value"])


def document_ids(url: str) -> set[str]:
    rows = sparql_rows(url, "PREFIX mkg: <https://w3id.org/metrokg/ontology#> "
                            "SELECT ?id WHERE { ?d a mkg:Document ; mkg:documentId ?id }")
    return {r["id"]["value"] for r in rows}


def tree_bytes(root: Path) -> int:
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file() and not f.is_symlink())


def files_containing(root: Path, text: str) -> list[Path]:
    return [f for f in root.rglob("*") if f.is_file() and not f.is_symlink() and text.encode() in f.read_bytes()]


# ----------------------------------------------------------------------------- the server

@pytest.fixture(scope="module")
def live(built_store, tmp_path_factory) -> Iterator[Live]:
    with live_server(built_store, tmp_path_factory.mktemp("secupload")) as server:
        yield server


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> Path:
    """A private key file outside the server's upload folder, readable by the server."""
    path = tmp_path_factory.mktemp("home") / "id_ed25519"
    path.write_text(KEY_TEXT)
    return path


def _attacks(live: Live, secret: Path) -> dict[str, object]:
    """File values naming something the server did not receive as an upload."""
    link_out = live.uploads / f"link-{uuid.uuid4().hex}.txt"
    link_out.parent.mkdir(parents=True, exist_ok=True)
    link_out.symlink_to(secret)
    as_file = lambda path: {"path": str(path), "meta": FILE_META}  # noqa: E731
    return {
        "os-release": as_file("/etc/os-release"),
        "plain path": "/etc/os-release",
        "no meta": {"path": "/etc/os-release"},
        "private key": as_file(secret),
        "dot-dot out of the upload dir": as_file(f"{live.uploads}/../../../../../../etc/os-release"),
        "relative": as_file("../../../../../../etc/os-release"),
        "link in the upload dir to a file outside": as_file(link_out),
        "url": as_file("http://127.0.0.1:9/plan.txt"),
        "the upload dir itself": as_file(live.uploads),
    }


@pytest.mark.slow
def test_ingest_reads_no_file_the_server_did_not_receive(live, secret):
    before = document_ids(live.url)
    for label, value in _attacks(live, secret).items():
        event, message = api(live.url, "ingest", value, False)
        assert event == "error" and message and "[E257]" in message, (label, message)
    assert document_ids(live.url) == before
    for text in (MARKER, "PRETTY_NAME"):  # nothing of either file is in the graph
        assert not sparql_rows(live.url, f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{text}")) }} LIMIT 1')
    assert not files_containing(live.work_dir, MARKER)  # nothing was copied into Gradio's cache
    assert not files_containing(live.work_dir, "PRETTY_NAME")


@pytest.mark.slow
def test_no_endpoint_copies_a_server_file_into_the_cache(live, secret):
    """Gradio copies a file value in *any* input; the page refuses it before the copy."""
    value = {"path": str(secret), "meta": FILE_META}
    event, message = api(live.url, "search", value, 10, *SEARCH_FILTERS)
    assert event == "error" and "[E257]" in message
    done = page_event(live.url, "preview-button", [value, "zh"], session=uuid.uuid4().hex)
    assert not done["success"] and "[E257]" in done["output"]["error"]
    assert MARKER not in json.dumps(done)
    assert not files_containing(live.work_dir, MARKER)


@pytest.mark.slow
def test_a_link_inside_the_upload_dir_is_refused(live):
    target = upload(live.url, "plan.txt", PLAN.encode())
    link = Path(target).parent / "link.txt"
    link.symlink_to(target)
    event, message = api(live.url, "ingest", {"path": str(link), "meta": FILE_META}, False)
    assert event == "error" and "[E258]" in message


@pytest.mark.slow
def test_oversized_uploads_are_refused_before_anything_is_stored(live, secret):
    import httpx

    big = live.tmp.parent / "big.txt"
    big.write_bytes(b"a" * (26 * MB))
    resp = httpx.post(f"{live.url}/gradio_api/upload", files=[("files", ("big.txt", big.read_bytes()))],
                      timeout=HTTP_TIMEOUT)
    assert resp.status_code == 413 and "[E259]" in resp.text
    two = [("files", (f"part{i}.txt", b"b" * (15 * MB))) for i in range(2)]  # each under the limit, 30 MB together
    resp = httpx.post(f"{live.url}/gradio_api/upload", files=two, timeout=HTTP_TIMEOUT)
    assert resp.status_code == 413 and "[E259]" in resp.text

    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="c.txt"\r\n\r\n'
        for _ in range(26):
            yield b"c" * MB
        yield b"\r\n--b--\r\n"

    resp = httpx.post(f"{live.url}/gradio_api/upload", content=chunks(), timeout=HTTP_TIMEOUT,
                      headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert resp.status_code == 411 and "[E262]" in resp.text
    event, message = api(live.url, "ingest", {"path": str(big), "meta": FILE_META}, False)
    assert event == "error" and "[E257]" in message  # before: copied into the cache, then refused
    assert tree_bytes(live.work_dir) < 1 * MB


# /search's filters after query and k: document, industry, quantity, actor, modality, deadline_year,
# kind, jurisdiction, issued (Gradio's HTTP interface takes every parameter)
SEARCH_FILTERS = [""] * 9
API_TYPE_ERRORS = [
    ("search", ["计量", "abc", *SEARCH_FILTERS], "k", "E261"),
    ("search", ["计量", float("inf"), *SEARCH_FILTERS], "k", "E261"),
    ("search", ["计量", 10 ** 6, *SEARCH_FILTERS], "k", "E254"),
    ("search", [["计量"], 10, *SEARCH_FILTERS], "query", "E261"),
    ("search", ["计量", True, *SEARCH_FILTERS], "k", "E261"),
    ("ask", ["谁负责中期评估？", "abc"], "k", "E261"),
    ("ask", ["谁负责中期评估？", float("nan")], "k", "E261"),
    ("obligations", ["", "", float("inf"), "", "", ""], "deadline", "E261"),
    ("obligations", [{"a": 1}, "", None, "", "", ""], "actor", "E261"),
    ("targets", [5], "document", "E261"),
    ("gaps", [["quantity"], ""], "by", "E261"),
    ("ingest", [12, False], "file", "E261"),
    ("ingest", [{"path": "/etc/os-release"}, "yes"], "replace", "E261"),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,data,param,code", API_TYPE_ERRORS,
                         ids=[f"{n}-{p}-{i}" for i, (n, _d, p, _c) in enumerate(API_TYPE_ERRORS)])
def test_api_type_errors_are_coded_and_name_the_parameter(live, name, data, param, code):
    event, message = api(live.url, name, *data)
    assert event == "error" and message, message  # before: {"error": null}
    assert f"[{code}]" in message and f"'{param}'" in message and f"/{name}" in message


@pytest.mark.slow
def test_gradio_client_sees_the_coded_type_error(live):
    from gradio_client import Client

    with pytest.raises(Exception) as err:
        Client(live.url, verbose=False).predict("计量", k="abc", api_name="/search")
    assert "E261" in str(err.value) and "'k'" in str(err.value)


@pytest.mark.slow
def test_a_new_upload_is_ingested_and_its_received_copy_removed(live, tmp_path):
    from gradio_client import Client, handle_file

    doc = tmp_path / "sec-city-plan.txt"
    doc.write_text(PLAN, encoding="utf-8")
    result = Client(live.url, verbose=False).predict(handle_file(str(doc)), api_name="/ingest")
    assert result["id"] == "sec-city-plan" and result["status"] == "added" and result["provisions"] >= 2
    assert provision_count(live.url, "sec-city-plan") == result["provisions"]
    assert not list(live.uploads.rglob("sec-city-plan.txt"))


@pytest.mark.slow
def test_replacing_a_document_needs_the_flag(live, tmp_path):
    """Last in this module: it replaces the seed document of the shared server."""
    from gradio_client import Client, handle_file

    client = Client(live.url, verbose=False)
    doc = tmp_path / f"{SEED_ID}.txt"
    doc.write_text(PLAN, encoding="utf-8")
    seed = provision_count(live.url, SEED_ID)
    assert seed == 36
    with pytest.raises(Exception) as err:
        client.predict(handle_file(str(doc)), api_name="/ingest")
    assert "[E260]" in str(err.value) and SEED_ID in str(err.value)
    assert provision_count(live.url, SEED_ID) == seed  # before: 36 -> 4 without being asked

    # the Documents tab: preview, then add without and with the checkbox
    session = uuid.uuid4().hex
    path = upload(live.url, doc.name, doc.read_bytes())
    previewed = page_event(live.url, "preview-button", [{"path": path, "meta": FILE_META}, "zh"], session)
    assert previewed["success"] and SEED_ID in previewed["output"]["data"][1]
    refused = page_event(live.url, "add-button", [None, None, False, "zh"], session)  # token, file, replace, lang
    assert "[E260]" in json.dumps(refused["output"]["data"][0], ensure_ascii=False)
    assert provision_count(live.url, SEED_ID) == seed

    result = client.predict(handle_file(str(doc)), replace=True, api_name="/ingest")
    assert result["status"] == "replaced" and provision_count(live.url, SEED_ID) == result["provisions"] < seed


# ----------------------------------------------------------------------------- shutdown

@pytest.mark.slow
def test_sigterm_removes_the_work_dir(built_store, tmp_path):
    from gradio_client import Client, handle_file

    doc = tmp_path / "shutdown-plan.txt"
    doc.write_text(PLAN, encoding="utf-8")
    with live_server(built_store, tmp_path / "srv") as server:
        upload(server.url, "pending.txt", PLAN.encode())
        Client(server.url, verbose=False).predict(handle_file(str(doc)), api_name="/ingest")
        work_dir = server.work_dir
        assert any(f.is_file() for f in work_dir.rglob("*"))
    # running_server stops the server with SIGTERM and waits for it
    assert not work_dir.exists(), sorted(map(str, work_dir.rglob("*")))


# ----------------------------------------------------------------------------- no server

@pytest.fixture
def received(tmp_path) -> Path:
    root = tmp_path / "gradio" / "abc"
    root.mkdir(parents=True)
    (root / "plan.txt").write_text(PLAN, encoding="utf-8")
    return tmp_path / "gradio"


def _code(fn, *args) -> str:
    with pytest.raises(MetrokgError) as err:
        fn(*args)
    return err.value.code


def test_read_received_takes_only_regular_files_inside_the_folder(received, tmp_path, secret):
    from metrokg.kg.graph.uploads import read_received

    assert read_received(str(received / "abc" / "plan.txt"), received) == PLAN.encode()
    (received / "abc" / "in.txt").symlink_to(received / "abc" / "plan.txt")
    (received / "abc" / "out.txt").symlink_to(secret)
    os.mkfifo(received / "abc" / "pipe.txt")
    outside_link = tmp_path / "outside.txt"
    outside_link.symlink_to(received / "abc" / "plan.txt")
    cases = {str(received / "abc" / "in.txt"): "E258", str(received / "abc" / "pipe.txt"): "E258",
             str(outside_link): "E258", str(received / "abc" / "out.txt"): "E257", str(secret): "E257",
             str(received / "abc" / ".." / ".." / secret.name): "E257", "abc/plan.txt": "E257",
             str(received): "E257", "": "E257", str(received / "abc" / "gone.txt"): "E250",
             "/no/such/dir/file.txt": "E257"}  # outside: no hint whether it exists
    for path, code in cases.items():
        assert _code(read_received, path, received) == code, path
    assert _code(read_received, {"path": str(secret)}, received) == "E257"


def test_read_received_stops_at_the_upload_limit(received, monkeypatch):
    from metrokg.kg.graph.uploads import read_received

    monkeypatch.setenv("METROKG_MAX_UPLOAD_MB", "0.00001")
    assert _code(read_received, str(received / "abc" / "plan.txt"), received) == "E170"


def test_api_arguments_follow_the_type_hints():
    from metrokg.ui.web.callbacks import api_argument

    assert api_argument("/x", "k", "10", int) == 10 and api_argument("/x", "k", 3.0, int) == 3
    assert api_argument("/x", "d", "", int | None) is None and api_argument("/x", "d", None, str, "") == ""
    for value, hint in [("abc", int), (float("inf"), int), (float("nan"), int | None), (True, int),
                        (2.5, int), ([1], str), (1, str), ("yes", bool), (1, dict | str)]:
        with pytest.raises(MetrokgError) as err:
            api_argument("/x", "p", value, hint)
        assert err.value.code == "E261" and "'p'" in str(err.value)
