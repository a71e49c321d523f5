"""Benchmark: `budgetqa ingest` of the five sample text exports into a fresh store.

Prints wall time per run (a new empty data folder each time), and the time of a second,
no-op ingest of the same files. Usage: python benchmarks/ingest_text.py [RUNS]
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from index.ingest import ingest
from index.store import Store

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "samples" / "text").glob("*.txt"))


def main(runs: int = 5) -> None:
    first, again = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(tmp)
            t0 = time.perf_counter()
            report = ingest(FILES, store, progress=False)
            first.append(time.perf_counter() - t0)
            assert not report.failed, report.failed
            t0 = time.perf_counter()
            ingest(FILES, store, progress=False)
            again.append(time.perf_counter() - t0)
    print(f"files: {len(FILES)} text exports, runs: {runs}")
    print(f"fresh ingest   median {statistics.median(first):.3f} s  (min {min(first):.3f}, max {max(first):.3f})")
    print(f"unchanged re-ingest median {statistics.median(again) * 1000:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
