"""The store as plain data for the generators: documents, tables, cells and each document's words.

Read once with SQL over the store's own tables (`index/store.py`), never through the answering
code, so the suites measure the answerer against what the store holds and nothing else.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from index.store import Store


@dataclass(frozen=True)
class Doc:
    id: int
    unit_name: str
    year: int | None
    budget_kind: str  # 预算 / 决算
    scope: str  # 部门 / 单位 / ''


@dataclass(frozen=True)
class TableInfo:
    id: int
    doc_id: int
    seq: int
    number: str  # as printed: 1, 十一, 公开01表; '' when none
    kind: str  # index/kinds.py's kind, '' when unknown
    title: str
    measure_unit: str  # 万元 / 元


@dataclass(frozen=True)
class Cell:
    id: int
    doc_id: int
    table_id: int
    row_index: int
    row_label: str
    code: str
    subject: str
    side: str
    column_number: int
    column_path: str
    value: float  # 0 for an empty cell
    raw: str  # '' for an empty cell

    @property
    def printed(self) -> bool:
        """A non-empty numeric cell: what the round-trip asks back."""
        return self.raw.strip() != ""


@dataclass
class Corpus:
    docs: dict[int, Doc]
    tables: dict[int, TableInfo]
    cells: list[Cell]
    words: dict[int, str] = field(default_factory=dict)  # doc id → every word the document prints

    def cells_of_table(self, table_id: int) -> list[Cell]:
        return self._by_table.get(table_id, [])

    def cells_of_doc(self, doc_id: int) -> list[Cell]:
        return self._by_doc.get(doc_id, [])

    def tables_of_doc(self, doc_id: int) -> list[TableInfo]:
        return sorted((t for t in self.tables.values() if t.doc_id == doc_id), key=lambda t: t.seq)

    def disclosures_of(self, unit_name: str, year: int | None) -> int:
        """How many documents one unit has for one year (a 部门 and a 单位 预算, a 预算 and a 决算)."""
        return self._per_unit_year[(unit_name, year)]

    def __post_init__(self):
        self._by_table: dict[int, list[Cell]] = defaultdict(list)
        self._by_doc: dict[int, list[Cell]] = defaultdict(list)
        for c in self.cells:
            self._by_table[c.table_id].append(c)
            self._by_doc[c.doc_id].append(c)
        self._per_unit_year = Counter((d.unit_name, d.year) for d in self.docs.values())


def load_corpus(store: Store) -> Corpus:
    docs = {r["id"]: Doc(r["id"], r["unit_name"] or "", r["year"], r["budget_kind"] or "预算", r["scope"] or "")
            for r in store.query("SELECT id, unit_name, year, budget_kind, scope FROM documents")}
    tables = {r["id"]: TableInfo(r["id"], r["document_id"], r["seq"] or 0, r["number"] or "", r["kind"] or "",
                                 r["title"] or "", r["measure_unit"] or "万元")
              for r in store.query("SELECT id, document_id, seq, number, kind, title, measure_unit FROM tables")}
    cells = [Cell(r["id"], r["document_id"], r["table_id"], r["row_index"] or 0, r["row_label"] or "",
                  r["code"] or "", r["subject"] or "", r["side"] or "", r["column_number"] or 0,
                  r["column_path"] or "", float(r["value"]), r["raw"] or "")
             for r in store.query("SELECT id, document_id, table_id, row_index, row_label, code, subject, side,"
                                  " column_number, column_path, value, raw FROM cells WHERE value IS NOT NULL"
                                  " ORDER BY document_id, table_id, row_index, column_number")]
    corpus = Corpus(docs, tables, cells)
    corpus.words = _document_words(store, corpus)
    return corpus


def _document_words(store: Store, corpus: Corpus) -> dict[int, str]:
    """All text a document prints (narrative, titles, labels, column headers, facts), for absence checks."""
    parts: dict[int, list[str]] = defaultdict(list)
    for r in store.query("SELECT document_id, heading, text FROM sections"):
        parts[r["document_id"]] += [r["heading"] or "", r["text"] or ""]
    for r in store.query("SELECT document_id, title, note, columns FROM tables"):
        paths = [c.get("path", "") for c in json.loads(r["columns"] or "[]")]
        parts[r["document_id"]] += [r["title"] or "", r["note"] or "", *paths]
    for r in store.query("SELECT document_id, name, subject, quote FROM facts"):
        parts[r["document_id"]] += [r["name"] or "", r["subject"] or "", r["quote"] or ""]
    for r in store.query("SELECT document_id, text FROM unplaced_rows"):
        parts[r["document_id"]].append(r["text"] or "")
    for c in corpus.cells:
        parts[c.doc_id] += [c.row_label, c.subject]
    for d in corpus.docs.values():
        parts[d.id].append(d.unit_name)
    return {doc_id: "\n".join(p for p in texts if p) for doc_id, texts in parts.items()}
