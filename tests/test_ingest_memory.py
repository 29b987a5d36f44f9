"""An ingest's peak memory does not grow with the number of new documents (#19): each document's
triples go to the store as it is extracted, in one transaction, instead of every new document's
being held until the end."""

import os
import subprocess
import sys

import pytest

from conftest import SEED

pytestmark = pytest.mark.slow  # two ingest subprocesses

# the child ingests the files through the library, as `metrokg ingest` does before its indexes
CHILD = "import sys; from metrokg.kg.graph.ingest import ingest_paths; from metrokg.kg.store.registry import " \
        "open_store; store = open_store(sys.argv[1], write=True); " \
        "assert all(r.status == 'added' for r in ingest_paths(store, sys.argv[2:])); store.close()"


def _documents(folder, count: int) -> list[str]:
    """``count`` distinct copies of the seed plan (another province each, so none is a duplicate)."""
    text = SEED.read_text(encoding="utf-8")
    folder.mkdir()
    paths = []
    for i in range(count):
        path = folder / f"plan-{i:03d}.txt"
        path.write_text(text.replace("湖北", f"测试省{i}"), encoding="utf-8")
        paths.append(str(path))
    return paths


def _peak_mb(tmp_path, count: int) -> float:
    """Peak RSS of a fresh child ingesting ``count`` documents, read by this process with wait4
    (Linux carries ru_maxrss across fork and exec, so the child's own figure would include ours)."""
    files = _documents(tmp_path / f"docs-{count}", count)
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / f"store-{count}"), *files],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, err.decode("utf-8", "replace")[-2000:]
    return usage.ru_maxrss / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KB and wait4 as on Linux")
def test_peak_memory_flat_in_corpus_size(tmp_path):
    small, large = _peak_mb(tmp_path, 4), _peak_mb(tmp_path, 16)
    # the seed's graph is ~1 MB of triples in Python terms; holding 12 more would add well over 25 MB
    assert large - small < 25, f"peak RSS {small:.0f} MB for 4 documents, {large:.0f} MB for 16"
