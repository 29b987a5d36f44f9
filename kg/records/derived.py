"""Records derived from named graphs, kept per graph version in memory and on disk.

The analyses read the same records over and over (provisions, facts, concepts); reading them
with SPARQL from a million-triple store takes seconds. Every write stamps the graphs it wrote
with its generation (:meth:`Store.graph_versions`), and a graph only ever changes as a whole,
so a record derived from a graph stays valid until that graph's stamp changes. After a write
only the graphs it touched are read again; a new process loads the rest from
``index_dir/derived``. Graphs written before stamps existed are keyed to the store's
generation instead (read again after any write).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import shutil
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import orjson

from metrokg.kg.search.lexical import replace_dir
from metrokg.kg.store.base import Store

FORMAT = 2  # bump when the shape of what a deriver returns changes

Derive = Callable[[dict[str, list[tuple]]], dict[str, Any]]  # graphs' plain triples -> JSON parts
Compute = Callable[[Store, Sequence[str]], dict[str, Any]]  # (store, graphs) -> JSON parts
Decode = Callable[[str, Any], Any]  # (part name, JSON value) -> the object callers get

_lock = threading.RLock()
_memory: "weakref.WeakKeyDictionary[Store, dict]" = weakref.WeakKeyDictionary()


class Deriver:
    """One kind of derived record: what to compute from some graphs, and how to read it back.

    ``derive`` returns every part at once from the graphs' triples (one read of the graphs), or
    ``compute`` from the store (records that build on other derived records of the same graphs,
    such as a document's rows of the obligations register); each part JSON-encodable;
    ``decode`` turns a part back into the objects callers use. Parts are stored separately, so
    a caller that needs one part does not decode the others.
    """

    def __init__(self, name: str, derive: Derive | None, decode: Decode, compute: Compute | None = None):
        self.name = name
        self.derive = derive
        self.decode = decode
        self.compute = compute  # instead of ``derive``: records built from other records of these graphs

    def parts(self, store: Store, graphs: Sequence[str]) -> dict[str, Any]:
        if self.compute is not None:
            return self.compute(store, graphs)
        return self.derive({g: store.plain_triples(_iri(g)) for g in graphs})


_pinned: contextvars.ContextVar[tuple[Store, tuple[int, dict[str, int]]] | None] = \
    contextvars.ContextVar("metrokg_pinned_versions", default=None)


def versions(store: Store) -> tuple[int, dict[str, int]]:
    """The store's generation and every stamped graph's stamp (as pinned by :func:`pinned`)."""
    held = _pinned.get()
    if held is not None and held[0] is store:
        return held[1]
    return store.generation(), store.graph_versions()


def generation(store: Store) -> int:
    """The store's generation, as pinned by :func:`pinned` when inside one view call."""
    held = _pinned.get()
    return held[1][0] if held is not None and held[0] is store else store.generation()


@contextlib.contextmanager
def pinned(store: Store, state: tuple[int, dict[str, int]]) -> Iterator[None]:
    """Within one view call, read the store's versions once: nested lookups reuse ``state``
    (one consistent state for the whole answer, and no round trip per document on a server)."""
    token = _pinned.set((store, state))
    try:
        yield
    finally:
        _pinned.reset(token)


def version_of(store: Store, graph: str, generation: int, stamps: dict[str, int]) -> str:
    """A graph's stamp; for an unstamped graph the store's generation, or ``absent`` (a graph
    never written, such as an empty catalogue, must not look changed by every write)."""
    stamp = stamps.get(graph)
    if stamp is not None:
        return f"v{stamp}"
    return f"g{generation}" if store.has_graph(_iri(graph)) else "absent"


def part(store: Store, deriver: Deriver, graphs: Sequence[str], name: str,
         state: tuple[int, dict[str, int]] | None = None) -> Any:
    """Part ``name`` of what ``deriver`` derives from ``graphs``, for their current versions.

    Looked up in memory, then on disk, else derived from the graphs (and saved for the next
    process). ``state`` is :func:`versions` when the caller already has it (one query per call)."""
    generation, stamps = state or versions(store)
    key = "|".join(version_of(store, g, generation, stamps) for g in graphs) + f"|f{FORMAT}"
    slot = (deriver.name, tuple(graphs))
    with _lock:
        cache = _memory.setdefault(store, {})
        entry = cache.get(slot)
        if entry is None or entry[0] != key:
            entry = cache[slot] = (key, {})
        if name in entry[1]:
            return entry[1][name]
    folder = _folder(store, deriver.name, graphs)
    value = _read(folder / f"{name}.json", key)
    if value is None:
        parts = deriver.parts(store, graphs)
        _save(folder, key, parts)
        value = parts[name]
        decoded_all = {n: deriver.decode(n, v) for n, v in parts.items()}
    else:
        decoded_all = {name: deriver.decode(name, value)}
    with _lock:
        entry = cache.get(slot)
        if entry is not None and entry[0] == key:
            entry[1].update(decoded_all)
    return decoded_all[name]


def keep(store: Store, deriver: Deriver, graphs: Sequence[str], stamps: Sequence[int], parts: dict[str, Any]) -> None:
    """Save ``parts``, derived by a writer from the triples it has just written, as the records of
    ``graphs`` at their new ``stamps``: the next reader (the search index after an ingest, a new
    process) finds them instead of reading the graphs back. Call it only after the write is
    committed, with the stamps the store reports, so a record never outlives its graph version."""
    key = "|".join(f"v{stamp}" for stamp in stamps) + f"|f{FORMAT}"
    _save(_folder(store, deriver.name, graphs), key, parts)


def _iri(graph: str):
    from rdflib import URIRef

    return URIRef(graph)


def _folder(store: Store, name: str, graphs: Sequence[str]) -> Path:
    digest = hashlib.sha1("\n".join(graphs).encode("utf-8")).hexdigest()[:20]
    return store.index_dir / "derived" / name / digest


def _read(path: Path, key: str) -> Any:
    try:
        saved = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("key") != key:
        return None
    return saved.get("value")


def _save(folder: Path, key: str, parts: dict[str, Any]) -> None:
    """Write each part (atomically: a reader never sees half a file). A store whose index
    folder cannot be written (read-only media, a full disk) still works, deriving again in
    each process; a failed write leaves no temporary file behind."""
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, value in parts.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            with os.fdopen(fd, "wb") as fh:
                fh.write(orjson.dumps({"key": key, "value": value}))
            os.replace(tmp, folder / f"{name}.json")
            tmp = None
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def can_write(folder: Path) -> bool:
    """Whether caches can be written in ``folder`` (or where it would be created): false on
    read-only media, so readers skip caches that would fail anyway."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return os.access(candidate, os.W_OK)
    return False


def persist_folder(folder: Path, write: Callable[[Path], None]) -> bool:
    """Write a cache folder beside the store atomically (``write`` fills a temporary sibling that
    then replaces ``folder``). Best effort: on read-only media or a full disk nothing is left
    behind and the caller keeps its result in memory. Returns whether it was saved."""
    tmp = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", dir=folder.parent))
        write(tmp)
        replace_dir(tmp, folder)
        return True
    except OSError:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return False
