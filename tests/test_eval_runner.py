"""The evaluation runner end to end: report fields, misses with reasons, the baseline, the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

from eval.run import markdown, run
from tests.conftest import ROOT


def test_runner_reports_accuracy_misses_and_survives_an_exception(tmp_path, text_store):
    lines = (ROOT / "eval" / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    gold = tmp_path / "small.jsonl"
    gold.write_text("\n".join(lines[:3] + [lines[37]]) + "\n", encoding="utf-8")  # d001-d003, d038
    right = {"巴州社保中心2025年的差旅费预算是多少？": {
        "answer": "4.00 万元", "status": "answered", "citations": [],
        "figures": [{"value": 4.0, "unit": "万元", "unit_name": "巴音郭楞蒙古自治州社会保险中心", "year": 2025,
                     "table": "表6 一般公共预算基本支出情况表"}]}}

    def fake(question: str) -> dict:
        if question in right:
            return right[question]
        if "物业管理费" in question:
            raise RuntimeError("boom")
        return {"answer": "没有找到", "status": "not_found", "figures": [], "citations": []}

    report = run(gold, fake, text_store, baseline=True)
    assert report["overall"] == {"accuracy": 0.5, "n": 4}  # d001 right, d038 refused correctly
    assert report["by_type"]["lookup"] == {"accuracy": round(1 / 3, 4), "n": 3}
    reasons = {m["id"]: m["reason"] for m in report["misses"]}
    assert reasons["d002"].startswith("refused") and reasons["d003"].startswith("exception: RuntimeError")
    assert report["refusal_accuracy"] == 1.0
    assert set(report["latency_ms"]) == {"p50", "p95"}
    assert 0.0 <= report["baseline"]["context_hit_rate"] <= 1.0 and report["baseline"]["method"]
    text = markdown(report)
    assert "| d003 |" in text and "overall" in text


def test_cli_rejects_a_malformed_gold_file_naming_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = (ROOT / "eval" / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(good + "\n{not json\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "eval", "--gold", str(bad), "--no-baseline", "--data",
                           str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "line 2" in proc.stderr


def test_cli_runs_the_dev_set_against_a_store(tmp_path, text_store):
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--gold", str(ROOT / "eval/gold/dev.jsonl"),
                           "--data", str(text_store.data_dir), "--json", str(out), "--baseline", "tfidf"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {"overall", "by_type", "citation_accuracy", "latency_ms", "baseline", "misses"} <= set(report)
    assert report["overall"]["n"] == 40 and report["overall"]["accuracy"] >= 0.9
    assert report["overall"]["accuracy"] > report["baseline"]["context_hit_rate"]
