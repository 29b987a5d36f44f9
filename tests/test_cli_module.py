"""``python -m metrokg.ui.cli`` is the same command line as ``metrokg`` (scripts and cron jobs use it)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.slow
def test_python_dash_m_runs_the_command_line():
    out = subprocess.run([sys.executable, "-m", "metrokg.ui.cli", "--help"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("usage: metrokg") and "ingest" in out.stdout
