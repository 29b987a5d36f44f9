"""Read-only SPARQL for users: refuses updates and SERVICE, limits rows, time, memory and length.

The SPARQL console of the web app, the ``/sparql`` endpoint and ``metrokg sparql`` all go
through :func:`run_user_query`. On the embedded store a user's query runs in a child process
over a read-only view of the store (:mod:`metrokg.kg.store.sparql_worker`), which is killed when the
time limit is reached: Oxigraph cannot interrupt a running aggregate or sort, so a thread would
keep burning a core and holding the store's lock after the user was told the query stopped.
The child has no network and a capped address space (METROKG_SPARQL_MEMORY_MB). A few workers
are kept warm, so a small query costs a round trip over a pipe, not a start-up.
Remote stores run the query in a thread: the remote server does the work and has its own limits;
the parse check below is what keeps SERVICE from reaching it.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from metrokg import settings
from metrokg.errors import MetrokgError
from metrokg.kg.store.base import Store
from metrokg.kg.store.embedded import EmbeddedStore
from metrokg.kg.store.sparql_check import check_read_only
from metrokg.kg.store.sparql_worker import MEMORY_FAILED

log = logging.getLogger(__name__)
DEFAULT_ROW_LIMIT = 10000
DEFAULT_TIMEOUT_S = 10.0
MAX_WORKERS = 4  # user queries running at once on the embedded store; more wait their turn
IDLE_WORKERS = 2  # warm workers kept between queries
# Parsing is pure Python (about 1 ms of CPU per expression term, so a 10,000-character FILTER ... IN
# list takes 4 s) and cannot be stopped in a thread: queries longer than this are checked in a worker
# process, under the query's time limit; shorter ones (typically 1-20 ms) in the caller's thread.
QUICK_CHECK_CHARS = 2000


def _check_length(query: str) -> None:
    """E353 above METROKG_SPARQL_MAX_QUERY_CHARS: the query text is parsed, sent and kept several times."""
    limit = settings.get("METROKG_SPARQL_MAX_QUERY_CHARS")
    if len(query) > limit:
        raise MetrokgError("E353", length=len(query), limit=limit)


def _check_limits(row_limit: int, timeout_s: float) -> None:
    if isinstance(row_limit, bool) or not isinstance(row_limit, int) or row_limit < 1:
        raise MetrokgError("E351", value=row_limit)
    if not isinstance(timeout_s, (int, float)) or not 0 < timeout_s < float("inf"):
        raise MetrokgError("E352", value=timeout_s)


def run_user_query(store: Store, query: str, row_limit: int = DEFAULT_ROW_LIMIT,
                   timeout_s: float = DEFAULT_TIMEOUT_S) -> tuple[Result, bool]:
    """Run a user's query with the safety rules; returns (result, truncated).

    Raises E020 (invalid query), E021 (update or SERVICE), E022 (time limit; the query is
    stopped), E350 (the query process failed), E351/E352 (bad limits), E353 (too long),
    E354 (memory cap reached), E355 (the query process was killed).
    """
    if not query or not query.strip():
        raise MetrokgError("E020", reason="the query is empty")
    _check_limits(row_limit, timeout_s)
    _check_length(query)
    quick = len(query) <= QUICK_CHECK_CHARS
    if quick:
        check_read_only(query)
    if isinstance(store, EmbeddedStore):
        return _POOL.run(store, query, row_limit, timeout_s, check=not quick)
    if not quick:
        _POOL.check(query, timeout_s)
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
    """One child process running :mod:`metrokg.kg.store.sparql_worker`, fenced by ``memory_mb``."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self._stderr = tempfile.TemporaryFile()  # read only when the process dies: why it died
        env = {**os.environ, "MALLOC_ARENA_MAX": "2"}  # fewer malloc arenas: the cap measures real use
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "metrokg.kg.store.sparql_worker", "--memory-mb", str(memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, close_fds=True, env=env)
        self._buffer = b""

    def send(self, request: dict) -> None:
        """Hand over one request; OSError (a broken pipe) means the process was gone before it."""
        self.proc.stdin.write(json.dumps(request, ensure_ascii=False).encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def receive(self, deadline: float) -> dict | None:
        """The answer to the request sent, waited for until ``deadline``; None when time ran out.
        EOFError or ValueError: the process died while answering."""
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

    def last_words(self) -> str:
        """The end of what the process wrote on stderr (a Rust allocation failure says so there)."""
        try:
            self._stderr.seek(0, os.SEEK_END)
            self._stderr.seek(max(0, self._stderr.tell() - 4096))
            return self._stderr.read().decode("utf-8", errors="replace")
        except (OSError, ValueError):
            return ""

    def reap(self, grace: float = 2.0) -> None:
        """Wait briefly for a dying process's exit status, so it is not mistaken for our own kill."""
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass

    def kill(self) -> None:
        """Stop the process at once (whatever it is computing) and reap it."""
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout, self._stderr):
            try:
                stream.close()
            except OSError:
                pass


def _memory_mb() -> int:
    return settings.get("METROKG_SPARQL_MEMORY_MB")


class _Pool:
    """Warm workers shared by the threads of one process (the web app serves many at once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._slots = threading.BoundedSemaphore(MAX_WORKERS)
        self._pid = os.getpid()
        self._warned = False

    def _take(self, memory_mb: int) -> _Worker:
        with self._lock:
            if self._pid != os.getpid():  # a forked child must not share its parent's pipes
                self._idle, self._pid = [], os.getpid()
            while self._idle:
                worker = self._idle.pop()
                if worker.alive() and worker.memory_mb == memory_mb:
                    return worker
                worker.kill()
        return _Worker(memory_mb)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if worker.alive() and len(self._idle) < IDLE_WORKERS:
                self._idle.append(worker)
                return
        worker.kill()

    def _start(self, request: dict, memory_mb: int) -> _Worker:
        """A worker that holds the request. Only a worker found dead before it got the request (a
        broken pipe: it cannot have run it) is replaced; a query is never run twice."""
        worker = self._take(memory_mb)
        try:
            worker.send(request)
            return worker
        except OSError:
            worker.kill()
        try:
            worker = _Worker(memory_mb)
            worker.send(request)
            return worker
        except OSError as err:
            worker.kill()
            raise MetrokgError("E350", reason=f"the query process could not be started ({err})") from None

    def run(self, store: EmbeddedStore, query: str, row_limit: int, timeout_s: float,
            check: bool = False) -> tuple[Result, bool]:
        """Answer ``query`` in a worker (which first runs :func:`check_read_only` when ``check``)."""
        request = {"db": str(store.path / "oxigraph"), "generation": store.generation(),
                   "query": query, "union": True, "rows": row_limit, "check": check}
        return _result(self._exchange(request, timeout_s))

    def check(self, query: str, timeout_s: float) -> None:
        """Run :func:`check_read_only` in a worker, where the time limit can stop it."""
        self._exchange({"query": query, "check": True, "check_only": True}, timeout_s)

    def _exchange(self, request: dict, timeout_s: float) -> dict:
        """One request, one answer, under the time limit and the memory cap; errors raised coded."""
        deadline = time.monotonic() + timeout_s
        memory_mb = _memory_mb()
        if not self._slots.acquire(timeout=timeout_s):
            raise MetrokgError("E022", seconds=timeout_s)
        try:
            worker = self._start(request, memory_mb)
            try:
                reply = worker.receive(deadline)
            except (OSError, EOFError, ValueError):
                worker.reap()
                error = _death(worker)
                worker.kill()
                raise error from None
            if reply is None:
                worker.kill()  # the query is stopped, not left running
                raise MetrokgError("E022", seconds=timeout_s)
            if reply.get("error") == MEMORY_FAILED:
                worker.kill()  # its heap is at the cap: a fresh one serves the next query
            else:
                self._give_back(worker)
        finally:
            self._slots.release()
        self._note_fences(reply)
        if "error" in reply:
            if reply["error"] == "refused":  # check_read_only's own error, raised in the worker
                raise MetrokgError(reply["code"], **reply["fields"])
            if reply["error"] == "syntax":
                raise MetrokgError("E020", reason=reply["message"])
            if reply["error"] == MEMORY_FAILED:
                raise _out_of_memory(memory_mb)
            raise MetrokgError("E350", reason=reply["message"])
        return reply

    def _note_fences(self, reply: dict) -> None:
        """Log once per process when a worker runs without its network or memory fence."""
        if reply.get("unfenced") and not self._warned:
            self._warned = True
            log.warning("SPARQL query processes run without part of their fencing (%s): only the query "
                        "check keeps SERVICE out, or no memory cap applies", "; ".join(reply["unfenced"]))

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


def _out_of_memory(memory_mb: int) -> MetrokgError:
    """E354 names the cap that stopped the query; without a cap the machine itself ran out."""
    if memory_mb:
        return MetrokgError("E354", limit_mb=memory_mb)
    return MetrokgError("E350", reason="the query ran out of memory (no cap is set: METROKG_SPARQL_MEMORY_MB=0)")


def _death(worker: _Worker) -> MetrokgError:
    """Why a worker ended while it ran a query: the memory cap (a failed allocation, reported on
    its stderr before it aborts) or a signal or exit status, named."""
    code = worker.proc.returncode
    words = worker.last_words()
    if "memory allocation of" in words or "MemoryError" in words:
        return _out_of_memory(worker.memory_mb)
    if code is None:
        how = "it stopped answering"
    elif code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = f"it was killed by {name}"
        if -code == signal.SIGKILL:
            how += " (sent by an operator or by the system, such as its out-of-memory killer)"
    else:
        how = f"it exited with status {code}"
    last = words.strip().splitlines()[-1][:200] if words.strip() else ""
    return MetrokgError("E355", how=how + (f": {last}" if last else ""))


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
