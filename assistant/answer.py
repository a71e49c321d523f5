"""The Answer object every front end shows: text, status, figures with provenance, citations.

A figure in an answer always comes from the store (a cell or a stated fact) or is computed from
stored figures listed in its `inputs` with the `formula`; the UI, the CLI's `--json` and the
evaluation all read this one shape.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

ANSWERED, NOT_FOUND, AMBIGUOUS, ERROR = "answered", "not_found", "ambiguous", "error"


@dataclass(slots=True)
class Figure:
    value: float
    unit: str  # 万元, 元, %, 人, 辆 …
    unit_name: str  # the disclosing body
    year: int | None
    table: str | None  # "表10 财政拨款“三公”经费支出情况表", or None for a narrative fact
    row: str | None
    column: str | None
    page: int | None = None
    line: int | None = None
    source_file: str | None = None
    formula: str | None = None  # for computed values, e.g. "615.78 / 714.76 × 100"
    inputs: list["Figure"] = field(default_factory=list)
    document_id: int | None = None  # documents.id of the disclosure it comes from
    cell_id: int | None = None  # cells.id when the figure is one printed cell (its box: cells.x0 … bottom)
    budget_kind: str | None = None  # 预算 / 决算 of that document
    scope: str | None = None  # 部门 / 单位 of that document


@dataclass(slots=True)
class Citation:
    unit_name: str
    year: int | None
    section: str
    quote: str
    page: int | None = None
    line: int | None = None
    source_file: str | None = None


@dataclass
class Answer:
    question: str
    answer: str
    status: str = ANSWERED
    figures: list[Figure] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    route: str = ""  # the operation that answered, e.g. "lookup", "sum", "explain"
    trace: list[dict] = field(default_factory=list)  # how it was read and answered: [{stage, items}] (--explain)

    def to_dict(self) -> dict:
        return asdict(self)
