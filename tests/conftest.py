"""Shared fixtures: a store built once per session from the shipped corpus, and CLI runners."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DEV_DOCS = ROOT / "corpus" / "docs"  # development documents, shipped: the gold annotations are written on them
SEED = ROOT / "corpus" / "hubei-2022-metrology-plan-implementation-opinions.txt"
OUTPUT = ROOT / "test-output"


def run_cli(*args: str, store: Path | str | None = None, input: str | None = None,
            check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real ``metrokg`` command line in a subprocess."""
    cmd = [sys.executable, "-m", "metrokg.ui.cli.main"]
    if store is not None:
        cmd += ["--store", str(store)]
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(cmd + list(args), capture_output=True, text=True, input=input, env=full_env,
                          timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"metrokg {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def cli_json(*args: str, store: Path | str | None = None, **kw):
    """Run a command with ``--json`` and parse its stdout."""
    proc = run_cli(*args, "--json", store=store, **kw)
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """A store with the shipped corpus built into it (read-only for tests: copy before writing)."""
    path = tmp_path_factory.mktemp("built") / "store"
    run_cli("build", store=path)
    return path


@pytest.fixture
def store_copy(built_store, tmp_path) -> Path:
    """A private, writable copy of the built store."""
    import shutil

    dest = tmp_path / "store"
    shutil.copytree(built_store, dest)
    return dest


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
