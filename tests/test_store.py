"""The store behind one interface on two engines: the same rows, the same reads, the same audit, read-only
where it must be, older stores migrated, and the corpus-wide reads an all-body question needs."""
from __future__ import annotations

import json
from dataclasses import fields

import pytest

from index.audit import Auditor, _Doc, _passages, _tables, audit, to_json
from index.engine import format_placeholders
from index.read import StoreReader
from tests.conftest import pg_store_url


def _without_ids(record) -> tuple:
    return tuple(getattr(record, f.name) for f in fields(record) if f.name not in ("id", "doc_id", "table_id"))


def test_both_engines_hold_the_same_documents_tables_cells_facts_and_sections(text_store, pg_text_store):
    lite, pg = StoreReader(text_store), StoreReader(pg_text_store)
    docs = {d.label: d for d in lite.documents()}
    pg_docs = {d.label: d for d in pg.documents()}
    assert docs.keys() == pg_docs.keys() and len(docs) == 5
    for label, d in docs.items():
        p = pg_docs[label]
        assert _without_ids(d) == _without_ids(p)
        for read in (lite.tables, lite.cells, lite.facts, lite.sections):
            mine = [_without_ids(r) for r in read([d.id])]
            theirs = [_without_ids(r) for r in getattr(pg, read.__name__)([p.id])]
            assert mine == theirs and mine, (label, read.__name__)


def test_the_audit_reads_the_same_stored_findings_on_both_engines(text_store, pg_text_store):
    assert to_json(audit(text_store)) == to_json(audit(pg_text_store))


def test_stored_findings_are_what_the_audit_finds_in_the_stored_rows(samples_store):
    """Findings made at ingest, from the document as read, equal the rules run on the rows as stored."""
    reader = StoreReader(samples_store)
    for d in reader.documents():
        stored = [f for f in audit(samples_store, [d.id]) if not f.rule.startswith("table:")]
        live = Auditor(_Doc(d.id, d.unit_name, d.year), _tables(reader, d.id), _passages(reader, d.id)).audit()
        assert json.dumps([vars(f) for f in stored], ensure_ascii=False) == \
            json.dumps([vars(f) for f in live], ensure_ascii=False)
    assert samples_store.query("SELECT COUNT(*) AS n FROM findings WHERE origin = 'audit'")[0]["n"] > 0
    errors = audit(samples_store, severities=("error",))  # what the 审核 tab shows by default, read by SQL
    assert errors and to_json(errors) == to_json([f for f in audit(samples_store) if f.severity == "error"])
    assert to_json(audit(samples_store, limit=7)) == to_json(audit(samples_store)[:7])


def test_cells_across_gives_the_same_cell_of_every_document_in_one_select(samples_store):
    reader = StoreReader(samples_store)
    across = reader.cells_across("三公经费", row_label="合计", column_path="合计")
    assert across and all(t.kind == "三公经费" and c.label == "合计" and c.column_path == "合计" for t, c in across)
    by_document = {}
    for d in reader.documents():
        kinds = {t.id: t.kind for t in reader.tables([d.id])}
        by_document.update({(c.doc_id, c.id): c.value for c in reader.cells([d.id]) if kinds[c.table_id] == "三公经费"
                            and c.label == "合计" and c.column_path == "合计"})
    assert {(c.doc_id, c.id): c.value for _, c in across} == by_document
    first = across[0][1].doc_id
    assert [c.doc_id for _, c in reader.cells_across("三公经费", "合计", None, "合计", doc_ids=[first])] == [first]
    coded = reader.cells_across("一般公共预算支出", code="2080109")
    assert coded and {c.code for _, c in coded} == {"2080109"}
    staff = reader.facts_across("实有人数")
    assert staff and {f.name for f in staff} == {"实有人数"} and len({f.doc_id for f in staff}) >= 3


def test_placeholders_become_psycopg_ones_outside_quotes_and_comments():
    sql = "SELECT '?', \"a?\" FROM t WHERE x = ? AND y LIKE '%z' AND n::int = :n -- what?\n AND w = ?"
    assert format_placeholders(sql) == ("SELECT '?', \"a?\" FROM t WHERE x = %s AND y LIKE '%%z' AND n::int = %(n)s"
                                        " -- what?\n AND w = %s")


def test_hand_written_queries_read_like_sqlite_rows_on_both_engines(samples_store):
    rows = samples_store.query("SELECT unit_name, year FROM documents WHERE year = ? AND unit_name LIKE ?"
                               " ORDER BY unit_name", (2025, "%社会保险中心"))
    assert [tuple(r) for r in rows] == [(r["unit_name"], r[1]) for r in rows] and len(rows) == 3
    assert dict(rows[0]).keys() == {"unit_name", "year"}
    n, last = samples_store.generation()
    assert n == 5 and last >= 5


def test_a_read_only_store_refuses_writes_on_both_engines(samples_store):
    from index.store import Store

    location = samples_store.url or samples_store.data_dir
    reader = Store(location, read_only=True)
    with pytest.raises(Exception, match="(?i)read-only|readonly"):
        reader.query("DELETE FROM facts")
    assert samples_store.query("SELECT COUNT(*) AS n FROM facts")[0]["n"] > 100
    reader.close()


def test_a_missing_store_is_one_clear_error(engine_name, tmp_path):
    from index.store import Store

    location = tmp_path / "nothing" if engine_name == "sqlite" else pg_store_url()
    with pytest.raises(FileNotFoundError, match="budgetqa ingest"):
        Store(location, read_only=True)


def test_an_older_postgresql_store_gains_new_columns_and_indexes():
    """A PostgreSQL store made before cell boxes and stored audits opens, keeps its rows and gains the rest."""
    import sqlalchemy as sa

    from index.store import Store

    url = pg_store_url()
    store = Store(url)
    with store.engine.begin() as con:
        con.execute(sa.text("DROP VIEW figures"))
        con.execute(sa.text("ALTER TABLE cells DROP COLUMN x0, DROP COLUMN bottom"))
        con.execute(sa.text("ALTER TABLE findings DROP COLUMN origin"))
        con.execute(sa.text("DROP INDEX cells_by_table_label_column"))  # as it was: (table_id, row_label)
        con.execute(sa.text("CREATE INDEX cells_by_table_label ON cells (table_id, row_label)"))
        con.execute(sa.text("INSERT INTO documents (doc_key, unit_name) VALUES ('k', '某单位')"))
        con.execute(sa.text("INSERT INTO tables (document_id) VALUES (1)"))
        con.execute(sa.text("INSERT INTO cells (document_id, table_id, row_label, value) VALUES (1, 1, '行政运行', 1.5)"))
    store.close()
    store = Store(url)
    assert [tuple(r) for r in store.query("SELECT row_label, value, x0, bottom FROM cells")] == [("行政运行", 1.5, None, None)]
    assert sa.inspect(store.engine).has_index("cells", "cells_by_table_label_column")
    assert not sa.inspect(store.engine).has_index("cells", "cells_by_table_label")  # superseded: dropped
    assert store.query("SELECT COUNT(*) AS n FROM figures")[0]["n"] == 1
    assert store.query("SELECT origin FROM findings") == []
    store.close()


def test_postgresql_user_sql_is_one_read_only_statement(pg_text_store):
    store = pg_text_store
    names, rows = store.read_only_query("SELECT COUNT(*) AS n FROM documents WHERE unit_name LIKE '%中心'")
    assert names == ["n"] and rows == [(4,)]
    for statement in ("DELETE FROM cells", "COMMIT; DELETE FROM cells", "SELECT 1; DROP TABLE cells",
                      "CREATE TABLE x (a int)", "SELECT nextval('cells_id_seq')"):
        with pytest.raises(store.query_errors):
            store.read_only_query(statement)
    assert store.query("SELECT COUNT(*) AS n FROM cells")[0]["n"] > 2000


def test_the_read_commands_print_the_same_on_both_engines(text_store, pg_text_store):
    """`budgetqa docs/table/sql/audit` over the same five documents, from SQLite and from PostgreSQL."""
    from click.testing import CliRunner

    from assistant.cli import main

    def run(store, *args) -> str:
        where = ["--db", store.url] if store.url else ["--data", str(store.data_dir)]
        result = CliRunner().invoke(main, [*args, *where])
        assert result.exit_code == 0, result.output
        return result.output

    for args in (["docs", "--json"], ["table", "巴音郭楞 2025", "10"], ["table", "昌吉", "三公经费", "--json"],
                 ["sql", "SELECT unit_name, year, value FROM figures WHERE table_kind = '三公经费' AND row_label = '合计'"
                         " AND column_path = '合计' ORDER BY unit_name"], ["audit", "--json"], ["audit", "--all", "和静"]):
        lite, pg = run(text_store, *args), run(pg_text_store, *args)
        if args[0] == "docs":  # ids and paths are the same; only the store differs
            lite, pg = json.loads(lite), json.loads(pg)
        assert lite == pg, args
    assert "6.40" in run(pg_text_store, "table", "巴音郭楞 2025", "10")
    refused = CliRunner().invoke(main, ["sql", "DELETE FROM cells", "--db", pg_text_store.url])
    assert refused.exit_code != 0 and "read-only transaction" in refused.output
