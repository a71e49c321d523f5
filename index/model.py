"""The data objects every reader produces and every later stage consumes.

A reader (text export or PDF) turns one file into a `Document`: metadata plus the ordered
blocks of the disclosure — headings, paragraphs and raw tables exactly as laid out.
`index.tables` then turns each `RawTable` into a normalised `Table` of `Row`s and `Cell`s
(column paths, subject codes, numeric values), which is what the SQL store holds.
Provenance (line in a text export, page in a PDF) travels with every block, row and cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Heading:
    text: str
    level: int  # 1 = 第X部分, 2 = 一、, 3 = （一）, 4 = 1、
    line: int | None = None
    page: int | None = None


@dataclass
class Paragraph:
    text: str
    line: int | None = None
    page: int | None = None


@dataclass
class SourceRow:
    """One row of a table as the source lays it out: cell strings, in order."""

    cells: list[str]
    line: int | None = None
    page: int | None = None
    # each cell's printed box (x0, top, x1, bottom) on `page`, when the source is a PDF
    boxes: list[tuple[float, float, float, float] | None] | None = None


@dataclass
class RawTable:
    """A table before interpretation: title, header rows and body rows as given.

    `layout` is "cells" when the source separates cells (tabs, pipes, PDF ruling) and
    "flattened" when a table's cells were run together into lines of text (one sample
    export does this); then `body_rows` hold one cell per source line and the numbers
    are placed by `index.flattened`.
    """

    title: str
    number: str | None = None  # "1", "十一", "公开01表" — as printed
    measure_unit: str = "万元"
    header_rows: list[SourceRow] = field(default_factory=list)
    body_rows: list[SourceRow] = field(default_factory=list)
    note: str = ""  # e.g. the "……为空表。" statement printed in place of rows
    layout: str = "cells"
    problem: str = ""  # why the table could not be read (or read whole), when it could not
    line: int | None = None
    page: int | None = None


Block = Heading | Paragraph | RawTable


@dataclass
class Document:
    path: str
    sha256: str
    unit_name: str
    year: int | None
    title: str = ""
    budget_kind: str = "预算"  # 预算 or 决算
    scope: str | None = None  # 部门 or 单位
    source_format: str = "text"  # text or pdf
    pages: int | None = None
    blocks: list[Block] = field(default_factory=list)
    family: str | None = None  # the template family its tables are of (index/templates), set at ingest

    @property
    def raw_tables(self) -> list[RawTable]:
        return [b for b in self.blocks if isinstance(b, RawTable)]

    def with_headings(self):
        """Each block with the path of headings above it ("第三部分 … > 五、… > （三）…")."""
        path: list[tuple[int, str]] = []
        for block in self.blocks:
            if isinstance(block, Heading):
                path = [p for p in path if p[0] < block.level] + [(block.level, block.text)]
            yield " > ".join(t for _, t in path), block


def table_problem(table: "Table") -> str:
    """The table's reading problem as a user reads it: "表3 on page 7: …", or "" when there is none."""
    if not table.problem:
        return ""
    where = f" on page {table.page}" if table.page else (f" at line {table.line}" if table.line else "")
    return f"表{table.number or ''}（{table.title}）{where}: {table.problem}"


# ---- normalised tables -------------------------------------------------------------


@dataclass
class Column:
    number: int  # the printed column number (1, 2, …) or its position when none is printed
    path: str  # flattened header, e.g. "财政拨款（补助）/一般公共预算"
    side: str | None = None  # 收入 / 支出 for two-sided tables


@dataclass
class Cell:
    column: Column
    value: float | None  # None when the cell holds text that is not a number
    raw: str  # the text as printed; "" for an empty cell (value 0: not arranged)
    # where the cell is printed on its row's page: (x0, top, x1, bottom) in PDF points, pdfplumber's
    # top-left origin; None for text exports. The UI outlines it on the page image.
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class Row:
    label: str
    code: str | None = None  # full subject code, e.g. "2080109"
    code_system: str | None = None  # 功能分类 or 经济分类
    subject: str | None = None  # 科目名称 when the label is an item (项目名称)
    side: str | None = None
    cells: list[Cell] = field(default_factory=list)
    line: int | None = None
    page: int | None = None

    def value(self, column_number: int) -> float | None:
        for cell in self.cells:
            if cell.column.number == column_number:
                return cell.value
        return None


@dataclass
class Unplaced:
    """A row whose numbers could not be put in columns with certainty: kept, not guessed."""

    text: str
    reason: str
    line: int | None = None
    page: int | None = None


@dataclass
class Table:
    title: str
    kind: str | None
    number: str | None
    measure_unit: str
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    unplaced: list[Unplaced] = field(default_factory=list)
    line: int | None = None
    page: int | None = None
    problem: str = ""  # why (part of) the table could not be read; "" when it was read whole

    @property
    def is_empty(self) -> bool:
        return not any(c.value for r in self.rows for c in r.cells)
