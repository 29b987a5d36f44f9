"""CLI writes while `metrokg serve` holds the store: both ends of the write socket.

A running server owns its embedded store (one writer at a time), so `ingest`, `remove`,
`specs import` and `progress set` send their work to it instead of failing with E012. The server
listens on a Unix socket in the store directory (``serve.sock``), created with owner-only
permissions (0600) and checked on every connection: the peer's user id (``SO_PEERCRED``) must be
the server's own, else the request is refused (E491) before it is read. Only the user who runs
the server, who could open the store directly anyway, can write through it; nothing listens on
the network, and the socket takes no password that could leak. Paths in a request are read with
that same user's rights, so the server reads nothing its caller could not.

One request per connection: a JSON line ``{"op": NAME, "params": {...}}``; the server answers
with JSON lines, ``{"progress": ...}`` while it works, then ``{"result": ...}`` or
``{"error": {"code": ..., "fields": ...}}``, which the client raises as the same coded error.
The work itself is the command's own function (:data:`OPERATIONS`), run by the server as one
serialised write, so the output is the same either way.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import socket
import struct
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

from metrokg import settings
from metrokg.errors import MetrokgError

log = logging.getLogger("metrokg.web")
SOCKET_NAME = "serve.sock"
MAX_REQUEST = 1 << 20  # a request names files and options: a megabyte is far more than any needs
MAX_PATH = 100  # AF_UNIX paths are cut at 108 bytes; a longer store path is reached through /proc/self/fd
Progress = Callable[[Any], None]
# operation -> (module, function(store, params, progress) -> JSON-able result); run by either end
OPERATIONS = {
    "ingest": ("metrokg.ui.cli.commands.ingest", "apply_ingest"),
    "remove": ("metrokg.ui.cli.commands.ingest", "apply_remove"),
    "specs-import": ("metrokg.ui.cli.commands.specs", "apply_import"),
    "progress-set": ("metrokg.ui.cli.commands.targets", "apply_set"),
}


def operation(name: str) -> Callable[[Any, dict, Progress], Any]:
    module, function = OPERATIONS[name]
    return getattr(importlib.import_module(module), function)


def store_directory(spec: str | None) -> Path | None:
    """The directory of an embedded store spec (None for a remote store, which takes concurrent writes)."""
    from metrokg.config import default_store
    from metrokg.kg.store.registry import DIRECTORY, scheme_of

    spec = spec or default_store()
    return Path(os.path.expanduser(spec)) if scheme_of(spec) == DIRECTORY else None


@contextlib.contextmanager
def socket_address(directory: Path) -> Iterator[str]:
    """The socket's address: its path, or, when that is too long for AF_UNIX, the same file reached
    through an open descriptor of the directory."""
    path = str(directory / SOCKET_NAME)
    if len(os.fsencode(path)) <= MAX_PATH:
        yield path
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{SOCKET_NAME}"
    finally:
        os.close(fd)


def _send(conn: socket.socket, message: dict) -> None:
    conn.sendall(json.dumps(message, ensure_ascii=False, default=str).encode("utf-8") + b"\n")


def _lines(conn: socket.socket, limit: int) -> Iterator[dict]:
    """The JSON lines a peer sends (each at most ``limit`` bytes), until it closes."""
    buffer = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield json.loads(line)
        if len(buffer) > limit:
            raise ValueError("line too long")


# ----------------------------------------------------------------------------- the client (the CLI)

def run_write(args, name: str, params: dict, progress: Progress | None = None) -> Any:
    """Run operation ``name``: in the running server that holds ``--store`` when there is one, else
    here on the store opened for writing (E012 while another process writes, as before)."""
    progress = progress or (lambda _item: None)
    directory = store_directory(getattr(args, "store", None))
    if directory is not None and (directory / SOCKET_NAME).exists():
        with socket_address(directory) as address:
            conn = _connect(address)
            if conn is not None:
                with conn:
                    return _request(conn, directory / SOCKET_NAME, name, params, progress)
    from metrokg.ui.cli.commands._common import opened_store

    with opened_store(args, write=True) as store:
        return operation(name)(store, params, progress)


def _connect(address: str) -> socket.socket | None:
    """A connection to a listening server, or None when none listens there (a socket left behind)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(5)
    try:
        conn.connect(address)
    except (FileNotFoundError, ConnectionRefusedError, PermissionError):  # none, or not ours: open the store
        conn.close()
        return None
    return conn


def _request(conn: socket.socket, shown: Path, name: str, params: dict, progress: Progress) -> Any:
    timeout = settings.get("METROKG_SERVER_WRITE_TIMEOUT")
    conn.settimeout(timeout)
    try:
        try:
            _send(conn, {"op": name, "params": params})
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the request was read (E491): the answer is still there to read
        for message in _lines(conn, 1 << 30):
            if "progress" in message:
                progress(message["progress"])
            elif "result" in message:
                return message["result"]
            elif "error" in message:
                raise _rebuilt(message["error"], shown)
    except TimeoutError:
        raise MetrokgError("E492", socket=shown, seconds=timeout) from None
    except (OSError, ValueError) as err:
        raise MetrokgError("E490", socket=shown, reason=str(err) or type(err).__name__) from None
    raise MetrokgError("E490", socket=shown, reason="it closed the connection without an answer")


def _rebuilt(error: dict, shown: Path) -> MetrokgError:
    """The server's coded error, raised here as the same code with the same message."""
    try:
        return MetrokgError(error["code"], **error.get("fields", {}))
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return MetrokgError("E490", socket=shown, reason=str(error.get("message") or error)[:500])


# ----------------------------------------------------------------------------- the server (metrokg serve)

class WriteServer:
    """The socket a running server takes CLI writes on; ``write(fn, *args)`` runs one serialised write
    (:meth:`metrokg.ui.web.state.AppState.write`, which also brings the search index up to date)."""

    def __init__(self, store, directory: Path, write: Callable[..., Any]):
        self.store = store
        self.directory = Path(directory)
        self.path = self.directory / SOCKET_NAME
        self.write = write
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "WriteServer":
        """Listen; a socket file left by a server that died is replaced (this process holds the store's
        write lock, so no other server listens on it)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with socket_address(self.directory) as address:
            sock.bind(address)
            os.chmod(self.path, 0o600)  # before listen(): no connection is taken while it is wider
            sock.listen(8)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, name="metrokg-write-socket", daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        while self._sock is not None:
            try:
                conn, _ = self._sock.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._handle, args=(conn,), name="metrokg-write", daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                uid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                          struct.calcsize("3i")))[1]
                if uid != os.getuid():
                    raise MetrokgError("E491", socket=self.path, uid=os.getuid())
                conn.settimeout(30)  # the request comes at once; a silent peer does not hold a thread
                request = next(_lines(conn, MAX_REQUEST), None)
                conn.settimeout(None)
                if not isinstance(request, dict) or request.get("op") not in OPERATIONS \
                        or not isinstance(request.get("params"), dict):
                    raise MetrokgError("E490", socket=self.path, reason="the request is not one the server takes")
                apply = operation(request["op"])
                result = self.write(apply, self.store, request["params"], lambda item: _send(conn, {"progress": item}))
                _send(conn, {"result": result})
            except MetrokgError as err:
                self._answer(conn, {"error": {"code": err.code, "fields": err.fields, "message": str(err)}})
            except Exception as err:  # noqa: BLE001 - the client gets a coded error; the log keeps the traceback
                log.exception("a write through %s failed", self.path)
                self._answer(conn, {"error": {"code": "E490", "fields": {
                    "socket": str(self.path), "reason": f"{type(err).__name__}: {err}"[:500]}}})

    @staticmethod
    def _answer(conn: socket.socket, message: dict) -> None:
        with contextlib.suppress(OSError):  # the client went away
            _send(conn, message)

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
