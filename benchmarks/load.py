"""Bounded load test against a live `metrokg serve` on 127.0.0.1.

N clients loop over search, ask and targets for D seconds while one more client ingests a
document a third of the way through. Every request must succeed; a watcher checks that the new
document appears atomically (its provision count is either 0 or complete, never partial) and
that ``/documents`` lists it once the ingest has returned. Prints p50/p95/p99 latency per
endpoint and overall.

Each client holds one connection and one session, as a browser tab does, and calls the named
API over Gradio's documented HTTP interface (``POST /gradio_api/call/NAME``, then the result
stream). ``--client gradio`` uses ``gradio_client`` instead: it opens new connections for every
call and, on a 2-core machine shared with the server, its own CPU time dominates what it measures.
``--client json`` calls the same functions through the plain JSON API (``POST /api/NAME``), which
skips Gradio's queue and event stream.

    python benchmarks/load.py                      # 20 clients, 60 s, its own server
    python benchmarks/load.py --clients 5 --seconds 10 --json
    python benchmarks/load.py --url http://127.0.0.1:7860 --document FILE
    python benchmarks/load.py --client gradio      # the same load through gradio_client
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

QUERIES = ["碳排放计量", "充电桩", "芯片", "加油站少给油怎么管", "仪器仪表品牌", "计量人才", "EV charging",
           "强制检定覆盖率", "扭矩校准", "计量数据"]
QUESTIONS = ["谁负责中期评估？", "到2025年要完成哪些目标？", "哪些任务涉及汽车？", "省市场监管局有哪些义务？"]
COUNT_PROVISIONS = ("PREFIX mkg: <https://w3id.org/metrokg/ontology#> SELECT (COUNT(?p) AS ?n) WHERE "
                    "{ ?p a mkg:Provision ; mkg:inDocument ?d . ?d mkg:documentId \"%s\" }")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def provision_count(url: str, doc_id: str) -> int:
    import urllib.parse
    import urllib.request

    req = urllib.request.Request(url + "/sparql?" + urllib.parse.urlencode({"query": COUNT_PROVISIONS % doc_id}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = json.load(resp)
    return int(data["results"]["bindings"][0]["n"]["value"])


class HttpClient:
    """One client of the named API over Gradio's HTTP interface: one kept-alive connection, one session."""

    def __init__(self, url: str, timeout: float = 120.0):
        import http.client
        import secrets
        import urllib.parse

        parts = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
        self.session = secrets.token_hex(8)

    def _read(self, method: str, path: str, body: bytes | None = None) -> bytes:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {data[:200]!r}")
        return data

    def predict(self, *data, api_name: str):
        name = api_name.strip("/")
        body = json.dumps({"data": list(data), "session_hash": self.session}).encode("utf-8")
        event = json.loads(self._read("POST", f"/gradio_api/call/{name}", body))["event_id"]
        stream = self._read("GET", f"/gradio_api/call/{name}/{event}").decode("utf-8")
        kind, payload = None, None
        for line in stream.splitlines():
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:") and kind in ("complete", "error"):
                payload = json.loads(line[5:])
                break
        if kind != "complete":
            raise RuntimeError(f"{api_name}: {kind}: {payload}")
        return payload[0] if isinstance(payload, list) and len(payload) == 1 else payload


# The named API's parameters in order (the HTTP interface takes every one).
class JsonClient(HttpClient):
    """One client of the plain JSON API (``/api/NAME``, ui/web/json_api.py): one kept-alive connection."""

    def call(self, name: str, **params):
        return json.loads(self._read("POST", f"/api/{name}", json.dumps(params).encode("utf-8")))


# k, document, industry, quantity, actor, modality, deadline_year, kind, jurisdiction, issued
SEARCH_DEFAULTS = (10, "", "", "", "", "", "", "", "", "")


def run(url: str, clients: int, seconds: float, document: Path, expected_provisions: int,
        client_kind: str = "http") -> dict:
    from gradio_client import Client, handle_file

    latencies: dict[str, list[float]] = {"search": [], "ask": [], "targets": [], "ingest": []}
    failures: list[str] = []
    partial_views: list[int] = []
    lock = threading.Lock()
    stop = time.time() + seconds
    from metrokg.kg.graph.ingest import doc_id_for

    doc_id = doc_id_for(document.name)

    def record(name: str, started: float) -> None:
        with lock:
            latencies[name].append(time.perf_counter() - started)

    def worker(seed: int) -> None:
        rnd = random.Random(seed)
        http = client_kind == "http"
        client = (HttpClient(url) if http else JsonClient(url) if client_kind == "json"
                  else Client(url, verbose=False))
        while time.time() < stop:
            kind = rnd.choice(["search", "search", "ask", "targets"])
            started = time.perf_counter()
            try:
                if client_kind == "json":
                    params = {"search": {"query": rnd.choice(QUERIES)}, "ask": {"question": rnd.choice(QUESTIONS)},
                              "targets": {}}[kind]
                    client.call(kind, **params)
                elif kind == "search":
                    client.predict(rnd.choice(QUERIES), *(SEARCH_DEFAULTS if http else ()), api_name="/search")
                elif kind == "ask":
                    client.predict(rnd.choice(QUESTIONS), *((10,) if http else ()), api_name="/ask")
                else:
                    client.predict(*(("",) if http else ()), api_name="/targets")
                record(kind, started)
            except Exception as err:  # every failure is reported, none is fatal to the run
                with lock:
                    failures.append(f"{kind}: {err}")

    ingested = threading.Event()

    def ingester() -> None:
        time.sleep(seconds / 3)
        client = Client(url, verbose=False)
        started = time.perf_counter()
        try:
            client.predict(handle_file(str(document)), api_name="/ingest")
            record("ingest", started)
            ingested.set()
        except Exception as err:
            with lock:
                failures.append(f"ingest: {err}")

    listed: list[bool] = []

    def watcher() -> None:
        client = HttpClient(url)
        while time.time() < stop + 2:
            try:
                n = provision_count(url, doc_id)
                if n not in (0, expected_provisions):
                    partial_views.append(n)
                if ingested.is_set() and not listed:  # the document list follows the write at once
                    listed.append(doc_id in {d["id"] for d in client.predict(api_name="/documents")})
            except Exception as err:
                with lock:
                    failures.append(f"watcher: {err}")
            time.sleep(0.2)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    threads += [threading.Thread(target=ingester), threading.Thread(target=watcher)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if ingested.is_set() and not listed:  # the ingest returned after the watcher stopped
        listed.append(doc_id in {d["id"] for d in HttpClient(url).predict(api_name="/documents")})
    final = provision_count(url, doc_id)
    everything = [v for vs in latencies.values() for v in vs]
    return {
        "clients": clients, "seconds": seconds, "requests": len(everything), "failures": failures,
        "partial_views": partial_views, "ingested_provisions": final, "expected_provisions": expected_provisions,
        "client": client_kind, "listed_after_ingest": bool(listed and listed[0]),
        "latency_ms": {name: {"n": len(vs), "p50": round(percentile(vs, .5) * 1000, 1),
                              "p95": round(percentile(vs, .95) * 1000, 1),
                              "p99": round(percentile(vs, .99) * 1000, 1)}
                       for name, vs in {**latencies, "all": everything}.items() if vs},
        "throughput_rps": round(len(everything) / seconds, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server; default: start one over a fresh built store")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--document", type=Path, default=ROOT / "tests" / "data" / "structure" / "city_plan.txt")
    parser.add_argument("--client", choices=("http", "json", "gradio"), default="http",
                        help="http: Gradio's named API, one kept-alive connection and session per client (as a "
                             "browser); json: the plain JSON API /api/NAME; gradio: gradio_client")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from metrokg.nlp.reading.readers import read_document
    from metrokg.nlp.structure.parser import parse_document

    expected = len(parse_document(read_document(args.document).text, doc_id="x").provisions)
    with ExitStack() as stack:
        url = args.url
        if url is None:
            import subprocess

            from serving import running_server

            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="metrokg-load-")))
            subprocess.run([sys.executable, "-m", "metrokg.ui.cli.main", "--store", str(tmp / "store"), "build"],
                           check=True, capture_output=True)
            doc = tmp / args.document.name
            shutil.copy(args.document, doc)
            args.document = doc
            url = stack.enter_context(running_server(tmp / "store"))
        result = run(url, args.clients, args.seconds, args.document, expected, args.client)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{result['clients']} clients ({result['client']}), {result['seconds']:.0f} s, {result['requests']} "
              f"requests ({result['throughput_rps']} req/s), failures: {len(result['failures'])}, "
              f"partial views: {len(result['partial_views'])}, listed after ingest: {result['listed_after_ingest']}")
        print(f"{'endpoint':10} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for name, row in result["latency_ms"].items():
            print(f"{name:10} {row['n']:>6} {row['p50']:>8} {row['p95']:>8} {row['p99']:>8}")
        for f in result["failures"][:10]:
            print("FAILED", f)
    ok = not result["failures"] and not result["partial_views"] and result["ingested_provisions"] == expected \
        and result["listed_after_ingest"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
