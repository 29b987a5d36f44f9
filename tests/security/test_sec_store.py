"""A damaged, missing, read-only or full store: coded errors, and no file touched by a reader.

Before the fix, with the store's ``CURRENT`` file removed, the first ``metrokg documents``
failed with a RuntimeError traceback and left a new empty CURRENT + MANIFEST-000001; the
second printed "(no results)" and RocksDB had deleted every old table and log (17 MB ->
0.5 MB). A truncated table or a zeroed MANIFEST gave RuntimeError tracebacks, a full disk an
OSError traceback, a read on a read-only mount E011, and a read of a path that does not
exist created an empty store there. Every test here damages a real store built by
``metrokg build`` and compares a hash of every file before and after.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable, Iterator

import pytest

from metrokg.errors import MetrokgError
from metrokg.kg.store.base import same_triples
from metrokg.kg.store.embedded import EmbeddedStore, storage_error
from metrokg.kg.store.registry import open_store
from metrokg.ui.cli.main import main

from conftest import SEED, cli_json, run_cli

SEED_ID = "hubei-2022-metrology-implementation"


# ----------------------------------------------------------------------------- helpers

def file_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def db(store: Path) -> Path:
    return store / "oxigraph"


def manifest(store: Path) -> Path:
    return db(store) / (db(store) / "CURRENT").read_text().strip()


def largest_table(store: Path) -> Path:
    return max(db(store).glob("*.sst"), key=lambda p: p.stat().st_size)


DAMAGES: dict[str, Callable[[Path], None]] = {
    "CURRENT removed": lambda s: (db(s) / "CURRENT").unlink(),
    "CURRENT garbage": lambda s: (db(s) / "CURRENT").write_text("garbage\n"),
    "CURRENT names a missing MANIFEST": lambda s: (db(s) / "CURRENT").write_text("MANIFEST-999999\n"),
    "MANIFEST removed": lambda s: manifest(s).unlink(),
    "MANIFEST empty": lambda s: os.truncate(manifest(s), 0),
    "MANIFEST zeroed": lambda s: manifest(s).write_bytes(bytes(manifest(s).stat().st_size)),
    "table truncated": lambda s: os.truncate(largest_table(s), 1000),
    "table empty": lambda s: os.truncate(largest_table(s), 0),
    "table removed": lambda s: largest_table(s).unlink(),
}


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """The real command line, in this process (fast); returns (code, stdout, stderr)."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@contextlib.contextmanager
def tmpfs(folder: Path, size_mb: int) -> Iterator[Path]:
    """A small tmpfs at ``folder`` (skip when mounting is not permitted), unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(folder)],
                             capture_output=True, text=True, timeout=30)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


def remount_read_only(folder: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")


# ----------------------------------------------------------------------------- damaged stores

@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_store_gives_a_coded_error_and_keeps_every_file(store_copy, capsys, damage):
    DAMAGES[damage](store_copy)
    before = file_hashes(store_copy)
    for args in (["documents"], ["documents"], ["search", "计量", "--mode", "lexical"], ["targets", "--json"],
                 ["export", "--format", "nq"], ["ingest", str(SEED)], ["progress", "set", "x", "1", "--as-of", "2024"]):
        code, out, err = cli(capsys, "--store", str(store_copy), *args)
        assert code == 2 and "[E381]" in err and "metrokg doctor" in err and "metrokg restore" in err, (args, err)
        assert out == ""
    code, out, _ = cli(capsys, "--store", str(store_copy), "doctor", "--json")
    rows = json.loads(out)
    assert code == 1 and any(r["status"] == "error" and r["action"] for r in rows), rows
    assert file_hashes(store_copy) == before


def capped_cli(*args: str, store: Path) -> subprocess.CompletedProcess:
    """The command line in a subprocess capped at 4 GB of address space: pyoxigraph 0.5 answers
    a SPARQL aggregate over a damaged block by allocating without end (21 GB before the kernel
    killed it), and a regression here must not take the machine down."""
    import resource
    import sys

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    return subprocess.run([sys.executable, "-m", "metrokg.ui.cli.main", "--store", str(store), *args],
                          capture_output=True, text=True, timeout=300, preexec_fn=cap)


def test_damaged_blocks_are_found_by_a_deep_check(store_copy):
    """Bytes flipped inside every table (sizes unchanged, so the store opens): only reading the
    blocks finds it. `doctor --deep` reads all six quad indexes through the quad API."""
    for table in db(store_copy).glob("*.sst"):
        data = bytearray(table.read_bytes())
        for i in range(len(data) // 4, len(data) * 3 // 4, 997):
            data[i] ^= 0xFF
        table.write_bytes(bytes(data))
    before = file_hashes(store_copy)
    for args in (["doctor", "--deep", "--json"], ["doctor", "--json"], ["export", "--format", "nq"]):
        proc = capped_cli(*args, store=store_copy)
        assert "Traceback" not in proc.stderr, proc.stderr
        if args[0] == "doctor":
            rows = json.loads(proc.stdout)
            assert proc.returncode == 1 and any("Corruption" in r["detail"] for r in rows if r["status"] == "error")
        else:
            assert proc.returncode == 2 and "[E381]" in proc.stderr
    assert file_hashes(store_copy) == before


@pytest.mark.slow
def test_the_reported_data_loss_no_longer_happens(store_copy):
    """The issue's own sequence, through the installed command: CURRENT removed, two reads."""
    (db(store_copy) / "CURRENT").unlink()
    before = file_hashes(store_copy)
    for _ in range(2):
        proc = run_cli("documents", store=store_copy, check=False)
        assert proc.returncode == 2 and "E381" in proc.stderr and "Traceback" not in proc.stderr
        assert "CURRENT" in proc.stderr and "doctor" in proc.stderr
    assert file_hashes(store_copy) == before
    repaired = cli_json("doctor", "--repair", store=store_copy)
    assert repaired[0]["status"] == "repaired" and "MANIFEST" in repaired[0]["detail"]
    assert not any(r["status"] == "error" for r in repaired)
    assert [d["id"] for d in cli_json("documents", store=store_copy)] == [SEED_ID]


def test_repair_leaves_an_unrepairable_store_as_it_was(store_copy, capsys):
    (db(store_copy) / "CURRENT").unlink()
    os.truncate(largest_table(store_copy), 10)  # no MANIFEST can give a database that opens
    before = file_hashes(store_copy)
    code, out, _ = cli(capsys, "--store", str(store_copy), "doctor", "--repair", "--json")
    assert code == 1 and "restore" in json.dumps(json.loads(out))
    assert file_hashes(store_copy) == before


def test_a_read_changes_no_database_file(store_copy, capsys):
    """A healthy store: reads open it read-only (before: every read rewrote LOG, MANIFEST, OPTIONS)."""
    before = file_hashes(db(store_copy))
    for args in (["documents"], ["targets"], ["search", "计量", "--mode", "lexical"], ["doctor"],
                 ["sparql", "ASK { ?s ?p ?o }"], ["obligations", "--json"]):
        code, _, err = cli(capsys, "--store", str(store_copy), *args)
        assert code == 0, (args, err)
    assert file_hashes(db(store_copy)) == before


def test_no_store_there_gives_a_coded_error_and_creates_nothing(tmp_path, capsys):
    missing, empty = tmp_path / "nowhere" / "store", tmp_path / "empty"
    empty.mkdir()
    for store in (missing, empty):
        for args in (["documents"], ["search", "计量"], ["export", "--format", "nq"], ["sparql", "ASK {}"]):
            code, _, err = cli(capsys, "--store", str(store), *args)
            assert code == 2 and "[E380]" in err and "metrokg build" in err, (args, err)
        code, out, _ = cli(capsys, "--store", str(store), "doctor", "--json")
        assert code == 1 and json.loads(out)[0]["check"] == "store"
    assert not missing.parent.exists() and list(empty.iterdir()) == []
    with pytest.raises(MetrokgError) as err:
        EmbeddedStore(missing, read_only=True)
    assert err.value.code == "E380"
    with open_store(str(missing), write=True) as store:  # writers still create a new store
        assert store.is_empty()


# ----------------------------------------------------------------------------- read-only and full disks

@pytest.mark.slow
def test_reads_work_on_read_only_media(built_store, tmp_path, capsys):
    with tmpfs(tmp_path / "ro", 96) as mnt:
        fresh, stale = mnt / "store", mnt / "stale"
        shutil.copytree(built_store, fresh)
        shutil.copytree(built_store, stale)
        shutil.rmtree(stale / "index")  # no index: the search builds one in memory only
        remount_read_only(mnt)
        before = file_hashes(mnt)
        for store in (fresh, stale):
            for args in (["documents", "--json"], ["search", "计量", "--mode", "lexical", "--json"], ["targets"],
                         ["export", "--format", "nq"], ["doctor"], ["obligations"]):
                code, out, err = cli(capsys, "--store", str(store), *args)
                assert code == 0, (store, args, err)
                if args[0] == "documents":
                    assert [d["id"] for d in json.loads(out)] == [SEED_ID]
                if args[0] == "search":
                    assert json.loads(out)[0]["document"] == SEED_ID
        code, _, err = cli(capsys, "--store", str(fresh), "ingest", str(SEED))
        assert code == 2 and "[E" in err and "Traceback" not in err
        assert file_hashes(mnt) == before


@pytest.mark.slow
def test_full_disk_is_a_coded_error_and_the_store_keeps_its_data(built_store, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(6):
        (docs / f"province-{i}.txt").write_text(text.replace("湖北", f"测试省{i}"), encoding="utf-8")
    with tmpfs(tmp_path / "full", 48) as mnt:
        store = mnt / "store"
        shutil.copytree(built_store, store)
        free = shutil.disk_usage(mnt).free
        filler = mnt / "filler"
        with open(filler, "wb") as fh:  # leave 400 KB: the store opens, the ingest's writes do not fit
            fh.truncate(0)
            fh.write(bytes(free - 400 * 1024))
        proc = run_cli("ingest", *map(str, sorted(docs.iterdir())), store=store, check=False)
        assert proc.returncode == 2 and "[E382]" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
        assert [d["id"] for d in cli_json("documents", store=store)] == [SEED_ID]  # reads work on a full disk
        filler.unlink()
        assert not any(r["status"] == "error" for r in cli_json("doctor", store=store))


def test_storage_failures_map_to_codes():
    assert storage_error("s", OSError(28, "No space left on device")).code == "E382"
    assert storage_error("s", OSError("IO error: No space left on device: While appending")).code == "E382"
    assert storage_error("s", RuntimeError("Corruption: block checksum mismatch")).code == "E381"
    assert storage_error("s", OSError("IO error: Permission denied")).code == "E383"
    assert storage_error("s", RuntimeError("something else")) is None


def test_an_unwritable_export_target_is_a_coded_error(built_store, tmp_path, capsys):
    code, _, err = cli(capsys, "--store", str(built_store), "export", "--format", "nq",
                       "--output", str(tmp_path / "no" / "such" / "dir.nq"))
    assert code == 2 and "[E386]" in err and "dir.nq" in err
    assert not (tmp_path / "no").exists()


# ----------------------------------------------------------------------------- backup and restore

def triple_counts(store: Path) -> dict[str, int]:
    with EmbeddedStore(store, read_only=True) as s:
        return s.triple_counts()


@pytest.mark.slow
def test_export_damage_doctor_restore_gives_back_the_same_store(store_copy, tmp_path, capsys):
    backup = tmp_path / "backup.nq"
    run_cli("export", "--format", "nq", "--output", str(backup), store=store_copy)
    documents = cli_json("documents", store=store_copy)
    counts = triple_counts(store_copy)
    with EmbeddedStore(store_copy, read_only=True) as s:
        graphs = {g: list(s.graph_triples(g)) for g in s.graph_iris()}

    os.truncate(largest_table(store_copy), 1000)
    code, out, _ = cli(capsys, "--store", str(store_copy), "doctor", "--json")
    problem = next(r for r in json.loads(out) if r["status"] == "error")
    assert code == 1 and problem["check"] == "open" and "size mismatch" in problem["detail"]
    assert "metrokg restore" in problem["action"]

    restored = tmp_path / "restored"
    summary = cli_json("restore", str(backup), "--to", str(restored))
    assert summary["triples"] == sum(counts.values()) and summary["graphs"] == len(counts)
    assert cli_json("documents", store=restored) == documents
    assert triple_counts(restored) == counts
    with EmbeddedStore(restored, read_only=True) as s:
        assert all(same_triples(graphs[g], list(s.graph_triples(g))) for g in graphs)
    assert not any(r["status"] == "error" for r in cli_json("doctor", store=restored))
    hits = cli_json("search", "充电桩", "--k", "3", store=restored)
    assert hits and hits[0]["document"] == SEED_ID


def test_restore_refuses_bad_input_and_leaves_nothing_behind(built_store, tmp_path, capsys):
    backup = tmp_path / "backup.nq"
    with EmbeddedStore(built_store, read_only=True) as s:
        backup.write_bytes(s.dump("nq"))
    cut = tmp_path / "cut.nq"
    cut.write_bytes(backup.read_bytes()[:len(backup.read_bytes()) // 2])  # ends in the middle of a line
    cases = [(cut, tmp_path / "a", "E384"), (tmp_path / "backup.ttl", tmp_path / "b", "E384"),
             (tmp_path / "none.nq", tmp_path / "c", "E384"), (backup, built_store, "E385")]
    (tmp_path / "backup.ttl").write_text("<a> <b> <c> .")
    before = file_hashes(built_store)
    for source, target, code in cases:
        status, _, err = cli(capsys, "restore", str(source), "--to", str(target))
        assert status == 2 and f"[{code}]" in err, err
    assert file_hashes(built_store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.nq", "backup.ttl", "cut.nq"]
