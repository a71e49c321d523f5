"""`python -m eval.suites --data DIR [--ingest PATH]… [--suite NAME]… [--sample N] [--json OUT]`.

Generates every suite from the store under DIR (after ingesting PATHs into it, if given), asks
each question through `assistant.router.ask`, and prints a table per suite and phrasing with a
few misses each. `--sample N` asks a seeded stratified sample of N per suite instead of all.
"""
from __future__ import annotations

import json
import os
import sys
import time

import click

for _name, _value in (("ANONYMIZED_TELEMETRY", "False"), ("GRADIO_ANALYTICS_ENABLED", "False"),
                      ("HF_HUB_OFFLINE", "1"), ("HF_HUB_DISABLE_TELEMETRY", "1")):
    os.environ.setdefault(_name, _value)


@click.command()
@click.option("--data", "data_dir", envvar="BUDGETQA_DATA", default="data", show_default=True,
              type=click.Path(file_okay=False), help="folder holding the store (env BUDGETQA_DATA)")
@click.option("--ingest", "ingest_paths", multiple=True, type=click.Path(exists=True),
              help="files or folders to ingest into --data first (repeatable)")
@click.option("--suite", "suites", multiple=True, type=click.Choice(["cells", "operations", "unanswerable", "fuzz"]),
              help="run only these suites (repeatable; default all)")
@click.option("--sample", default=0, show_default=True, help="ask a stratified sample of this many per suite (0: all)")
@click.option("--seed", default=0, show_default=True)
@click.option("--fuzz", "fuzz_count", default=2000, show_default=True, help="how many fuzz questions")
@click.option("--misses", default=3, show_default=True, help="misses shown per phrasing")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="write the full results here")
def main(data_dir, ingest_paths, suites, sample, seed, fuzz_count, misses, json_out):
    """Generated suites: every cell asked back, operations, unanswerables, fuzz."""
    from tqdm import tqdm

    from eval.suites import SUITES, generate, stratified_sample
    from eval.suites.report import format_summary, run_cases, suite_summary

    if ingest_paths:
        from index.ingest import ingest
        from index.store import Store

        report = ingest(list(ingest_paths), Store(data_dir), progress=False)
        for r in report.failed:
            click.echo(f"error      {r.path}: {r.message}", err=True)
    from assistant.router import ask

    start = time.perf_counter()
    generated = generate(data_dir, suites or SUITES, fuzz_count, seed)
    click.echo(f"generated in {time.perf_counter() - start:.1f} s: "
               + ", ".join(f"{name} {len(g.cases)}" for name, g in generated.items()))
    summaries = []
    for name, g in generated.items():
        cases = stratified_sample(g.cases, sample, seed) if sample else g.cases
        bar = tqdm(total=len(cases), desc=name, unit="q", file=sys.stderr, disable=not sys.stderr.isatty())
        results = run_cases(cases, lambda q: ask(q, data_dir), progress=lambda _: bar.update())
        bar.close()
        summary = suite_summary(name, results, g, len(g.cases))
        summaries.append(summary)
        click.echo(format_summary(summary, misses))
        click.echo(f"   ({summary['seconds']:.1f} s, {1000 * summary['seconds'] / max(1, summary['asked']):.1f} ms"
                   " per question)\n")
    if json_out:
        with open(json_out, "w", encoding="utf-8") as f:
            json.dump({"data": str(data_dir), "seed": seed, "sample": sample, "suites": summaries}, f,
                      ensure_ascii=False, indent=1)
        click.echo(f"results → {json_out}")


main()
