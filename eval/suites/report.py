"""Run generated cases through `ask` and tally them: per suite and phrasing, counts, rates and misses.

An exception while answering is that case's miss (its reason says so), never the end of the run,
so a baseline of a crashing answerer is still a full table.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from eval.suites.cases import Case, Generated, number
from eval.suites.judge import Verdict, judge
from index.textgrid import render_grid


@dataclass
class Result:
    case: Case
    verdict: Verdict
    status: str
    seconds: float


@dataclass
class PhrasingTally:
    asked: int = 0
    correct: int = 0
    raised: int = 0
    not_determined: int = 0
    cited: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[Result] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.correct / self.asked if self.asked else 0.0


def run_cases(cases: list[Case], answer: Callable[[str], object], progress: Callable[[int], None] | None = None
              ) -> list[Result]:
    results = []
    for i, case in enumerate(cases):
        start = time.perf_counter()
        try:
            got, error = answer(case.question), None
        except Exception as e:  # the answerer's crash is measured, not propagated
            got, error = None, e
        seconds = time.perf_counter() - start
        verdict = judge(case, got, error)
        status = "raised" if error is not None else getattr(got, "status", "?")
        results.append(Result(case, verdict, status, seconds))
        if progress:
            progress(i + 1)
    return results


def tally(results: list[Result], generated: Generated | None = None) -> dict[str, PhrasingTally]:
    table: dict[str, PhrasingTally] = defaultdict(PhrasingTally)
    for r in results:
        t = table[r.case.phrasing]
        t.asked += 1
        t.correct += r.verdict.correct
        t.raised += r.status == "raised"
        if r.verdict.cited:
            t.cited[r.verdict.cited] += 1
        if not r.verdict.correct:
            t.misses.append(r)
    if generated is not None:
        for phrasing, n in generated.not_determined.items():
            table[phrasing].not_determined = n
    return dict(sorted(table.items()))


def suite_summary(name: str, results: list[Result], generated: Generated, sampled_from: int) -> dict:
    """The JSON-ready record of one suite's run."""
    phrasings = tally(results, generated)
    asked = sum(t.asked for t in phrasings.values())
    correct = sum(t.correct for t in phrasings.values())
    return {
        "suite": name, "generated": len(generated.cases), "asked": asked, "sampled": sampled_from > asked,
        "correct": correct, "rate": correct / asked if asked else 0.0,
        "items": generated.items, "covered": generated.covered,
        "not_determined": sum(generated.not_determined.values()),
        "raised": sum(t.raised for t in phrasings.values()),
        "seconds": sum(r.seconds for r in results),
        "phrasings": {p: {"asked": t.asked, "correct": t.correct, "rate": t.rate, "raised": t.raised,
                          "not_determined": t.not_determined, "cited": dict(t.cited)} for p, t in phrasings.items()},
        "misses": [{"phrasing": r.case.phrasing, "stratum": r.case.stratum, "question": r.case.question,
                    "reason": r.verdict.reason, "status": r.status, "expected": _expected_text(r.case)}
                   for t in phrasings.values() for r in t.misses],
    }


def format_summary(summary: dict, misses_per_phrasing: int = 3) -> str:
    """A plain-text table of one suite, then a few misses of each phrasing."""
    head = (f"== {summary['suite']}: {summary['correct']}/{summary['asked']} correct "
            f"({100 * summary['rate']:.1f}%)" + (f" of {summary['generated']} generated (sample)"
                                                  if summary["sampled"] else "")
            + (f"; {summary['raised']} raised" if summary["raised"] else ""))
    if summary["items"]:
        head += (f"; {summary['items']} items, {summary['covered']} asked in some phrasing, "
                 f"{summary['not_determined']} phrasings not determined")
    rows = [["phrasing", "asked", "correct", "%", "raised", "not determined", "cited cell/same item/other"]]
    for p, t in summary["phrasings"].items():
        cited = t["cited"]
        rows.append([p, t["asked"], t["correct"], f"{100 * t['rate']:.1f}" if t["asked"] else "-", t["raised"],
                     t["not_determined"], "/".join(str(cited.get(k, 0)) for k in ("cell", "same_item", "other"))
                     if cited else ""])
    lines = [head, grid(rows)]
    shown: dict[str, int] = defaultdict(int)
    for m in summary["misses"]:
        if shown[m["phrasing"]] >= misses_per_phrasing:
            continue
        shown[m["phrasing"]] += 1
        lines.append(f"  ✗ [{m['phrasing']}] {m['question']}\n      expected {m['expected']}; {m['reason']}")
    return "\n".join(lines)


def grid(rows: list[list]) -> str:
    return render_grid(rows[0], rows[1:], max_width=10_000)


def _expected_text(case: Case) -> str:
    e = case.expected
    if e.check == "refusal":
        return "a refusal with no figure"
    if e.check == "no_crash":
        return "an Answer"
    if e.check == "ranking":
        return " > ".join(f"{r.unit_name} {r.year} {number(r.value)}" for r in e.ranking)
    where = " ".join(str(x) for x in (e.unit_name, e.year, e.table, e.row, e.column) if x)
    return f"{number(e.value)} {e.unit or ''} {where} {e.formula}".strip()
