"""`python -m eval` / `budgetqa eval`: answer accuracy measured like a benchmark.

Only the question text goes to the answering path (`answer_fn(question) -> dict`, the router's
`Answer.to_dict()`); gold answers are read by the scorer alone. A question the store cannot answer,
or an exception while answering, is that question's miss with its reason, never a crash.
"""
from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

import click

from eval.gold_schema import GoldError, GoldItem, load_gold
from eval.score import Score, score

ERROR_ANSWER = {"answer": "", "status": "error", "figures": [], "citations": []}


def _rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (p50 of 4 values is the 2nd, p95 of 40 the 38th)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return round(sorted_values[rank - 1], 1)


def _expected(item: GoldItem) -> str:
    if item.type == "unanswerable":
        return "（拒答：资料中没有）"
    if item.answer_values:
        return "、".join(item.answer_values) + (f" {item.answer_unit}" if item.answer_unit else "")
    return "、".join(item.must_contain)


def _short(text: str, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


def answer_all(items: list[GoldItem], answer_fn: Callable[[str], dict]) -> list[dict]:
    """Answer and score every question; each result: item, answer, score, ms, error, ok, reason."""
    results = []
    for item in items:
        t0 = time.perf_counter()
        error = None
        try:
            answer = answer_fn(item.question)  # the question only: never the gold answer
            if not isinstance(answer, dict):
                raise TypeError(f"the answerer returned {type(answer).__name__}, not a dict")
        except Exception as e:  # one question's failure is that question's miss
            answer, error = dict(ERROR_ANSWER), e
        ms = (time.perf_counter() - t0) * 1000
        try:
            s = score(item, answer)
        except Exception as e:  # a malformed answer dict is a miss too
            s, error = Score(False, False, False, False, None, ""), error or e
        if error is not None:
            s = Score(False, False, False, False, False if item.type == "unanswerable" else None, s.reason)
            reason = f"exception: {type(error).__name__}: {error}"
        else:
            reason = s.reason
        results.append({"item": item, "answer": answer, "score": s, "ms": ms, "ok": s.correct, "reason": reason})
    return results


def run(gold: str | Path | list[GoldItem], answer_fn: Callable[[str], dict], store=None, baseline: bool = True,
        embedder=None, baseline_kind: str = "dense") -> dict:
    """The report as a dict (see `markdown` for its rendering). `store` is only used by the baseline."""
    items = gold if isinstance(gold, list) else load_gold(gold)
    results = answer_all(items, answer_fn)
    by_type, by_diff = defaultdict(list), defaultdict(list)
    for r in results:
        by_type[r["item"].type].append(r["ok"])
        by_diff[r["item"].difficulty].append(r["ok"])
    cited = [r["score"].citation_ok for r in results if r["item"].type != "unanswerable"]
    refusals = [r["ok"] for r in results if r["item"].type == "unanswerable"]
    latencies = sorted(r["ms"] for r in results)
    report = {
        "gold": str(gold) if not isinstance(gold, list) else f"{len(items)} items",
        "overall": {"accuracy": _rate([r["ok"] for r in results]), "n": len(results),
                    "correct": sum(r["ok"] for r in results)},
        "by_type": {t: {"accuracy": _rate(v), "n": len(v)} for t, v in sorted(by_type.items())},
        "by_difficulty": {d: {"accuracy": _rate(v), "n": len(v)} for d, v in sorted(by_diff.items())},
        "citation_accuracy": _rate(cited),
        "citation_n": len(cited),
        "refusal_accuracy": _rate(refusals),
        "refusal_n": len(refusals),
        "errors": sum(r["reason"].startswith("exception:") for r in results),
        "latency_ms": {"p50": _percentile(latencies, 50), "p95": _percentile(latencies, 95),
                       "mean": round(statistics.fmean(latencies), 1) if latencies else 0.0},
        "misses": [{"id": r["item"].id, "type": r["item"].type, "difficulty": r["item"].difficulty,
                    "question": r["item"].question, "expected": _expected(r["item"]),
                    "got": _short(r["answer"].get("answer") or ""), "status": r["answer"].get("status"),
                    "route": r["answer"].get("route"), "reason": r["reason"]}
                   for r in results if not r["ok"]],
    }
    if baseline and store is not None:
        from eval.baseline import make_baseline

        t0 = time.perf_counter()
        b = make_baseline(store, baseline_kind, embedder)
        hits = defaultdict(list)
        for item in items:
            hits[item.type].append(b.covered(item))
        report["baseline"] = {
            "method": b.method, "passages": len(b.passages),
            "context_hit_rate": _rate([v for vs in hits.values() for v in vs]),
            "n": len(items),
            "by_type": {t: {"context_hit_rate": _rate(v), "n": len(v)} for t, v in sorted(hits.items())},
            "seconds": round(time.perf_counter() - t0, 1),
            "note": "a hit = every gold figure and must_contain phrase is in the top-5 retrieved context "
                    "(the ceiling of a generic chat-with-your-PDFs tool); unanswerable questions count as hits",
        }
    return report


def _pct(v: float | None, digits: int = 1) -> str:
    return "–" if v is None else f"{v:.{digits}%}"


def _cell(text) -> str:
    return str(text).replace("|", "／").replace("\n", " ")


def markdown(report: dict) -> str:
    base = report.get("baseline") or {}
    o = report["overall"]
    lines = [f"# Evaluation: {report['gold']}", "",
             f"**{o['n']} questions · accuracy {_pct(o['accuracy'])}** ({o.get('correct', '?')} correct"
             f"{', ' + str(report['errors']) + ' raised an exception' if report.get('errors') else ''})", "",
             "| metric | value |", "|---|---|",
             f"| accuracy | {_pct(o['accuracy'])} ({o['n']}) |",
             f"| citation accuracy (answerable questions) | {_pct(report['citation_accuracy'])}"
             f" ({report.get('citation_n', '')}) |",
             f"| refusal accuracy (unanswerable questions) | {_pct(report['refusal_accuracy'])}"
             f" ({report.get('refusal_n', '')}) |",
             f"| latency p50 / p95 | {report['latency_ms']['p50']} ms / {report['latency_ms']['p95']} ms |"]
    if base:
        lines.append(f"| plain-RAG baseline: gold in top-5 context | {_pct(base['context_hit_rate'])} |")
    lines += ["", "## By type", ""]
    if base:
        lines += ["| type | n | ours: accuracy | plain RAG: gold in top-5 context |", "|---|---|---|---|"]
    else:
        lines += ["| type | n | ours: accuracy |", "|---|---|---|"]
    for t, v in report["by_type"].items():
        row = [t, str(v["n"]), _pct(v["accuracy"], 0)]
        if base:
            row.append(_pct(base.get("by_type", {}).get(t, {}).get("context_hit_rate"), 0))
        lines.append("| " + " | ".join(row) + " |")
    total = ["**overall**", str(o["n"]), f"**{_pct(o['accuracy'])}**"] + ([_pct(base["context_hit_rate"])] if base else [])
    lines.append("| " + " | ".join(total) + " |")
    if base:
        lines += ["", f"Baseline: {base['method']}; {base.get('passages', '?')} passages. {base.get('note', '')}."]
    lines += ["", "## By difficulty", "", "| difficulty | n | accuracy |", "|---|---|---|"]
    lines += [f"| {d} | {v['n']} | {_pct(v['accuracy'], 0)} |" for d, v in report["by_difficulty"].items()]
    lines += ["", f"## Misses ({len(report['misses'])})", ""]
    if report["misses"]:
        lines += ["| id | question | expected | got | reason |", "|---|---|---|---|---|"]
        for m in report["misses"]:
            cells = [m["id"], m["question"], m["expected"], _short(m["got"], 80), m["reason"]]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    else:
        lines.append("none")
    return "\n".join(lines) + "\n"


def router_answerer(data_dir: str) -> Callable[[str], dict]:
    """The real answering path: `Assistant(data_dir).ask(question).to_dict()`, imported lazily."""
    try:
        from assistant.router import Assistant
    except ImportError as e:
        raise click.ClickException(f"the router is not available yet (assistant.router: {e})") from None
    try:
        assistant = Assistant(data_dir)
    except FileNotFoundError as e:
        raise click.ClickException(str(e)) from None
    return lambda question: assistant.ask(question).to_dict()


@click.command("eval")
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False),
              help="gold questions, JSON Lines (schema: shared/eval/README.md)")
@click.option("--data", "data_dir", envvar="BUDGETQA_DATA", default="data", show_default=True,
              type=click.Path(file_okay=False), help="folder holding the store (env BUDGETQA_DATA)")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="write the report as JSON")
@click.option("--report", "md_out", type=click.Path(dir_okay=False), help="write the report as Markdown")
@click.option("--no-baseline", is_flag=True, help="skip the plain-RAG baseline")
@click.option("--baseline", "baseline_kind", type=click.Choice(["dense", "tfidf"]), default="dense", show_default=True,
              help="the baseline's retriever: the default embedding model (TF-IDF if it cannot load), or TF-IDF")
def eval_command(gold_path, data_dir, json_out, md_out, no_baseline, baseline_kind):
    """Measure answer accuracy on a gold JSONL file against the store under --data."""
    try:
        items = load_gold(gold_path)
    except GoldError as e:
        raise click.ClickException(str(e)) from None
    answer_fn = router_answerer(data_dir)
    store = None
    if not no_baseline:
        from index.store import Store

        store = Store(data_dir, read_only=True)
    report = run(items, answer_fn, store, baseline=not no_baseline, baseline_kind=baseline_kind)
    report["gold"] = str(gold_path)
    report["data"] = str(data_dir)
    text = markdown(report)
    click.echo(text)
    if json_out:
        Path(json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if md_out:
        Path(md_out).write_text(text, encoding="utf-8")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    eval_command.main(sys.argv[1:], prog_name="python -m eval")
