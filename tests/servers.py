"""Real SPARQL servers on free loopback ports, for the backend tests and the scale benchmark.

`oxigraph serve` comes with the PyPI package `oxigraph`; Virtuoso with Debian's
virtuoso-opensource, which does not start itself: it gets its own ini here, and the SPARQL
user is granted updates through isql.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 1200
MaxQueryCostEstimationTime = 0
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, log: Path | None = None, seconds: float = 60) -> None:
    """Wait until a SPARQL endpoint answers ``ASK {}``; fail early if its process exits."""
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log else f"exit code {proc.returncode}"
            raise RuntimeError(f"{proc.args[0]} exited: {tail}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def oxigraph_binary() -> str | None:
    local = Path(sys.executable).with_name("oxigraph")
    return str(local) if local.exists() else shutil.which("oxigraph")


def virtuoso_binaries() -> tuple[str, str] | None:
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    return (binary, isql) if binary and isql else None


def start_oxigraph(folder: Path) -> tuple[subprocess.Popen, str]:
    """`oxigraph serve` over ``folder/db``; returns the process and its base URL
    (/query, /update and /store, the Graph Store Protocol)."""
    binary = oxigraph_binary()
    if binary is None:
        raise FileNotFoundError("oxigraph")
    port = free_port()
    log = folder / "server.log"
    proc = subprocess.Popen([binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/query", proc, log)
    except RuntimeError:
        stop(proc)
        raise
    return proc, base


def start_virtuoso(folder: Path, buffers: int = 20000, max_rows: int = 1_000_000) -> tuple[subprocess.Popen, str]:
    """`virtuoso-t` with its own ini in ``folder``, SPARQL updates granted; returns the process and
    its base URL (/sparql, /sparql-graph-crud)."""
    found = virtuoso_binaries()
    if found is None:
        raise FileNotFoundError("virtuoso-t")
    binary, isql = found
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql=sql, http=http, buffers=buffers, dirty=buffers * 3 // 4,
                                       max_rows=max_rows))
    log = folder / "server.log"
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    try:
        wait_http(base + "/sparql", proc, log)
        grant = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                               capture_output=True, text=True, timeout=60)
        if grant.returncode != 0:
            raise RuntimeError(f"granting SPARQL updates failed: {grant.stdout}{grant.stderr}")
    except RuntimeError:
        stop(proc)
        raise
    return proc, base
