"""Children that die with their parent: killed with it, or gone at once when it died first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")

CHILD = ("import sys, time; from metrokg.processes import die_with_parent; die_with_parent(int(sys.argv[1])); "
         "print('ready', flush=True); time.sleep(120)")
PARENT = ("import os, subprocess, sys, time; child = subprocess.Popen([sys.executable, '-c', sys.argv[1], "
          "str(os.getpid())], stdout=subprocess.PIPE, text=True); child.stdout.readline(); "
          "print(child.pid, flush=True); time.sleep(120)")


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()  # a zombie has died, only its exit status is left
    except FileNotFoundError:
        return False


def test_a_child_is_killed_with_its_parent():
    parent = subprocess.Popen([sys.executable, "-c", PARENT, CHILD], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert _alive(child)
        os.kill(parent.pid, signal.SIGKILL)  # no clean-up runs in the parent
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        parent.kill()


def test_a_child_whose_parent_is_already_gone_exits_at_once():
    done = subprocess.run([sys.executable, "-c", CHILD, "1"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "ready" not in done.stdout  # pid 1 is not its parent: orphaned already
