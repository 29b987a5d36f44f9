"""A killed `metrokg ingest` leaves the store exactly as before or completely updated."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEED, cli_json, run_cli

pytestmark = pytest.mark.slow  # ingest subprocesses killed with SIGKILL at several moments

BATCH = 12


@pytest.fixture(scope="module")
def batch_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    text = SEED.read_text(encoding="utf-8")
    paths = []
    for i in range(BATCH):
        p = folder / f"province-{i:02d}.txt"
        p.write_text(text.replace("湖北", f"测试省{i}"), encoding="utf-8")
        paths.append(str(p))
    return paths


@pytest.mark.parametrize("delay,options", [(0.3, []), (0.8, []), (1.5, []), (2.5, []), (4.0, []),
                                           (2.0, ["--bulk"]), (3.5, ["--bulk", "--workers", "2"])])
def test_sigkill_during_ingest(store_copy, batch_files, delay, options):
    """A bulk load is not one transaction, but what it leaves pending is dropped by the next opener."""
    before = {d["id"] for d in cli_json("documents", store=store_copy)}
    proc = subprocess.Popen([sys.executable, "-m", "metrokg.ui.cli.main", "--store", str(store_copy),
                             "ingest", *batch_files, *options, "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    finished = proc.poll() is not None
    if delay < 0.5:
        assert not finished, "the earliest kill must land before the ingest can finish"
    children = _children(proc.pid)
    if not finished:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.time() + 10  # extraction workers die with their parent, none is left waiting
    while any(Path(f"/proc/{c}").exists() and not _zombie(c) for c in children) and time.time() < deadline:
        time.sleep(0.1)
    assert not [c for c in children if Path(f"/proc/{c}").exists() and not _zombie(c)], "orphaned workers"
    after = {d["id"] for d in cli_json("documents", store=store_copy)}
    complete = before | {f"province-{i:02d}" for i in range(BATCH)}
    assert after in (before, complete), f"partial ingest after kill at {delay}s"
    # the store still works for writes, and the search index follows the store
    hit_docs = {h["document"] for h in cli_json("search", "计量", "--k", "500", store=store_copy)}
    assert hit_docs == after



def _children(pid: int) -> list[int]:
    """The process's children now (Linux /proc), so they can be checked after it is killed."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def oxigraph_hashes(store: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((store / "oxigraph").iterdir())}


def test_doctor_reports_and_repairs_what_a_killed_bulk_load_left(tmp_path):
    """A bulk load killed half-way leaves a pending graph; readers (doctor included) change no
    database file, and `doctor --repair` drops it, as the next writer would."""
    store = tmp_path / "store"
    crash = textwrap.dedent(f"""
        import os
        from rdflib import Literal, URIRef
        from metrokg.kg.store import embedded
        from metrokg.kg.store.embedded import EmbeddedStore
        embedded.BULK_BATCH_QUADS = 1  # each graph loaded as it is added, so the crash leaves it half-written
        t = (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("1"))
        store = EmbeddedStore({str(store)!r})
        store.replace_graphs({{URIRef("https://w3id.org/metrokg/graph/kept"): [t]}})
        g = URIRef("https://w3id.org/metrokg/graph/half-written")
        writer = store.bulk_writer([g])  # kept referenced: a collected writer would clean up
        add = writer.__enter__()
        add(g, [t])
        os._exit(9)  # killed: no clean-up runs
    """)
    assert subprocess.run([sys.executable, "-c", crash], timeout=120).returncode == 9
    before = oxigraph_hashes(store)
    report = cli_json("doctor", store=store)
    pending = next(r for r in report if r["check"] == "pending")
    assert pending["status"] == "warning" and "--repair" in pending["action"]
    assert oxigraph_hashes(store) == before
    repaired = cli_json("doctor", "--repair", store=store)
    assert any(r["check"] == "pending" and r["status"] == "repaired" for r in repaired)
    assert not any(r["check"] == "pending" for r in repaired if r["status"] != "repaired")
    from metrokg.kg.store.embedded import EmbeddedStore

    with EmbeddedStore(store, read_only=True) as s:
        assert [str(g).rsplit("/", 1)[1] for g in s.graph_iris()] == ["kept", "meta"]


@pytest.mark.slow
def test_readers_skip_a_document_a_killed_bulk_load_left_pending(store_copy):
    """Reads open the store read-only and cannot drop what a killed bulk load left: the document
    it was adding must still be invisible to every listing until the next writer drops it."""
    source = ROOT / "corpus" / "docs" / "chengdu-district-2024-metrology-action-plan.txt"
    crash = textwrap.dedent(f"""
        import os
        from metrokg.kg.graph.ingest import graph_for, prepare
        from metrokg.kg.store import embedded
        from metrokg.kg.store.embedded import EmbeddedStore
        from metrokg.ontology.namespace import graph_iri
        embedded.BULK_BATCH_QUADS = 1  # loaded as it is added, so the crash leaves it written but pending
        store = EmbeddedStore({str(store_copy)!r})
        doc = prepare({str(source)!r})
        triples, _ = graph_for(store, doc)
        g = graph_iri(doc.doc_id)
        writer = store.bulk_writer([g])  # kept referenced: a collected writer would clean up
        writer.__enter__()(g, triples)  # the whole document is written, its pending mark stays
        print(doc.doc_id, flush=True)
        os._exit(9)
    """)
    proc = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 9, proc.stderr
    doc_id = proc.stdout.split()[0]
    assert doc_id not in {d["id"] for d in cli_json("documents", store=store_copy)}
    assert doc_id not in {h["document"] for h in cli_json("search", "计量", "--k", "500", store=store_copy)}
    missing = run_cli("provisions", "--document", doc_id, store=store_copy, check=False)
    assert missing.returncode == 2 and "[E010]" in missing.stderr
    run_cli("doctor", "--repair", store=store_copy)  # a writer: drops the half-loaded graph for good
    assert doc_id not in {d["id"] for d in cli_json("documents", store=store_copy)}
