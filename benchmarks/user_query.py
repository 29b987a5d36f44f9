"""Cost of the SPARQL time limit: a user's query runs in a killable worker process.

    python benchmarks/user_query.py STORE_DIR [--repeat 50]

Prints the median latency of a small SELECT run directly on the store (in process), through
`run_user_query` with a cold worker (first query of a process: start-up and opening the
read-only view) and with a warm one, and how long a query that would run for hours takes to be
stopped with a 1 s limit.
"""

from __future__ import annotations

import argparse
import statistics
import time

from metrokg.errors import MetrokgError
from metrokg.kg.store.user_sparql import run_user_query
from metrokg.kg.store.embedded import EmbeddedStore

SMALL = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } LIMIT 20"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    store = EmbeddedStore(args.store, read_only=True)
    t = time.perf_counter()
    run_user_query(store, SMALL)
    cold = (time.perf_counter() - t) * 1000
    warm = median_ms(lambda: run_user_query(store, SMALL), args.repeat)
    direct = median_ms(lambda: list(store.query(SMALL)), args.repeat)
    t = time.perf_counter()
    try:
        run_user_query(store, SLOW, timeout_s=1.0)
    except MetrokgError:
        pass
    stopped = time.perf_counter() - t
    print(f"small SELECT in process:            {direct:7.2f} ms (median of {args.repeat})")
    print(f"run_user_query, cold worker:        {cold:7.2f} ms")
    print(f"run_user_query, warm worker:        {warm:7.2f} ms (median of {args.repeat})")
    print(f"hours-long query with a 1 s limit:  stopped after {stopped:.2f} s")


if __name__ == "__main__":
    main()
