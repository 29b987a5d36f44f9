"""A store's health, the repairs that are safe, and restoring a store from an export.

``diagnose`` only reads (the database is opened read-only, so a damaged store stays exactly as
it was); ``repair`` fixes what can be fixed without guessing: a missing or unreadable CURRENT
file (RocksDB's pointer to its MANIFEST, rebuilt only when the result opens), graphs an
interrupted bulk load left pending, and search indexes or derived records that do not match
the store. Damaged table files cannot be repaired in place: ``restore`` loads a backup made
with ``metrokg export --format nq`` into a new store.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import orjson
import pyoxigraph as ox

from metrokg.config import default_store
from metrokg.errors import MetrokgError
from metrokg.kg.store.base import Store
from metrokg.kg.store.embedded import EmbeddedStore, check_database, file_problems, file_size, has_database, storage_error
from metrokg.kg.store.registry import open_store

COLUMNS = ["check", "status", "detail", "action"]
DATABASE_CHECKS = ("store", "files", "open", "indexes", "contents")  # errors here leave nothing safe to repair
SEARCH_FILES = ("meta.json", "records.json", "concepts.json", "expansion.json", "facts.json", "lexical.json")
DENSE_FILES = ("meta.json", "dense.json", "dense_provisions.npy", "dense_sentences.npy", "dense_owner.npy",
               "dense_spans.npy")
RESTORE_FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}


@dataclass
class Finding:
    """One line of the report: what was checked, ``ok``/``warning``/``error``/``repaired``, and what to do."""

    check: str
    status: str
    detail: str
    action: str = ""


# ----------------------------------------------------------------- diagnosis

def diagnose(spec: str | None = None, deep: bool = False) -> list[Finding]:
    """Every check, in order; a failing step skips the ones that need it. Writes nothing.
    ``deep`` reads every index of the embedded store, not only the one a full scan uses."""
    spec = spec or default_store()
    if "://" in spec:
        with open_store(spec) as store:
            return _store_checks(store)
    path = Path(os.path.expanduser(spec))
    findings = _file_checks(path)
    if any(f.status == "error" for f in findings):
        return findings
    with EmbeddedStore(path, read_only=True) as store:
        if deep:
            try:
                lookups = store.read_all_indexes()
            except MetrokgError as err:
                return findings + [Finding("indexes", "error", err.fields.get("reason", err.message),
                                           _file_action(path / "oxigraph"))]
            findings.append(Finding("indexes", "ok", f"all six quad indexes read ({lookups} lookups)"))
        return findings + _store_checks(store)


def _file_checks(path: Path) -> list[Finding]:
    """The directory, the database files, and a read-only open (RocksDB's own checks)."""
    db = path / "oxigraph"
    if not has_database(db):
        return [Finding("store", "error", f"no store at {path}",
                        "create one (`metrokg build`, `metrokg ingest`) or `metrokg restore BACKUP.nq --to DIR`")]
    problems = file_problems(db)
    tables = list(db.glob("*.sst"))
    size = sum(file_size(t) or 0 for t in tables)
    out = [Finding("files", "error" if problems else "ok",
                   "; ".join(problems) or f"{len(tables)} table files, {size / 1e6:.1f} MB",
                   _file_action(db) if problems else "")]
    identity = db / "IDENTITY"
    if not identity.is_file() or identity.stat().st_size == 0:
        out.append(Finding("identity", "warning", "the IDENTITY file is missing or empty",
                           "none needed: the next write gives the database a new one"))
    if problems:
        return out
    try:
        check_database(path)
    except MetrokgError as err:
        return out + [Finding("open", "error", err.fields.get("reason", err.message), _file_action(db))]
    out.append(Finding("open", "ok", "the database opens read-only"))
    return out


def _file_action(db: Path) -> str:
    restore = ("restore a backup: `metrokg restore BACKUP.nq --to NEW_DIR` (a backup is made with "
               "`metrokg export --format nq --output BACKUP.nq`), or rebuild into a new store")
    if db.is_dir() and not current_is_valid(db) and _manifests(db):
        return f"`metrokg doctor --repair` rewrites CURRENT to name the MANIFEST present; if it cannot, {restore}"
    return restore[0].upper() + restore[1:]


def _store_checks(store: Store) -> list[Finding]:
    """What the store holds, graphs a bulk load left pending, and the caches beside the store."""
    from metrokg.kg.records.factview import document_graphs

    try:
        counts = store.triple_counts()
        generation = store.generation()
        pending = store.pending_graphs()
        documents = len(document_graphs(store))
    except MetrokgError as err:
        return [Finding("contents", "error", err.message, _file_action(Path(store.spec) / "oxigraph"))]
    out = [Finding("contents", "ok", f"{len(counts)} graphs, {sum(counts.values())} triples, "
                                     f"{documents} document(s), generation {generation}")]
    if pending:
        out.append(Finding("pending", "warning", f"{len(pending)} graph(s) an interrupted bulk load left "
                                                 f"half-written (readers skip them)",
                           "`metrokg doctor --repair` (or any write) drops them"))
    out.append(_search_check(store.index_dir, generation))
    dense = _dense_check(store.index_dir, generation)
    if dense is not None:
        out.append(dense)
    out.append(_derived_check(store.index_dir, generation))
    return out


def _read_meta(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def _index_state(folder: Path, names: tuple[str, ...], generation: int) -> tuple[str, str]:
    """(status, detail) of an index folder kept beside the store for one generation."""
    if not folder.exists():
        return "ok", "not built yet: the first search builds it"
    meta = _read_meta(folder)
    missing = [n for n in names if not (folder / n).is_file()]
    if meta is None or missing or not isinstance(meta.get("generation"), int):
        return "error", f"unreadable ({', '.join(missing) or 'meta.json'} missing or damaged)"
    built = meta["generation"]
    if built > generation:
        return "error", f"built for generation {built}, newer than the store's {generation}: from another store"
    if built < generation:
        return "warning", f"built for generation {built}, the store is at {generation}: the next search rebuilds it"
    return "ok", f"matches the store (generation {generation})"


def _search_check(index_dir: Path, generation: int) -> Finding:
    from metrokg.kg.search.index import INDEX_VERSION

    folder = index_dir / "search"
    status, detail = _index_state(folder, SEARCH_FILES, generation)
    meta = _read_meta(folder) or {}
    if status == "ok" and meta and meta.get("version") != INDEX_VERSION:
        status, detail = "warning", f"index format {meta.get('version')}, this version reads {INDEX_VERSION}"
    return Finding("search index", status, detail, "" if status == "ok" else "`metrokg doctor --repair` rebuilds it")


def _dense_check(index_dir: Path, generation: int) -> Finding | None:
    folder = index_dir / "search-dense"
    if not folder.exists():
        return None
    status, detail = _index_state(folder, DENSE_FILES, generation)
    return Finding("dense index", status, detail, "" if status == "ok" else "`metrokg doctor --repair` rebuilds it")


def derived_files(index_dir: Path, generation: int) -> tuple[int, list[Path], list[Path]]:
    """Derived-record files: how many, the unreadable ones, and those keyed to graph versions
    newer than the store's generation (written for another state of the store)."""
    files = sorted((index_dir / "derived").glob("*/*/*.json"))
    broken, foreign = [], []
    for f in files:
        try:
            key = orjson.loads(f.read_bytes())["key"]
            versions = [int(k[1:]) for k in key.split("|") if k[:1] in "vg" and k[1:].isdigit()]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            broken.append(f)
            continue
        if any(v > generation for v in versions):
            foreign.append(f)
    return len(files), broken, foreign


def _derived_check(index_dir: Path, generation: int) -> Finding:
    total, broken, foreign = derived_files(index_dir, generation)
    if foreign:
        return Finding("derived records", "error", f"{len(foreign)} of {total} cached records were derived from "
                                                   f"graph versions newer than the store (another store's)",
                       "`metrokg doctor --repair` removes them")
    if broken:
        return Finding("derived records", "warning", f"{len(broken)} of {total} cached records are unreadable "
                                                     f"(derived again when needed)",
                       "`metrokg doctor --repair` removes them")
    return Finding("derived records", "ok", f"{total} cached records, none newer than the store")


# ----------------------------------------------------------------- repair

def current_is_valid(db: Path) -> bool:
    """Whether CURRENT names a MANIFEST file that is there."""
    try:
        name = (db / "CURRENT").read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return name.startswith("MANIFEST-") and (db / name).is_file()


def _manifests(db: Path) -> list[Path]:
    """Non-empty MANIFEST files, newest first."""
    found = [m for m in db.glob("MANIFEST-*") if m.name[9:].isdigit() and (file_size(m) or 0) > 0]
    return sorted(found, key=lambda m: int(m.name[9:]), reverse=True)


def repair_current(path: Path) -> Finding | None:
    """Point a missing or broken CURRENT at the newest MANIFEST that opens; leave the folder
    exactly as it was when none does. None when CURRENT needs no repair."""
    db = path / "oxigraph"
    if not has_database(db) or current_is_valid(db):
        return None
    current = db / "CURRENT"
    try:
        original = current.read_bytes()
    except OSError:
        original = None
    for manifest in _manifests(db):
        tmp = db / "CURRENT.doctor"
        tmp.write_bytes(f"{manifest.name}\n".encode("ascii"))
        os.replace(tmp, current)
        try:
            check_database(path)
        except MetrokgError:
            continue
        return Finding("files", "repaired", f"CURRENT now names {manifest.name}, and the database opens")
    if original is None:
        current.unlink(missing_ok=True)
    else:
        current.write_bytes(original)
    return Finding("files", "error", "no MANIFEST file gives a database that opens", _file_action(db))


def repair(spec: str | None = None, deep: bool = False) -> list[Finding]:
    """Fix what is safe to fix, then diagnose again; the report lists both."""
    spec = spec or default_store()
    done: list[Finding] = []
    if "://" not in spec:
        fixed = repair_current(Path(os.path.expanduser(spec)))
        if fixed is not None:
            done.append(fixed)
    before = diagnose(spec, deep)
    if not any(f.status == "error" and f.check in DATABASE_CHECKS for f in before):
        done += _repair_caches(spec, before)
    return done + diagnose(spec)


def _repair_caches(spec: str, before: list[Finding]) -> list[Finding]:
    """Drop pending graphs (opening for writing does it), stale or foreign caches; rebuild indexes."""
    from metrokg.kg.search.index import SearchIndex

    problems = {f.check for f in before if f.status != "ok"}
    done = []
    with open_store(spec, write=True) as store:  # a writer drops what a bulk load left pending
        if "pending" in problems:
            done.append(Finding("pending", "repaired", "dropped the half-written graphs"))
        if "derived records" in problems:
            _, broken, foreign = derived_files(store.index_dir, store.generation())
            for f in broken + foreign:
                f.unlink(missing_ok=True)
            done.append(Finding("derived records", "repaired", f"removed {len(broken) + len(foreign)} cached records"))
        if problems & {"search index", "dense index"}:
            for name in ("search", "search-dense") if "dense index" in problems else ("search",):
                shutil.rmtree(store.index_dir / name, ignore_errors=True)
            index = SearchIndex.build(store)
            if "dense index" in problems:
                index.prepare_dense()
            done.append(Finding("search index", "repaired", "rebuilt from the store"))
    return done


# ----------------------------------------------------------------- restore

def restore(source: Path, target: Path) -> dict:
    """A new store at ``target`` holding exactly what an N-Quads or TriG export holds.

    Loaded into a hidden sibling folder that replaces ``target`` only once complete, so a bad
    file or a full disk leaves nothing behind; ``target`` must be new or an empty folder."""
    fmt = RESTORE_FORMATS.get(source.suffix.lower())
    if fmt is None:
        raise MetrokgError("E384", path=source, reason="the file name must end in .nq or .trig")
    if not source.is_file():
        raise MetrokgError("E384", path=source, reason="no such file")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise MetrokgError("E385", path=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.restoring-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        (tmp / "oxigraph").mkdir(parents=True)
        _load(source, fmt, tmp, target)
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with EmbeddedStore(target) as store:
        counts = store.triple_counts()
        return {"store": str(target), "graphs": len(counts), "triples": sum(counts.values()),
                "generation": store.generation()}


def _load(source: Path, fmt: ox.RdfFormat, folder: Path, target: Path) -> None:
    """Bulk-load the export into a fresh database in ``folder`` (closed on return); coded
    errors for a bad file or a full disk."""
    try:
        db = ox.Store(str(folder / "oxigraph"))
        db.bulk_load(path=str(source), format=fmt)
        db.flush()
        empty = not any(True for _ in db.named_graphs())
    except SyntaxError as err:
        raise MetrokgError("E384", path=source, reason=" ".join(str(err).split())) from None
    except (OSError, RuntimeError) as err:
        raise (storage_error(target, err) or err) from None
    if empty:
        raise MetrokgError("E384", path=source, reason="it holds no named graph")


def as_rows(findings: list[Finding]) -> list[dict]:
    return [asdict(f) for f in findings]
