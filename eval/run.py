"""`budgetqa eval` / `python -m eval`: answer accuracy measured like a benchmark.

Only the question text goes to the answering path; gold answers are read by the scorer alone.
A question the store cannot answer (or an exception) is a miss with its reason, never a crash.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

import click

from eval.baseline import Baseline
from eval.gold_schema import GoldError, load_gold
from eval.score import score
from index.store import Store


def _pct(values: list[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def run(gold_path: str | Path, answer_fn: Callable[[str], dict], store: Store | None = None,
        baseline: bool = True, embedder=None) -> dict:
    items = load_gold(gold_path)
    results = []
    for item in items:
        t0 = time.perf_counter()
        try:
            answer = answer_fn(item.question)
            error = None
        except Exception as e:  # a crash on one question is that question's miss
            answer, error = {"answer": "", "status": "error", "figures": [], "citations": []}, e
        ms = (time.perf_counter() - t0) * 1000
        s = score(item, answer)
        reason = f"exception: {type(error).__name__}: {error}" if error else s.reason
        results.append((item, answer, s, ms, reason))
    by_type, by_diff = defaultdict(list), defaultdict(list)
    for item, _, s, _, reason in results:
        ok = s.correct and not reason.startswith("exception")
        by_type[item.type].append(ok)
        by_diff[item.difficulty].append(ok)
    latencies = sorted(ms for *_, ms, _ in results)
    report = {
        "gold": str(gold_path),
        "overall": {"accuracy": _pct([v for vs in by_type.values() for v in vs]), "n": len(results)},
        "by_type": {t: {"accuracy": _pct(v), "n": len(v)} for t, v in sorted(by_type.items())},
        "by_difficulty": {d: {"accuracy": _pct(v), "n": len(v)} for d, v in sorted(by_diff.items())},
        "citation_accuracy": _pct([s.citation_ok for item, _, s, _, _ in results if item.type != "unanswerable"]),
        "refusal_accuracy": _pct([s.correct for item, _, s, _, _ in results if item.type == "unanswerable"]),
        "latency_ms": {"p50": round(statistics.median(latencies), 1) if latencies else 0.0,
                       "p95": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1) if latencies else 0.0},
        "misses": [{"id": item.id, "type": item.type, "question": item.question,
                    "expected": item.answer_values or item.must_contain, "got": (answer.get("answer") or "")[:160],
                    "reason": reason}
                   for item, answer, s, _, reason in results if not (s.correct and not reason.startswith("exception"))],
    }
    if baseline and store is not None:
        b = Baseline(store, embedder)
        hits = defaultdict(list)
        for item in items:
            hits[item.type].append(b.covered(item))
        report["baseline"] = {"method": b.method,
                              "context_hit_rate": _pct([v for vs in hits.values() for v in vs]),
                              "by_type": {t: {"context_hit_rate": _pct(v), "n": len(v)} for t, v in sorted(hits.items())}}
    return report


def markdown(report: dict) -> str:
    base = report.get("baseline", {})
    lines = [f"**{report['gold']}** — {report['overall']['n']} questions", "",
             "| type | n | accuracy (ours) | plain RAG: gold in top-5 context |", "|---|---|---|---|"]
    for t, v in report["by_type"].items():
        b = base.get("by_type", {}).get(t, {}).get("context_hit_rate")
        lines.append(f"| {t} | {v['n']} | {v['accuracy']:.0%} | {'' if b is None else f'{b:.0%}'} |")
    b = base.get("context_hit_rate")
    lines.append(f"| **overall** | {report['overall']['n']} | **{report['overall']['accuracy']:.1%}** | "
                 f"{'' if b is None else f'{b:.1%}'} |")
    lines += ["", f"citation accuracy {report['citation_accuracy']:.1%} · refusal accuracy "
              f"{report['refusal_accuracy']:.0%} · latency p50 {report['latency_ms']['p50']} ms, "
              f"p95 {report['latency_ms']['p95']} ms" + (f" · baseline: {base['method']}" if base else ""), ""]
    lines += ["| difficulty | n | accuracy |", "|---|---|---|"]
    lines += [f"| {d} | {v['n']} | {v['accuracy']:.0%} |" for d, v in report["by_difficulty"].items()]
    if report["misses"]:
        lines += ["", "| miss | question | expected | got | reason |", "|---|---|---|---|---|"]
        for m in report["misses"]:
            cells = [m["id"], m["question"], "、".join(m["expected"]), m["got"].replace("\n", " ")[:80], m["reason"]]
            lines.append("| " + " | ".join(c.replace("|", "／") for c in cells) + " |")
    return "\n".join(lines) + "\n"


@click.command("eval")
@click.option("--gold", "gold_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--data", "data_dir", envvar="BUDGETQA_DATA", default="data", show_default=True)
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="write the report as JSON")
@click.option("--report", "md_out", type=click.Path(dir_okay=False), help="write the report as Markdown")
@click.option("--no-baseline", is_flag=True, help="skip the plain-RAG baseline")
@click.option("--baseline", "baseline_kind", type=click.Choice(["dense", "tfidf"]), default="dense", show_default=True,
              help="the baseline's retriever: the default embedding model, or character-bigram TF-IDF")
def eval_command(gold_path, data_dir, json_out, md_out, no_baseline, baseline_kind):
    """Measure answer accuracy on a gold JSONL file against the store under --data."""
    from assistant.router import Assistant

    try:
        load_gold(gold_path)
    except GoldError as e:
        raise click.ClickException(str(e)) from None
    try:
        assistant = Assistant(data_dir)
    except FileNotFoundError as e:
        raise click.ClickException(str(e)) from None
    embedder = None
    if not no_baseline and baseline_kind == "dense":
        from index.embeddings import get_embedder

        embedder = get_embedder()
    report = run(gold_path, lambda q: assistant.ask(q).to_dict(), assistant.store, baseline=not no_baseline,
                 embedder=embedder)
    text = markdown(report)
    click.echo(text)
    if json_out:
        Path(json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if md_out:
        Path(md_out).write_text(text, encoding="utf-8")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    eval_command(sys.argv[1:])
