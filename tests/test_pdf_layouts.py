"""The PDF reader on the sample disclosures drawn in generated layouts (tests/layouts.py).

A few styles run here (the benchmark `benchmarks/pdf_layouts.py` runs them all): tables ruled by
horizontal lines only, by header rules only, unruled, split over pages without repeated headers,
in other fonts, sizes and number formats. The text exports are the ground truth.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pdfplumber
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import layouts  # noqa: E402  (tests/layouts.py)
from index.chars import squash  # noqa: E402
from index.readers.pdf import read_pdf  # noqa: E402
from index.tables import normalize_document  # noqa: E402

TESTED_STYLES = ["header-rules", "split-no-repeat", "radicals"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layouts")
    cache: dict[tuple[str, str], Path] = {}

    def get(style: str, sample: str) -> Path:
        if (style, sample) not in cache:
            text = next(p for p in layouts.sample_paths() if p.stem == sample)
            cache[style, sample] = layouts.render(text, layouts.style_named(style), folder / f"{style}_{sample}.pdf")
        return cache[style, sample]

    return get


def test_at_least_twelve_styles_cover_every_option():
    assert len(layouts.STYLES) >= 12 and len({s.name for s in layouts.STYLES}) == len(layouts.STYLES)
    seen = lambda attr: {getattr(s, attr) for s in layouts.STYLES}  # noqa: E731
    assert seen("ruling") == set(layouts.RULINGS)
    assert {"flow", "page", "landscape"} <= seen("table_pages")
    assert {True, False} <= seen("repeat_header") & seen("title_break") & seen("cover") & seen("toc")
    assert {True, False} <= seen("thousands") & seen("drop_zeros") & seen("radicals") & seen("running")
    assert len(seen("font")) >= 4 and seen("codes") == {"column", "split", "prefix"}


@pytest.mark.parametrize("style", TESTED_STYLES)
def test_generated_layout_reads_to_the_cell(rendered, style):
    agree = cells = found = tables = 0
    for text in layouts.sample_paths():
        _, expected = layouts.source(text)
        got = normalize_document(read_pdf(rendered(style, text.stem)))
        a, n = layouts.cell_agreement(expected, got)
        c, t = layouts.classified(expected, got)
        agree, cells, found, tables = agree + a, cells + n, found + c, tables + t
    print(f"\n{style}: {agree}/{cells} cells, {found}/{tables} tables classified")
    assert cells > 1000
    assert agree >= 0.995 * cells
    assert found == tables


def test_a_random_style_reads(rendered, tmp_path):
    style = layouts.random_style(7)
    text = next(p for p in layouts.sample_paths() if "巴州社保中心" in p.stem)
    _, expected = layouts.source(text)
    got = normalize_document(read_pdf(layouts.render(text, style, tmp_path / "r.pdf")))
    a, n = layouts.cell_agreement(expected, got)
    assert a >= 0.99 * n


def test_kangxi_radicals_in_the_text_layer_are_read_as_ideographs(rendered):
    path = rendered("radicals", "巴州社保中心_2025_单位预算")
    with pdfplumber.open(path) as pdf:
        raw = "".join(pdf.pages[k].extract_text() for k in range(3))
    assert any(0x2F00 <= ord(ch) <= 0x2FD5 for ch in raw)  # the generator really wrote radicals
    doc = read_pdf(path)
    assert doc.unit_name == "巴音郭楞蒙古自治州社会保险中心"
    assert not any(0x2F00 <= ord(ch) <= 0x2FD5 for t in doc.raw_tables for r in t.body_rows for c in r.cells
                   for ch in c)


def test_cell_box_holds_the_printed_figure(rendered):
    """The box stored for a cell contains exactly that cell's characters on its page."""
    path = rendered("header-rules", "巴州社保中心_2025_单位预算")
    tables = normalize_document(read_pdf(path))
    [expense] = [t for t in tables if t.kind == "支出总体"]
    row = next(r for r in expense.rows if r.code == "2080109")
    cell = next(c for c in row.cells if c.column.path.endswith("合计"))
    assert cell.raw == "98.98" and cell.bbox is not None
    x0, top, x1, bottom = cell.bbox
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[row.page - 1].chars
    inside = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])
                     if x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] and c["bottom"] <= bottom)
    assert squash(inside) == "98.98"
    # every figure of every table read from words has a box on its page
    for t in tables:
        for r in t.rows:
            assert all(c.bbox is not None for c in r.cells), (t.kind, r.label)


def test_cell_boxes_of_a_ruled_grid(tmp_path):
    """Grid tables (ruled cells) carry boxes too: the ruled cell round the figure."""
    text = next(p for p in layouts.sample_paths() if "昌吉" in p.stem)
    path = layouts.render(text, layouts.style_named("grid-zenhei"), tmp_path / "g.pdf")
    tables = normalize_document(read_pdf(path))
    [t] = [t for t in tables if t.kind == "三公经费"]
    row = next(r for r in t.rows if r.label == "合计")
    cell = row.cells[0]
    x0, top, x1, bottom = cell.bbox
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[row.page - 1].chars
    inside = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])
                     if x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] and c["bottom"] <= bottom)
    assert squash(inside) == squash(cell.raw) == "5.20"


def test_a_table_that_cannot_be_read_is_reported_and_the_narrative_kept(tmp_path):
    """A titled table whose rows are unreadable keeps the document: the store and the ingest report say
    which table, on which page, and why."""
    import pdfs  # tests/pdfs.py

    from index.ingest import ingest
    from index.store import Store

    path = tmp_path / "broken.pdf"
    w = pdfs.Writer(path)
    pdfs._narrative(w)
    pdfs._title(w, "3", "单位支出总体情况表")
    w.line("第三部分 2025 年单位预算情况说明", 14)  # the title, then no table at all
    w.paragraph("本单位 2025 年支出预算 636.09 万元，比上年增加 12.00 万元，主要原因是人员经费增加。")
    w.new_page()
    pdfs._title(w, "10", "财政拨款“三公”经费支出情况表")
    w.table([["项目", "合计"], ["合计", "6.40"], ["公务接待费", "0.40"]], [200, 80])
    w.save()
    store = Store(tmp_path / "data")
    report = ingest([path], store, progress=False, workers=1)
    [result] = report.results
    assert result.status == "indexed"
    assert "表3（单位支出总体情况表） on page 1: no rows could be read under its title" in result.message
    rows = store.query("SELECT number, page, problem FROM tables WHERE problem != ''")
    assert [tuple(r) for r in rows] == [("3", 1, "no rows could be read under its title")]
    sections = store.query("SELECT text FROM sections WHERE text LIKE '%636.09%'")
    assert sections  # the narrative is stored all the same
    cells = store.query("SELECT value FROM figures WHERE table_kind = '三公经费' AND row_label = '公务接待费'")
    assert [r["value"] for r in cells] == [0.4]


def _tables_only_pdf(path: Path, issuer: bool) -> Path:
    """One 支出总体 table, horizontal rules only, no narrative; the 编制单位 line only when asked."""
    import pdfs  # tests/pdfs.py

    w = pdfs.Writer(path)
    w.line("表 3", 11)
    w.line("单位支出总体情况表", 14, centre=True)
    if issuer:
        w.line(f"编制单位：{pdfs.UNIT}", 10)
    w.line("单位：万元", 10, x=w.right - 60)
    w.table(pdfs.EXPENSE_HEADER + [list(r) for r in pdfs.EXPENSE_ROWS], [90, 190, 70, 70, 70], vertical=False)
    w.save()
    return path


def test_a_tables_only_file_takes_unit_and_year_from_its_name(tmp_path):
    doc = read_pdf(_tables_only_pdf(tmp_path / "江苏省测试厅2019年部门预算公开表.pdf", issuer=False))
    assert (doc.unit_name, doc.year, doc.budget_kind) == ("江苏省测试厅", 2019, "预算")
    assert [t.kind for t in normalize_document(doc)] == ["支出总体"]


def test_a_document_whose_unit_cannot_be_told_fails_naming_the_file(tmp_path):
    from index.errors import IngestError

    path = _tables_only_pdf(tmp_path / "tables.pdf", issuer=False)
    with pytest.raises(IngestError) as info:
        read_pdf(path)
    assert info.value.path == str(path) and info.value.problem.startswith("cannot tell which body published it")


@pytest.mark.parametrize("a,b,same", [
    ("江苏省人大常委会办公厅", "省人大常委会", True),
    ("中共江苏省委办公厅", "江苏省委办公厅", True),
    ("中国共产党江苏省委员会办公厅", "江苏省委办公厅", True),
    ("江苏省委办公厅", "江苏省政府办公厅", False),
    ("江苏省人民检察院", "江苏省高级人民法院", False),
])
def test_name_forms_of_one_body(a, b, same):
    from index.metadata import same_body

    assert same_body(a, b) is same


def test_unclassifiable_table_is_kept_as_other_with_all_its_cells():
    from index.model import RawTable, SourceRow
    from index.tables import normalize

    raw = RawTable(title="附表", header_rows=[SourceRow(["项目", "金额"])],
                   body_rows=[SourceRow(["办公楼维修", "12.50"]), SourceRow(["设备更新", "3.00"])])
    table = normalize(raw)
    assert table.kind == "other"
    assert [(r.label, [c.value for c in r.cells]) for r in table.rows] == [("办公楼维修", [12.5]), ("设备更新", [3.0])]


@pytest.mark.parametrize("title,header,kind", [
    ("收入支出决算总表", "", "收支总体"),
    ("部门收支预算总表", "", "收支总体"),
    ("政府性基金预算财政拨款收入支出决算表", "", "政府性基金"),
    ("表", "项目 金额 本年收入 本年支出 收入 支出 决算数", "收支总体"),
    ("表", "项目 合计 因公出国（境）费 公务用车购置及运行费 公务接待费", "三公经费"),
])
def test_kind_from_title_vocabulary_or_header_content(title, header, kind):
    from index.model import RawTable, SourceRow
    from index.tables import classify

    raw = RawTable(title=title, header_rows=[SourceRow(header.split())] if header else [])
    assert classify(raw) == kind
