"""Benchmark: warm `ask` latency (p50, p95) and the peak memory of a process that answered the gold sets.

Usage: python benchmarks/ask.py [DATA_DIR]  (default: a fresh store of the bundled sample texts)
"""
from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant.router import Assistant
from index.ingest import ingest
from index.store import Store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    if len(sys.argv) > 1:
        data = Path(sys.argv[1])
    else:
        data = Path(tempfile.mkdtemp())
        ingest([ROOT / "samples" / "text"], Store(data), progress=False)
    t0 = time.perf_counter()
    assistant = Assistant(data)
    load = time.perf_counter() - t0
    questions = [json.loads(x)["question"] for f in ("dev.jsonl", "own.jsonl")
                 for x in (ROOT / "eval" / "gold" / f).read_text(encoding="utf-8").splitlines() if x.strip()]
    for q in questions[:10]:  # warm up
        assistant.ask(q)
    times = []
    for _ in range(3):
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"questions: {len(questions)} × 3 runs; load (store → lexicon, figures, passages): {load * 1000:.0f} ms")
    print(f"warm ask latency: p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms,"
          f" max {times[-1]:.1f} ms")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
