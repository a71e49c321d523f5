"""The SQLite store: one schema for every disclosure, queryable by users and by the assistant.

Tables are kept in long form — one row per cell with its document, table, row label, subject
code, column path, value, printed text and source line/page — so any question about a figure
is one parameterised SELECT, and `budgetqa sql` users see the same data the assistant uses.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from index.model import Document, Heading, Paragraph, Table

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    doc_key TEXT UNIQUE NOT NULL,      -- unit|year|预算or决算|部门or单位: one disclosure, whatever file it came from
    unit_name TEXT NOT NULL,
    year INTEGER,
    budget_kind TEXT,                  -- 预算 / 决算
    scope TEXT,                        -- 部门 / 单位
    title TEXT,
    source_file TEXT,
    source_format TEXT,                -- text / pdf
    sha256 TEXT,
    pages INTEGER,
    ingested_at TEXT
);
CREATE TABLE IF NOT EXISTS source_files (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    status TEXT,                       -- indexed / duplicate / error
    message TEXT,
    ingested_at TEXT
);
CREATE TABLE IF NOT EXISTS tables (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER,                       -- order in the document
    number TEXT,                       -- as printed: 1, 十一, 公开01表
    kind TEXT,                         -- 收支总体, 三公经费, … (index/kinds.py)
    title TEXT,
    measure_unit TEXT,                 -- 万元 / 元
    columns TEXT,                      -- JSON list of {number, path, side}
    is_empty INTEGER,
    note TEXT,                         -- e.g. the "……为空表。" statement
    line INTEGER,
    page INTEGER,
    problem TEXT                       -- why the table could not be read (whole); '' when it was
);
CREATE TABLE IF NOT EXISTS cells (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    row_index INTEGER,
    row_label TEXT,
    code TEXT,                         -- full subject code, e.g. 2080109
    code_system TEXT,                  -- 功能分类 / 经济分类
    subject TEXT,                      -- 科目名称 when the row is an item (项目)
    side TEXT,                         -- 收入 / 支出 in two-sided tables
    column_number INTEGER,
    column_path TEXT,
    value REAL,                        -- 0 for an empty cell (not arranged); NULL for text
    raw TEXT,                          -- as printed; '' for an empty cell
    line INTEGER,
    page INTEGER,
    x0 REAL, top REAL, x1 REAL, bottom REAL  -- the cell's box on `page` (PDF points, top-left origin)
);
CREATE INDEX IF NOT EXISTS cells_by_table ON cells(table_id);
CREATE INDEX IF NOT EXISTS cells_by_label ON cells(document_id, row_label);
CREATE INDEX IF NOT EXISTS cells_by_code ON cells(document_id, code);
CREATE TABLE IF NOT EXISTS unplaced_rows (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    table_id INTEGER REFERENCES tables(id) ON DELETE CASCADE,
    text TEXT, reason TEXT, line INTEGER, page INTEGER
);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER,
    path TEXT,                         -- 第三部分 … > 五、… > （三）…
    heading TEXT,
    level INTEGER,
    text TEXT,
    line INTEGER,
    page INTEGER
);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT, value REAL, unit TEXT, subject TEXT,
    quote TEXT, section TEXT, line INTEGER, page INTEGER
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    table_id INTEGER REFERENCES tables(id) ON DELETE CASCADE,
    rule TEXT, severity TEXT, message TEXT,
    expected REAL, actual REAL, difference REAL, tolerance REAL,
    sources TEXT,                      -- JSON: where each side of the check is printed
    line INTEGER, page INTEGER
);
CREATE VIEW IF NOT EXISTS figures AS
    SELECT d.unit_name, d.year, d.budget_kind, t.number AS table_number, t.kind AS table_kind,
           t.title AS table_title, c.side, c.row_label, c.code, c.column_path, c.value, c.raw,
           t.measure_unit, c.line, c.page, d.source_file
    FROM cells c JOIN tables t ON t.id = c.table_id JOIN documents d ON d.id = c.document_id;
"""


@dataclass
class StoredDocument:
    id: int
    doc_key: str
    unit_name: str
    year: int | None
    budget_kind: str
    scope: str | None
    title: str
    source_file: str
    source_format: str
    sha256: str
    pages: int | None


def doc_key(doc: Document) -> str:
    """One disclosure: body, year, 预算/决算 and 部门/单位 — a 部门预算 and a 单位预算 of one body are two documents."""
    return f"{doc.unit_name}|{doc.year}|{doc.budget_kind}|{doc.scope or ''}"


def section_records(doc: Document) -> list[dict]:
    """Narrative sections: each heading with the paragraphs under it, and its heading path."""
    records: list[dict] = []
    current = None
    for path, block in doc.with_headings():
        if isinstance(block, Heading):
            current = {"path": path, "heading": block.text, "level": block.level, "text": "", "line": block.line,
                       "page": block.page}
            records.append(current)
        elif isinstance(block, Paragraph):
            if current is None:
                current = {"path": "", "heading": "", "level": 0, "text": "", "line": block.line, "page": block.page}
                records.append(current)
            current["text"] += ("\n" if current["text"] else "") + block.text
    return records


class Store:
    """A SQLite file under the data directory; one connection per thread."""

    def __init__(self, data_dir: str | Path, read_only: bool = False):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "budget.sqlite"
        self.read_only = read_only
        self._local = threading.local()
        if not read_only:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with self.connect() as con:
                con.executescript(SCHEMA)
                _add_missing_columns(con)

    def connect(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            if self.read_only:
                if not self.path.exists():
                    raise FileNotFoundError(f"no store at {self.path}: run `budgetqa ingest` first")
                con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            else:
                con = sqlite3.connect(self.path, check_same_thread=False)
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA foreign_keys = ON")
            self._local.con = con
        return con

    # ---- writing ------------------------------------------------------------------

    def file_is_current(self, path: str, sha256: str) -> bool:
        row = self.connect().execute("SELECT sha256, status FROM source_files WHERE path = ?", (path,)).fetchone()
        return bool(row) and row["sha256"] == sha256 and row["status"] in ("indexed", "duplicate")

    def document_by_key(self, key: str) -> sqlite3.Row | None:
        return self.connect().execute("SELECT * FROM documents WHERE doc_key = ?", (key,)).fetchone()

    def record_file(self, path: str, sha256: str, status: str, message: str = "", document_id: int | None = None):
        con = self.connect()
        with con:
            con.execute("INSERT OR REPLACE INTO source_files VALUES (?,?,?,?,?,?)",
                        (path, sha256, document_id, status, message, _now()))

    def relink_file(self, path: str, document_id: int) -> None:
        con = self.connect()
        with con:
            con.execute("UPDATE source_files SET document_id = ? WHERE path = ?", (document_id, path))

    def replace_document(self, doc: Document, tables: list[Table], facts: list, findings: list,
                         replaces: int | None = None) -> int:
        """Store one document; an older version of the same disclosure (or the document `replaces`, a part
        it now includes) is replaced atomically."""
        con = self.connect()
        key = doc_key(doc)
        with con:  # one transaction: either the new version is complete or the old one stays
            con.execute("DELETE FROM documents WHERE doc_key = ? OR id = ?", (key, replaces))
            cur = con.execute(
                "INSERT INTO documents (doc_key, unit_name, year, budget_kind, scope, title, source_file,"
                " source_format, sha256, pages, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (key, doc.unit_name, doc.year, doc.budget_kind, doc.scope, doc.title, doc.path, doc.source_format,
                 doc.sha256, doc.pages, _now()))
            doc_id = cur.lastrowid
            table_ids = []
            for seq, table in enumerate(tables):
                cols = [{"number": c.number, "path": c.path, "side": c.side} for c in table.columns]
                tcur = con.execute(
                    "INSERT INTO tables (document_id, seq, number, kind, title, measure_unit, columns, is_empty,"
                    " note, line, page, problem) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc_id, seq, table.number, table.kind, table.title, table.measure_unit,
                     json.dumps(cols, ensure_ascii=False), int(table.is_empty), table.note, table.line, table.page,
                     table.problem))
                table_id = tcur.lastrowid
                table_ids.append(table_id)
                con.executemany(
                    "INSERT INTO cells (document_id, table_id, row_index, row_label, code, code_system, subject, side,"
                    " column_number, column_path, value, raw, line, page, x0, top, x1, bottom)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(doc_id, table_id, i, row.label, row.code, row.code_system, row.subject, row.side,
                      cell.column.number, cell.column.path, cell.value, cell.raw, row.line, row.page,
                      *(cell.bbox or (None, None, None, None)))
                     for i, row in enumerate(table.rows) for cell in row.cells])
                con.executemany(
                    "INSERT INTO unplaced_rows (document_id, table_id, text, reason, line, page) VALUES (?,?,?,?,?,?)",
                    [(doc_id, table_id, u.text, u.reason, u.line, u.page) for u in table.unplaced])
            con.executemany(
                "INSERT INTO sections (document_id, seq, path, heading, level, text, line, page)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [(doc_id, i, s["path"], s["heading"], s["level"], s["text"], s["line"], s["page"])
                 for i, s in enumerate(section_records(doc))])
            con.executemany(
                "INSERT INTO facts (document_id, name, value, unit, subject, quote, section, line, page)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                [(doc_id, f.name, f.value, f.unit, f.subject, f.quote, f.section, f.line, f.page) for f in facts])
            con.executemany(
                "INSERT INTO findings (document_id, table_id, rule, severity, message, expected, actual, difference,"
                " tolerance, sources, line, page) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc_id, table_ids[f.table_index] if f.table_index is not None else None, f.rule, f.severity,
                  f.message, f.expected, f.actual, f.difference, f.tolerance,
                  json.dumps(f.sources, ensure_ascii=False), f.line, f.page) for f in findings])
        return doc_id

    # ---- reading ------------------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        rows = self.connect().execute(
            "SELECT id, doc_key, unit_name, year, budget_kind, scope, title, source_file, source_format, sha256,"
            " pages FROM documents ORDER BY unit_name, year").fetchall()
        return [StoredDocument(**dict(r)) for r in rows]

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.connect().execute(sql, params).fetchall()

    def read_only_query(self, sql: str, params: tuple | dict = ()) -> tuple[list[str], list[tuple]]:
        """Run a user's query on a read-only connection guarded by an authorizer that allows only reading.

        `mode=ro` alone still lets ATTACH create a file and VACUUM INTO leave an empty one; the
        authorizer refuses such statements while they are prepared, before SQLite touches any file.
        """
        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)
        try:
            con.execute("PRAGMA query_only = ON")
            guard = ReadOnlyGuard()
            con.set_authorizer(guard)
            try:
                cur = con.execute(sql, params)
            except sqlite3.DatabaseError as e:
                if guard.refused:
                    raise QueryRefused(guard.refused, sql) from e
                raise
            names = [d[0] for d in cur.description or []]
            return names, cur.fetchall()
        finally:
            con.close()


class QueryRefused(sqlite3.DatabaseError):
    """A statement the read-only query refused: `what` names the first action it would have taken."""

    def __init__(self, what: str, sql: str):
        super().__init__(f"not authorized: {what}")
        self.what = what
        self.statement = (sql.split() or [""])[0].upper()


# sqlite3's authorizer action codes by name (their numbers overlap with result codes, so no reverse lookup)
_ACTIONS = {getattr(sqlite3, f"SQLITE_{n}"): n for n in (
    "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE", "CREATE_TEMP_TRIGGER",
    "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW", "DELETE", "DROP_INDEX", "DROP_TABLE", "DROP_TEMP_INDEX",
    "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER", "DROP_TEMP_VIEW", "DROP_TRIGGER", "DROP_VIEW", "INSERT", "PRAGMA",
    "READ", "SELECT", "TRANSACTION", "UPDATE", "ATTACH", "DETACH", "ALTER_TABLE", "REINDEX", "ANALYZE",
    "CREATE_VTABLE", "DROP_VTABLE", "FUNCTION", "SAVEPOINT", "RECURSIVE") if hasattr(sqlite3, f"SQLITE_{n}")}
# PRAGMAs that only report: with an argument they name what to describe, never a value to set
_DESCRIBING_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
                       "foreign_key_check", "integrity_check", "quick_check"}
_REPORTING_PRAGMAS = _DESCRIBING_PRAGMAS | {
    "database_list", "collation_list", "function_list", "module_list", "pragma_list", "table_list",
    "compile_options", "encoding", "page_count", "page_size", "freelist_count", "user_version", "schema_version",
    "application_id", "foreign_keys", "journal_mode", "data_version"}
# functions with effects outside the query (loading code, files, the shell's editor)
_EFFECT_FUNCTIONS = {"load_extension", "writefile", "readfile", "edit", "fts3_tokenizer", "zipfile", "sqlar_compress"}


class ReadOnlyGuard:
    """An sqlite3 authorizer: SELECT, reading tables, plain functions, reporting PRAGMAs; nothing else."""

    def __init__(self):
        self.refused: str | None = None

    def __call__(self, action: int, arg1, arg2, _db, _source) -> int:
        name = _ACTIONS.get(action, str(action))
        if name in ("SELECT", "READ", "RECURSIVE"):
            return sqlite3.SQLITE_OK
        if name == "FUNCTION" and (arg2 or "").lower() not in _EFFECT_FUNCTIONS:
            return sqlite3.SQLITE_OK
        if name == "PRAGMA" and (arg1 or "").lower() in _REPORTING_PRAGMAS and (
                arg2 is None or (arg1 or "").lower() in _DESCRIBING_PRAGMAS):
            return sqlite3.SQLITE_OK
        if self.refused is None:
            self.refused = " ".join(str(x) for x in (name, arg1 if name != "FUNCTION" else arg2) if x)
        return sqlite3.SQLITE_DENY


# Columns added after a store may have been created: (table, column, SQL type). A store written by an
# older version gains them empty; re-ingesting its files fills them.
ADDED_COLUMNS = [("cells", "x0", "REAL"), ("cells", "top", "REAL"), ("cells", "x1", "REAL"),
                 ("cells", "bottom", "REAL"), ("tables", "problem", "TEXT")]


def _add_missing_columns(con: sqlite3.Connection) -> None:
    for table, column, sql_type in ADDED_COLUMNS:
        have = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
