"""The typed read API of the store: what the answering path, the audit and the UI read, as plain records.

Every SQL string the answering side needs lives here, so the rest of the code works on `DocInfo`,
`TableInfo`, `CellInfo`, `FactInfo` and `SectionInfo` and never on rows of a database driver. Reads
are by document (the documents a question is about), so the cost of an answer follows what was
asked, not the size of the corpus.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from index.store import Store


@dataclass(frozen=True, slots=True)
class DocInfo:
    id: int
    unit_name: str
    year: int | None
    budget_kind: str  # 预算 / 决算
    scope: str | None  # 部门 / 单位
    title: str
    source_file: str
    source_format: str
    pages: int | None

    @property
    def kind_label(self) -> str:
        """"单位预算", "部门决算", or just "预算" when the scope is not stated."""
        return f"{self.scope or ''}{self.budget_kind}"

    @property
    def label(self) -> str:
        """How answers and citations name a document: "乌鲁木齐市社会保险中心 2025 年单位预算"."""
        year = f" {self.year} 年" if self.year else ""
        return f"{self.unit_name}{year}{self.kind_label}"


@dataclass(frozen=True, slots=True)
class TableInfo:
    id: int
    doc_id: int
    seq: int
    number: str | None
    kind: str | None
    title: str
    measure_unit: str
    note: str
    is_empty: bool
    line: int | None
    page: int | None
    columns: str = ""  # the printed columns, as stored: JSON [{number, path, side}]

    @property
    def name(self) -> str:
        """"表10 财政拨款“三公”经费支出情况表" (the printed number when there is one)."""
        return table_name(self.number, self.title)


def table_name(number: str | None, title: str) -> str:
    """How a table is named to users: its printed number (表10, 公开01表) and title."""
    number = number or ""
    if number and not number.startswith(("表", "公开")):
        number = f"表{number}"
    return f"{number} {title}".strip()


@dataclass(frozen=True, slots=True)
class CellInfo:
    id: int
    doc_id: int
    table_id: int
    row_index: int
    label: str
    code: str | None
    code_system: str | None
    subject: str | None
    side: str | None
    column_number: int
    column_path: str
    value: float | None
    raw: str
    line: int | None
    page: int | None


@dataclass(frozen=True, slots=True)
class FactInfo:
    id: int
    doc_id: int
    name: str
    value: float
    unit: str
    subject: str | None
    quote: str
    section: str
    line: int | None
    page: int | None


@dataclass(frozen=True, slots=True)
class SectionInfo:
    id: int
    doc_id: int
    seq: int
    path: str
    heading: str
    level: int
    text: str
    line: int | None
    page: int | None


def _ids(doc_ids: Iterable[int]) -> tuple[str, list[int]]:
    ids = sorted(set(doc_ids))
    return ",".join("?" * len(ids)), ids


class StoreReader:
    """Read-only, typed access to one store (thread-safe: the store keeps a connection per thread)."""

    def __init__(self, store: Store):
        self.store = store

    def documents(self) -> list[DocInfo]:
        rows = self.store.query(
            "SELECT id, unit_name, year, budget_kind, scope, title, source_file, source_format, pages"
            " FROM documents ORDER BY unit_name, year, id")
        return [DocInfo(r["id"], r["unit_name"], r["year"], r["budget_kind"] or "预算", r["scope"], r["title"] or "",
                        r["source_file"] or "", r["source_format"] or "", r["pages"]) for r in rows]

    def families(self) -> dict[int, str | None]:
        """Each document's template family: as stored at ingest, or — stored by an older version, without
        one — detected now from its stored tables (`index.conformance`)."""
        from index.conformance import family_id

        column = "family" if self.store.has_column("documents", "family") else "NULL AS family"
        out = {r["id"]: r["family"] for r in self.store.query(f"SELECT id, {column} FROM documents")}
        unknown = [i for i, f in out.items() if f is None]
        for start in range(0, len(unknown), 500):
            tables: dict[int, list[TableInfo]] = {}
            for t in self.tables(unknown[start:start + 500]):
                tables.setdefault(t.doc_id, []).append(t)
            for doc_id, items in tables.items():
                out[doc_id] = family_id(items)
        return out

    def tables(self, doc_ids: Iterable[int]) -> list[TableInfo]:
        marks, ids = _ids(doc_ids)
        if not ids:
            return []
        rows = self.store.query(
            f"SELECT {', '.join(_TABLE_FIELDS)} FROM tables"
            f" WHERE document_id IN ({marks}) ORDER BY document_id, seq", ids, plain=True)
        return [_table_info(r) for r in rows]  # the columns in _TABLE_FIELDS order

    def cells(self, doc_ids: Iterable[int]) -> list[CellInfo]:
        marks, ids = _ids(doc_ids)
        if not ids:
            return []
        rows = self.store.query(
            f"SELECT id, document_id, table_id, row_index, row_label, code, code_system, subject, side, column_number,"
            f" column_path, value, raw, line, page FROM cells WHERE document_id IN ({marks})"
            f" ORDER BY document_id, table_id, row_index, column_number", ids, plain=True)
        return [_cell_info(r) for r in rows]  # the columns in _CELL_FIELDS order

    def facts(self, doc_ids: Iterable[int]) -> list[FactInfo]:
        marks, ids = _ids(doc_ids)
        if not ids:
            return []
        rows = self.store.query(
            f"SELECT id, document_id, name, value, unit, subject, quote, section, line, page FROM facts"
            f" WHERE document_id IN ({marks}) ORDER BY id", ids)
        return [FactInfo(r["id"], r["document_id"], r["name"] or "", r["value"], r["unit"] or "", r["subject"],
                         r["quote"] or "", r["section"] or "", r["line"], r["page"]) for r in rows]

    def sections(self, doc_ids: Iterable[int]) -> list[SectionInfo]:
        marks, ids = _ids(doc_ids)
        if not ids:
            return []
        rows = self.store.query(
            f"SELECT id, document_id, seq, path, heading, level, text, line, page FROM sections"
            f" WHERE document_id IN ({marks}) ORDER BY document_id, seq", ids)
        return [SectionInfo(r["id"], r["document_id"], r["seq"], r["path"] or "", r["heading"] or "", r["level"] or 0,
                            r["text"] or "", r["line"], r["page"]) for r in rows]


    # ---- across the corpus: one SELECT for a figure of every document ---------------------------------

    def cells_across(self, kind: str, row_label: str | Iterable[str] | None = None, code: str | None = None,
                     column_path: str | None = None, doc_ids: Iterable[int] | None = None
                     ) -> list[tuple[TableInfo, CellInfo]]:
        """The same cell in every document (or in `doc_ids`): tables of `kind`, rows named `row_label` (one
        label, or any of several) and/or coded `code`, the column `column_path` — e.g. the 合计 of the 三公经费
        table of every body, for a sum, a ranking or a count over all bodies without reading any document
        whole. One indexed SELECT (tables by kind, then cells by table and label)."""
        where, params = ["t.kind = ?"], [kind]
        if row_label is not None and not isinstance(row_label, str):
            labels = sorted(set(row_label))
            where.append(f"c.row_label IN ({','.join('?' * len(labels))})")
            params += labels
            row_label = None
        for column, value in (("c.row_label", row_label), ("c.code", code), ("c.column_path", column_path)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = (f"SELECT {_TABLE_COLUMNS}, {_CELL_COLUMNS} FROM tables t JOIN cells c ON c.table_id = t.id"
               f" WHERE {' AND '.join(where)}")
        order = " ORDER BY t.document_id, t.seq, c.row_index, c.column_number"
        rows = []
        if doc_ids is None:
            rows = self.store.query(sql + order, params, plain=True)
        else:
            for marks, ids in _id_batches(doc_ids):
                rows += self.store.query(f"{sql} AND t.document_id IN ({marks}){order}", params + ids, plain=True)
        tables: dict[int, TableInfo] = {}  # one record per table, however many of its cells are read
        offset = len(_TABLE_FIELDS)
        return [(tables.get(r[0]) or tables.setdefault(r[0], _table_info(r)), _cell_info(r, offset)) for r in rows]

    def facts_across(self, name: str, doc_ids: Iterable[int] | None = None) -> list[FactInfo]:
        """The narrative facts of one name (e.g. 编制人数) in every document (or in `doc_ids`)."""
        sql = ("SELECT id, document_id, name, value, unit, subject, quote, section, line, page FROM facts"
               " WHERE name = ?")
        if doc_ids is None:
            rows = self.store.query(sql + " ORDER BY document_id, id", (name,))
        else:
            rows = []
            for marks, ids in _id_batches(doc_ids):
                rows += self.store.query(f"{sql} AND document_id IN ({marks}) ORDER BY document_id, id", [name] + ids)
        return [FactInfo(r["id"], r["document_id"], r["name"] or "", r["value"], r["unit"] or "", r["subject"],
                         r["quote"] or "", r["section"] or "", r["line"], r["page"]) for r in rows]


_TABLE_FIELDS = ["id", "document_id", "seq", "number", "kind", "title", "measure_unit", "note", "is_empty", "line",
                 "page", "columns"]
_CELL_FIELDS = ["id", "document_id", "table_id", "row_index", "row_label", "code", "code_system", "subject", "side",
                "column_number", "column_path", "value", "raw", "line", "page"]
_TABLE_COLUMNS = ", ".join(f"t.{f}" for f in _TABLE_FIELDS)
_CELL_COLUMNS = ", ".join(f"c.{f}" for f in _CELL_FIELDS)


def _table_info(r) -> TableInfo:
    id_, doc_id, seq, number, kind, title, unit, note, is_empty, line, page, columns = r[:len(_TABLE_FIELDS)]
    return TableInfo(id_, doc_id, seq, number, kind, title or "", unit or "万元", note or "", bool(is_empty), line,
                     page, columns or "")


def _cell_info(r, offset: int = 0) -> CellInfo:
    id_, doc_id, table_id, row_index, label, code, system, subject, side, number, path, value, raw, line, page = \
        r[offset:offset + len(_CELL_FIELDS)]
    return CellInfo(id_, doc_id, table_id, row_index, label or "", code, system, subject, side, number, path or "",
                    value, raw or "", line, page)


def _id_batches(doc_ids: Iterable[int], size: int = 5000):
    """`IN (…)` lists of at most `size` ids (SQLite allows 32766 parameters per statement)."""
    ids = sorted(set(doc_ids))
    for i in range(0, len(ids), size):
        part = ids[i:i + size]
        yield ",".join("?" * len(part)), part
