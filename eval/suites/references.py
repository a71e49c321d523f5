"""Which stored cells a question's words can mean, so a generated question is asked only when one answer fits.

A reference names a document, perhaps a table (by printed title, short title or number), a row
(by label, subject code, or "the total row"), and perhaps a column (by its last header, by parent
and last header, or "the row's total column"). `matches` lists every cell of the document those
words fit; the reference *determines* an answer when all of them hold one value (an empty cell
counts as 0, what it means). Matching is deliberately generous — a row label also matches a
row's 科目名称 — so a question counted as determined cannot honestly be read another way.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from eval.suites.corpus import Cell, Corpus, TableInfo
from eval.suites.names import (clean_label, column_leaf, column_parent, is_total_column, is_total_label, norm,
                               short_title, table_number_name)

TITLE, SHORT, NUMBER, KIND = "title", "short", "number", "kind"
LABEL, CODE, TOTAL = "label", "code", "total"
LEAF, PATH = "leaf", "path"


@dataclass(frozen=True)
class Reference:
    doc_id: int
    table: tuple[str, str] | None = None  # (TITLE | SHORT | NUMBER | KIND, text)
    row: tuple[str, str] | None = None  # (LABEL | CODE, text), or (TOTAL, "") / None: the total row
    column: tuple[str, str] | None = None  # (LEAF | PATH, text) or (TOTAL, "")


def in_wan(value: float, measure_unit: str) -> float:
    """An amount in 万元 whatever unit its table prints in."""
    return value / 10000 if measure_unit == "元" else value


class CellIndex:
    """The corpus's cells indexed by document, row name and code, for fast reference matching."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._by_label: dict[tuple[int, str], list[Cell]] = defaultdict(list)
        self._by_code: dict[tuple[int, str], list[Cell]] = defaultdict(list)
        self._total_rows: dict[int, set[int]] = {}
        self._total_column: dict[tuple[int, int], int | None] = {}
        self._names: dict[int, dict[str, str]] = {}
        for c in corpus.cells:
            names = {norm(clean_label(c.row_label)), norm(c.subject)} - {""}
            for name in names:
                self._by_label[(c.doc_id, name)].append(c)
            if c.code:
                self._by_code[(c.doc_id, c.code)].append(c)
        for t in corpus.tables.values():
            self._index_totals(t)
        self._total_cells: dict[int, list[Cell]] = defaultdict(list)
        for c in corpus.cells:
            if self.is_total_row(c):
                self._total_cells[c.doc_id].append(c)

    def _index_totals(self, t: TableInfo) -> None:
        rows: dict[int, list[Cell]] = defaultdict(list)
        for c in self.corpus.cells_of_table(t.id):
            rows[c.row_index].append(c)
        totals = {i for i, cells in rows.items() if is_total_label(cells[0].row_label)}
        self._total_rows[t.id] = totals or (set(rows) if len(rows) == 1 else set())
        for i, cells in rows.items():
            by_number = sorted(cells, key=lambda c: c.column_number)
            total = next((c.column_number for c in by_number if is_total_column(c.column_path)), None)
            if total is None and len(by_number) == 1:
                total = by_number[0].column_number
            self._total_column[(t.id, i)] = total

    def is_total_row(self, cell: Cell) -> bool:
        return cell.row_index in self._total_rows.get(cell.table_id, set())

    def total_column_of(self, cell: Cell) -> int | None:
        return self._total_column.get((cell.table_id, cell.row_index))

    def _table_names(self, t: TableInfo) -> dict[str, str]:
        names = self._names.get(t.id)
        if names is None:
            short = short_title(t.title, self.corpus.docs[t.doc_id].unit_name)
            names = {TITLE: norm(t.title), SHORT: norm(short), NUMBER: norm(table_number_name(t.number)),
                     KIND: norm(t.kind)}
            self._names[t.id] = names
        return names

    def table_matches(self, t: TableInfo, table: tuple[str, str] | None) -> bool:
        if table is None:
            return True
        name = self._table_names(t)[table[0]]
        return bool(name) and name == norm(table[1])

    def matches(self, ref: Reference) -> list[Cell]:
        how, text = ref.row or (TOTAL, "")
        if how == LABEL:
            pool = self._by_label.get((ref.doc_id, norm(text)), [])
        elif how == CODE:
            pool = self._by_code.get((ref.doc_id, text), [])
        else:
            pool = self._total_cells.get(ref.doc_id, [])
        tables = self.corpus.tables
        fits = {tid: self.table_matches(tables[tid], ref.table) for tid in {c.table_id for c in pool}}
        return [c for c in pool if fits[c.table_id] and self._column_fits(c, ref)]

    def _column_fits(self, c: Cell, ref: Reference) -> bool:
        if ref.column is None:
            return True
        how, text = ref.column
        if how == LEAF:
            return norm(column_leaf(c.column_path)) == norm(text)
        if how == PATH:  # the path ends with these headers, whole headers only (财政拨款/小计 ≠ 非财政拨款/小计)
            want = [norm(p) for p in text.split("/")]
            return [norm(p) for p in c.column_path.split("/")][-len(want):] == want
        return c.column_number == self.total_column_of(c)

    def values(self, cells: list[Cell]) -> set[float]:
        return {round(in_wan(c.value, self.corpus.tables[c.table_id].measure_unit), 4) for c in cells}

    def determines(self, ref: Reference) -> list[Cell] | None:
        """The matching cells when they all hold one value, else None (the words fit several answers)."""
        cells = self.matches(ref)
        return cells if cells and len(self.values(cells)) == 1 else None


def path_reference_text(path: str) -> str:
    """The column path a PATH reference ends with: parent/leaf."""
    parent = column_parent(path)
    return f"{parent}/{column_leaf(path)}" if parent else column_leaf(path)
