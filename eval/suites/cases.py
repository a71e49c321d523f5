"""A generated question with what a correct answer must hold, and a suite's whole output.

`Expected` says what the judge checks (a value with its unit and source, a ranking, a count, or a
refusal); `Generated` also keeps what was *not* asked (a phrasing that does not determine one
answer) so the report can say how much of the store the suite covers.
"""
from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# How an answer is judged.
VALUE, TOP, RANKING, COUNT, REFUSAL, NO_CRASH = "value", "top", "ranking", "count", "refusal", "no_crash"


def number(value: float) -> str:
    """An amount as a question or formula writes it: up to 2 decimals, no exponent, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Ranked:
    unit_name: str
    year: int | None
    value: float


@dataclass
class Expected:
    check: str  # VALUE / TOP / RANKING / COUNT / REFUSAL / NO_CRASH
    value: float | None = None
    unit: str | None = None  # 万元 / 元 / % / 个
    unit_name: str | None = None
    year: int | None = None
    cell_id: int | None = None  # the printed cell (cell suite)
    same_item_cells: tuple[int, ...] = ()  # cells of the same value and item in the same document
    table: str | None = None  # where the cell is printed, for the report
    row: str | None = None
    column: str | None = None
    ranking: tuple[Ranked, ...] = ()
    mentions: tuple[tuple[str, ...], ...] = ()  # each group: one of these words must be in the answer text
    either_sign: bool = False  # a difference may be given as "多 x" or "少 x"
    formula: str = ""  # how the expected value was computed, for the report


@dataclass
class Case:
    suite: str  # cells / operations / unanswerable / fuzz
    phrasing: str  # title / code_spaced / sum / year_absent / cut …
    stratum: str  # table kind (cells), operation scope, substitution kind: what a sample must cover
    question: str
    expected: Expected


@dataclass
class Generated:
    suite: str
    cases: list[Case] = field(default_factory=list)
    not_determined: Counter = field(default_factory=Counter)  # phrasing → phrasings not asked
    items: int = 0  # cells (or measures) the suite started from
    covered: int = 0  # of those, asked in at least one phrasing

    def phrasings(self) -> list[str]:
        return sorted({c.phrasing for c in self.cases} | set(self.not_determined))


def stratified_sample(cases: list[Case], size: int, seed: int = 0) -> list[Case]:
    """About `size` cases, every (stratum, phrasing) pair kept, each in proportion but at least one."""
    if size >= len(cases):
        return list(cases)
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in cases:
        groups[(case.stratum, case.phrasing)].append(case)
    rng = random.Random(seed)
    chosen: list[Case] = []
    for key in sorted(groups):
        group = groups[key]
        take = max(1, round(size * len(group) / len(cases)))
        chosen += rng.sample(group, min(take, len(group)))
    return chosen
