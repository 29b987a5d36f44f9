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


# the child builds a dense index of ``n`` synthetic provisions into a folder, as an ingest's last
# step does, with an embedder that returns unit vectors at once (the model is not what is measured),
# and prints the growth of its peak RSS over the build in MB
DENSE_CHILD = """
import resource, sys
from pathlib import Path
import numpy as np
from metrokg.kg.embedding.base import Embedder
from metrokg.kg.records.provisions import ProvisionRecord
from metrokg.kg.search.dense import DenseIndex, EmbedLimits

class Unit(Embedder):
    model_id, dim = "test:unit", 384
    def embed_queries(self, texts): return self.embed_passages(texts)
    def embed_passages(self, texts):
        out = np.zeros((len(texts), self.dim), np.float32); out[:, 0] = 1.0; return out

n = int(sys.argv[2])
text = "计量器具必须经检定合格。使用单位应当定期送检第{}号。"
records = [ProvisionRecord(f"urn:d{i // 50}:{i}", f"d{i // 50}", str(i), "", text.format(i), 0, 30) for i in range(n)]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
DenseIndex.write(records, Unit(), Path(sys.argv[1]), limits=EmbedLimits(2000, 500, 200000))
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KB as on Linux")
def test_dense_index_build_holds_one_chunk_of_vectors(tmp_path):
    """An ingest's dense step writes each chunk's vectors to the index files as they come back: 8
    times the provisions (three rows of 384 floats each) must not hold 8 times the vectors."""
    def growth(n: int) -> float:
        out = subprocess.run([sys.executable, "-c", DENSE_CHILD, str(tmp_path / f"dense-{n}"), str(n)],
                             capture_output=True, text=True, check=True)
        return float(out.stdout.strip().splitlines()[-1])

    small, large = growth(5_000), growth(40_000)
    # held whole, 40 k provisions' 120 k rows would be 184 MB of float32 vectors (35 k more rows: 54 MB)
    assert large - small < 40, f"the build grew its peak by {small:.0f} MB for 5 k provisions, {large:.0f} MB for 40 k"
