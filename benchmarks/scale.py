"""Benchmark: how ingest, store size, start-up, memory and answering grow with the number of documents.

Generates N synthetic disclosures from the bundled samples (`samples/text/*.txt`): each is one sample
with its body renamed 合成测试单位NNNN (two years per body), its years shifted and every amount
multiplied by a small integer (so every sum, share and change stays consistent). They are SYNTHETIC,
written only under the benchmark's work folder, never shipped as data. Then, per engine (SQLite file,
PostgreSQL schema), it ingests them and measures in a fresh process:

  ingest docs/s · store size · `ask` start-up (Assistant over the store) · UI start-up (App + Blocks)
  · resident memory · warm `ask` p50/p95 for single-body lookups (a body asked again: its view cached;
  a new body each time: its view read from the store), for questions over all bodies (sum, rank, count),
  for explain questions, and the corpus-wide SELECT `StoreReader.cells_across` an all-body aggregate needs.

Usage:
    python benchmarks/scale.py --n 100,1000 [--engines sqlite,postgresql] [--pg postgresql://…] [--work DIR]
PostgreSQL comes from --pg, else BUDGETQA_BENCH_PG or BUDGETQA_TEST_PG (`source .ci/postgres start`).
All-body questions are asked until --aggregate-budget seconds are spent (they may be slow: that is measured).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT / "samples" / "text"
SYNTHETIC = "合成测试单位"
YEARS_PER_BODY = 2
LATEST = 2025
AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\.(\d{1,2})(?![\d.])(?!\s*[%％])")
YEAR = re.compile(r"(?<![\d.])(20[0-3]\d)(?![\d])")


# ---- the synthetic corpus ---------------------------------------------------------------------------

def body_name(i: int) -> str:
    return f"{SYNTHETIC}{i:04d}"


def _samples() -> list[tuple[str, str, int]]:
    """(text, body name, year) of each bundled sample, as the reader reads them."""
    from index.readers.text import read_text

    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        doc = read_text(path)
        out.append((path.read_text(encoding="utf-8"), doc.unit_name, doc.year))
    return out


def _scaled(m: re.Match, factor: int) -> str:
    whole, decimals = m.group(1), m.group(2)
    cents = (int(whole.replace(",", "")) * 10 ** len(decimals) + int(decimals)) * factor
    text = f"{cents / 10 ** len(decimals):.{len(decimals)}f}"
    if "," in whole:
        head, _, tail = text.partition(".")
        text = f"{int(head):,}.{tail}"
    return text


def synthetic_text(sample: tuple[str, str, int], index: int) -> str:
    """Document `index`: body index // YEARS_PER_BODY, year LATEST - index % YEARS_PER_BODY, amounts × (1 + body % 9)."""
    text, name, year = sample
    body = index // YEARS_PER_BODY
    shift = (LATEST - index % YEARS_PER_BODY) - (year or LATEST)
    factor = 1 + body % 9
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    text = AMOUNT.sub(lambda m: _scaled(m, factor), text)
    return text.replace(name, body_name(body))  # last: a body numbered 2000–2039 is not a year to shift


GENERATOR = "2"  # raised when synthetic_text changes: files made by an older generator are made again


def generate(folder: Path, n: int) -> list[Path]:
    """N synthetic disclosure files in `folder` (kept between runs: generated once per N)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{body_name(i // YEARS_PER_BODY)}_{i % YEARS_PER_BODY}.txt" for i in range(n)]
    stamp = folder / "GENERATOR"
    if all(p.exists() for p in paths) and stamp.exists() and stamp.read_text().strip() == GENERATOR:
        return paths
    samples = _samples()
    for i, path in enumerate(paths):
        path.write_text(synthetic_text(samples[i % len(samples)], i), encoding="utf-8")
    stamp.write_text(GENERATOR)
    return paths


# ---- one store per engine ---------------------------------------------------------------------------

def pg_admin_url(url: str):
    from index.engine import postgres_url

    return postgres_url(url)


def fresh_store(engine: str, n: int, work: Path, pg: str | None) -> str:
    """The location of an empty store for this run: a folder, or a PostgreSQL URL with its own schema."""
    if engine == "sqlite":
        folder = work / f"n{n}" / "sqlite"
        shutil.rmtree(folder, ignore_errors=True)
        return str(folder)
    import sqlalchemy as sa

    schema = f"scale_n{n}"
    eng = sa.create_engine(pg_admin_url(pg))
    with eng.begin() as con:
        con.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        con.execute(sa.text(f"CREATE SCHEMA {schema}"))
    eng.dispose()
    return f"{pg}{'&' if '?' in pg else '?'}options=-csearch_path%3D{schema}"


def kept_store(engine: str, n: int, work: Path, pg: str | None) -> str | None:
    """The store of an earlier run for this N and engine, when it holds all N documents."""
    from index.store import Store

    location = str(work / f"n{n}" / "sqlite") if engine == "sqlite" else \
        f"{pg}{'&' if '?' in pg else '?'}options=-csearch_path%3Dscale_n{n}"
    try:
        store = Store(location, read_only=True)
        whole = store.generation()[0] == n
        store.close()
        return location if whole else None
    except Exception:  # no such store (or schema)
        return None


def store_size(location: str) -> int:
    from index.store import Store

    store = Store(location, read_only=True)
    if store.path:
        return store.path.stat().st_size
    return int(store.query("SELECT COALESCE(SUM(pg_total_relation_size(format('%I.%I', schemaname, tablename)::regclass)),"
                           " 0) AS n FROM pg_tables WHERE schemaname = current_schema()")[0]["n"])


def ingest_all(location: str, files: list[Path]) -> float:
    """Seconds to ingest the files (one reader process per core)."""
    from index.ingest import ingest
    from index.store import Store

    store = Store(location)
    start = time.perf_counter()
    report = ingest(files, store, progress=False)
    seconds = time.perf_counter() - start
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed[:3]}")
    store.close()
    return seconds


# ---- measured in a fresh process ---------------------------------------------------------------------

def rss_mb() -> tuple[float, float]:
    """(resident now, peak) in MB, from /proc."""
    status = Path("/proc/self/status").read_text()
    get = lambda key: int(re.search(rf"{key}:\s+(\d+)", status).group(1)) / 1024  # noqa: E731
    return get("VmRSS"), get("VmHWM")


class Sample(NamedTuple):
    wall: float  # ms, as a user waits
    cpu: float  # ms of this process's CPU: what the question costs, whatever else the machine is doing


def _p50_p95(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[max(0, -(-len(ms) * 95 // 100) - 1)]


def percentiles(samples: list[Sample]) -> dict:
    if not samples:
        return {}
    (p50, p95), (c50, c95) = _p50_p95([s.wall for s in samples]), _p50_p95([s.cpu for s in samples])
    return {"p50": p50, "p95": p95, "cpu_p50": c50, "cpu_p95": c95, "n": len(samples)}


def timed(fn, *args) -> tuple[Sample, object]:
    t, c = time.perf_counter(), time.process_time()
    result = fn(*args)
    return Sample((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000), result


def single_body_questions(bodies: list[int]) -> list[str]:
    asks = ["{b}{y}年“三公”经费是多少？", "{b}{y}年公务接待费是多少？", "{b}{y}年基本支出是多少？",
            "{b}{y}年收支总预算是多少？", "{b}{y}年一般公共预算拨款是多少？"]
    return [asks[i % len(asks)].format(b=body_name(b), y=LATEST - (i // len(asks)) % YEARS_PER_BODY)
            for i, b in enumerate(bodies)]


def explain_questions(bodies: list[int]) -> list[str]:
    asks = ["{b}{y}年“三公”经费比上年变化的原因是什么？", "{b}{y}年基本支出为什么增加？", "{b}名词解释中的“三公”经费是什么？"]
    return [asks[i % len(asks)].format(b=body_name(b), y=LATEST) for i, b in enumerate(bodies)]


AGGREGATES = {"sum": f"所有单位{LATEST}年“三公”经费合计是多少？", "rank": f"哪个单位{LATEST}年“三公”经费最多？",
              "count": f"{LATEST}年有多少个单位安排了公务接待费？"}


def measure(location: str, n: int, aggregate_budget: float) -> dict:
    """Everything measured in this (fresh) process over one store."""
    import random

    out: dict = {"load_start": os.getloadavg()[0]}
    t0 = time.perf_counter()
    from assistant.router import Assistant  # noqa: F401 (import cost counted apart)
    out["import_s"] = time.perf_counter() - t0
    from assistant.router import Assistant
    from index.read import StoreReader

    t = time.perf_counter()
    assistant = Assistant(location)
    out["ask_startup_s"] = time.perf_counter() - t
    out["rss_after_startup_mb"] = rss_mb()[0]
    t = time.perf_counter()
    first = assistant.ask(single_body_questions([0])[0])
    out["first_ask_ms"] = (time.perf_counter() - t) * 1000
    out["first_answer"] = first.answer[:80]
    bodies = max(1, n // YEARS_PER_BODY)
    rng = random.Random(7)
    # the same few bodies asked again and again: their views are cached
    hot = single_body_questions([rng.randrange(bodies) for _ in range(5)])
    for q in hot:
        assistant.ask(q)
    out["single_cached"] = percentiles([timed(assistant.ask, hot[i % len(hot)])[0] for i in range(100)])
    # a different body each time (more than the cache holds when the corpus is large)
    cold = single_body_questions([rng.randrange(bodies) for _ in range(150)])
    times, answered = [], 0
    for q in cold:
        ms, a = timed(assistant.ask, q)
        times.append(ms)
        answered += a.status == "answered"
    out["single_new_body"] = percentiles(times)
    out["single_answered"] = f"{answered}/{len(cold)}"
    explain = explain_questions([rng.randrange(bodies) for _ in range(60)])
    out["explain"] = percentiles([timed(assistant.ask, q)[0] for q in explain])
    out["rss_after_single_mb"] = rss_mb()[0]
    reader = StoreReader(assistant.store)
    out["cells_across"] = percentiles([timed(reader.cells_across, "三公经费", "合计", None, "合计")[0]
                                       for _ in range(20)])
    out["cells_across_rows"] = len(reader.cells_across("三公经费", "合计", None, "合计"))
    for name, q in AGGREGATES.items():
        times, spent, answer = [], 0.0, None
        while spent < aggregate_budget and len(times) < 5:
            ms, answer = timed(assistant.ask, q)
            times.append(ms)
            spent += ms.wall / 1000
        out[f"all_{name}"] = percentiles(times)
        out[f"all_{name}_answer"] = f"{answer.status}: {answer.answer[:70]}"
    out["rss_end_mb"], out["rss_peak_mb"] = rss_mb()
    out["load_end"] = os.getloadavg()[0]
    return out


def measure_ui(location: str, data_dir: str) -> dict:
    """UI start-up: the App over the store and its Blocks (what `serve` does before it listens)."""
    out: dict = {}
    t = time.perf_counter()
    from assistant.app import App, build
    out["ui_import_s"] = time.perf_counter() - t
    t = time.perf_counter()
    app = App(data_dir, db=location if "://" in location else None)
    build(app)
    out["ui_startup_s"] = time.perf_counter() - t
    out["ui_rss_mb"] = rss_mb()[0]
    return out


def in_child(*args: str) -> dict:
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False", GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1",
               HF_HUB_DISABLE_TELEMETRY="1")
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"measurement failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---- the table ------------------------------------------------------------------------------------------

def row(n: int, engine: str, r: dict) -> str:
    def p(key, cpu=False):
        m = r.get(key) or {}
        return (f"{m['p50']:.0f} / {m['p95']:.0f}" + (f" (cpu {m['cpu_p50']:.0f})" if cpu else "")) if m else "–"

    ingest = "–" if r["docs_per_s"] != r["docs_per_s"] else f"{r['docs_per_s']:.1f} (load {r['load_ingest']:.1f})"
    return (f"| {n:,} | {engine} | {r['load_start']:.1f}–{r['load_end']:.1f} | {ingest}"
            f" | {r['store_mb']:.0f} ({r['store_mb'] * 1024 / n:.0f} KB/doc)"
            f" | {r['ask_startup_s']:.2f} | {r['ui_startup_s']:.2f} (+{r['ui_import_s']:.1f} import)"
            f" | {r['rss_after_startup_mb']:.0f} → {r['rss_after_single_mb']:.0f} → {r['rss_end_mb']:.0f}"
            f" | {p('single_cached')} | {p('single_new_body')} | {p('explain')} | {p('cells_across')}"
            f" | {p('all_sum', True)} | {p('all_rank', True)} | {p('all_count', True)} |")


HEADER = ("| docs | engine | load (1 min) | ingest docs/s | store MB | ask start-up s | UI start-up s |"
          " RSS MB (start → single-body → end) | single-body cached p50/p95 ms | single-body new body p50/p95 ms |"
          " explain p50/p95 ms | cells_across p50/p95 ms | all-body sum p50/p95 ms | rank | count |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("measure", "measure-ui"):
        if sys.argv[1] == "measure":
            print(json.dumps(measure(sys.argv[2], int(sys.argv[3]), float(sys.argv[4])), ensure_ascii=False))
        else:
            print(json.dumps(measure_ui(sys.argv[2], sys.argv[3]), ensure_ascii=False))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", default="100,1000,10000", help="document counts, comma-separated")
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--pg", default=os.environ.get("BUDGETQA_BENCH_PG") or os.environ.get("BUDGETQA_TEST_PG"))
    ap.add_argument("--work", default=str(Path(os.environ.get("TMPDIR", "/tmp")) / "budgetqa-scale"))
    ap.add_argument("--aggregate-budget", type=float, default=60.0, help="seconds per all-body question kind")
    ap.add_argument("--keep", action="store_true", help="keep the stores (the generated files are always kept)")
    ap.add_argument("--reuse", action="store_true", help="measure the stores an earlier --keep run left, if whole")
    args = ap.parse_args()
    work = Path(args.work)
    engines = [e for e in args.engines.split(",") if e]
    if "postgresql" in engines and not args.pg:
        print("no PostgreSQL given (--pg or BUDGETQA_TEST_PG): measuring SQLite only", file=sys.stderr)
        engines = [e for e in engines if e != "postgresql"]
    results = []
    print(HEADER)
    for n in [int(x) for x in args.n.split(",")]:
        files = generate(work / f"n{n}" / "files", n)
        for engine in engines:
            location = kept_store(engine, n, work, args.pg) if args.reuse else None
            if location:  # measured again over the store an earlier run kept (its ingest figures are there)
                r = {"n": n, "engine": engine, "docs_per_s": float("nan"), "ingest_s": float("nan")}
            else:
                location = fresh_store(engine, n, work, args.pg)
                seconds = ingest_all(location, files)
                r = {"n": n, "engine": engine, "docs_per_s": n / seconds, "ingest_s": seconds,
                     "load_ingest": os.getloadavg()[0]}
            r["store_mb"] = store_size(location) / 2 ** 20
            r.update(in_child("measure", location, str(n), str(args.aggregate_budget)))
            data_dir = location if engine == "sqlite" else str(work / f"n{n}" / "ui")
            r.update(in_child("measure-ui", location, data_dir))
            results.append(r)
            print(row(n, engine, r), flush=True)
            print(json.dumps(r, ensure_ascii=False), file=sys.stderr, flush=True)
            if not args.keep and engine == "sqlite":
                shutil.rmtree(location, ignore_errors=True)
    (work / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
