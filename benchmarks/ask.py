"""Benchmark: warm `ask` latency (p50, p95) of the gold questions, overall and per question type, on the five
samples and on the five samples among N synthetic disclosures (benchmarks/scale.py's generator), and the peak
memory of the process.

The same 126 gold questions (dev + own) are asked three times over each store: their bodies are the samples',
so the larger store changes only what surrounds them — the lexicon a body is found in, the documents a question
over every body spans (its aggregates then cover all N + 5), the cache the views compete for.

Usage: python benchmarks/ask.py [DATA_DIR] [--scale N] [--scale-data DIR]
  DATA_DIR      the five-sample store (default: a fresh store of the bundled sample texts)
  --scale N     synthetic documents beside the samples (default 1000; 0: the five samples only)
  --scale-data  where that store is kept (default $TMPDIR/budgetqa-ask-N; reused when it holds them all)
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.router import Assistant  # noqa: E402
from benchmarks.scale import generate  # noqa: E402  (the generator of the scale benchmark)
from index.ingest import ingest  # noqa: E402
from index.store import Store  # noqa: E402

SAMPLES = ROOT / "samples" / "text"
RUNS = 3


def gold() -> list[dict]:
    return [json.loads(x) for f in ("dev.jsonl", "own.jsonl")
            for x in (ROOT / "eval" / "gold" / f).read_text(encoding="utf-8").splitlines() if x.strip()]


def sample_store(data: str | None) -> Path:
    if data:
        return Path(data)
    folder = Path(tempfile.mkdtemp())
    ingest([SAMPLES], Store(folder), progress=False)
    return folder


def scaled_store(n: int, folder: Path) -> Path:
    """The five samples and `n` synthetic disclosures in one store (built once, then reused)."""
    files = generate(folder / "files", n)
    data = folder / "store"
    if (data / "budget.sqlite").exists():
        store = Store(data, read_only=True)
        whole = store.generation()[0] == n + len(list(SAMPLES.glob("*.txt")))
        store.close()
        if whole:
            return data
    t = time.perf_counter()
    report = ingest([SAMPLES, *files], Store(data), progress=False)
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed[:3]}")
    print(f"built {data}: {n} synthetic + the samples in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return data


def p50_p95(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[max(0, -(-len(ms) * 95 // 100) - 1)]


def measure(data: Path, questions: list[dict]) -> tuple[float, dict[str, list[float]]]:
    """(load seconds, warm latencies in ms by question type)."""
    t0 = time.perf_counter()
    assistant = Assistant(data)
    load = time.perf_counter() - t0
    for q in questions[:10]:  # warm up
        assistant.ask(q["question"])
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(RUNS):
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q["question"])
            times[q["type"]].append((time.perf_counter() - t) * 1000)
    return load, times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", help="the five-sample store (default: a fresh one)")
    ap.add_argument("--scale", type=int, default=1000, help="synthetic documents beside the samples (0: none)")
    ap.add_argument("--scale-data", help="where the larger store is kept")
    args = ap.parse_args()
    questions = gold()
    stores = [("5 samples", sample_store(args.data))]
    if args.scale:
        folder = Path(args.scale_data or Path(os.environ.get("TMPDIR", "/tmp")) / f"budgetqa-ask-{args.scale}")
        stores.append((f"5 samples + {args.scale:,} synthetic", scaled_store(args.scale, folder)))
    results = []
    for name, data in stores:
        load_avg = os.getloadavg()[0]
        load, times = measure(data, questions)
        every = [ms for v in times.values() for ms in v]
        p50, p95 = p50_p95(every)
        print(f"{name}: {len(questions)} questions × {RUNS} runs; load (store → lexicon): {load * 1000:.0f} ms; "
              f"warm ask latency p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(every):.1f} ms "
              f"(machine load {load_avg:.1f} → {os.getloadavg()[0]:.1f})")
        results.append((name, times))
    types = sorted({t for _, times in results for t in times}, key=lambda t: -len(results[0][1][t]))
    print("\n| type | questions | " + " | ".join(f"{name} p50 / p95 ms" for name, _ in results) + " |")
    print("|---|---|" + "---|" * len(results))
    for t in types + ["all"]:
        cells = []
        for _, times in results:
            ms = [x for v in times.values() for x in v] if t == "all" else times[t]
            cells.append("{:.1f} / {:.1f}".format(*p50_p95(ms)))
        n = len(questions) if t == "all" else len(results[0][1][t]) // RUNS
        print(f"| {t} | {n} | " + " | ".join(cells) + " |")
    print(f"\npeak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
