"""Shared set-up for the analysis tests: the built corpus plus a second province's document."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DEV_DOCS, run_cli

SEED_ID = "hubei-2022-metrology-implementation"
JIANGXI = DEV_DOCS / "jiangxi-2023-metrology-plan-implementation-measures.txt"
JIANGXI_ID = "jiangxi-2023-metrology-plan-implementation-measures"


def store_with_jiangxi(built_store: Path, dest: Path) -> Path:
    """A private copy of the built store with the Jiangxi measures ingested too."""
    shutil.copytree(built_store, dest)
    run_cli("ingest", str(JIANGXI), store=dest)
    return dest
