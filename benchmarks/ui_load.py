"""Load script (not a test): N questions from C concurrent gradio clients against a running UI.

Start the UI first (`budgetqa serve --port 7860`), then:
    python benchmarks/ui_load.py http://127.0.0.1:7860/ [N=200] [C=8]
Every reply is checked against the gold figures of its question; prints throughput, p50/p95, errors
and wrong answers.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gradio_client import Client

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:7860/"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    c = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    gold = [json.loads(x) for x in (ROOT / "eval" / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [g for g in gold if g["type"] in ("lookup", "compare", "aggregate", "narrative_fact")]
    clients = [Client(url, verbose=False) for _ in range(c)]

    def one(i: int):
        g = gold[i % len(gold)]
        t = time.perf_counter()
        try:
            history, *_ = clients[i % c].predict(g["question"], [], "全部", "全部", api_name="/ask")
            reply = history[-1]["content"][0]["text"].replace(",", "")
            ok = all(v in reply for v in g["answer_values"])
            return time.perf_counter() - t, ok, None
        except Exception as e:  # counted, not raised
            return time.perf_counter() - t, False, e

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=c) as pool:
        results = list(pool.map(one, range(n)))
    wall = time.perf_counter() - t0
    lat = sorted(r[0] * 1000 for r in results)
    errors = sum(r[2] is not None for r in results)
    wrong = sum(not r[1] and r[2] is None for r in results)
    print(f"{n} questions, {c} concurrent clients: {n / wall:.1f} questions/s, p50 {statistics.median(lat):.0f} ms, "
          f"p95 {lat[int(n * 0.95) - 1]:.0f} ms, errors {errors}, wrong answers {wrong}")


if __name__ == "__main__":
    main()
