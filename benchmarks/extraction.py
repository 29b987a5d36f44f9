"""Extraction speed: characters per second of the whole spaCy pipeline after model load.

The seed document is repeated until the text reaches 1 MB (of characters), parsed once
into provisions, and ``metrokg.nlp.extraction.pipeline.extract`` is timed over it on one core.
Structure parsing is timed separately and not included in the pipeline figure.

    python benchmarks/extraction.py [--mb 1.0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "hubei-2022-metrology-plan-implementation-opinions.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0, help="size of the text in millions of characters")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    from metrokg.nlp.reading.normalize import normalize
    from metrokg.nlp.extraction.pipeline import extract, load_pipeline
    from metrokg.nlp.structure.parser import parse_document

    t0 = time.perf_counter()
    nlp = load_pipeline()
    nlp("预热")
    load_s = time.perf_counter() - t0

    seed = normalize(SEED.read_text(encoding="utf-8"))
    body = seed[seed.index("为全面贯彻落实"):]  # keep one front matter, repeat the body
    target = int(args.mb * 1_000_000)
    parts = [seed]
    size = len(seed)
    while size < target:
        parts.append(body)
        size += len(body) + 1
    text = "\n".join(parts)[:target]
    t0 = time.perf_counter()
    doc = parse_document(text, doc_id="bench")
    parse_s = time.perf_counter() - t0

    best = None
    counts: Counter = Counter()
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        facts = extract(doc, nlp)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
        counts = Counter(f.kind for f in facts)
    chars = sum(len(p.text) for p in doc.provisions)
    print(f"model load: {load_s:.2f} s")
    print(f"text: {len(text):,} characters, {len(doc.provisions):,} provisions ({chars:,} characters in provisions)")
    print(f"structure parse: {parse_s:.2f} s ({len(text) / parse_s:,.0f} chars/s)")
    print(f"extraction: {best:.2f} s (best of {args.repeat}) -> {len(text) / best:,.0f} chars/s")
    print("facts: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
