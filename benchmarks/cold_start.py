"""Cold start: a fresh process's ``metrokg search`` and extraction-pipeline load, in CPU seconds.

    python benchmarks/cold_start.py STORE [--query 加油站少给油怎么管] [--repeat 7] [--json]

Each measurement is a new Python process (what a user's command costs, start-up and imports
included); CPU is the child's user + system time, less noisy than wall time on a shared machine.
One search runs first and is not counted: it builds the index if the store has none, and writes
the caches (jieba's dictionary, the parsed ontology) a later process reads. Prints the median and
range of each, with the machine's load average: compare figures taken in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

PIPELINE = "from metrokg.nlp.extraction.pipeline import load_pipeline; load_pipeline()"


def metrokg_command() -> list[str]:
    """The installed ``metrokg`` beside this Python, else the CLI module."""
    script = Path(sys.executable).with_name("metrokg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "metrokg.ui.cli.main"]


def run_once(command: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process running ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def summary(samples: list[tuple[float, float]]) -> dict:
    cpu, wall = [s[0] for s in samples], [s[1] for s in samples]
    return {"cpu_median_s": round(statistics.median(cpu), 3), "cpu_min_s": round(min(cpu), 3),
            "cpu_max_s": round(max(cpu), 3), "wall_median_s": round(statistics.median(wall), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", help="a store folder (its search index is built by the first, uncounted search)")
    parser.add_argument("--query", default="加油站少给油怎么管")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    search = [*metrokg_command(), "--store", args.store, "search", args.query]
    pipeline = [sys.executable, "-c", PIPELINE]
    run_once(search)  # index and caches written; not counted
    run_once(pipeline)
    rows = {"search": [], "pipeline": []}
    for _ in range(args.repeat):  # interleaved, so a change in machine load hits both alike
        rows["search"].append(run_once(search))
        rows["pipeline"].append(run_once(pipeline))
    result = {"load_average": [round(x, 2) for x in os.getloadavg()], "repeat": args.repeat,
              "search": summary(rows["search"]), "pipeline": summary(rows["pipeline"])}
    if args.json:
        print(json.dumps(result))
        return
    print(f"load average {' '.join(str(x) for x in result['load_average'])}; {args.repeat} runs each")
    for name, label in (("search", f"cold metrokg search {args.query}"), ("pipeline", "extraction pipeline load")):
        s = result[name]
        print(f"{label}: {s['cpu_median_s']:.2f} s CPU median ({s['cpu_min_s']:.2f}-{s['cpu_max_s']:.2f}), "
              f"{s['wall_median_s']:.2f} s wall")


if __name__ == "__main__":
    main()
