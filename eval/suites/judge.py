"""Whether one answer is right for one generated question — the only place the rules of "correct" live.

A value must be figures[0] (the figure the answer leads with), equal to the expected amount within
half a cent of the printed rounding, or the same amount in the other money unit (元 ↔ 万元); a
printed cell's figure must also name its unit and year. A top/bottom answer leads with the winner;
a ranking lists the documents in order as its figures; a count is figures[0]. A refusal is any
status but `answered`, with no figure at all.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

from eval.suites.cases import COUNT, NO_CRASH, RANKING, REFUSAL, Case, Expected, number
from eval.suites.names import clean_label, norm

TOLERANCE = 0.005 + 1e-6  # half of the last printed digit (amounts and percentages print 2 decimals)
PER_WAN = 10000


@dataclass
class Verdict:
    correct: bool
    reason: str = ""  # why not, in a few words
    cited: str = ""  # cells: "cell" (that cell), "same_item" (same value, same item, same document), "other"
    got: str = ""  # what the answer led with


def judge(case: Case, answer, error: BaseException | None = None) -> Verdict:
    if error is not None:
        return Verdict(False, f"raised {type(error).__name__}: {str(error)[:80]}")
    exp = case.expected
    if exp.check == NO_CRASH:
        return _no_crash(answer)
    figures = list(getattr(answer, "figures", None) or [])
    status = getattr(answer, "status", None)
    got = _describe(figures[0]) if figures else f"no figure ({status})"
    if exp.check == REFUSAL:
        if status == "answered" or figures:
            return Verdict(False, f"answered instead of refusing: {got}", got=got)
        return Verdict(True, got=got)
    if status != "answered":
        return Verdict(False, f"not answered (status {status})", got=got)
    if not figures:
        return Verdict(False, "answered without a figure", got=got)
    first = figures[0]
    if exp.check == RANKING:
        return _ranking(exp, figures, got)
    if exp.check == COUNT:
        ok = _finite(first.value) and abs(first.value - exp.value) < 1e-9
        return Verdict(ok, "" if ok else f"count {number(first.value)}, expected {number(exp.value)}", got=got)
    value, wanted = first.value, exp.value
    if exp.either_sign and _finite(value):
        value, wanted = abs(value), abs(wanted)
    if not same_amount(value, first.unit, wanted, exp.unit):
        return Verdict(False, f"value {number(first.value)} {first.unit}, expected {number(exp.value)} "
                              f"{exp.unit or ''}".strip(), got=got)
    if exp.unit_name is not None and norm(first.unit_name) != norm(exp.unit_name):
        return Verdict(False, f"unit {first.unit_name}, expected {exp.unit_name}", got=got)
    if exp.unit_name is not None and exp.year is not None and first.year != exp.year:
        return Verdict(False, f"year {first.year}, expected {exp.year}", got=got)
    missing = [group for group in exp.mentions if not any(word in (answer.answer or "") for word in group)]
    if missing:
        return Verdict(False, "does not say " + " / ".join("、".join(g) for g in missing), got=got)
    return Verdict(True, cited=cited(first, exp) if exp.cell_id is not None else "", got=got)


def same_amount(value, unit: str | None, expected: float, expected_unit: str | None) -> bool:
    """Equal within rounding, also when one side is in 元 and the other in 万元."""
    if not _finite(value):
        return False
    if unit == expected_unit or not unit or not expected_unit:
        return abs(value - expected) <= TOLERANCE
    if unit == "元" and expected_unit == "万元":
        return abs(value / PER_WAN - expected) <= TOLERANCE
    if unit == "万元" and expected_unit == "元":
        return abs(value - expected / PER_WAN) <= TOLERANCE
    return False


def cited(figure, exp: Expected) -> str:
    """Whether the figure points at the expected cell, at a cell of the same item and value, or elsewhere."""
    cell_id = getattr(figure, "cell_id", None)
    if cell_id is not None:
        return "cell" if cell_id == exp.cell_id else "same_item" if cell_id in exp.same_item_cells else "other"
    same_row = norm(clean_label(figure.row or "")) == norm(clean_label(exp.row or ""))
    same_table = bool(figure.table and exp.table) and norm(exp.table) in norm(figure.table)
    same_column = bool(figure.column) and norm(exp.column or "").endswith(norm(figure.column))
    if same_row and same_table and same_column:
        return "cell"
    return "same_item" if same_row else "other"


def _ranking(exp: Expected, figures: list, got: str) -> Verdict:
    want = list(exp.ranking)
    have = figures[:len(want)]
    if len(have) < len(want):
        return Verdict(False, f"{len(have)} figures for a ranking of {len(want)}", got=got)
    for i, (w, h) in enumerate(zip(want, have)):
        if not same_amount(h.value, h.unit, w.value, exp.unit):
            return Verdict(False, f"place {i + 1}: {number(h.value)}, expected {number(w.value)}", got=got)
        tied = sum(abs(o.value - w.value) < 1e-9 for o in want) > 1
        if not tied and (norm(h.unit_name) != norm(w.unit_name) or h.year != w.year):
            return Verdict(False, f"place {i + 1}: {h.unit_name} {h.year}, expected {w.unit_name} {w.year}", got=got)
    return Verdict(True, got=got)


def _no_crash(answer) -> Verdict:
    from assistant.answer import Answer

    if not isinstance(answer, Answer):
        return Verdict(False, f"returned {type(answer).__name__}, not an Answer")
    try:
        json.dumps(answer.to_dict(), ensure_ascii=False)
    except (TypeError, ValueError) as e:
        return Verdict(False, f"answer is not JSON: {e}")
    return Verdict(True, got=answer.status)


def _describe(figure) -> str:
    where = " ".join(str(x) for x in (figure.table, figure.row, figure.column) if x)
    return f"{number(figure.value)} {figure.unit} {figure.unit_name} {figure.year} {where}".strip()


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)
