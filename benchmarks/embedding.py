"""Benchmark the embedder's backends on the texts dense search really embeds.

For each backend (``METROKG_EMBED_BACKEND``: torch, openvino, onnx, onnx-int8), each batch size in
padded tokens (``METROKG_EMBED_BATCH_TOKENS``), each thread count (``METROKG_EMBED_THREADS``)
and each ``METROKG_EMBED_SPIN`` (ONNX Runtime's workers spin or sleep between operators), a child
process loads the embedder and embeds the same texts; it reports model load time (imports
included), texts/s and characters/s, CPU and wall time and peak RSS. Vectors are compared with the torch backend's (cosine: median and worst).

The texts are the dense input of the shipped corpus and, when present, ../shared/real
(provision passages and their sentences, within the embedding limits, each text once), taken
evenly through the list when ``--texts`` is smaller. Every child is started by this process,
which imports nothing heavy: Linux carries ``ru_maxrss`` across fork and exec. Other
processes skew absolute figures; compare backends within one run.

    python benchmarks/embedding.py                       # all backends, batch 512 tokens, 400 texts
    python benchmarks/embedding.py --backends onnx --batch-tokens 1024,2048,4096,8192
    python benchmarks/embedding.py --backends onnx --threads 1,2 --spin 0,1   # CPU and wall
    python benchmarks/embedding.py --texts 0 --json      # every text
    python benchmarks/embedding.py --search              # and search quality per query kind

``--search`` builds the shipped corpus into a fresh store with each backend and scores the
labelled queries of ``metrokg eval-search`` per kind (R@5 and MRR@10, dense alone and the default
fusion): a faster backend is kept only when no kind drops by more than 0.01.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

PREPARE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from ingest import base_documents
from metrokg.kg.graph.ingest import prepare
from metrokg.kg.search.dense import EmbedLimits, plan_document
limits = EmbedLimits.configured()
texts = []
for path in base_documents(sys.argv[3] == "1"):
    for plan in plan_document(prepare(path).provisions, limits):
        if plan.passage is not None:
            texts.append(plan.passage)
        texts.extend(text for _s, _e, text in plan.sentences)
texts = list(dict.fromkeys(texts))
n = int(sys.argv[4])
if n and n < len(texts):
    texts = [texts[i * len(texts) // n] for i in range(n)]
json.dump(texts, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""

WORKER = """
import json, sys, time
start = time.perf_counter()
from metrokg.kg.embedding.embedder import load_embedder
embedder = load_embedder()
embedder.embed_passages(["warm-up"])
load = time.perf_counter() - start
texts = json.load(open(sys.argv[1], encoding="utf-8"))
start = time.perf_counter()
vectors = embedder.embed_passages(texts)
seconds = time.perf_counter() - start
import numpy as np
np.save(sys.argv[2], vectors)
print(json.dumps({"load_s": load, "embed_s": seconds, "engine": type(embedder).__name__}))
"""


SEARCH = """
import json, sys
from collections import defaultdict
from metrokg.kg.search.evaluate import Evaluation, load_queries, mean
from metrokg.kg.search import fusion
from metrokg.kg.search.index import SearchIndex
from metrokg.kg.store.registry import open_store
store = open_store(sys.argv[1])
ev = Evaluation(SearchIndex.open(store), load_queries())
kinds = defaultdict(set)
for i, q in enumerate(ev.queries):
    kinds[q.kind or "other"].add(i)
    kinds["all"].add(i)
dense = ev.dense_variants["both"]
out = {}
for kind, subset in sorted(kinds.items()):
    rows = ev.score(lambda i, s: dense[i], subset)[0]
    fused = ev.fused("weighted", "hybrid", fusion.WEIGHTS["hybrid"], subset)
    out[kind] = {"n": len(subset), "dense": rows, "fused": fused}
print(json.dumps(out))
"""


def search_quality(backends: list[str], env: dict[str, str], tmp: Path) -> dict:
    """Per query kind, R@5 and MRR@10 of dense search alone and of the default fusion, for a store
    built from the shipped corpus with each backend (``metrokg build``, then ``eval-search``'s queries)."""
    out = {}
    for backend in backends:
        store = tmp / f"store-{backend}"
        child_env = {**env, "METROKG_EMBED_BACKEND": backend}
        run_child([sys.executable, "-c", "import sys; from metrokg.ui.cli.main import main; sys.exit(main())",
                   "build", "--store", str(store)], child_env)
        _usage, text = run_child([sys.executable, "-c", SEARCH, str(store)], child_env)
        out[backend] = json.loads(text.strip().splitlines()[-1])
    return out


def print_quality(quality: dict) -> None:
    """One line per kind: R@5 / MRR@10 of each backend, dense alone and fused."""
    backends = list(quality)
    print("search quality (R@5 / MRR@10), dense alone | default fusion: " + ", ".join(backends))
    for kind in quality[backends[0]]:
        cells = []
        for part in ("dense", "fused"):
            cells.append("  ".join(f"{quality[b][kind][part]['recall@5']:.3f}/{quality[b][kind][part]['mrr@10']:.3f}"
                                   for b in backends))
        print(f"  {kind:10s} n={quality[backends[0]][kind]['n']:3d} | {cells[0]} | {cells[1]}")


def run_child(cmd: list[str], env: dict[str, str]) -> tuple[dict, str]:
    """Run ``cmd`` as a child of this small process: wall, CPU and peak RSS (``os.wait4``), and its stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, cwd=tempfile.gettempdir(), stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{cmd[:3]} failed ({proc.returncode}):\n{err.read().decode('utf-8', 'replace')[-2000:]}")
        text = out.read().decode("utf-8")
    return {"wall_s": round(time.perf_counter() - start, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024)}, text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="torch,openvino,onnx,onnx-int8")
    parser.add_argument("--batch-tokens", default="512", help="comma-separated METROKG_EMBED_BATCH_TOKENS values")
    parser.add_argument("--texts", type=int, default=400, help="how many texts (0: all)")
    parser.add_argument("--threads", default="", help="comma-separated METROKG_EMBED_THREADS values (default: the setting's)")
    parser.add_argument("--spin", default="", help="comma-separated METROKG_EMBED_SPIN values, 0 and/or 1 (default: the setting's)")
    parser.add_argument("--no-real", action="store_true", help="leave out ../shared/real even when present")
    parser.add_argument("--search", action="store_true",
                        help="also build the shipped corpus with each backend and score eval-search's queries per kind")
    parser.add_argument("--json", action="store_true", help="print one JSON value")
    args = parser.parse_args()
    env = dict(os.environ, HF_HUB_OFFLINE="1", TQDM_DISABLE="1")
    rows = []
    import numpy as np  # light, and needed for the comparison only

    with tempfile.TemporaryDirectory(prefix="metrokg-bench-embed-") as tmp:
        texts_file = Path(tmp) / "texts.json"
        run_child([sys.executable, "-c", PREPARE, str(ROOT / "benchmarks"), str(texts_file),
                   "0" if args.no_real else "1", str(args.texts)], env)
        texts = json.loads(texts_file.read_text(encoding="utf-8"))
        chars = sum(map(len, texts))
        reference = None
        runs = [(b, t, n, p) for b in args.backends.split(",") for t in args.batch_tokens.split(",")
                for n in (args.threads.split(",") if args.threads else [""])
                for p in (args.spin.split(",") if args.spin else [""])]
        for backend, tokens, threads, spin in runs:
            vec_file = Path(tmp) / f"{backend}-{tokens}-{threads}-{spin}.npy"
            usage, out = run_child([sys.executable, "-c", WORKER, str(texts_file), str(vec_file)],
                                   {**env, "METROKG_EMBED_BACKEND": backend, "METROKG_EMBED_BATCH_TOKENS": tokens,
                                    **({"METROKG_EMBED_THREADS": threads} if threads else {}),
                                    **({"METROKG_EMBED_SPIN": spin} if spin else {})})
            info = json.loads(out.strip().splitlines()[-1])
            vectors = np.load(vec_file)
            if backend == "torch" and reference is None:
                reference = vectors
            cos = (vectors * reference).sum(axis=1) if reference is not None else None
            rows.append({"backend": backend, "batch_tokens": int(tokens), "threads": threads or "default",
                         "spin": spin or "default",
                         "engine": info["engine"],
                         "load_s": round(info["load_s"], 2), "texts_per_s": round(len(texts) / info["embed_s"], 1),
                         "chars_per_s": round(chars / info["embed_s"]), **usage,
                         "cos_median": None if cos is None else round(float(np.median(cos)), 5),
                         "cos_min": None if cos is None else round(float(cos.min()), 5)})
            if not args.json:
                r = rows[-1]
                agree = f"cos vs torch median {r['cos_median']} min {r['cos_min']}" if cos is not None else ""
                print(f"{backend:10s} batch {tokens:>5s} tokens, threads {r['threads']:>7s} spin {r['spin']:>7s} | load {r['load_s']:5.2f} s | "
                      f"{r['texts_per_s']:6.1f} texts/s {r['chars_per_s']:6d} chars/s | CPU {r['cpu_s']:6.1f} s "
                      f"wall {r['wall_s']:6.1f} s | "
                      f"peak {r['peak_rss_mb']:5d} MB | {agree}", flush=True)
        quality = search_quality(args.backends.split(","), env, Path(tmp)) if args.search else None
    if quality and not args.json:
        print_quality(quality)
    meta = {"texts": len(texts), "characters": chars, "cores": os.cpu_count(),
            "load_average": round(os.getloadavg()[0], 2)}
    if args.json:
        print(json.dumps({"meta": meta, "rows": rows, "search": quality}))
    else:
        print(f"{meta['texts']} texts, {meta['characters']} characters (mean {chars / max(len(texts), 1):.0f}); "
              f"{meta['cores']} cores, load average {meta['load_average']} (compare rows within one run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
