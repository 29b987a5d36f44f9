"""Scale benchmark: the store backends side by side on a synthetic national corpus.

The corpus is generated from the real seed document: it is parsed and run through the
real extraction pipeline once, then copied into many provinces' documents whose names,
numbers and years vary (lengths kept, so every offset stays valid), plus a specification
catalogue of N entries read by the real CSV importer. Each backend gets the same data:

* ingest: whole documents written through ``Store.replace_graphs`` in batches (what
  ``metrokg ingest`` does after extraction) -> provisions/s and triples/s;
* the app's real queries, p50/p95: search (plain and filtered), documents, provisions of
  a document, a 2-hop SPARQL join, targets, obligations by actor, the gap map;
* memory (RSS of the server, or of this process for the embedded store) and disk;
* the first obligations and gap-map calls after one more document is written, and in a
  new process (what a command-line user waits for).

Then the real ingest pipeline on files (read, parse, extract, write) into an embedded store,
as one transaction and with ``--bulk``, and rdflib's in-memory graph, pyoxigraph and oxrdflib
loading the same triples and running the same 2-hop join. The default run (10,000
provisions, every backend) took 24 minutes on 2 cores (the servers' index builds dominate);
``--backends embedded`` about 4, ``--small`` about 1.5.

    python benchmarks/scale.py --small
    python benchmarks/scale.py --provisions 10000 --specs 10000
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import XSD, BNode, Literal, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from servers import start_oxigraph, start_virtuoso, stop  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "hubei-2022-metrology-plan-implementation-opinions.txt"
PROVINCES = ["浙江", "广东", "江苏", "山东", "河南", "河北", "湖南", "四川", "福建", "安徽", "江西",
             "山西", "陕西", "甘肃", "辽宁", "吉林", "云南", "贵州", "海南", "青海", "湖北"]
MKG = "https://w3id.org/metrokg/ontology#"
JOIN_2HOP = """
PREFIX mkg: <https://w3id.org/metrokg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?issuer ?label (COUNT(?p) AS ?n) WHERE {
  ?p mkg:mentions ?c ; mkg:inDocument ?d .
  ?d mkg:issuerName ?issuer .
  ?c skos:prefLabel ?label . FILTER(LANG(?label) = "zh")
} GROUP BY ?issuer ?label ORDER BY DESC(?n) LIMIT 20
"""
JOIN_2HOP_PLAIN = """
PREFIX mkg: <https://w3id.org/metrokg/ontology#>
SELECT ?issuer (COUNT(?p) AS ?n) WHERE { ?p mkg:mentions ?c ; mkg:inDocument ?d . ?d mkg:issuerName ?issuer }
GROUP BY ?issuer
"""


BACKENDS = "embedded,oxigraph-server,oxigraph-gsp,virtuoso"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ synthetic corpus

class Corpus:
    """The seed's graph, and copies of it as other provinces' documents."""

    def __init__(self, workdir: Path):
        from metrokg.kg.graph.build import load_ontology_into, ontology_graph
        from metrokg.kg.graph.ingest import graph_for, prepare
        from metrokg.kg.store.embedded import EmbeddedStore

        self.ontology = list(ontology_graph())
        scratch = EmbeddedStore(workdir / "seed-store")
        load_ontology_into(scratch)
        started = time.perf_counter()
        doc = prepare(SEED)
        self.triples, self.facts = graph_for(scratch, doc)
        self.pipeline_s = time.perf_counter() - started  # parse + extraction of the seed (models warm-up included)
        scratch.close()
        self.seed_id = doc.doc_id
        self.provisions = len(doc.provisions)
        self.doc_prefix = f"https://w3id.org/metrokg/doc/{doc.doc_id}"

    def document(self, k: int) -> tuple[URIRef, list, int]:
        """Document number ``k``: its graph IRI, triples and provision count."""
        from metrokg.ontology.namespace import graph_iri

        rng = random.Random(k)
        province = PROVINCES[k % len(PROVINCES)]
        doc_id = f"synthetic-{k:05d}-{hashlib.sha1(province.encode()).hexdigest()[:4]}"
        digits = list("0123456789")
        rng.shuffle(digits)
        table = str.maketrans("0123456789", "".join(digits))
        new_prefix = f"https://w3id.org/metrokg/doc/{doc_id}"
        year = {}

        def iri(t: URIRef) -> URIRef:
            return URIRef(new_prefix + t[len(self.doc_prefix):]) if t.startswith(self.doc_prefix) else t

        out = []
        for s, p, o in self.triples:
            ps = str(p)
            if isinstance(s, URIRef):
                s = iri(s)
            elif isinstance(s, BNode):
                s = BNode(f"{s}k{k}")
            if isinstance(o, URIRef):
                o = iri(o)
            elif isinstance(o, BNode):
                o = BNode(f"{o}k{k}")
            elif isinstance(o, Literal):
                if ps == MKG + "documentId":
                    o = Literal(doc_id)
                elif ps == MKG + "contentHash":
                    o = Literal(hashlib.sha256(doc_id.encode()).hexdigest())
                elif ps == MKG + "deadlineYear":
                    o = Literal(year.setdefault(str(o), rng.randint(2023, 2035)))
                elif o.datatype == XSD.decimal and ps == MKG + "value":
                    o = Literal(str(o).translate(table), datatype=XSD.decimal)
                elif o.datatype is None and not ps.endswith(("#start", "#end", "#order", "#level")):
                    o = Literal(str(o).replace("湖北", province).translate(table), lang=o.language)
            out.append((s, p, o))
        return graph_iri(doc_id), out, self.provisions

    def catalogue(self, n: int, workdir: Path, labels: dict[str, list[str]]) -> list:
        """A specification catalogue of ``n`` rows through the real CSV importer."""
        from metrokg.kg.graph.catalogue import parse_catalogue_csv

        rng = random.Random(7)
        path = workdir / "catalogue.csv"
        kinds = ["检定规程", "校准规范", "计量技术规范"]
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "title", "type", "quantity kinds", "instruments", "status", "dates"])
            for i in range(n):
                kind = rng.choice(kinds)
                prefix = "JJG" if kind == "检定规程" else "JJF"
                q = rng.sample(labels["quantity"], k=min(2, len(labels["quantity"])))
                inst = rng.sample(labels["instrument"], k=1) if labels["instrument"] else []
                year = rng.randint(2000, 2024)
                w.writerow([f"{prefix} {1000 + i}-{year}", f"{''.join(inst) or '计量器具'}{kind} {i}", kind,
                            "；".join(q), "；".join(inst), rng.choice(["现行", "现行", "废止"]),
                            f"{year}-03-01/{year}-09-01"])
        return list(parse_catalogue_csv(path))


def vocabulary_labels(triples: list) -> dict[str, list[str]]:
    """Chinese preferred labels of the quantity and instrument concepts (for the catalogue rows)."""
    schemes = {"quantity": URIRef("https://w3id.org/metrokg/id/quantity"),
               "instrument": URIRef("https://w3id.org/metrokg/id/instrument")}
    in_scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    pref = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    members = {name: {s for s, p, o in triples if p == in_scheme and o == iri} for name, iri in schemes.items()}
    out = {}
    for name, concepts in members.items():
        out[name] = sorted({str(o) for s, p, o in triples
                            if p == pref and s in concepts and getattr(o, "language", None) == "zh"})[:200]
    return out


# ------------------------------------------------------------------ servers

class Backend:
    """One store under test: its spec, environment, process (if a server) and folder."""

    def __init__(self, name: str, workdir: Path):
        self.name = name
        self.dir = workdir / name
        self.dir.mkdir(parents=True)
        self.proc: subprocess.Popen | None = None
        self.env: dict[str, str] = {}
        if name == "embedded":
            self.spec = str(self.dir / "store")
        elif name in ("oxigraph-server", "oxigraph-gsp"):
            self.proc, base = start_oxigraph(self.dir)
            self.spec = f"sparql+{base}/query"
            if name == "oxigraph-gsp":
                self.env["METROKG_GSP_URL"] = f"{base}/store"
        elif name == "virtuoso":
            self.proc, base = start_virtuoso(self.dir, buffers=170000, max_rows=100_000_000)
            self.spec = f"sparql+{base}/sparql"
        else:
            raise ValueError(name)

    def rss_mb(self) -> float:
        pid = self.proc.pid if self.proc else os.getpid()
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def disk_mb(self) -> float:
        return sum(f.stat().st_size for f in self.dir.rglob("*") if f.is_file()) / 1e6

    def stop(self) -> None:
        if self.proc:
            stop(self.proc)


# ------------------------------------------------------------------ measuring

def timed(fn, budget_s: float, max_runs: int) -> tuple[float, float, int]:
    """p50 and p95 in ms of ``fn`` over up to ``max_runs`` runs or ``budget_s`` seconds.

    The first (cold) run is dropped when there is time for more; a query slower than the
    budget is measured once."""
    times = []
    started = time.perf_counter()
    while len(times) < max_runs + 1 and (len(times) < 2 or time.perf_counter() - started < budget_s):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        if len(times) == 1 and times[0] > budget_s * 1000:
            break
    if len(times) > 1:
        times = times[1:]
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, len(times)


def run_backend(name: str, corpus: Corpus, n_docs: int, catalogue: list, args, workdir: Path) -> dict:
    from metrokg.kg.analyses.gaps import gap_map
    from metrokg.kg.records.listing import list_documents, list_provisions
    from metrokg.kg.analyses.obligations import list_obligations
    from metrokg.kg.search.index import SearchIndex
    from metrokg.kg.store.registry import open_store
    from metrokg.kg.analyses.targets import list_targets
    from metrokg.ontology.namespace import CATALOGUE_GRAPH, ONTOLOGY_GRAPH

    backend = Backend(name, workdir)
    os.environ["METROKG_DATA_DIR"] = str(backend.dir / "data")
    for k, v in backend.env.items():
        os.environ[k] = v
    res: dict = {"backend": name}
    try:
        store = open_store(backend.spec, write=True)
        store.replace_graphs({ONTOLOGY_GRAPH: corpus.ontology, CATALOGUE_GRAPH: catalogue})
        written = provisions = 0
        write_s = 0.0
        batch: dict = {}
        for k in range(n_docs):
            g, triples, n_prov = corpus.document(k)
            batch[g] = triples
            provisions += n_prov
            if len(batch) == args.batch or k == n_docs - 1:
                n = sum(map(len, batch.values()))
                t = time.perf_counter()
                store.replace_graphs(batch)
                write_s += time.perf_counter() - t
                written += n
                batch = {}
                log(f"  {name}: {k + 1}/{n_docs} documents, {written} triples, {written / write_s:,.0f} triples/s")
        res.update(provisions=provisions, triples=written, ingest_s=write_s,
                   prov_per_s=provisions / write_s, triples_per_s=written / write_s)
        gc.collect()

        t = time.perf_counter()
        index = SearchIndex.build(store)
        res["index_build_s"] = time.perf_counter() - t
        docs = list_documents(store)
        some_doc = docs[len(docs) // 2]["id"]
        obligations = list_obligations(store)
        actor = next((r.get("actor") for r in obligations if r.get("actor")), None)
        industry = next(iter(str(r[0]) for r in store.query(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX mkg: <https://w3id.org/metrokg/ontology#> "
            "SELECT ?l WHERE { ?p mkg:mentions ?c . ?c skos:inScheme <https://w3id.org/metrokg/id/industry> ; "
            "skos:prefLabel ?l FILTER(LANG(?l) = 'zh') } LIMIT 1")), None)
        queries = {
            "search": lambda: index.search("充电桩 计量", k=10, mode="lexical"),
            "search+filter": lambda: index.search("计量", k=10, mode="lexical", industry=industry),
            "documents": lambda: list_documents(store),
            "provisions(doc)": lambda: list_provisions(store, some_doc),
            "2-hop join": lambda: list(store.query(JOIN_2HOP)),
            "targets": lambda: list_targets(store),
            "obligations(actor)": lambda: list_obligations(store, actor=actor),
            "gap map": lambda: gap_map(store, by="quantity"),
        }
        for qname, fn in queries.items():
            p50, p95, runs = timed(fn, args.budget, args.runs)
            res[qname] = (p50, p95)
            log(f"  {name}: {qname}: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({runs} runs)")
        res["first_new_process"] = first_calls_in_new_process(backend, actor)
        log(f"  {name}: first calls in a new process: {res['first_new_process']}")
        g, triples, _ = corpus.document(n_docs)  # one more document, then the first views after that write
        store.replace_graphs({g: triples})
        res["first_after_write"] = {}
        for qname in ("obligations(actor)", "gap map"):
            t = time.perf_counter()
            queries[qname]()
            res["first_after_write"][qname] = (time.perf_counter() - t) * 1000
        log(f"  {name}: first calls after a write: {res['first_after_write']}")
        res["rss_mb"] = backend.rss_mb()
        store.close()
        res["disk_mb"] = backend.disk_mb()
    finally:
        backend.stop()
        for k in backend.env:
            os.environ.pop(k, None)
    return res


FIRST_CALLS = """
import json, sys, time
from metrokg.kg.analyses.gaps import gap_map
from metrokg.kg.analyses.obligations import list_obligations
from metrokg.kg.store.registry import open_store
store = open_store(sys.argv[1])
out = {}
for name, fn in (("obligations(actor)", lambda: list_obligations(store, actor=sys.argv[2] or None)),
                 ("gap map", lambda: gap_map(store, by="quantity"))):
    t = time.perf_counter()
    fn()
    out[name] = (time.perf_counter() - t) * 1000
print(json.dumps(out))
"""


def first_calls_in_new_process(backend: Backend, actor: str | None) -> dict[str, float]:
    """Milliseconds of the first obligations and gap map calls of a fresh process (what a CLI
    user waits for), imports excluded: records derived earlier are read from the index folder."""
    env = {**os.environ, **backend.env}
    out = subprocess.run([sys.executable, "-c", FIRST_CALLS, backend.spec, actor or ""], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pipeline_ingest(n_docs: int, workdir: Path) -> list[dict]:
    """The real ``metrokg ingest`` path on files (read, parse, extract, write; no embeddings) into
    a fresh embedded store, in one call, as one transaction and with ``--bulk``: copies of the
    seed text with other provinces' names and years. Extraction workers: the default for the batch."""
    from metrokg.kg.graph.build import load_ontology_into
    from metrokg.kg.graph.ingest import default_workers, ingest_paths, prepare
    from metrokg.kg.graph.pending import PendingDocument
    from metrokg.kg.store.embedded import EmbeddedStore

    text = SEED.read_text(encoding="utf-8")
    folder = workdir / "pipeline-files"
    folder.mkdir()
    paths = []
    for k in range(n_docs):
        path = folder / f"plan-{k:05d}.txt"
        path.write_text(text.replace("湖北", PROVINCES[k % len(PROVINCES)]).replace("2025", str(2025 + k % 7)),
                        encoding="utf-8")
        paths.append(path)
    workers = default_workers([PendingDocument.of(prepare(paths[0]))] * n_docs)
    out = []
    for mode in ("transaction", "bulk"):
        store = EmbeddedStore(workdir / f"pipeline-{mode}")
        load_ontology_into(store)
        gc.collect()
        t = time.perf_counter()
        results = ingest_paths(store, paths, bulk=mode == "bulk")
        elapsed = time.perf_counter() - t
        store.close()
        provisions = sum(r.provisions for r in results)
        out.append({"mode": mode, "documents": n_docs, "provisions": provisions, "seconds": elapsed,
                    "prov_per_s": provisions / elapsed, "workers": workers})
        log(f"  pipeline ({mode}): {out[-1]}")
        shutil.rmtree(workdir / f"pipeline-{mode}", ignore_errors=True)
    return out


def compare_libraries(corpus: Corpus, n_docs: int, workdir: Path) -> list[dict]:
    """rdflib in memory vs pyoxigraph on disk vs oxrdflib: load and the 2-hop join."""
    import pyoxigraph as ox
    from rdflib import Graph

    from metrokg.kg.store.base import to_ox

    quads = [(s, p, o, g) for k in range(n_docs) for g, triples, _ in [corpus.document(k)] for s, p, o in triples]
    out = []
    log(f"  libraries: {len(quads)} triples")

    t = time.perf_counter()
    mem = Graph()  # one graph for both rdflib variants: rdflib's union over contexts is slower still
    for s, p, o, _g in quads:
        mem.add((s, p, o))
    load = time.perf_counter() - t
    t = time.perf_counter()
    n = len(list(mem.query(JOIN_2HOP_PLAIN)))
    out.append({"library": "rdflib Graph (memory)", "triples": len(quads), "load_s": load,
                "join_s": time.perf_counter() - t, "rows": n})
    del mem
    gc.collect()
    log(f"  libraries: {out[-1]}")

    t = time.perf_counter()
    store = ox.Store(str(workdir / "ox-lib"))
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in quads)
    store.flush()
    load = time.perf_counter() - t
    del store
    gc.collect()
    t = time.perf_counter()
    store = ox.Store(str(workdir / "ox-lib"))
    reopen = time.perf_counter() - t
    t = time.perf_counter()
    n = len(list(store.query(JOIN_2HOP_PLAIN, use_default_graph_as_union=True)))
    out.append({"library": "pyoxigraph Store (disk)", "triples": len(quads), "load_s": load,
                "join_s": time.perf_counter() - t, "rows": n, "reopen_s": reopen})
    del store
    log(f"  libraries: {out[-1]}")

    t = time.perf_counter()
    og = Graph(store="Oxigraph")
    og.addN((s, p, o, og) for s, p, o, _g in quads)
    load = time.perf_counter() - t
    t = time.perf_counter()
    n = len(list(og.query(JOIN_2HOP_PLAIN)))
    out.append({"library": "oxrdflib Graph (memory)", "triples": len(quads), "load_s": load,
                "join_s": time.perf_counter() - t, "rows": n})
    log(f"  libraries: {out[-1]}")
    return out


# ------------------------------------------------------------------ report

def ms(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def report(results: list[dict], libs: list[dict], pipeline: list[dict] | None, corpus: Corpus, args, n_docs: int,
           catalogue: int) -> str:
    import platform

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [f"Machine: {cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GiB RAM, Python {platform.python_version()}",
             f"Corpus: {n_docs} documents (seed x {n_docs}), {n_docs * corpus.provisions} provisions, "
             f"{results[0]['triples'] if results else 0:,} document triples + {len(corpus.ontology):,} ontology "
             f"+ {catalogue:,} catalogue triples; batches of {args.batch} documents per write",
             f"Real pipeline on the seed (parse + extraction, warm-up included): {corpus.pipeline_s:.1f} s for "
             f"{corpus.provisions} provisions ({corpus.provisions / corpus.pipeline_s:.1f} provisions/s)", ""]
    names = [r["backend"] for r in results]
    lines.append("| measure | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))

    def row(label, fmt):
        lines.append(f"| {label} | " + " | ".join(fmt(r) for r in results) + " |")

    row("ingest provisions/s", lambda r: f"{r['prov_per_s']:,.0f}")
    row("ingest triples/s", lambda r: f"{r['triples_per_s']:,.0f}")
    row("ingest total (s)", lambda r: f"{r['ingest_s']:.1f}")
    row("search index build (s)", lambda r: f"{r['index_build_s']:.1f}")
    for q in ("search", "search+filter", "documents", "provisions(doc)", "2-hop join", "targets",
              "obligations(actor)", "gap map"):
        row(f"{q} p50 / p95 (ms)", lambda r, q=q: f"{ms(r[q][0])} / {ms(r[q][1])}")
    for q in ("obligations(actor)", "gap map"):
        row(f"{q}: first call after a write (ms)", lambda r, q=q: ms(r["first_after_write"][q]))
        row(f"{q}: first call of a new process (ms)", lambda r, q=q: ms(r["first_new_process"][q]))
    row("memory RSS (MB)", lambda r: f"{r['rss_mb']:,.0f}" + (" (process)" if r["backend"] == "embedded" else " (server)"))
    row("disk (MB)", lambda r: f"{r['disk_mb']:,.0f}")
    if pipeline:
        lines += ["", f"Real ingest pipeline on files (read, parse, extract, write; no embeddings) into an embedded "
                      f"store, {pipeline[0]['documents']} documents, {pipeline[0]['provisions']:,} provisions, "
                      f"{pipeline[0]['workers']} extraction worker(s):", "",
                  "| ingest | seconds | provisions/s |", "|---|---|---|"]
        for run in pipeline:
            label = "`metrokg ingest --bulk`" if run["mode"] == "bulk" else "`metrokg ingest` (one transaction)"
            lines.append(f"| {label} | {run['seconds']:.1f} | {run['prov_per_s']:.0f} |")
    if libs:
        lines += ["", f"Libraries, {libs[0]['triples']:,} triples, the 2-hop join without labels:", "",
                  "| library | load (s) | 2-hop join (s) | reopen (s) |", "|---|---|---|---|"]
        for lib in libs:
            reopen = f"{lib['reopen_s']:.2f}" if "reopen_s" in lib else "-"
            lines.append(f"| {lib['library']} | {lib['load_s']:.1f} | {lib['join_s']:.3f} | {reopen} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--small", action="store_true", help="500 provisions, 1,000 specifications (1-2 min)")
    p.add_argument("--provisions", type=int, default=10_000, help="provisions to generate (default 10,000)")
    p.add_argument("--specs", type=int, default=10_000, help="catalogue entries (default 10,000)")
    p.add_argument("--backends", default=BACKENDS,
                   help="comma-separated; oxigraph-gsp writes through the Graph Store Protocol")
    p.add_argument("--batch", type=int, default=5, help="documents per write (default 5, about 6 MB)")
    p.add_argument("--runs", type=int, default=20, help="runs per query at most (default 20)")
    p.add_argument("--budget", type=float, default=8.0, help="seconds per query at most (default 8)")
    p.add_argument("--library-provisions", type=int, default=None,
                   help="provisions for the rdflib/pyoxigraph/oxrdflib comparison (default: as --provisions, "
                        "at most 4,000 (about 1M triples); 0 skips it)")
    p.add_argument("--pipeline-provisions", type=int, default=None,
                   help="provisions for the real ingest pipeline on files (default: as --provisions; 0 skips it)")
    args = p.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the servers started here are stopped
    if args.small:
        args.provisions, args.specs, args.runs, args.budget = 500, 1_000, 10, 1.0
        if args.library_provisions is None:
            args.library_provisions = 500
    if args.pipeline_provisions is None:
        args.pipeline_provisions = args.provisions
    workdir = Path(tempfile.mkdtemp(prefix="metrokg-scale."))
    try:
        log("preparing the seed (parse + extraction)")
        corpus = Corpus(workdir)
        n_docs = max(1, round(args.provisions / corpus.provisions))
        catalogue = corpus.catalogue(args.specs, workdir, vocabulary_labels(corpus.ontology))
        results = []
        for name in args.backends.split(","):
            log(f"backend {name}")
            try:
                results.append(run_backend(name, corpus, n_docs, catalogue, args, workdir))
            except FileNotFoundError as err:
                log(f"  skipped: {err} is not installed")
        pipeline = None
        if args.pipeline_provisions:
            log("real ingest pipeline")
            pipeline = pipeline_ingest(max(1, round(args.pipeline_provisions / corpus.provisions)),
                                       workdir)
        libs = []
        lib_prov = min(args.provisions, 4000) if args.library_provisions is None else args.library_provisions
        if lib_prov:
            log("libraries")
            libs = compare_libraries(corpus, max(1, round(lib_prov / corpus.provisions)), workdir)
        print(report(results, libs, pipeline, corpus, args, n_docs, len(catalogue)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
