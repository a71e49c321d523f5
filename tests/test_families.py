"""Template families (index/templates): each real or sample disclosure is recognised as its family from what
it prints, carries the family's standard tables (or the audit names the missing ones), and the 决算 balance
rules hold on the real 决算 and fail on a copy with one figure altered."""
from __future__ import annotations

import copy
import json
import sqlite3

import pytest

from index.audit import audit, audit_document
from index.chars import squash
from index.conformance import detect, match
from index.families import families, family
from index.ingest import ingest
from index.read import StoreReader
from index.readers.pdf import read_pdf
from index.store import Store
from index.tables import normalize_document
from tests.conftest import CORPUS, SAMPLES, corpus_file

REAL = CORPUS / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real PDFs not found at {REAL}")
FINAL = REAL / "shanghai" / "上海市普陀区财政局2024年度部门决算.pdf"

# every document of the corpus and the family it is of (by its printed tables; the file names never say)
SAMPLE_FAMILIES = {"巴州2025": "mof_budget_11", "乌市2025": "mof_budget_11", "和静2025": "mof_budget_11",
                   "昌吉2024": "mof_budget_11", "巴州2020": "xinjiang_budget_2020"}
REAL_FAMILIES = {"jiangsu": "jiangsu_budget_12", "shanghai": "shanghai_budget_9"}
FINAL_ACCOUNTS = {"上海市普陀区财政局", "上海市普陀区规划和自然资源局"}
# the standard tables the 2020 sample lists in its 目录 (七、项目支出情况表, 十、征收计划表) but does not print
MISSING_2020 = {"缺少表：项目支出情况表", "缺少表：征收计划表"}


@pytest.fixture(scope="module")
def real_store(tmp_path_factory):
    if not REAL.is_dir():
        pytest.skip(f"real PDFs not found at {REAL}")
    store = Store(tmp_path_factory.mktemp("real_store"))
    report = ingest([REAL], store, progress=False)
    assert not report.failed, [(r.path, r.message) for r in report.failed]
    return store


def missing_tables(store, doc_id):
    return {f.message for f in audit(store, [doc_id]) if f.rule == "missing_table"}


def carries_columns(fam, reader, doc_id):
    """Each standard table the document prints with figures carries the value columns the family names."""
    tables = reader.tables([doc_id])
    paths = {r["id"]: "".join(squash(c["path"].replace("/", "")) for c in json.loads(r["columns"] or "[]"))
             for r in reader.store.query("SELECT id, columns FROM tables WHERE document_id = ?", (doc_id,))}
    for i, j in match(fam, tables).items():
        if not tables[j].is_empty:
            assert all(squash(col) in paths[tables[j].id] for col in fam.tables[i].columns), \
                (tables[j].title, paths[tables[j].id], fam.tables[i])


def test_every_family_file_is_read_and_names_known_kinds():
    ids = {f.id for f in families()}
    assert ids == {"mof_budget_11", "xinjiang_budget_2020", "jiangsu_budget_12", "shanghai_budget_9",
                   "national_final_accounts_9"}
    assert [len(family(i).tables) for i in sorted(ids)] == [12, 11, 9, 9, 12]


def test_sample_documents_are_their_family_and_carry_its_tables(text_store):
    reader = StoreReader(text_store)
    found = reader.families()
    names = {d.id: d for d in reader.documents()}
    by_unit = {(d.unit_name, d.year): d.id for d in names.values()}
    units = {"巴州2025": ("巴音郭楞蒙古自治州社会保险中心", 2025), "乌市2025": ("乌鲁木齐市社会保险中心", 2025),
             "和静2025": ("和静县社会保险中心", 2025), "昌吉2024": ("昌吉市社会保险中心", 2024),
             "巴州2020": ("巴州社会保险管理局", 2020)}
    for sample, fam in SAMPLE_FAMILIES.items():
        doc_id = by_unit[units[sample]]
        assert found[doc_id] == fam, sample
        carries_columns(family(fam), reader, doc_id)
        assert missing_tables(text_store, doc_id) == (MISSING_2020 if sample == "巴州2020" else set()), sample


@needs_real
def test_real_documents_are_their_family_and_carry_its_tables(real_store):
    reader = StoreReader(real_store)
    found = reader.families()
    docs = reader.documents()
    assert len(docs) == 19
    for d in docs:
        want = "national_final_accounts_9" if d.unit_name in FINAL_ACCOUNTS else \
            REAL_FAMILIES["jiangsu" if "/jiangsu/" in d.source_file else "shanghai"]
        assert found[d.id] == want, (d.unit_name, d.year, found[d.id])
        carries_columns(family(want), reader, d.id)
        assert missing_tables(real_store, d.id) == set(), (d.unit_name, d.year)


@needs_real
def test_the_final_accounts_print_their_empty_tables_as_empty(real_store):
    """Both 决算 print all nine tables; 政府性基金 and 国有资本经营 with no rows ("故本表无数据"): not missing."""
    reader = StoreReader(real_store)
    for d in (d for d in reader.documents() if d.unit_name in FINAL_ACCOUNTS):
        tables = reader.tables([d.id])
        matched = match(family("national_final_accounts_9"), tables)
        assert len(matched) == 9
        empty = {tables[j].kind for j in matched.values() if not any(
            c.value for c in reader.cells([d.id]) if c.table_id == tables[j].id)}
        assert empty == {"政府性基金", "国有资本经营"}, d.unit_name


def drop_table(tmp_path, sample, start, end, name="doc.txt"):
    """A copy of a sample text export without the lines from `start` up to (not including) `end`."""
    text = corpus_file(SAMPLES[sample]).read_text(encoding="utf-8")
    assert text.count(start) == 1 and text.count(end) == 1
    a, b = text.index(start), text.index(end)
    path = tmp_path / name
    path.write_text(text[:a] + text[b:], encoding="utf-8")
    store = Store(tmp_path / "data")
    assert not ingest([path], store, progress=False).failed
    return store


def test_a_document_missing_one_standard_table_gets_exactly_that_finding(tmp_path):
    # 巴州 2025 without its 表10 (财政拨款“三公”经费支出情况表), under a name that points elsewhere
    store = drop_table(tmp_path, "巴州2025", "表 10\n", "表 11\n", name="上海_2024_部门决算.txt")
    [doc] = StoreReader(store).documents()
    assert StoreReader(store).families()[doc.id] == "mof_budget_11"
    found = [f for f in audit(store) if f.rule == "missing_table"]
    assert [(f.severity, f.message) for f in found] == [("warning", "缺少表：财政拨款“三公”经费支出情况表")]


def test_a_table_the_disclosure_states_empty_is_not_missing(tmp_path):
    # 巴州 2025 without its 表8: its narrative says "……政府性基金预算支出情况表为空表", so it is not missing
    store = drop_table(tmp_path, "巴州2025", "表 8\n", "表 9\n")
    assert [f for f in audit(store) if f.rule == "missing_table"] == []


@needs_real
def test_final_accounts_balance_rules_hold_on_the_real_document_and_fail_on_an_altered_copy():
    doc = read_pdf(FINAL)
    tables = normalize_document(doc)
    assert detect(tables).id == doc.family or detect(tables).id == "national_final_accounts_9"
    doc.family = detect(tables).id
    rules = ("balance", "row_identity", "cross_table")
    assert [f for f in audit_document(doc, tables) if f.rule in rules] == []

    altered = copy.deepcopy(tables)
    total = next(t for t in altered if t.kind == "收支总体")
    row = next(r for r in total.rows if r.side == "收入" and r.label == "年初结转和结余")
    assert row.cells[0].value == 49.14
    row.cells[0].value = 59.14  # 2,946.25 + 59.14 ≠ 总计 2,995.39
    found = [f for f in audit_document(doc, altered) if f.rule in rules]
    assert [(f.rule, f.severity) for f in found] == [("balance", "error")]
    assert "总计" in found[0].message and "2,995.39" in found[0].message and "3,005.39" in found[0].message


@needs_real
def test_a_narrative_total_the_table_contradicts_is_found(real_store):
    """财政局 2024 决算: "财政拨款收入支出总计0.3万元" while its 财政拨款收入支出决算总表 prints 总计 2,961.68."""
    reader = StoreReader(real_store)
    [doc_id] = [d.id for d in reader.documents() if d.unit_name == "上海市普陀区财政局"]
    found = [f for f in audit(real_store, [doc_id]) if f.rule == "narrative_vs_table" and f.severity == "error"]
    assert any(f.values == {"stated": 0.3, "table": 2961.68} for f in found), [f.message for f in found]


def test_a_store_without_the_family_column_still_lists_families(tmp_path):
    """A store written before documents had a family: read-only it detects them from its tables; opened
    for writing it gains the column, and nothing indexed is lost."""
    store = Store(tmp_path / "data")
    assert not ingest([corpus_file(SAMPLES["巴州2020"])], store, progress=False).failed
    store.close()
    con = sqlite3.connect(tmp_path / "data" / "budget.sqlite")
    con.execute("ALTER TABLE documents DROP COLUMN family")
    con.commit()
    con.close()
    old = Store(tmp_path / "data", read_only=True)
    assert not old.has_column("documents", "family")
    assert list(StoreReader(old).families().values()) == ["xinjiang_budget_2020"]
    assert {f.message for f in audit(old) if f.rule == "missing_table"} == MISSING_2020
    old.close()
    reopened = Store(tmp_path / "data")
    assert reopened.has_column("documents", "family") and len(StoreReader(reopened).documents()) == 1
