"""Where a store lives and how to talk to it: the one dialect layer between the store and its two engines.

A store is a folder (SQLite file `budget.sqlite` inside, embedded, the default) or a database URL
(`postgresql://user:pass@host:5432/db`, served by PostgreSQL, shared by several machines and users).
SQLAlchemy Core gives both engines one schema definition, one connection pool and the per-dialect
details (types, DDL, RETURNING, upserts); what it leaves to us is small and lives here: opening each
engine read-only, the `?` placeholders of the hand-written SELECTs, and rows that read like
`sqlite3.Row` (by name, by position, `dict(row)`, `tuple(row)`).
"""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import QueuePool

SQLITE_FILE = "budget.sqlite"
URL_SCHEMES = ("postgresql", "postgres", "sqlite")
SQLITE_TIMEOUT = 30.0  # seconds a writer waits for another writer's transaction before giving up


def is_url(location: str | Path) -> bool:
    """A database URL ("postgresql://…", "sqlite:///…") rather than a folder."""
    return isinstance(location, str) and bool(re.match(rf"^({'|'.join(URL_SCHEMES)})(\+\w+)?://", location))


def postgres_url(url: str) -> URL:
    """`postgresql://…` / `postgres://…` → SQLAlchemy's URL with the psycopg 3 driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
    return parsed.set(drivername="postgresql+psycopg")


def redacted(url: str | URL) -> str:
    """A URL fit for messages: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_engine(path: Path, read_only: bool) -> sa.Engine:
    """SQLite with foreign keys on (documents cascade to their rows); read-only opens the file in `mode=ro`."""
    def connect():
        if read_only:
            con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False,
                                  timeout=SQLITE_TIMEOUT)
        else:
            con = sqlite3.connect(str(path), check_same_thread=False, timeout=SQLITE_TIMEOUT)
        con.execute("PRAGMA foreign_keys = ON")
        return con

    return sa.create_engine("sqlite://", creator=connect, poolclass=QueuePool, pool_size=8, max_overflow=24)


def postgres_engine(url: str, read_only: bool) -> sa.Engine:
    """PostgreSQL through psycopg 3; read-only sessions refuse every write (the server enforces it) and run
    each SELECT on its own (autocommit: no BEGIN/ROLLBACK round trips around a read)."""
    engine = sa.create_engine(postgres_url(url), pool_size=5, max_overflow=10, pool_pre_ping=True,
                              **({"isolation_level": "AUTOCOMMIT"} if read_only else {}))
    if read_only:
        @sa.event.listens_for(engine, "connect")
        def _read_only(dbapi_connection, _record):
            with dbapi_connection.cursor() as cur:
                cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_connection.commit()
    return engine


def insert_rows(con: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """Many rows into one table inside the caller's transaction: PostgreSQL's COPY (an order of magnitude
    faster than row-by-row INSERTs over the network), else one executemany."""
    if not rows:
        return
    if con.dialect.name != "postgresql":
        con.execute(sa.insert(table), rows)
        return
    names = list(rows[0])
    columns = ", ".join(f'"{n}"' for n in names)
    with con.connection.driver_connection.cursor() as cur:
        with cur.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])


# ---- hand-written SQL: `?` placeholders on every engine ------------------------------------------

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|%|\?|(?<![:\w]):([A-Za-z_]\w*)", re.S)


@lru_cache(maxsize=512)
def format_placeholders(sql: str) -> str:
    """SQLite's `?` / `:name` placeholders as psycopg's `%s` / `%(name)s` (and a literal % as %%), leaving
    quoted strings, identifiers and comments alone (`'?'` is a question mark, `x::int` a cast)."""
    def sub(m: re.Match) -> str:
        token = m.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if m.group(1):
            return f"%({m.group(1)})s"
        return token.replace("%", "%%")  # a quoted string or comment: its % is still read by psycopg

    return _TOKEN.sub(sub, sql)


class Record(tuple):
    """A result row read like `sqlite3.Row`: `row["name"]`, `row[0]`, `dict(row)`, `tuple(row)`, `row.keys()`."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if key.__class__ is str:
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)

    def get(self, key: str, default=None):
        i = self._index.get(key)
        return default if i is None else tuple.__getitem__(self, i)


@lru_cache(maxsize=1024)
def record_type(names: tuple[str, ...]) -> type[Record]:
    """One row class per column list (cached), so a row costs a tuple."""
    return type("Record", (Record,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})


def records(result: sa.CursorResult) -> list[Record]:
    if not result.returns_rows:
        return []
    make = record_type(tuple(result.keys()))
    return [make(r) for r in result]
