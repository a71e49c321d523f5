"""The PDF reader: same Document as the text reader, real Jiangsu PDFs, built layouts, bad files."""
from __future__ import annotations

import logging
import re
import sys
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import pdfs  # noqa: E402  (tests/pdfs.py)
from index.errors import IngestError  # noqa: E402
from index.facts import extract_facts  # noqa: E402
from index.kinds import table_kind  # noqa: E402
from index.model import Heading, Paragraph, RawTable  # noqa: E402
from index.readers.pdf import read_pdf  # noqa: E402
from index.readers.text import read_text  # noqa: E402
from index.tables import normalize, normalize_document  # noqa: E402

logging.getLogger("pdfminer").setLevel(logging.ERROR)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
JIANGSU = CORPUS / "real" / "jiangsu"

SAMPLES = {  # text export → its PDF rendering
    "000_4b9187e3024cf45d.txt": "巴州社保中心_2025_单位预算.pdf",
    "001_cba2921d34774e9d.txt": "乌鲁木齐市社保中心_2025_单位预算.pdf",
    "002_5e80dbdf814b782e.txt": "昌吉市社保中心_2024_部门预算.pdf",
    "003_7d041b95b870d977.txt": "和静县社保中心_2025_单位预算.pdf",
    "004_82077367fa55b95d.txt": "巴州社保局_2020_部门预算.pdf",
}

needs_corpus = pytest.mark.skipif(not (CORPUS / "pdf").is_dir(), reason="shared corpus not available")

_cache: dict[str, object] = {}


def _read(reader, path: Path):
    key = f"{reader.__name__}:{path}"
    if key not in _cache:
        _cache[key] = reader(path)
    return _cache[key]


def numeric_cells(doc) -> Counter:
    """(table kind, row code or label, column path, value) of every printed figure."""
    cells: Counter = Counter()
    for table in normalize_document(doc):
        for row in table.rows:
            for cell in row.cells:
                if cell.value is None or cell.raw == "":
                    continue
                cells[(table.kind, row.code or row.label, cell.column.path, cell.value)] += 1
    return cells


# ---- the five sample PDFs against their text exports --------------------------------------------


@needs_corpus
@pytest.mark.parametrize("txt", sorted(SAMPLES))
def test_sample_pdf_cells_agree_with_text_export(txt):
    text_doc = _read(read_text, CORPUS / txt)
    pdf_doc = _read(read_pdf, CORPUS / "pdf" / SAMPLES[txt])

    # every standard table recognised, in the same order
    assert [table_kind(t.title) for t in pdf_doc.raw_tables] == [table_kind(t.title) for t in text_doc.raw_tables]
    assert [t.number for t in pdf_doc.raw_tables] == [t.number for t in text_doc.raw_tables]
    assert [t.layout for t in pdf_doc.raw_tables] == [t.layout for t in text_doc.raw_tables]

    expected, got = numeric_cells(text_doc), numeric_cells(pdf_doc)
    total = sum(expected.values())
    agree = sum((expected & got).values())
    missing, extra = expected - got, got - expected
    print(f"\n{SAMPLES[txt]}: {agree}/{total} numeric cells agree ({100 * agree / max(total, 1):.2f}%)")
    for key in sorted(missing, key=str):
        print("  only in text export:", key)
    for key in sorted(extra, key=str):
        print("  only in PDF:        ", key)
    assert total > 100
    assert agree >= 0.99 * total
    assert sum(extra.values()) <= 0.01 * total


@needs_corpus
@pytest.mark.parametrize("txt", sorted(SAMPLES))
def test_sample_pdf_document(txt):
    text_doc = _read(read_text, CORPUS / txt)
    pdf_doc = _read(read_pdf, CORPUS / "pdf" / SAMPLES[txt])
    path = CORPUS / "pdf" / SAMPLES[txt]
    import hashlib

    assert pdf_doc.source_format == "pdf"
    assert pdf_doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    with pdfplumber.open(path) as pdf:
        assert pdf_doc.pages == len(pdf.pages)
    assert (pdf_doc.unit_name, pdf_doc.year, pdf_doc.scope, pdf_doc.budget_kind) == (
        text_doc.unit_name, text_doc.year, text_doc.scope, text_doc.budget_kind)
    # every block and every row knows its page
    for block in pdf_doc.blocks:
        assert block.page is not None and 1 <= block.page <= pdf_doc.pages
        if isinstance(block, RawTable):
            assert all(r.page for r in block.header_rows + block.body_rows)
            assert all("\n" not in c for r in block.header_rows + block.body_rows for c in r.cells)
    # the narrative: the text export's headings come out of the PDF as headings
    squash = lambda s: "".join(s.split())  # noqa: E731
    text_heads = [squash(b.text) for b in text_doc.blocks if isinstance(b, Heading)]
    pdf_heads = {squash(b.text) for b in pdf_doc.blocks if isinstance(b, Heading)}
    found = sum(1 for h in text_heads if h in pdf_heads)
    print(f"\n{SAMPLES[txt]}: {found}/{len(text_heads)} headings")
    assert found >= 0.9 * len(text_heads)
    # no page numbers or table-of-contents lines among the paragraphs
    paragraphs = [b.text for b in pdf_doc.blocks if isinstance(b, Paragraph)]
    assert not [p for p in paragraphs if re.fullmatch(r"-\s*\d+\s*-|第\s*\d+\s*页", p.strip())]
    assert not [p for p in paragraphs if "……" in p or "....." in p]


@needs_corpus
def test_empty_table_note_and_continued_tables():
    doc = _read(read_pdf, CORPUS / "pdf" / SAMPLES["000_4b9187e3024cf45d.txt"])
    by_kind = {table_kind(t.title): t for t in doc.raw_tables}
    fund = by_kind["政府性基金"]
    assert not fund.body_rows and fund.note.endswith("为空表。")
    income = by_kind["收入总体"]  # 表2 runs over pages 4–5 with its header repeated
    assert {r.page for r in income.body_rows} == {4, 5}
    assert len(income.header_rows) == 3
    perf = [t for t in doc.raw_tables if t.title == "项目支出绩效目标表"]
    assert len(perf) == 2 and all(not t.header_rows and t.body_rows for t in perf)


# ---- real Jiangsu PDFs ----------------------------------------------------------------------------

needs_jiangsu = pytest.mark.skipif(not JIANGSU.is_dir(), reason="Jiangsu PDFs not available")

JIANGSU_FILES = {  # file → (unit, year)
    "江苏省人大办公厅/江苏省人大办公厅2017年度预算公开.pdf": ("江苏省人大常委会办公厅", 2017),
    "江苏省人大办公厅/省人大办公厅2018预算公开.pdf": ("江苏省人大常委会办公厅", 2018),
    "江苏省人民检察院/2017年省检察院部门预算.pdf": ("江苏省人民检察院", 2017),
    "江苏省人民检察院/2018年省检察院部门预算公开.pdf": ("江苏省人民检察院", 2018),
    "江苏省委办公厅/江苏省委办公厅2017年部门预算.pdf": ("江苏省委办公厅", 2017),
    "江苏省委办公厅/江苏省委办公厅2017年预算公开表格.pdf": ("江苏省委办公厅", 2017),
    "江苏省委办公厅/江苏省委办公厅2018年度部门预算公开文件.pdf": ("江苏省委办公厅", 2018),
    "江苏省委办公厅/江苏省委办公厅2018年度部门预算公开表.pdf": ("江苏省委办公厅", 2018),
    "江苏省政协办公厅/2017年度部门预算公开表.pdf": ("江苏省政协办公厅", 2017),
    "江苏省政协办公厅/江苏省政协办公厅2017年度部门预算.pdf": ("江苏省政协办公厅", 2017),
    "江苏省政协办公厅/江苏省政协办公厅2018年度部门预算.pdf": ("江苏省政协办公厅", 2018),
    "江苏省政协办公厅/江苏省政协办公厅2018度部门预算公开表.pdf": ("江苏省政协办公厅", 2018),
    "江苏省高级人民法院/省法院2017年度部门预算公开.pdf": ("江苏省高级人民法院", 2017),
    "江苏省高级人民法院/省法院2018年度部门预算公开.pdf": ("江苏省高级人民法院", 2018),
}

# The file holding each department-year's tables, and figures read off the pages by hand
# (pdfplumber extract_text of that page): (kind, row label or "" for the single row, column, raw, page).
S = "支出总体"
JIANGSU_CELLS = {
    "江苏省人大办公厅/江苏省人大办公厅2017年度预算公开.pdf": [
        (S, "", "合计", "13,649.07", 10), (S, "", "基本支出", "7,666.68", 10), (S, "", "项目支出", "5,853.96", 10),
        (S, "", "单位预留机动经费", "128.43", 10), ("三公经费", "", "合计", "2,542.60", 20),
        ("收支总体", "一、财政拨款", "收入/金额", "13,649.07", 7)],
    "江苏省人大办公厅/省人大办公厅2018预算公开.pdf": [  # this year's tables print no thousands separators
        (S, "", "合计", "15897.44", 10), (S, "", "基本支出", "7877.76", 10), (S, "", "项目支出", "6333.96", 10),
        (S, "", "单位预留机动经费", "1685.72", 10), ("三公经费", "", "“三公”经费/小计", "833.60", 15),
        ("收支总体", "一、财政拨款", "收入/金额", "15897.44", 8)],
    "江苏省人民检察院/2017年省检察院部门预算.pdf": [
        (S, "", "合计", "17,996.68", 11), (S, "", "基本支出", "12,323.48", 11), (S, "", "项目支出", "5,533.00", 11),
        (S, "", "单位预留机动经费", "140.20", 11), ("三公经费", "", "合计", "1,452.35", 16),
        ("收支总体", "一、财政拨款", "收入/金额", "17,981.68", 10)],
    "江苏省人民检察院/2018年省检察院部门预算公开.pdf": [
        (S, "", "合计", "21,955.35", 15), (S, "", "基本支出", "13,994.31", 15), (S, "", "项目支出", "5,573.00", 15),
        (S, "", "单位预留机动经", "2,388.04", 15), ("收入总体", "收入总计", "金额", "21,955.35", 14),
        ("财政拨款收支总体", "一、一般公共预算", "收入/金额", "21,940.96", 15),
        ("机关运行经费", "合计", "机关运行经费支出", "2,722.57", 20)],
    # (this PDF's 收支预算总表 and 三公 table are drawn from many small boxes whose rows do not line up:
    #  their labels and figures come out in separate rows, so they are not checked here)
    "江苏省委办公厅/江苏省委办公厅2017年预算公开表格.pdf": [
        (S, "", "合计", "20,849.45", 3), (S, "", "基本支出", "9,964.07", 3), (S, "", "项目支出", "10,688.66", 3),
        (S, "", "单位预留机动经费", "196.72", 3), ("三公经费", "", "合计", "1,467.70", 11),
        ("收支总体", "一、财政拨款", "收入/金额", "20,702.25", 1)],
    "江苏省委办公厅/江苏省委办公厅2018年度部门预算公开表.pdf": [
        (S, "", "合计", "24,458.43", 5), (S, "", "基本支出", "10,403.11", 5), (S, "", "项目支出", "12,081.46", 5),
        (S, "", "单位预留机动经费", "1,973.86", 5), ("三公经费", "", "合计", "1,471.70", 11),
        ("收支总体", "一、财政拨款", "收入/金额", "24,458.43", 3)],
    "江苏省政协办公厅/2017年度部门预算公开表.pdf": [
        (S, "", "合计", "9,146.79", 3), (S, "", "基本支出", "5,916.27", 3), (S, "", "项目支出", "3,123.68", 3),
        (S, "", "单位预留机动经费", "106.84", 3), ("三公经费", "", "合计", "1,852.32", 11),
        ("收支总体", "一、财政拨款", "收入/金额", "9,066.79", 1)],
    "江苏省政协办公厅/江苏省政协办公厅2018度部门预算公开表.pdf": [
        (S, "", "合计", "10,150.48", 3), (S, "", "基本支出", "5,678.17", 3), (S, "", "项目支出", "3,314.68", 3),
        (S, "", "单位预留机动经费", "1,157.63", 3), ("三公经费", "", "合计", "1,656.86", 9),
        ("收支总体", "一、财政拨款", "收入/金额", "10,070.48", 1)],
    "江苏省高级人民法院/省法院2017年度部门预算公开.pdf": [
        (S, "", "合计", "28,849.38", 13), (S, "", "基本支出", "17,123.19", 13), (S, "", "项目支出", "11,543.27", 13),
        (S, "", "单位预留机动经费", "182.92", 13), ("三公经费", "", "合计", "2,599.37", 17),
        ("收支总体", "一、财政拨款", "收入/金额", "28,849.38", 11)],
    "江苏省高级人民法院/省法院2018年度部门预算公开.pdf": [
        (S, "", "合计", "33,172.15", 10), (S, "", "基本支出", "18,570.82", 10), (S, "", "项目支出", "11,343.27", 10),
        (S, "", "单位预留机动经费", "3,258.06", 10), ("三公经费", "", "合计", "2,558.26", 14),
        ("收支总体", "一、财政拨款", "收入/金额", "33,172.15", 9)],
}


@needs_jiangsu
@pytest.mark.parametrize("name", sorted(JIANGSU_FILES))
def test_jiangsu_pdf_reads(name):
    doc = _read(read_pdf, JIANGSU / name)
    unit, year = JIANGSU_FILES[name]
    print(f"\n{name}: {doc.unit_name} {doc.year}, {len(doc.raw_tables)} tables:",
          [table_kind(t.title) for t in doc.raw_tables])
    assert (doc.unit_name, doc.year) == (unit, year)
    assert doc.budget_kind == "预算"
    if name in JIANGSU_CELLS:  # the tables PDF of a department-year
        kinds = {table_kind(t.title) for t in doc.raw_tables}
        assert {"收支总体", "支出总体", "三公经费"} <= kinds
    else:  # the narrative document of a two-PDF disclosure
        assert any(isinstance(b, Heading) for b in doc.blocks)


@needs_jiangsu
@pytest.mark.parametrize("name", sorted(JIANGSU_CELLS))
def test_jiangsu_cells(name):
    doc = _read(read_pdf, JIANGSU / name)
    tables = [normalize(t) for t in doc.raw_tables]
    with pdfplumber.open(JIANGSU / name) as pdf:
        for kind, label, column, raw, page in JIANGSU_CELLS[name]:
            assert raw in pdf.pages[page - 1].extract_text(), (raw, page)  # the figure is printed there
            hits = [c for t in tables if t.kind == kind for r in t.rows if r.label == label
                    for c in r.cells if c.raw == raw and column in c.column.path and r.page == page]
            assert hits, (kind, label, column, raw, page)


# ---- layouts built with reportlab -----------------------------------------------------------------


def _expense_table(doc):
    [raw] = [t for t in doc.raw_tables if table_kind(t.title) == "支出总体"]
    table = normalize(raw)
    return raw, table


def _check_expense(table, rows):
    assert [c.path for c in table.columns] == ["合计", "基本支出", "项目支出"]
    got = {r.code: [c.raw for c in r.cells] for r in table.rows}
    for code, name, total, basic, project in rows:
        assert got[code] == [total, basic, project], code


def test_horizontal_rules_only_table(tmp_path):
    doc = read_pdf(pdfs.horizontal_rules_pdf(tmp_path / "h.pdf"))
    raw, table = _expense_table(doc)
    assert raw.number == "3" and raw.measure_unit == "万元" and raw.page == 1
    assert len(raw.header_rows) == 1
    _check_expense(table, pdfs.EXPENSE_ROWS)
    assert doc.unit_name == pdfs.UNIT and doc.year == 2025


@pytest.mark.parametrize("rotated", [False, True])
def test_landscape_wide_table(tmp_path, rotated):
    doc = read_pdf(pdfs.landscape_pdf(tmp_path / "l.pdf", rotated=rotated))
    [raw] = doc.raw_tables
    table = normalize(raw)
    assert table.kind == "收入总体" and raw.page == 2
    assert len(table.columns) == 10
    assert table.columns[-1].path == "其他"
    row = {r.code or r.label: r for r in table.rows}
    assert [c.raw for c in row["208"].cells][:3] == ["636.09", "631.11", ""]
    assert row["208"].cells[6].raw == "4.98" and row["208"].cells[6].column.path == "单位资金"
    assert row["总计"].cells[0].value == 714.76


def test_table_over_three_pages_with_repeated_header(tmp_path):
    doc = read_pdf(pdfs.three_page_table_pdf(tmp_path / "t.pdf"))
    raw, table = _expense_table(doc)
    assert len(doc.raw_tables) == 1
    assert len(raw.header_rows) == 1  # the repeats on pages 3 and 4 dropped
    assert [r.page for r in raw.body_rows] == [2] * 4 + [3] * 4 + [4] * 2
    _check_expense(table, pdfs.EXPENSE_ROWS)
    assert doc.pages == 4
    # the narrative after the table, page numbers ("- 2 -") dropped
    assert isinstance(doc.blocks[-1], Paragraph) and doc.blocks[-1].page == 4
    assert not any(b.text.strip("- ").isdigit() for b in doc.blocks if isinstance(b, Paragraph))


def test_cover_and_toc(tmp_path):
    doc = read_pdf(pdfs.cover_and_toc_pdf(tmp_path / "c.pdf"))
    assert doc.title == "测试县社会保险中心2025年单位预算公开"
    assert doc.unit_name == pdfs.UNIT and doc.year == 2025 and doc.scope == "单位"
    first = doc.blocks[0]
    assert isinstance(first, Heading) and first.level == 1 and first.page == 3
    texts = [b.text for b in doc.blocks if not isinstance(b, RawTable)]
    assert not any("...." in t for t in texts)
    assert sum(t.startswith("第一部分") for t in texts) == 1
    raw, table = _expense_table(doc)
    _check_expense(table, pdfs.EXPENSE_ROWS[:4])
    paragraph = next(b for b in doc.blocks if isinstance(b, Paragraph))
    assert paragraph.text.endswith("执行工作。")  # one paragraph over its wrapped lines


def test_unnumbered_sections_after_toc_and_figures_on_another_baseline(tmp_path):
    doc = read_pdf(pdfs.unnumbered_sections_pdf(tmp_path / "u.pdf"))
    assert doc.unit_name == pdfs.UNIT and doc.year == 2025
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert f"{pdfs.UNIT}机构设置" in headings  # the body after the 目录 is read, its titles are headings
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any("设5个内设机构" in t for t in paragraphs)
    assert "机关运行经费支出184.65万元，比2023年度增加2.55万元。" in paragraphs  # one line, not two
    facts = {(f.name, f.value, f.unit) for f in extract_facts(doc)}
    assert ("内设机构数", 5.0, "个") in facts
    raw, table = _expense_table(doc)
    _check_expense(table, pdfs.EXPENSE_ROWS[:4])


# ---- bad PDFs -------------------------------------------------------------------------------------


def _problem(path) -> str:
    with pytest.raises(IngestError) as info:
        read_pdf(path)
    assert info.value.path == str(path)
    return info.value.problem


def test_encrypted(tmp_path):
    assert _problem(pdfs.encrypted_pdf(tmp_path / "e.pdf")) == "encrypted PDF: needs a password"


def test_truncated(tmp_path):
    source = pdfs.three_page_table_pdf(tmp_path / "whole.pdf")
    assert _problem(pdfs.truncated_pdf(source, tmp_path / "half.pdf")).startswith("corrupt or truncated PDF: ")


@needs_corpus
def test_truncated_real_pdf(tmp_path):
    source = CORPUS / "pdf" / SAMPLES["002_5e80dbdf814b782e.txt"]
    assert _problem(pdfs.truncated_pdf(source, tmp_path / "half.pdf")).startswith("corrupt or truncated PDF: ")


def test_image_only(tmp_path):
    assert _problem(pdfs.image_only_pdf(tmp_path / "i.pdf")) == "scanned PDF without a text layer: needs OCR"


def test_zero_bytes(tmp_path):
    assert _problem(pdfs.zero_byte_pdf(tmp_path / "z.pdf")) == "empty file (zero bytes)"


def test_zero_pages(tmp_path):
    assert _problem(pdfs.zero_page_pdf(tmp_path / "zp.pdf")) == "PDF has zero pages"


def test_not_a_pdf(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_text("hello", encoding="utf-8")
    assert _problem(path) == "not a PDF file (no %PDF header)"


def test_not_a_disclosure(tmp_path):
    assert _problem(pdfs.english_pdf(tmp_path / "en.pdf")).startswith("not a budget disclosure")
