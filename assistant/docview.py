"""One document ready for matching: its tables as rows and columns, its facts and paragraphs, with the
character pairs of every label computed once.

A view is built from the store's typed read API for the documents a question is about and kept in a
small cache, so answering cost follows what is asked, not the size of the corpus.
"""
from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.grams import Weights, clean, grams, skip_pairs
from assistant.words import (BUDGET_COLUMNS_OF_FINAL_ACCOUNTS, DEFAULT_COLUMNS, KIND_PREFERENCE, KIND_WORDS,
                             TOTAL_LABEL)
from index.read import CellInfo, DocInfo, FactInfo, SectionInfo, StoreReader, TableInfo

GENERIC_LEAVES = {"小计", "合计", "总计", "金额", "预算数"}


@dataclass(eq=False, slots=True)
class ColumnView:
    number: int
    path: str
    side: str | None
    grams: frozenset[str]  # every segment of the path
    key_grams: frozenset[str]  # what names this column: its leaf, or its group when the leaf is 小计/合计
    key: str = ""  # those words
    is_default: bool = False

    @property
    def leaf(self) -> str:
        return self.path.split("/")[-1]


@dataclass(eq=False, slots=True)
class RowView:
    table: "TableView"
    index: int
    label: str
    code: str | None
    subject: str | None
    side: str | None
    line: int | None
    page: int | None
    cells: dict[int, CellInfo] = field(default_factory=dict)  # column number → cell
    grams: frozenset[str] = frozenset()
    subject_grams: frozenset[str] = frozenset()
    skips: frozenset[str] = frozenset()  # pairs one character apart: what an abbreviation says (社保 ← 社会保障)
    is_total: bool = False

    def default_cell(self) -> CellInfo | None:
        for col in self.table.columns:
            if col.is_default and col.number in self.cells and (col.side is None or col.side == self.side):
                return self.cells[col.number]
        return next(iter(self.cells.values()), None)


@dataclass(eq=False, slots=True)
class TableView:
    info: TableInfo
    columns: list[ColumnView] = field(default_factory=list)
    rows: list[RowView] = field(default_factory=list)
    grams: frozenset[str] = frozenset()
    core_grams: frozenset[str] = frozenset()  # the title without its boilerplate: what names this table
    core: str = ""
    names: tuple[str, ...] = ()  # how a question names this table: its title and its kind's names, cleaned

    @property
    def preference(self) -> int:
        kind = self.info.kind or "other"
        return KIND_PREFERENCE.index(kind) if kind in KIND_PREFERENCE else len(KIND_PREFERENCE)

    def column(self, number: int) -> ColumnView | None:
        return next((c for c in self.columns if c.number == number), None)

    def total_row(self, side: str | None = None) -> RowView | None:
        return next((r for r in self.rows if r.is_total and (side is None or r.side == side)), None)


@dataclass(slots=True)
class Paragraph:
    doc_id: int
    section: str
    text: str
    line: int | None
    page: int | None


@dataclass(eq=False)
class DocView:
    doc: DocInfo
    tables: list[TableView]
    facts: list[FactInfo]
    fact_grams: list[frozenset[str]]
    paragraphs: list[Paragraph]
    weights: Weights

    @property
    def rows(self) -> list[RowView]:
        return [r for t in self.tables for r in t.rows]

    vocabulary_text: str = ""  # every label, column, title and fact name, cleaned and joined (for synonyms)


TITLE_BOILERPLATE = re.compile(r"^(\d{4}\s*年度?)?(部门|单位)?|(预算)?(支出|收入)?(预算)?(情况|明细|总体情况)?表$|（.*?）$")


def title_core(title: str) -> str:
    """"国有资本经营预算支出情况表" → "国有资本经营": the words that tell this table from the others."""
    core = TITLE_BOILERPLATE.sub("", clean(title))
    return core if len(core) >= 2 else clean(title)


NAME_ENDINGS = re.compile(r"(情况表|明细表|预算表|决算表|表)$")


def table_names(t: TableInfo) -> tuple[str, ...]:
    """"单位收入总体情况表" → 收入总体情况表, 收入总体, 收入总 …: the title without year, 单位/部门 and 表, and the
    names people give its kind (`words.KIND_WORDS`)."""
    out = set(clean(w) for w in KIND_WORDS.get(t.kind or "", "").split())  # as people say them, with 表
    if t.kind and t.kind != "other":
        out.add(clean(t.kind) + "表")
    flat = re.sub(r"^\d{4}年度?|^[一二三四五六七八九十\d]+[、.．]", "", clean(t.title))
    for form in (flat, re.sub(r"^(部门|单位|预算单位)", "", flat)):
        out |= {form, NAME_ENDINGS.sub("", form)}
    return tuple(sorted((n for n in out if len(n) >= 3), key=len, reverse=True))


def is_total_row(label: str | None, code: str | None) -> bool:
    """A table's total row: 合计/总计 …, or a row with figures but no label or code (its 合计 printed in a
    merged cell; also a one-row table whose columns are the items: 三公 因公出国, 公务接待 …)."""
    return bool(_TOTAL.match(label or "")) or (not label and not code)


_TOTAL = re.compile(TOTAL_LABEL)


def column_views(cells: list[CellInfo], final_accounts: bool) -> list[ColumnView]:
    """A table's columns from its cells, the default amount marked (合计/预算数, 决算数 in final accounts).
    Tables printed with the same columns share one list (read-only), so its words are computed once."""
    seen: dict[int, tuple[int, str, str | None]] = {}
    for c in cells:
        if c.column_number not in seen:
            seen[c.column_number] = (c.column_number, c.column_path, c.side)
    return _columns(tuple(seen[k] for k in sorted(seen)), final_accounts)


def printed_columns(table: TableInfo, final_accounts: bool) -> dict[int, ColumnView]:
    """A table's columns from its stored header (no cell read), by number; {} when the store has none."""
    return _printed_columns(table.columns, final_accounts) if table.columns else {}


@lru_cache(maxsize=1024)
def _printed_columns(columns_json: str, final_accounts: bool) -> dict[int, ColumnView]:
    layout = tuple(sorted((c["number"], c["path"] or "", c.get("side")) for c in json.loads(columns_json)))
    return {c.number: c for c in _columns(layout, final_accounts)}


@lru_cache(maxsize=4096)
def _columns(layout: tuple[tuple[int, str, str | None], ...], final_accounts: bool) -> list[ColumnView]:
    columns = []
    for number, path, side in layout:
        parts = [p for p in path.split("/") if p]
        leaf = parts[-1] if parts else ""
        key = _without_year(parts[-2] if leaf in GENERIC_LEAVES and len(parts) >= 2 else leaf)
        columns.append(ColumnView(number, path, side, grams(path.replace("/", " ")), grams(key), key))
    for side in {c.side for c in columns}:
        mine = [c for c in columns if c.side == side]
        _mark_default(mine, final_accounts)
    return columns


YEAR_HEAD = re.compile(r"^(?:19|20)\d{2}\s*年度?")
STAGE_TAIL = re.compile(r"(?:预算|决算)?数$")


def _without_year(key: str) -> str:
    """A column headed with its year ("2024年机关运行经费预算数") is named by the item: the year is the
    document's, and 预算数 the kind of every amount in it."""
    if not YEAR_HEAD.match(key):
        return key
    rest = YEAR_HEAD.sub("", key)
    item = STAGE_TAIL.sub("", rest)
    return item if len(item) >= 2 else rest or key


def _mark_default(columns: list[ColumnView], final_accounts: bool) -> None:
    """The column that is a row's amount when the question names none: 合计/总计/预算数 (决算数 in a 决算)."""
    def leaf_of(c: ColumnView) -> str:
        return re.sub(r"[（(].*?[)）]", "", c.path.split("/")[-1])

    if final_accounts:
        for c in columns:
            if "决算" in c.path and leaf_of(c) not in BUDGET_COLUMNS_OF_FINAL_ACCOUNTS:
                c.is_default = True
                return
    for word in DEFAULT_COLUMNS:
        for c in columns:
            if leaf_of(c) == word or (c.path == word):
                if final_accounts and leaf_of(c) in BUDGET_COLUMNS_OF_FINAL_ACCOUNTS:
                    continue
                c.is_default = True
                return
    if columns:
        columns[0].is_default = True


def _paragraphs(sections: list[SectionInfo]) -> list[Paragraph]:
    out = []
    for s in sections:
        for para in (s.text or "").split("\n"):
            if para.strip():
                out.append(Paragraph(s.doc_id, s.path, para.strip(), s.line, s.page))
    return out


def build_view(reader: StoreReader, doc: DocInfo) -> DocView:
    tables = reader.tables([doc.id])
    cells = reader.cells([doc.id])
    by_table: dict[int, list[CellInfo]] = {}
    for c in cells:
        by_table.setdefault(c.table_id, []).append(c)
    final_accounts = doc.budget_kind == "决算"
    views = []
    for t in tables:
        tv = TableView(t, grams=grams(t.title) | grams(KIND_WORDS.get(t.kind or "", "")) | grams(t.kind or ""),
                       core_grams=grams(title_core(t.title)), core=title_core(t.title),
                       names=table_names(t))
        mine = by_table.get(t.id, [])
        tv.columns = column_views(mine, final_accounts)
        rows: dict[int, RowView] = {}
        for c in mine:
            row = rows.get(c.row_index)
            if row is None:
                row = rows[c.row_index] = RowView(tv, c.row_index, c.label, c.code, c.subject, c.side, c.line, c.page,
                                                  grams=grams(c.label), subject_grams=grams(c.subject or ""),
                                                  skips=skip_pairs(c.label),
                                                  is_total=is_total_row(c.label, c.code))
            row.cells[c.column_number] = c
        tv.rows = [rows[k] for k in sorted(rows)]
        views.append(tv)
    facts = reader.facts([doc.id])
    paragraphs = _paragraphs(reader.sections([doc.id]))
    fields = [t.info.title for t in views] + [c.path.replace("/", " ") for t in views for c in t.columns]
    fields += list({r.label for t in views for r in t.rows}) + list({f.name for f in facts})
    return DocView(doc, views, facts, [grams(f.name) | grams(f.subject or "") for f in facts], paragraphs,
                   Weights(fields), "|".join(clean(f) for f in fields))


_NO_WEIGHTS = Weights([])


def lite_view(doc: DocInfo) -> DocView:
    """A document known only by its identity: the carrier of figures fetched by a query over many documents."""
    return DocView(doc, [], [], [], [], _NO_WEIGHTS)


class ViewCache:
    """Document views by id, the most recently used kept (thread-safe)."""

    def __init__(self, reader: StoreReader, size: int = 256):
        self.reader = reader
        self.size = size
        self._views: OrderedDict[int, DocView] = OrderedDict()
        self._lite: dict[int, DocView] = {}  # one identity-only view per document (a few hundred bytes each)
        self._lock = threading.Lock()

    def lite(self, doc: DocInfo) -> DocView:
        """The document's identity-only view (`lite_view`), made once."""
        view = self._lite.get(doc.id)
        if view is None:
            view = self._lite.setdefault(doc.id, lite_view(doc))
        return view

    def get(self, doc: DocInfo) -> DocView:
        with self._lock:
            view = self._views.get(doc.id)
            if view is not None:
                self._views.move_to_end(doc.id)
                return view
        view = build_view(self.reader, doc)
        with self._lock:
            self._views[doc.id] = view
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        return view
