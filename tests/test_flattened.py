"""Flattened tables (和静县): numbers placed by the table's arithmetic, never guessed."""
from __future__ import annotations

from index.checks import check_tables
from index.model import RawTable, SourceRow
from index.readers.text import read_text
from index.tables import normalize, normalize_document
from tests.conftest import SAMPLES, corpus_file


def flat(title: str, lines: list[str]) -> RawTable:
    return RawTable(title=title, number="3", layout="flattened",
                    body_rows=[SourceRow([text], n + 1) for n, text in enumerate(lines)])


def test_every_placed_row_satisfies_its_identities_and_no_finding_is_invented():
    doc = read_text(corpus_file(SAMPLES["和静2025"]))
    tables = normalize_document(doc)
    assert all(t.layout == "flattened" for t in doc.raw_tables if t.number)
    assert [f for f in check_tables(tables) if f.severity == "error"] == []
    placed = sum(len(r.cells) for t in tables for r in t.rows)
    assert placed > 500


def test_uncertain_numbers_are_reported_with_the_columns_they_could_be_in():
    doc = read_text(corpus_file(SAMPLES["和静2025"]))
    project = next(t for t in normalize_document(doc) if t.kind == "项目支出")
    assert project.unplaced and all("placements fit the arithmetic" in u.reason for u in project.unplaced)
    row = next(r for r in project.rows if r.code == "2080601")
    assert [(c.column.path, c.value) for c in row.cells] == [("项目支出合计", 29.88)]  # the rest is unknown


def test_a_genuinely_ambiguous_row_is_not_guessed():
    # 208 01 X could be 基本支出 or 项目支出: its parent has 10.00 in both columns, so nothing decides it
    table = normalize(flat("单位支出总体情况表", [
        "科目 支出预算", "※ ※ ※ ※ 1 2 3",
        "208 社会保障和就业支出 20.00 10.00 10.00",
        "208 01 人力资源和社会保障管理事务 10.00 10.00",
        "208 02 民政管理事务 10.00 10.00",
        "合计 20.00 10.00 10.00",
    ]))
    assert table.kind == "支出总体"
    rows = {r.code: r for r in table.rows}
    assert [(c.column.path, c.value) for c in rows["208"].cells] == [
        ("支出预算/合计", 20.0), ("支出预算/基本支出", 10.0), ("支出预算/项目支出", 10.0)]
    assert [c.column.path for c in rows["20801"].cells] == ["支出预算/合计"]
    assert len(table.unplaced) == 2 and "基本支出" in table.unplaced[0].reason


def test_a_row_fixed_by_its_parent_is_placed():
    table = normalize(flat("单位支出总体情况表", [
        "※ ※ ※ ※ 1 2 3",
        "208 社会保障和就业支出 30.00 10.00 20.00",
        "208 01 人力资源和社会保障管理事务 10.00 10.00",
        "208 05 行政事业单位养老支出 20.00 20.00",
        "合计 30.00 10.00 20.00",
    ]))
    rows = {r.code: r for r in table.rows}
    assert rows["20801"].value(2) == 10.0 and rows["20801"].value(3) == 0.0
    assert rows["20805"].value(3) == 20.0 and rows["20805"].value(2) == 0.0
    assert not table.unplaced
