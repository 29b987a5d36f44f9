"""How long `metrokg serve` takes to a usable page, and to its first search answer.

Prints, for each run: seconds from starting the process until ``/`` answers 200 with the page
(``page_s``), until the Gradio config (every tab) is served (``config_s``), and until the
first ``/search`` through the named API returns hits (``first_search_s``; the server warms the
search index in the background from start-up on).

    python benchmarks/serve_startup.py [--runs 3] [--store DIR]

Without ``--store`` a temporary store is built from the shipped corpus first (not timed);
each run starts a server on a copy of it, so every run starts cold (no search index yet)
unless ``--warm`` reuses the index built by the first run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, deadline: float, proc: subprocess.Popen) -> float:
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("metrokg serve exited early")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    resp.read()
                    return time.time()
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(url)


def one_run(store: Path) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    start = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "metrokg.ui.cli.main", "--store", str(store), "serve", "--port",
                             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        page = wait_for(base + "/", start + 300, proc) - start
        config = wait_for(base + "/config", start + 300, proc) - start
        from gradio_client import Client

        hits = Client(base, verbose=False).predict("碳排放计量", api_name="/search")
        first = time.time() - start
        return {"page_s": round(page, 2), "config_s": round(config, 2), "first_search_s": round(first, 2),
                "hits": len(hits)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store", help="a built store to copy (default: build the shipped corpus)")
    parser.add_argument("--warm", action="store_true", help="keep the search index between runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="metrokg-bench-") as tmp:
        source = Path(args.store) if args.store else Path(tmp) / "built"
        if not args.store:
            subprocess.run([sys.executable, "-m", "metrokg.ui.cli.main", "--store", str(source), "build"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = []
        store = Path(tmp) / "run"
        for i in range(args.runs):
            if not (args.warm and store.exists()):
                shutil.rmtree(store, ignore_errors=True)
                shutil.copytree(source, store)
            results.append(one_run(store))
            print(json.dumps({"run": i + 1, **results[-1]}), flush=True)
        for key in ("page_s", "config_s", "first_search_s"):
            values = sorted(r[key] for r in results)
            print(f"{key}: median {values[len(values) // 2]:.2f} s (min {values[0]:.2f}, max {values[-1]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
