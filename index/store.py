"""The store: one schema for every disclosure, queryable by users and by the assistant.

Tables are kept in long form — one row per cell with its document, table, row label, subject
code, column path, value, printed text and source line/page — so any question about a figure
is one parameterised SELECT, and `budgetqa sql` users see the same data the assistant uses.
The same schema and queries run on SQLite (a file under the data folder, the default) and on
PostgreSQL (a URL: one store for several machines and users); `index.engine` holds the differences.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from index.engine import (SQLITE_FILE, format_placeholders, insert_rows, is_url, postgres_engine, postgres_url,
                          record_type, records, redacted, sqlite_engine)
from index.model import Document, Heading, Paragraph, Table

# ---- the schema: one definition, rendered by SQLAlchemy for SQLite and for PostgreSQL --------------

metadata = sa.MetaData()
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: INTEGER PRIMARY KEY is the rowid
TEXT, INT, REAL = sa.Text, sa.Integer, sa.Double


def _parent(table: str, on_delete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete=on_delete)


documents_table = sa.Table(
    "documents", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("doc_key", TEXT, unique=True, nullable=False),  # unit|year|预算or决算|部门or单位: one disclosure
    sa.Column("unit_name", TEXT, nullable=False),
    sa.Column("year", INT),
    sa.Column("budget_kind", TEXT),  # 预算 / 决算
    sa.Column("scope", TEXT),  # 部门 / 单位
    sa.Column("title", TEXT),
    sa.Column("source_file", TEXT),
    sa.Column("source_format", TEXT),  # text / pdf
    sa.Column("sha256", TEXT),
    sa.Column("pages", INT),
    sa.Column("ingested_at", TEXT),
    sa.Index("documents_by_body", "unit_name", "year"),
    sa.Index("documents_by_year", "year", "budget_kind"),
)
source_files_table = sa.Table(
    "source_files", metadata,
    sa.Column("path", TEXT, primary_key=True),
    sa.Column("sha256", TEXT),
    sa.Column("document_id", ID, _parent("documents", "SET NULL")),
    sa.Column("status", TEXT),  # indexed / duplicate / error
    sa.Column("message", TEXT),
    sa.Column("ingested_at", TEXT),
    sa.Index("source_files_by_document", "document_id"),
)
tables_table = sa.Table(
    "tables", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("document_id", ID, _parent("documents"), nullable=False),
    sa.Column("seq", INT),  # order in the document
    sa.Column("number", TEXT),  # as printed: 1, 十一, 公开01表
    sa.Column("kind", TEXT),  # 收支总体, 三公经费, … (index/kinds.py)
    sa.Column("title", TEXT),
    sa.Column("measure_unit", TEXT),  # 万元 / 元
    sa.Column("columns", TEXT),  # JSON list of {number, path, side}
    sa.Column("is_empty", INT),
    sa.Column("note", TEXT),  # e.g. the "……为空表。" statement
    sa.Column("line", INT),
    sa.Column("page", INT),
    sa.Index("tables_by_document", "document_id", "seq"),
    sa.Index("tables_by_kind", "kind"),
)
cells_table = sa.Table(
    "cells", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("document_id", ID, _parent("documents"), nullable=False),
    sa.Column("table_id", ID, _parent("tables"), nullable=False),
    sa.Column("row_index", INT),
    sa.Column("row_label", TEXT),
    sa.Column("code", TEXT),  # full subject code, e.g. 2080109
    sa.Column("code_system", TEXT),  # 功能分类 / 经济分类
    sa.Column("subject", TEXT),  # 科目名称 when the row is an item (项目)
    sa.Column("side", TEXT),  # 收入 / 支出 in two-sided tables
    sa.Column("column_number", INT),
    sa.Column("column_path", TEXT),
    sa.Column("value", REAL),  # 0 for an empty cell (not arranged); NULL for text
    sa.Column("raw", TEXT),  # as printed; '' for an empty cell
    sa.Column("line", INT),
    sa.Column("page", INT),
    # x0, top, x1, bottom: the cell's box on `page` (PDF points, top-left origin) — see ADDED_COLUMNS
    # a table's rows; one row and column in every table of a kind (a figure across the corpus: one index entry
    # and one cell read per table). Table first, so a document's cells are appended to it, never scattered.
    sa.Index("cells_by_table_label_column", "table_id", "row_label", "column_path"),
    sa.Index("cells_by_label", "document_id", "row_label"),
    sa.Index("cells_by_code", "document_id", "code"),
)
SUPERSEDED_INDEXES = ["cells_by_table_label"]  # (table_id, row_label): a prefix of cells_by_table_label_column
unplaced_rows_table = sa.Table(
    "unplaced_rows", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("document_id", ID, _parent("documents"), nullable=False),
    sa.Column("table_id", ID, _parent("tables")),
    sa.Column("text", TEXT), sa.Column("reason", TEXT), sa.Column("line", INT), sa.Column("page", INT),
    sa.Index("unplaced_rows_by_document", "document_id"),
    sa.Index("unplaced_rows_by_table", "table_id"),
)
sections_table = sa.Table(
    "sections", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("document_id", ID, _parent("documents"), nullable=False),
    sa.Column("seq", INT),
    sa.Column("path", TEXT),  # 第三部分 … > 五、… > （三）…
    sa.Column("heading", TEXT),
    sa.Column("level", INT),
    sa.Column("text", TEXT),
    sa.Column("line", INT),
    sa.Column("page", INT),
    sa.Index("sections_by_document", "document_id", "seq"),
)
facts_table = sa.Table(
    "facts", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("document_id", ID, _parent("documents"), nullable=False),
    sa.Column("name", TEXT), sa.Column("value", REAL), sa.Column("unit", TEXT), sa.Column("subject", TEXT),
    sa.Column("quote", TEXT), sa.Column("section", TEXT), sa.Column("line", INT), sa.Column("page", INT),
    sa.Index("facts_by_document", "document_id", "name"),
    sa.Index("facts_by_name", "name"),
)
findings_table = sa.Table(
    "findings", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("document_id", ID, _parent("documents"), nullable=False),
    sa.Column("table_id", ID, _parent("tables")),
    sa.Column("rule", TEXT), sa.Column("severity", TEXT), sa.Column("message", TEXT),
    sa.Column("expected", REAL), sa.Column("actual", REAL), sa.Column("difference", REAL), sa.Column("tolerance", REAL),
    sa.Column("sources", TEXT),  # JSON: where each side of the check is printed
    sa.Column("line", INT), sa.Column("page", INT),
    # origin ('tables': index.checks at read; 'audit': index.audit's rules), details (JSON) — see ADDED_COLUMNS
    sa.Index("findings_by_document", "document_id"),
    sa.Index("findings_by_table", "table_id"),
)
chunks_table = sa.Table(  # the narrative as the vector index embeds it (index.chunks), so vectors need no files
    "chunks", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("document_id", ID, _parent("documents"), nullable=False),
    sa.Column("seq", INT),  # the chunk id in the vector index is "<doc_key>#<seq>"
    sa.Column("section", TEXT), sa.Column("text", TEXT), sa.Column("line", INT), sa.Column("page", INT),
    sa.Index("chunks_by_document", "document_id", "seq"),
)
FIGURES_VIEW = """
    SELECT d.unit_name, d.year, d.budget_kind, t.number AS table_number, t.kind AS table_kind,
           t.title AS table_title, c.side, c.row_label, c.code, c.column_path, c.value, c.raw,
           t.measure_unit, c.line, c.page, d.source_file
    FROM cells c JOIN tables t ON t.id = c.table_id JOIN documents d ON d.id = c.document_id"""

# Columns added after a store may have been created: (table, column, SQL type). A new store has them;
# a store written by an older version gains them empty on open; re-ingesting its files fills them.
ADDED_COLUMNS = [("cells", "x0", "REAL"), ("cells", "top", "REAL"), ("cells", "x1", "REAL"),
                 ("cells", "bottom", "REAL"),
                 ("documents", "audit_version", "INTEGER"),  # the audit rules' version its findings were made by
                 ("documents", "family", "TEXT"),  # its template family (index/templates/<family>.toml), or NULL
                 ("findings", "origin", "TEXT"), ("findings", "details", "TEXT"),
                 ("tables", "problem", "TEXT")]  # why a table could not be read (whole); '' when it was
_TYPES = {"REAL": REAL, "INTEGER": INT, "TEXT": TEXT}
for _table, _column, _type in ADDED_COLUMNS:
    if _column not in metadata.tables[_table].c:
        metadata.tables[_table].append_column(sa.Column(_column, _TYPES[_type]))


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
    """The store at `location`: a folder (SQLite file inside, the default) or a database URL
    (`postgresql://…`). Thread-safe: connections come from the engine's pool."""

    def __init__(self, location: str | Path = "data", read_only: bool = False):
        self.read_only = read_only
        self.url: str | None = None
        self.data_dir: Path | None = None
        self.path: Path | None = None
        if is_url(location) and not str(location).startswith("sqlite"):
            self.url = str(location)
            self.engine = postgres_engine(self.url, read_only)
            self.location = redacted(postgres_url(self.url)).replace("+psycopg", "")
        else:
            if is_url(location):  # sqlite:///path/to/file.sqlite
                self.path = Path(sa.engine.make_url(str(location)).database or SQLITE_FILE)
                self.data_dir = self.path.parent
            else:
                self.data_dir = Path(location)
                self.path = self.data_dir / SQLITE_FILE
            if read_only and not self.path.exists():
                raise FileNotFoundError(f"no store at {self.path}: run `budgetqa ingest` first")
            if not read_only:
                self.data_dir.mkdir(parents=True, exist_ok=True)
            self.engine = sqlite_engine(self.path, read_only)
            self.location = str(self.path)
        self.dialect = self.engine.dialect.name  # "sqlite" / "postgresql"
        if read_only:
            if self.url and not sa.inspect(self.engine).has_table("documents"):
                raise FileNotFoundError(f"no store at {self.location}: run `budgetqa ingest --db URL` first")
        else:
            self._create()

    def _create(self) -> None:
        """Create what is missing (tables, columns added since, indexes, the figures view); safe to race."""
        with self.engine.begin() as con:
            if self.dialect == "postgresql":  # several processes opening a new database at once
                con.execute(sa.text("SELECT pg_advisory_xact_lock(4242015)"))
            metadata.create_all(con)
            inspector = sa.inspect(con)
            for table, column, sql_type in ADDED_COLUMNS:
                if column not in {c["name"] for c in inspector.get_columns(table)}:
                    ddl_type = _TYPES[sql_type]().compile(dialect=self.engine.dialect)
                    con.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl_type}"))
            for table in metadata.sorted_tables:
                for index in table.indexes:
                    index.create(con, checkfirst=True)
            for name in SUPERSEDED_INDEXES:
                con.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
            if "figures" not in inspector.get_view_names():
                con.execute(sa.text(f"CREATE VIEW figures AS {FIGURES_VIEW}"))

    def close(self) -> None:
        self.engine.dispose()

    def has_column(self, table: str, column: str) -> bool:
        """Whether the store has this column: a store of an older version opened read-only may lack one."""
        return column in {c["name"] for c in sa.inspect(self.engine).get_columns(table)}

    # ---- writing ------------------------------------------------------------------

    def file_is_current(self, path: str, sha256: str) -> bool:
        rows = self.query("SELECT sha256, status FROM source_files WHERE path = ?", (path,))
        return bool(rows) and rows[0]["sha256"] == sha256 and rows[0]["status"] in ("indexed", "duplicate")

    def document_by_key(self, key: str):
        rows = self.query("SELECT * FROM documents WHERE doc_key = ?", (key,))
        return rows[0] if rows else None

    def record_file(self, path: str, sha256: str, status: str, message: str = "", document_id: int | None = None):
        with self.engine.begin() as con:
            _record_file(con, path, sha256, status, message, document_id)

    def relink_file(self, path: str, document_id: int) -> None:
        with self.engine.begin() as con:
            con.execute(sa.update(source_files_table).where(source_files_table.c.path == path)
                        .values(document_id=document_id))

    def replace_document(self, doc: Document, tables: list[Table], facts: list, findings: list,
                         replaces: int | None = None, audit_findings: list | None = None,
                         source: tuple[str, str] | None = None, parts: list[str] = (), chunks: list = ()) -> int:
        """Store one document; an older version of the same disclosure (or the document `replaces`, a part
        it now includes) is replaced atomically. In the same transaction: the audit's findings (made at
        ingest, so reading them costs nothing), its narrative chunks, the file it was read from (`source`: path, sha256) and the
        other files it is made of (`parts`) — a process killed at any point leaves the old version or the
        new one, whole, and never a document without its file record."""
        key = doc_key(doc)
        with self.engine.begin() as con:
            d = documents_table.c
            con.execute(sa.delete(documents_table).where(sa.or_(d.doc_key == key, d.id == replaces)))
            doc_id = con.execute(sa.insert(documents_table).values(
                doc_key=key, unit_name=doc.unit_name, year=doc.year, budget_kind=doc.budget_kind, scope=doc.scope,
                title=doc.title, source_file=doc.path, source_format=doc.source_format, sha256=doc.sha256,
                pages=doc.pages, ingested_at=_now(), family=doc.family,
                audit_version=AUDIT_VERSION if audit_findings is not None else None)).inserted_primary_key[0]
            table_ids = self._insert_returning_ids(con, tables_table, [
                dict(document_id=doc_id, seq=seq, number=t.number, kind=t.kind, title=t.title,
                     measure_unit=t.measure_unit, columns=json.dumps(
                         [{"number": c.number, "path": c.path, "side": c.side} for c in t.columns], ensure_ascii=False),
                     is_empty=int(t.is_empty), note=t.note, line=t.line, page=t.page,
                     problem=t.problem) for seq, t in enumerate(tables)])
            _insert_many(con, cells_table, [row for t, tid in zip(tables, table_ids) for row in _cell_rows(doc_id, tid, t)])
            _insert_many(con, unplaced_rows_table, [
                dict(document_id=doc_id, table_id=tid, text=u.text, reason=u.reason, line=u.line, page=u.page)
                for t, tid in zip(tables, table_ids) for u in t.unplaced])
            _insert_many(con, sections_table, [
                dict(document_id=doc_id, seq=i, path=s["path"], heading=s["heading"], level=s["level"],
                     text=s["text"], line=s["line"], page=s["page"]) for i, s in enumerate(section_records(doc))])
            _insert_many(con, facts_table, [
                dict(document_id=doc_id, name=f.name, value=f.value, unit=f.unit, subject=f.subject, quote=f.quote,
                     section=f.section, line=f.line, page=f.page) for f in facts])
            _insert_many(con, findings_table, [
                dict(document_id=doc_id, table_id=table_ids[f.table_index] if f.table_index is not None else None,
                     rule=f.rule, severity=f.severity, message=f.message, expected=f.expected, actual=f.actual,
                     difference=f.difference, tolerance=f.tolerance, sources=json.dumps(f.sources, ensure_ascii=False),
                     line=f.line, page=f.page, origin="tables", details=None) for f in findings]
                + [dict(document_id=doc_id, table_id=None, rule=f.rule, severity=f.severity, message=f.message,
                        expected=None, actual=None, difference=None, tolerance=None,
                        sources=json.dumps(f.sources, ensure_ascii=False), line=None, page=None, origin="audit",
                        details=json.dumps(f.values, ensure_ascii=False)) for f in audit_findings or []])
            _insert_many(con, chunks_table, [
                dict(document_id=doc_id, seq=i, section=c.section, text=c.text, line=c.line, page=c.page)
                for i, c in enumerate(chunks)])
            if source is not None:
                _record_file(con, source[0], source[1], "indexed", "", doc_id)
            if parts:
                con.execute(sa.update(source_files_table).where(source_files_table.c.path.in_(list(parts)))
                            .values(document_id=doc_id))
        return doc_id

    def _insert_returning_ids(self, con, table: sa.Table, rows: list[dict]) -> list[int]:
        if not rows:
            return []
        statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(con.execute(statement, rows).scalars())

    # ---- reading ------------------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        rows = self.query(
            "SELECT id, doc_key, unit_name, year, budget_kind, scope, title, source_file, source_format, sha256,"
            " pages FROM documents ORDER BY unit_name, year")
        return [StoredDocument(**dict(r)) for r in rows]

    def generation(self) -> tuple[int, int]:
        """Changes whenever a document is added, replaced or removed (by any process sharing the store)."""
        row = self.query("SELECT COUNT(*) AS n, MAX(id) AS last FROM documents")[0]
        return row["n"], row["last"] or 0

    def query(self, sql: str, params: tuple | list | dict = (), plain: bool = False) -> list:
        """A hand-written SELECT with `?` placeholders, on either engine; rows read like `sqlite3.Row`
        (`plain`: as the driver's tuples, read by position — for the many rows of the read API)."""
        params = dict(params) if isinstance(params, dict) else tuple(params)
        if self.dialect == "postgresql":
            sql = format_placeholders(sql)
        with self.engine.connect() as con:  # the driver's own cursor: rows as plain tuples, no per-row wrapping
            cur = con.connection.dbapi_connection.cursor()
            try:
                cur.execute(sql, params)
                if not cur.description:
                    return []
                if plain:
                    return cur.fetchall()
                make = record_type(tuple(d[0] for d in cur.description))
                return list(map(make, cur.fetchall()))
            finally:
                cur.close()

    @property
    def query_errors(self) -> tuple[type[Exception], ...]:
        """What a refused or failing user query raises on this engine."""
        if self.dialect == "postgresql":
            import psycopg

            return (psycopg.Error, sqlite3.Error)
        return (sqlite3.Error,)

    def read_only_query(self, sql: str, params: tuple | dict = ()) -> tuple[list[str], list[tuple]]:
        """Run a user's query on a read-only connection guarded by an authorizer that allows only reading.

        `mode=ro` alone still lets ATTACH create a file and VACUUM INTO leave an empty one; the
        authorizer refuses such statements while they are prepared, before SQLite touches any file.
        """
        if self.dialect == "postgresql":
            return self._read_only_query_postgres(sql, params)
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

    def _read_only_query_postgres(self, sql: str, params: tuple | dict = ()) -> tuple[list[str], list[tuple]]:
        """A user's statement on PostgreSQL: its own connection, a READ ONLY transaction the server enforces,
        one statement only (a prepared statement cannot hold two, so "COMMIT; DELETE …" is refused), a time
        limit, rolled back and closed after. For a shared server, also give `budgetqa sql` a role that may
        only SELECT."""
        import psycopg

        url = postgres_url(self.url).set(drivername="postgresql")
        options = " ".join(o for o in (url.query.get("options"), "-c default_transaction_read_only=on",
                                       "-c statement_timeout=60000") if o)
        conninfo = url.difference_update_query(["options"]).render_as_string(hide_password=False)
        with psycopg.connect(conninfo, options=options, autocommit=False) as con:
            con.read_only = True
            query = format_placeholders(sql) if params else sql
            cur = con.execute(query, (dict(params) if isinstance(params, dict) else tuple(params)) or None,
                              prepare=True)
            names = [d.name for d in cur.description or []]
            rows = [tuple(r) for r in cur.fetchall()] if cur.description else []
            con.rollback()
            return names, rows


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


AUDIT_VERSION = 2  # raise when index.audit's rules change: stored findings of an older version are recomputed


def _record_file(con, path: str, sha256: str, status: str, message: str, document_id: int | None) -> None:
    con.execute(sa.delete(source_files_table).where(source_files_table.c.path == path))
    con.execute(sa.insert(source_files_table).values(path=path, sha256=sha256, document_id=document_id, status=status,
                                                     message=message, ingested_at=_now()))


def _cell_rows(doc_id: int, table_id: int, table: Table) -> list[dict]:
    """One row per printed cell, with its row's label, code and side and its column."""
    return [dict(document_id=doc_id, table_id=table_id, row_index=i, row_label=row.label, code=row.code,
                 code_system=row.code_system, subject=row.subject, side=row.side, column_number=cell.column.number,
                 column_path=cell.column.path, value=cell.value, raw=cell.raw, line=row.line, page=row.page,
                 **dict(zip(("x0", "top", "x1", "bottom"), cell.bbox or (None, None, None, None))))
            for i, row in enumerate(table.rows) for cell in row.cells]


def _insert_many(con, table: sa.Table, rows: list[dict]) -> None:
    insert_rows(con, table, rows)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
