"""No question crashes the answerer: 2,000 seeded generated, truncated and garbled questions.

`ask` must return an Answer for every one (an exception while answering becomes status `error`),
and `budgetqa ask --json -` must answer every line of a batch that contains such questions.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from eval.suites import generate_from, load_corpus
from eval.suites.fuzz import MUTATORS, RECOMBINERS, generate_fuzz, line_safe
from eval.suites.judge import judge
from eval.suites.report import run_cases

FUZZ_COUNT = 2000


@pytest.fixture(scope="module")
def fuzz(text_store):
    return generate_from(load_corpus(text_store), ("fuzz",), fuzz_count=FUZZ_COUNT, seed=0)["fuzz"]


def test_fuzz_questions_are_seeded_and_of_every_kind(fuzz):
    assert len(fuzz.cases) == FUZZ_COUNT
    assert {c.phrasing for c in fuzz.cases} == set(MUTATORS) | set(RECOMBINERS)
    seeds = ["甲单位2025年收支总体中收入总计的预算数是多少？", "乙单位2024年表3里208 01的合计是多少？"]
    assert ([c.question for c in generate_fuzz(seeds, 300, seed=7).cases]
            == [c.question for c in generate_fuzz(seeds, 300, seed=7).cases])
    assert any(len(c.question) > 5000 for c in fuzz.cases) and any(not c.question.strip() for c in fuzz.cases)
    one_line = sum(line_safe(c.question) for c in fuzz.cases)
    assert 1000 < one_line < len(fuzz.cases)  # most fit a batch line; the rest (newlines, surrogates) only `ask`


def test_no_fuzz_question_raises(fuzz, text_store):
    from assistant.router import ask

    results = run_cases(fuzz.cases, lambda q: ask(q, text_store.data_dir))
    failed = [r for r in results if not r.verdict.correct]
    listing = "\n".join(f"[{r.case.phrasing}] {r.case.question[:60]!r} → {r.verdict.reason}" for r in failed[:20])
    assert not failed, f"{len(failed)} of {len(results)} questions did not return an Answer:\n{listing}"


def test_the_cli_batch_answers_every_line(fuzz, text_store):
    """Short garbled questions (the kind that used to end a batch) then a plain one, one JSON line each."""
    batch = [c.question.strip() for c in fuzz.cases if line_safe(c.question) and len(c.question) <= 24]
    batch.append("有几份文件？")
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "-", "--data",
                           str(text_store.data_dir)], input="\n".join(batch) + "\n", capture_output=True,
                          text=True, encoding="utf-8", timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(lines) == len(batch), f"{len(lines)} answers for {len(batch)} questions; stderr: {proc.stderr[-800:]}"
    for question, line in zip(batch, lines):
        answer = json.loads(line)
        assert answer["question"] == question and answer["status"], line[:200]


def test_the_judge_counts_a_raise_as_a_failure(fuzz):
    assert not judge(fuzz.cases[0], None, error=IndexError("list index out of range")).correct
    assert not judge(fuzz.cases[0], {"answer": "not an Answer"}).correct
