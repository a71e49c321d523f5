"""`budgetqa sql` may only read: every kind of write is refused before SQLite touches any file."""
from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
import sys

import pytest

from index.store import QueryRefused, Store


@pytest.fixture(scope="module")
def store(text_store, tmp_path_factory):
    """A copy of the sample store, so a statement that got through could not spoil the shared one."""
    data = tmp_path_factory.mktemp("sql_store")
    (data / "budget.sqlite").write_bytes(text_store.path.read_bytes())
    return Store(data, read_only=True)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(store, query):
    return subprocess.run([sys.executable, "-m", "assistant.cli", "sql", query, "--data", str(store.data_dir)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("statement", ["ATTACH DATABASE '{target}' AS other", "VACUUM INTO '{target}'"])
def test_statements_that_would_create_a_file_create_none(store, tmp_path, statement):
    target = tmp_path / "elsewhere.sqlite"
    before = digest(store.path)
    proc = run(store, statement.format(target=target))
    assert proc.returncode == 1
    assert proc.stderr.startswith("已拒绝") and len(proc.stderr.strip().splitlines()) == 1
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert digest(store.path) == before


@pytest.mark.parametrize("statement", [
    "VACUUM", "DETACH DATABASE main", "PRAGMA user_version = 7", "PRAGMA journal_mode = DELETE",
    "PRAGMA foreign_keys = OFF", "DELETE FROM cells", "UPDATE cells SET value = 0", "INSERT INTO facts (document_id)"
    " VALUES (1)", "CREATE TEMP TABLE t (x)", "DROP VIEW figures", "ALTER TABLE cells ADD COLUMN y", "ANALYZE",
    "REINDEX", "BEGIN", "SAVEPOINT s", "SELECT load_extension('/tmp/x')", "CREATE VIRTUAL TABLE temp.v USING fts5(x)"])
def test_writes_pragmas_transactions_and_effect_functions_are_refused(store, statement):
    before = digest(store.path)
    with pytest.raises(sqlite3.DatabaseError):
        store.read_only_query(statement)
    assert digest(store.path) == before


def test_refusal_names_the_statement_in_one_chinese_line(store):
    proc = run(store, "VACUUM INTO '/nonexistent-dir/x.sqlite'")
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == "已拒绝：budgetqa sql 只允许读取（SELECT、WITH 或只读 PRAGMA），不允许 VACUUM"
    with pytest.raises(QueryRefused) as refused:
        store.read_only_query("SELECT load_extension('x')")
    assert "load_extension" in refused.value.what
    assert "调用函数 load_extension" in run(store, "SELECT load_extension('x')").stderr


def test_reading_is_allowed(store):
    names, rows = store.read_only_query("SELECT count(*) FROM cells")
    assert rows[0][0] > 1000
    assert store.read_only_query("PRAGMA table_info(cells)")[1]
    assert store.read_only_query("PRAGMA user_version")[1] == [(0,)]
    assert store.read_only_query("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5)"
                                 " SELECT sum(x) FROM n")[1] == [(15,)]
    assert store.read_only_query("SELECT unit_name FROM figures WHERE year = ? LIMIT 1", (2025,))[1]


def test_empty_result_and_errors(store):
    empty = run(store, "SELECT * FROM cells WHERE 0")
    assert empty.returncode == 0 and empty.stdout == "(0 rows)\n"
    for query, expected in [("SELEC 1", "SQL 语法错误"), ("SELECT nope FROM cells", "没有这个列：nope"),
                            ("SELECT * FROM nowhere", "没有这个表或视图：nowhere"),
                            ("SELECT 1; SELECT 2", "一次只能执行一条语句")]:
        proc = run(store, query)
        line = proc.stderr.strip()
        assert proc.returncode == 1 and expected in line and "\n" not in line, (query, proc.stderr)
        assert not re.search(r"Error|Traceback", proc.stderr)
