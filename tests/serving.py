"""Start a real ``metrokg serve`` on a free loopback port for tests, and stop it afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from servers import free_port


@contextmanager
def running_server(store: Path, extra: list[str] | None = None, timeout: float = 120.0) -> Iterator[str]:
    """Yield the base URL of a live server over ``store``; the log is kept for failures."""
    port = free_port()
    log = open(Path(store).parent / f"serve-{port}.log", "w+")
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "metrokg.ui.cli.main", "--store", str(store), "serve",
                             "--port", str(port), *(extra or [])], stdout=log, stderr=subprocess.STDOUT,
                            env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"metrokg serve exited early:\n{log.read()}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                log.seek(0)
                raise RuntimeError(f"metrokg serve did not answer in {timeout} s:\n{log.read()}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
