"""Benchmark: narrative retrieval — recall@1, recall@5, MRR for lexical, dense and hybrid, and latency.

Builds a Chroma + BM25 index of the bundled sample texts in a temporary folder, then asks the
explain / definition / list / narrative_fact questions of the gold sets. A hit is relevant when
it is in the gold document (unit and year) and holds the gold quote (or most of it).
Usage: python benchmarks/retrieval.py
"""
from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from index.chunks import chunk_document
from index.embeddings import get_embedder
from index.readers.text import read_text
from index.search import NarrativeIndex

ROOT = Path(__file__).resolve().parents[1]
TYPES = {"explain", "definition", "list", "narrative_fact"}


def relevant(chunk, gold) -> bool:
    units = gold["unit_name"] if isinstance(gold["unit_name"], list) else [gold["unit_name"]]
    years = gold["year"] if isinstance(gold["year"], list) else [gold["year"]]
    if gold["unit_name"] and chunk.unit_name not in units:
        return False
    if chunk.year not in years:
        return False
    squash = lambda t: re.sub(r"[\s\t*]", "", t or "")  # noqa: E731
    quote, text = squash(gold["source"].get("quote")), squash(chunk.text)
    if not quote:
        return False
    if quote in text or text in quote:
        return True
    size = max(8, int(len(quote) * 0.6))
    return any(quote[i:i + size] in text for i in range(0, len(quote) - size + 1, 2))


def main() -> None:
    gold = [json.loads(x) for f in ("dev.jsonl", "own.jsonl")
            for x in (ROOT / "eval" / "gold" / f).read_text(encoding="utf-8").splitlines() if x.strip()]
    gold = [g for g in gold if g["type"] in TYPES and g["source"].get("quote")]
    index = NarrativeIndex(tempfile.mkdtemp(), get_embedder())
    t0 = time.perf_counter()
    n_chunks = 0
    for path in sorted((ROOT / "samples" / "text").glob("*.txt")):
        doc = read_text(path)
        chunks = chunk_document(doc, f"{doc.unit_name}|{doc.year}")
        n_chunks += index.add_document(f"{doc.unit_name}|{doc.year}", chunks, doc.sha256)
    print(f"indexed {n_chunks} chunks in {time.perf_counter() - t0:.1f} s; {len(gold)} questions")
    print(f"{'mode':<8} {'filter':<7} {'R@1':>5} {'R@5':>5} {'MRR':>5}  {'p50 ms':>7} {'p95 ms':>7}")
    for filtered in (True, False):
        for mode in ("lexical", "dense", "hybrid"):
            r1 = r5 = mrr = 0.0
            times = []
            for g in gold:
                unit = g["unit_name"] if filtered and isinstance(g["unit_name"], str) else None
                year = g["year"] if filtered and isinstance(g["year"], int) and unit else None
                t = time.perf_counter()
                hits = index.search(g["question"], k=5, unit_name=unit, year=year, mode=mode)
                times.append((time.perf_counter() - t) * 1000)
                ranks = [i for i, h in enumerate(hits) if relevant(h.chunk, g)]
                if ranks:
                    r5 += 1
                    r1 += ranks[0] == 0
                    mrr += 1 / (ranks[0] + 1)
            times.sort()
            n = len(gold)
            print(f"{mode:<8} {'yes' if filtered else 'no':<7} {r1 / n:5.2f} {r5 / n:5.2f} {mrr / n:5.2f}  "
                  f"{statistics.median(times):7.1f} {times[int(n * 0.95) - 1]:7.1f}")


if __name__ == "__main__":
    main()
