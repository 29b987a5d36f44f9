"""Read-only SPARQL for users: refuses updates and SERVICE, limits rows and time.

The SPARQL console of the web app, the ``/sparql`` endpoint and ``metrokg sparql`` all go
through :func:`run_user_query`. On the embedded store a user's query runs in a child process
over a read-only view of the store (:mod:`metrokg.kg.sparql_worker`), which is killed when the
time limit is reached: Oxigraph cannot interrupt a running aggregate or sort, so a thread would
keep burning a core and holding the store's lock after the user was told the query stopped.
A few workers are kept warm, so a small query costs a round trip over a pipe, not a start-up.
Remote stores run the query in a thread: the remote server does the work and has its own limits.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import select
import subprocess
import sys
import threading
import time

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from metrokg.errors import MetrokgError
from metrokg.kg.store import EmbeddedStore, Store

FORBIDDEN = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "SERVICE", "WITH")
_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
# A keyword right after ? or $ is a variable, right after : the local part of a prefixed name;
# the parser reads neither as a keyword. A keyword followed by ':' is still refused, because
# Oxigraph reads `SERVICE:x {...}` as SERVICE applied to `:x`.
_KEYWORD = re.compile(r"(?<![?$:\w])(" + "|".join(FORBIDDEN) + r")\b", re.IGNORECASE)
DEFAULT_ROW_LIMIT = 10000
DEFAULT_TIMEOUT_S = 10.0
MAX_WORKERS = 4  # user queries running at once on the embedded store; more wait their turn
IDLE_WORKERS = 2  # warm workers kept between queries


def check_read_only(query: str) -> None:
    """Raise E021 when the query contains an update keyword or SERVICE outside strings and IRIs."""
    code = _STRIP.sub(" ", query)
    m = _KEYWORD.search(code)
    if m:
        raise MetrokgError("E021", keyword=m.group(1).upper())


def _check_limits(row_limit: int, timeout_s: float) -> None:
    if isinstance(row_limit, bool) or not isinstance(row_limit, int) or row_limit < 1:
        raise MetrokgError("E351", value=row_limit)
    if not isinstance(timeout_s, (int, float)) or not 0 < timeout_s < float("inf"):
        raise MetrokgError("E352", value=timeout_s)


def run_user_query(store: Store, query: str, row_limit: int = DEFAULT_ROW_LIMIT,
                   timeout_s: float = DEFAULT_TIMEOUT_S) -> tuple[Result, bool]:
    """Run a user's query with the safety rules; returns (result, truncated).

    Raises E020 (invalid query), E021 (update or SERVICE), E022 (time limit; the query is
    stopped), E350 (the query process failed), E351/E352 (bad limits).
    """
    if not query or not query.strip():
        raise MetrokgError("E020", reason="the query is empty")
    check_read_only(query)
    _check_limits(row_limit, timeout_s)
    if isinstance(store, EmbeddedStore):
        return _POOL.run(store, query, row_limit, timeout_s)
    return _run_in_thread(store, query, row_limit, timeout_s)


def _run_in_thread(store: Store, query: str, row_limit: int, timeout_s: float) -> tuple[Result, bool]:
    box: dict = {}

    def work() -> None:
        try:
            box["result"] = store.query(query)
        except BaseException as err:  # handed to the caller's thread
            box["error"] = err

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise MetrokgError("E022", seconds=timeout_s)
    if "error" in box:
        err = box["error"]
        if isinstance(err, MetrokgError):
            raise err
        raise MetrokgError("E020", reason=str(err)) from None
    return _truncate(box["result"], row_limit)


def _truncate(result: Result, row_limit: int) -> tuple[Result, bool]:
    truncated = False
    if result.type == "SELECT" and len(result.bindings) > row_limit:
        result.bindings = result.bindings[:row_limit]
        truncated = True
    elif result.type in ("CONSTRUCT", "DESCRIBE") and len(result.graph) > row_limit:
        g = Graph()
        for i, t in enumerate(result.graph):
            if i >= row_limit:
                break
            g.add(t)
        result.graph = g
        truncated = True
    return result, truncated


# ----------------------------------------------------------------- worker processes

def _decode(term: list | None):
    if term is None:
        return None
    kind = term[0]
    if kind == "u":
        return URIRef(term[1])
    if kind == "b":
        return BNode(term[1])
    if kind == "l":
        value, lang, datatype = term[1], term[2], term[3]
        if lang:
            return Literal(value, lang=lang)
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(value)
        return Literal(value, datatype=URIRef(datatype))
    return Literal(term[1])


def _result(reply: dict) -> tuple[Result, bool]:
    if reply["type"] == "ASK":
        res = Result("ASK")
        res.askAnswer = reply["value"]
        return res, False
    if reply["type"] == "SELECT":
        res = Result("SELECT")
        res.vars = [Variable(n) for n in reply["vars"]]
        res.bindings = [{v: _decode(t) for v, t in zip(res.vars, row) if t is not None}
                        for row in reply["rows"]]
        return res, reply["truncated"]
    res = Result("CONSTRUCT")
    g = Graph()
    for s, p, o in reply["triples"]:
        g.add((_decode(s), _decode(p), _decode(o)))
    res.graph = g
    return res, reply["truncated"]


class _Worker:
    """One child process running :mod:`metrokg.kg.sparql_worker`."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "metrokg.kg.sparql_worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True)
        self._buffer = b""

    def ask(self, request: dict, deadline: float) -> dict | None:
        """Send a request and wait for the answer until ``deadline``; None when time ran out."""
        self.proc.stdin.write(json.dumps(request, ensure_ascii=False).encode("utf-8") + b"\n")
        self.proc.stdin.flush()
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise EOFError("the query process ended")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """Stop the process at once (whatever it is computing) and reap it."""
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


class _Pool:
    """Warm workers shared by the threads of one process (the web app serves many at once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._slots = threading.BoundedSemaphore(MAX_WORKERS)
        self._pid = os.getpid()

    def _take(self) -> _Worker:
        with self._lock:
            if self._pid != os.getpid():  # a forked child must not share its parent's pipes
                self._idle, self._pid = [], os.getpid()
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if worker.alive() and len(self._idle) < IDLE_WORKERS:
                self._idle.append(worker)
                return
        worker.kill()

    def run(self, store: EmbeddedStore, query: str, row_limit: int, timeout_s: float) -> tuple[Result, bool]:
        deadline = time.monotonic() + timeout_s
        if not self._slots.acquire(timeout=timeout_s):
            raise MetrokgError("E022", seconds=timeout_s)
        try:
            request = {"db": str(store.path / "oxigraph"), "generation": store.generation(),
                       "query": query, "union": True, "rows": row_limit}
            for attempt in (1, 2):
                worker = self._take() if attempt == 1 else _Worker()
                try:
                    reply = worker.ask(request, deadline)
                    break
                except (OSError, EOFError, ValueError) as err:
                    worker.kill()  # a warm worker may have died while idle: retry once on a fresh one
                    if attempt == 2:
                        raise MetrokgError("E350", reason=_death(worker, err)) from None
            if reply is None:
                worker.kill()  # the query is stopped, not left running
                raise MetrokgError("E022", seconds=timeout_s)
            self._give_back(worker)
        finally:
            self._slots.release()
        if "error" in reply:
            if reply["error"] == "syntax":
                raise MetrokgError("E020", reason=reply["message"])
            raise MetrokgError("E350", reason=reply["message"])
        return _result(reply)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


def _death(worker: _Worker, err: Exception) -> str:
    code = worker.proc.returncode
    if code is not None and code < 0:
        return f"the query process was killed by signal {-code} (out of memory?)"
    return str(err) or type(err).__name__


_POOL = _Pool()
atexit.register(_POOL.close)


def result_rows(result: Result) -> tuple[list[str], list[dict]]:
    """Column names and rows of plain strings, for tables and CSV."""
    if result.type == "ASK":
        return ["boolean"], [{"boolean": str(bool(result.askAnswer)).lower()}]
    if result.type == "SELECT":
        cols = [str(v) for v in result.vars]
        return cols, [{c: (str(b[v]) if v in b else "") for c, v in zip(cols, result.vars)}
                      for b in result.bindings]
    cols = ["subject", "predicate", "object"]
    return cols, [dict(zip(cols, map(str, t))) for t in result.graph]
