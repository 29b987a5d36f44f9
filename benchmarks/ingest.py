"""End-to-end ingest of real-shaped documents into a fresh store, beside segmentation alone.

The corpus is the shipped one (corpus/*.txt, corpus/docs/*.txt) plus, when present, the real
documents of ../shared/real (*.txt and laws/*.txt, read in place). At scale k the corpus is
repeated k times; each further copy has a marker (CJK only, no numerals) put before every 。
and after every 〔, so that every provision and sentence differs from the original and from the
other copies (content hashes differ: nothing comes from the embedding cache) and no copy shares a
文号 with another (none is left out as a duplicate).

For each scale, two child processes run one after the other:
- ``metrokg ingest --store <fresh> FILES...`` (read, parse, extract, write, then the search
  indexes, dense embeddings included, as the CLI does);
- segmentation alone: jieba loaded, the same text segmented three times in both modes
  (accurate and search).
Each child is started by this process, which imports nothing heavy, and measured with
``os.wait4``: wall time, CPU time (user + system), peak RSS (Linux carries ``ru_maxrss``
across fork and exec, so a child of a big parent would report the parent's size), and
characters per second. Other processes on the machine skew absolute figures; the ratio of
ingest to segmentation within one run is the figure to compare.

    python benchmarks/ingest.py                     # scales 1 and 10
    python benchmarks/ingest.py --scales 1,10,100 --json
    METROKG_EMBED_BACKEND=torch python benchmarks/ingest.py --scales 1
    python benchmarks/ingest.py --no-real           # the shipped corpus only
    python benchmarks/ingest.py --no-dense --scales 1,10,100   # no dense index: the rest, by phase

``--no-dense`` measures everything but the dense step: the child ingests through the library as
the CLI does (read, parse, extract, write) and builds the lexical search index, but no dense one;
it also reports CPU seconds and peak RSS after each phase (imports, pipeline load, read + parse +
extract + write, lexical index). Its figures are labelled ``no dense`` and are not the CLI's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
STEMS = "甲乙丙丁戊己庚辛壬癸"  # the copy marker's alphabet: no numerals for extraction to read

CLI = "import sys; from metrokg.ui.cli.main import main; sys.exit(main())"  # the `metrokg` command
SEGMENT = """
import sys, jieba
jieba.setLogLevel(60)
tokenizer = jieba.Tokenizer()
text = "\\n".join(open(p, encoding="utf-8").read() for p in sys.argv[1:])
for _ in range(3):
    tokenizer.lcut(text)
    tokenizer.lcut_for_search(text)
"""
# the ingest without the dense step, phase by phase (printed as one JSON line on stdout)
NO_DENSE = """
import json, resource, sys
def mark(name):
    r = resource.getrusage(resource.RUSAGE_SELF)
    phases.append({"phase": name, "cpu_s": round(r.ru_utime + r.ru_stime - sum(p["cpu_s"] for p in phases), 2),
                   "peak_rss_mb": round(r.ru_maxrss / 1024)})
phases = []
from metrokg.kg.graph.ingest import extraction, ingest_paths
from metrokg.kg.search.index import SearchIndex
from metrokg.kg.store.registry import open_store
mark("imports")
extraction().load_pipeline()  # what the first document would load: measured on its own
mark("pipeline load")
store = open_store(sys.argv[1], write=True)
statuses = {}
for r in ingest_paths(store, sys.argv[2:]):
    statuses[r.status] = statuses.get(r.status, 0) + 1
mark("read, parse, extract, write")
SearchIndex.open(store)
mark("lexical index")
print(json.dumps({"phases": phases, "statuses": statuses}))
"""


def base_documents(real: bool) -> list[Path]:
    """The shipped documents, then the real ones when ../shared/real is there."""
    paths = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "corpus" / "docs").glob("*.txt"))
    if real and REAL.is_dir():
        paths += sorted(REAL.glob("*.txt")) + sorted((REAL / "laws").glob("*.txt"))
    return paths


def marker(copy: int) -> str:
    return "（" + "".join(STEMS[int(d)] for d in str(copy)) + "稿）"


def scaled_corpus(paths: list[Path], scale: int, folder: Path) -> list[Path]:
    """The documents at ``scale``: the originals in place, then altered copies written to ``folder``."""
    out = list(paths)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for copy in range(1, scale):
        mark = marker(copy)
        for path, text in zip(paths, texts):
            target = folder / f"{path.stem}-copy{copy}{path.suffix}"
            # the 文号's year bracket gets the marker too: a copy is a new document, not a duplicate
            target.write_text(text.replace("。", mark + "。").replace("〔", "〔" + mark), encoding="utf-8")
            out.append(target)
    return out


def measured(cmd: list[str], env: dict[str, str], cwd: Path, output: bool = False) -> dict:
    """Run ``cmd`` as a child of this small process: wall, CPU, peak RSS, exit status (and with
    ``output`` the fields of the JSON object the child printed last)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out if output else subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        err = b""
        if proc.stderr is not None:
            err = proc.stderr.read()  # drained while it runs: a full pipe would block the child
        _pid, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        printed = out.read().decode("utf-8").strip().splitlines()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]}... failed ({proc.returncode}):\n{err.decode('utf-8', 'replace')[-2000:]}")
    row = {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
           "peak_rss_mb": round(usage.ru_maxrss / 1024)}
    if output and printed:
        row.update(json.loads(printed[-1]))
    return row


def run_scale(paths: list[Path], scale: int, env: dict[str, str], work: Path, dense: bool = True) -> dict:
    folder = work / f"x{scale}"
    folder.mkdir()
    files = scaled_corpus(paths, scale, folder)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    store = work / f"store-x{scale}"
    if dense:
        ingest = measured([sys.executable, "-c", CLI, "ingest", "--store", str(store), "--json", *map(str, files)],
                          env, work)
    else:
        ingest = measured([sys.executable, "-c", NO_DENSE, str(store), *map(str, files)], env, work, output=True)
    segment = measured([sys.executable, "-c", SEGMENT, *map(str, files)], env, work)
    shutil.rmtree(folder)
    shutil.rmtree(store, ignore_errors=True)
    return {"scale": scale, "dense": dense, "documents": len(files), "characters": chars, "ingest": ingest, "segment": segment,
            "chars_per_s": round(chars / ingest["wall_s"]), "ratio": round(ingest["wall_s"] / segment["wall_s"], 1),
            "cpu_ratio": round(ingest["cpu_s"] / segment["cpu_s"], 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10", help="comma-separated corpus multiples (default 1,10)")
    parser.add_argument("--no-real", action="store_true", help="leave out ../shared/real even when present")
    parser.add_argument("--no-dense", action="store_true",
                        help="leave out the dense index: read, parse, extract, write and the lexical index only, "
                             "by phase (not the CLI's figures)")
    parser.add_argument("--json", action="store_true", help="print one JSON value")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    paths = base_documents(not args.no_real)
    env = dict(os.environ, HF_HUB_OFFLINE="1", TQDM_DISABLE="1")
    rows = []
    with tempfile.TemporaryDirectory(prefix="metrokg-bench-ingest-") as tmp:
        for scale in scales:
            rows.append(run_scale(paths, scale, env, Path(tmp), dense=not args.no_dense))
            if not args.json:
                r = rows[-1]
                i, s = r["ingest"], r["segment"]
                label = "ingest, no dense" if args.no_dense else "ingest"
                print(f"x{scale:<4} {r['documents']:5d} docs {r['characters']:9,d} chars | {label} {i['wall_s']:7.1f} s "
                      f"wall {i['cpu_s']:7.1f} s CPU {i['peak_rss_mb']:5d} MB peak {r['chars_per_s']:7,d} chars/s | "
                      f"segmentation {s['wall_s']:6.1f} s wall {s['peak_rss_mb']:4d} MB | ratio {r['ratio']} wall, {r['cpu_ratio']} CPU",
                      flush=True)
                if "statuses" in i:
                    print("      documents: " + ", ".join(f"{n} {k}" for k, n in sorted(i["statuses"].items())))
                for p in i.get("phases", []):
                    print(f"      {p['phase']:30s} {p['cpu_s']:7.2f} s CPU, peak RSS {p['peak_rss_mb']:5d} MB after it")
    meta = {"backend": "none (--no-dense)" if args.no_dense else os.environ.get("METROKG_EMBED_BACKEND", "default"), "cores": os.cpu_count(),
            "load_average": round(os.getloadavg()[0], 2), "real_documents": REAL.is_dir() and not args.no_real}
    if args.json:
        print(json.dumps({"meta": meta, "rows": rows}, ensure_ascii=False))
    else:
        print(f"backend {meta['backend']}, {meta['cores']} cores, load average {meta['load_average']} "
              "(other processes skew absolute figures: compare the ratio within one run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
