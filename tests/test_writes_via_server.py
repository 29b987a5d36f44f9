"""CLI writes while `metrokg serve` holds the store: sent to the server over its owner-only socket.

A real server (tests/serving.py) over a copy of the built store; the CLI runs as a subprocess
and must give the output and errors it gives without a server. Without a server (or with a
socket a dead server left behind) the CLI opens the store itself, as before.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import struct
import tempfile
import time
from pathlib import Path

import pytest

from conftest import DATA, cli_json, run_cli
from serving import running_server

CATALOGUE = "id,title,type,quantity kinds,instruments,status,dates\nJJG 443-2023,燃油加油机检定规程,JJG,体积,燃油加油机,现行,2023-06-01\n"


def documents(url: str) -> list[str]:
    from gradio_client import Client

    return [d["id"] for d in Client(url, verbose=False).predict(api_name="/documents")]


@pytest.mark.slow
def test_cli_writes_go_through_a_running_server_and_it_lists_them(store_copy, tmp_path):
    doc = tmp_path / "through_server.txt"
    shutil.copy(DATA / "structure" / "city_plan.txt", doc)
    (tmp_path / "catalogue.csv").write_text(CATALOGUE, encoding="utf-8")
    with running_server(store_copy) as url:
        sock = store_copy / "serve.sock"
        assert stat.S_ISSOCK(sock.stat().st_mode) and stat.S_IMODE(sock.stat().st_mode) == 0o600
        rows = cli_json("ingest", str(doc), store=store_copy)
        assert [(r["id"], r["status"]) for r in rows] == [("through-server", "added")] and rows[0]["provisions"] > 0
        assert "through-server" in documents(url)  # the server's own list, no restart
        # the same errors as without a server: coded, on stderr, exit code 2, nothing written
        missing = run_cli("ingest", str(tmp_path / "missing.txt"), store=store_copy, check=False)
        assert missing.returncode == 2 and "[E001]" in missing.stderr and "Traceback" not in missing.stderr
        again = run_cli("remove", "no-such-document", store=store_copy, check=False)
        assert again.returncode == 2 and "[E010]" in again.stderr
        imported = cli_json("specs", "import", str(tmp_path / "catalogue.csv"), store=store_copy)
        assert imported["imported"] == 1 and imported["entries"][0]["id"] == "JJG 443-2023"
        target = next(t for t in cli_json("targets", "--document", "through-server", store=store_copy))
        obs = cli_json("progress", "set", target["id"], "1", "--as-of", "2024-06", store=store_copy,
                       env={"METROKG_USER": "tester"})
        assert obs["agent"] == "tester"  # who ran the command, not who runs the server
        removed = cli_json("remove", "through-server", store=store_copy)
        assert [(r["id"], r["status"]) for r in removed] == [("through-server", "removed")]
        assert "through-server" not in documents(url)
    assert not sock.exists()  # the server removes its socket when it stops
    # the writes are in the store: it opens (no server now) with the catalogue and without the document
    assert "through-server" not in [d["id"] for d in cli_json("documents", store=store_copy)]


@pytest.mark.slow
def test_without_a_server_a_left_socket_is_ignored(store_copy, tmp_path):
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(str(store_copy / "serve.sock"))  # a server that died: the file stays, nobody listens
    left.close()
    doc = tmp_path / "no_server.txt"
    shutil.copy(DATA / "structure" / "city_plan.txt", doc)
    assert cli_json("ingest", str(doc), store=store_copy)[0]["status"] == "added"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to connect as another user")
def test_another_user_is_refused_even_through_a_widened_socket(store_copy):
    from metrokg.kg.store.registry import open_store
    from metrokg.errors import MetrokgError
    from metrokg.ui.cli.commands._via_server import WriteServer, _request

    store = open_store(str(store_copy), write=True)
    calls: list = []
    folder = Path(tempfile.mkdtemp(prefix="metrokg-sock-"))  # under /tmp, reachable by another user
    os.chmod(folder, 0o755)
    server = WriteServer(store, folder, lambda fn, *args: calls.append(fn)).start()
    try:
        os.chmod(folder / "serve.sock", 0o666)  # even so: the peer's uid is checked on every connection
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: another user sends a removal
            try:
                os.setuid(65534)
                conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                conn.connect(str(folder / "serve.sock"))
                try:  # the CLI's own client: the refusal may come before the request is sent
                    _request(conn, folder / "serve.sock", "remove", {"doc_id": "x"}, lambda _item: None)
                    os.write(write_end, b"no error")
                except MetrokgError as err:
                    os.write(write_end, err.code.encode())
            finally:
                os._exit(0)
        os.close(write_end)
        os.waitpid(pid, 0)
        assert os.read(read_end, 65536).decode() == "E491" and not calls
    finally:
        server.close()
        store.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_request_from_the_owner_runs_one_serialised_write(store_copy):
    from metrokg.kg.store.registry import open_store
    from metrokg.ui.cli.commands._via_server import SOCKET_NAME, WriteServer

    store = open_store(str(store_copy), write=True)
    done: list = []

    def write(fn, *args):
        done.append(fn.__name__)
        return fn(*args)

    server = WriteServer(store, store_copy, write).start()
    try:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(30)
        conn.connect(str(store_copy / SOCKET_NAME))
        assert struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1] == os.getuid()
        conn.sendall(b'{"op": "remove", "params": {"doc_id": "no-such"}}\n')
        deadline, data = time.time() + 30, b""
        while not data.endswith(b"\n") and time.time() < deadline:
            data += conn.recv(65536)
        assert json.loads(data)["error"]["code"] == "E010" and done == ["apply_remove"]
        conn.close()
        bad = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        bad.settimeout(30)
        bad.connect(str(store_copy / SOCKET_NAME))
        bad.sendall(b'{"op": "rm -rf", "params": {}}\n')
        assert json.loads(bad.recv(65536))["error"]["code"] == "E490" and done == ["apply_remove"]
        bad.close()
    finally:
        server.close()
        store.close()
