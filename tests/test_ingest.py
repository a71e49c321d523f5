"""Ingestion into the store, on both engines (SQLite, PostgreSQL): provenance, incremental updates, bad files,
read-only SQL."""
from __future__ import annotations

import shutil

import pytest

from index.ingest import ingest
from index.store import Store
from tests.conftest import CORPUS, SAMPLES, corpus_file


def test_cells_carry_document_table_row_column_and_source_line(samples_store):
    rows = samples_store.query(
        "SELECT * FROM figures WHERE unit_name = '巴音郭楞蒙古自治州社会保险中心' AND table_kind = '三公经费'"
        " AND row_label = '公务用车运行费' AND column_path = '合计'")
    assert len(rows) == 1
    r = rows[0]
    assert (r["year"], r["table_number"], r["value"], r["raw"], r["measure_unit"]) == (2025, "10", 6.0, "6.00", "万元")
    line = corpus_file(SAMPLES["巴州2025"]).read_text(encoding="utf-8").splitlines()[r["line"] - 1]
    assert line.startswith("公务用车运行费\t6.00")


def test_every_sample_document_is_stored_with_its_metadata(samples_store):
    docs = {(d.unit_name, d.year, d.scope, d.budget_kind) for d in samples_store.documents()}
    assert docs == {
        ("巴音郭楞蒙古自治州社会保险中心", 2025, "单位", "预算"),
        ("乌鲁木齐市社会保险中心", 2025, "单位", "预算"),
        ("昌吉市社会保险中心", 2024, "部门", "预算"),
        ("和静县社会保险中心", 2025, "单位", "预算"),
        ("巴州社会保险管理局", 2020, "部门", "预算"),
    }


def test_narrative_sections_keep_their_heading_path(samples_store):
    rows = samples_store.query(
        "SELECT s.path, s.text FROM sections s JOIN documents d ON d.id = s.document_id"
        " WHERE d.year = 2025 AND d.unit_name LIKE '巴音郭楞%' AND s.heading LIKE '%国有资产占用使用情况%'")
    assert len(rows) == 1
    assert rows[0]["path"].startswith("第三部分") and "十二、其他重要事项的情况说明" in rows[0]["path"]
    assert "房屋 3,118.00 平方米" in rows[0]["text"]


def test_arithmetic_findings_are_reported_not_fatal(samples_store):
    rows = samples_store.query(
        "SELECT f.rule, f.severity, f.expected, f.actual FROM findings f JOIN documents d ON d.id = f.document_id"
        " WHERE d.year = 2020 AND f.severity = 'error'")
    # the 2020 三公 table prints 公务用车购置及运行费 小计 3.34 while its parts are 0 + 3 (narrative: 3 万元)
    assert ("column_sum", "error", 3.0, 3.34) in [tuple(r) for r in rows]
    severities = {r["severity"] for r in samples_store.query("SELECT severity FROM findings")}
    assert severities <= {"rounding", "error", "warning"}  # warning: a standard table of the family missing


def test_reingesting_unchanged_files_is_a_no_op_and_a_changed_file_replaces_its_rows(make_store, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    path = src / "bazhou.txt"
    shutil.copy(corpus_file(SAMPLES["巴州2025"]), path)
    store = make_store()
    first = ingest([src], store, progress=False)
    assert [r.status for r in first.results] == ["indexed"]
    again = ingest([src], store, progress=False)
    assert [r.status for r in again.results] == ["unchanged"]

    text = path.read_text(encoding="utf-8").replace("公务用车运行费\t6.00\t6.00", "公务用车运行费\t7.00\t7.00")
    path.write_text(text, encoding="utf-8")
    changed = ingest([src], store, progress=False)
    assert [r.status for r in changed.results] == ["indexed"]
    values = store.query("SELECT value FROM figures WHERE row_label = '公务用车运行费' AND column_path = '合计'")
    assert [r["value"] for r in values] == [7.0]
    assert len(store.documents()) == 1


@pytest.mark.parametrize("name,content,problem", [
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"\n\n   \n", "empty file"),
    ("binary.txt", bytes(range(256)) * 8, "binary file"),
    ("latin1.txt", "caf\xe9 ".encode("utf-16"), "binary file"),
    ("notes.md", "# 会议纪要\n\n今天讨论了午饭。\n".encode(), "not a budget disclosure"),
    ("sheet.xlsx", b"PK\x03\x04 not really", "unsupported file type '.xlsx'"),
])
def test_bad_files_get_a_clear_error_and_the_good_files_are_still_stored(make_store, tmp_path, name, content, problem):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(content)
    shutil.copy(corpus_file(SAMPLES["昌吉2024"]), folder / "changji.txt")
    store = make_store()
    report = ingest([folder], store, progress=False)
    errors = {r.path.split("/")[-1]: r.message for r in report.failed}
    assert list(errors) == [name] and problem in errors[name]
    assert [d.unit_name for d in store.documents()] == ["昌吉市社会保险中心"]


def test_a_failing_new_version_does_not_lose_what_was_indexed(make_store, tmp_path):
    path = tmp_path / "doc.txt"
    shutil.copy(corpus_file(SAMPLES["巴州2025"]), path)
    store = make_store()
    ingest([path], store, progress=False)
    path.write_bytes(b"")
    report = ingest([path], store, progress=False)
    assert report.failed and "empty file" in report.failed[0].message
    assert store.query("SELECT COUNT(*) AS n FROM cells")[0]["n"] > 600


def test_truncated_table_and_row_with_missing_cell_still_ingest(make_store, tmp_path):
    lines = corpus_file(SAMPLES["巴州2025"]).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("301\t01\t基本工资"))
    # a row that lost its last cell, and the table cut off after a few rows
    lines[start] = "301\t01\t基本工资\t134.99"
    truncated = lines[: start + 3] + lines[next(i for i, line in enumerate(lines) if line.strip() == "表 7"):]
    path = tmp_path / "truncated.txt"
    path.write_text("\n".join(truncated), encoding="utf-8")
    store = make_store()
    report = ingest([path], store, progress=False)
    assert not report.failed
    rows = store.query("SELECT column_path, value, raw FROM figures WHERE table_number = '6' AND row_label = '基本工资'")
    assert {(r["column_path"].split("/")[-1], r["value"], r["raw"]) for r in rows} == {
        ("合计", 134.99, "134.99"), ("人员经费", 0.0, ""), ("公用经费", 0.0, "")}
    kinds = {r["kind"] for r in store.query("SELECT kind FROM tables")}
    assert {"一般公共预算基本支出", "项目支出", "三公经费"} <= kinds


def test_whole_corpus_folder_says_which_files_it_skipped_and_why(tmp_path):
    store = Store(tmp_path / "data")
    report = ingest([CORPUS], store, progress=False)
    by_name = {r.path.split("/")[-1]: r for r in report.results}
    assert by_name["README.md"].status == "error" and "not a budget disclosure" in by_name["README.md"].message
    assert {d.year for d in store.documents()} >= {2020, 2024, 2025}


def test_read_only_sql_refuses_writes(samples_store):
    names, rows = samples_store.read_only_query("SELECT COUNT(*) FROM documents")
    assert rows[0][0] == 5
    for statement in ("DELETE FROM cells", "DROP TABLE cells", "INSERT INTO facts (document_id) VALUES (1)",
                      "UPDATE cells SET value = 0", "SELECT 1; DELETE FROM cells", "COMMIT; DELETE FROM cells"):
        with pytest.raises(samples_store.query_errors):
            samples_store.read_only_query(statement)
    assert samples_store.query("SELECT COUNT(*) AS n FROM cells")[0]["n"] > 2000


def test_one_disclosure_published_as_two_pdfs_is_one_document(make_store, tmp_path):
    folder = CORPUS / "real" / "jiangsu" / "江苏省政协办公厅"
    if not folder.exists():
        pytest.skip("real Jiangsu PDFs not available")
    store = make_store()
    report = ingest([folder], store, progress=False)
    assert not report.failed
    docs = store.documents()
    assert sorted(d.year for d in docs) == [2017, 2018]
    for d in docs:
        tables = store.query("SELECT COUNT(*) AS n FROM tables WHERE document_id = ?", (d.id,))[0]["n"]
        sections = store.query("SELECT COUNT(*) AS n FROM sections WHERE document_id = ? AND text != ''",
                               (d.id,))[0]["n"]
        assert tables >= 10 and sections >= 5, (d.unit_name, d.year, tables, sections)
        files = store.query("SELECT path FROM source_files WHERE document_id = ?", (d.id,))
        assert len(files) == 2


def test_mixed_folder_keeps_one_copy_of_a_document_given_as_text_and_pdf(make_store, tmp_path):
    pdf = CORPUS / "pdf" / "巴州社保中心_2025_单位预算.pdf"
    if not pdf.exists():
        pytest.skip("sample PDFs not available")
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(corpus_file(SAMPLES["巴州2025"]), folder / "a_bazhou.txt")
    shutil.copy(pdf, folder / "b_bazhou.pdf")
    shutil.copy(CORPUS / "pdf" / "昌吉市社保中心_2024_部门预算.pdf", folder / "c_changji.pdf")
    store = make_store()
    report = ingest([folder], store, progress=False, workers=1)
    status = {r.path.split("/")[-1]: r.status for r in report.results}
    assert status == {"a_bazhou.txt": "indexed", "b_bazhou.pdf": "duplicate", "c_changji.pdf": "indexed"}
    formats = {d.unit_name: d.source_format for d in store.documents()}
    assert formats == {"巴音郭楞蒙古自治州社会保险中心": "text", "昌吉市社会保险中心": "pdf"}


def test_store_of_an_older_version_gains_new_columns(tmp_path):
    """A store created before cell boxes existed opens, keeps its rows and gains the empty columns."""
    import sqlite3

    from index.store import Store

    con = sqlite3.connect(tmp_path / "budget.sqlite")
    con.execute("CREATE TABLE cells (id INTEGER PRIMARY KEY, document_id INTEGER, table_id INTEGER, row_index INTEGER,"
                " row_label TEXT, code TEXT, code_system TEXT, subject TEXT, side TEXT, column_number INTEGER,"
                " column_path TEXT, value REAL, raw TEXT, line INTEGER, page INTEGER)")
    con.execute("INSERT INTO cells (row_label, value) VALUES ('行政运行', 1.5)")
    con.commit()
    con.close()
    store = Store(tmp_path)
    rows = store.query("SELECT row_label, value, x0, bottom FROM cells")
    assert [tuple(r) for r in rows] == [("行政运行", 1.5, None, None)]
