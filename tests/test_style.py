"""The code passes ruff with the rule set of pyproject.toml, so unused imports, undefined names and the like
are caught before review rather than after."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from conftest import ROOT

# Every folder of Python code the project ships or runs; ruff reads its rules from pyproject.toml.
CHECKED = ("metrokg", "ontology", "nlp", "kg", "ui", "tests", "benchmarks")


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None,
                    reason="ruff is not installed (it comes with the test extra: pip install -e '.[test]')")
def test_ruff_finds_nothing():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                           *CHECKED], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"ruff findings (fix them, or `ruff check --fix`):\n{proc.stdout}{proc.stderr}"
