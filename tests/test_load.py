"""A short, bounded form of the load test: concurrent readers while a document is ingested."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import DATA, ROOT
from serving import running_server


@pytest.mark.slow
def test_concurrent_clients_with_an_ingest(store_copy, tmp_path):
    doc = tmp_path / "city_plan.txt"
    shutil.copy(DATA / "structure" / "city_plan.txt", doc)
    with running_server(store_copy) as url:
        proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load.py"), "--url", url,
                               "--clients", "4", "--seconds", "12", "--document", str(doc), "--json"],
                              capture_output=True, text=True, timeout=300)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["failures"] == []
    assert result["partial_views"] == []
    assert result["ingested_provisions"] == result["expected_provisions"] > 0
    assert result["latency_ms"]["search"]["n"] > 0 and result["latency_ms"]["ingest"]["n"] == 1
    assert proc.returncode == 0
