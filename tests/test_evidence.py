"""The evidence under an answer: kept PDF copies, page images with the cell outlined, rows, charts, text."""
from __future__ import annotations

import io
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from assistant import charts, ui_text
from assistant.answer import Answer, Citation, Figure
from assistant.evidence import Evidence, answer_lines
from assistant.page_images import CONTEXT_PT, OUTLINE, PageImages
from index.ingest import ingest, kept_copy
from index.store import Store
from tests import pdfs

ROOT = Path(__file__).resolve().parents[1]


def outline_pixels(png: bytes) -> list[tuple[int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    data = image.load()
    return [(x, y) for y in range(0, height) for x in range(0, width)
            if all(abs(a - b) <= 12 for a, b in zip(data[x, y], OUTLINE))]


@pytest.fixture()
def pdf_store(tmp_path):
    (tmp_path / "in").mkdir()
    source = pdfs.three_page_table_pdf(tmp_path / "in" / "测试县_2025.pdf")
    store = Store(tmp_path / "data")
    report = ingest([source], store, progress=False, workers=1)
    assert not report.failed
    doc_id = store.documents()[0].id
    return store, source, doc_id


def test_ingest_keeps_a_copy_of_each_pdf_by_its_hash(pdf_store):
    store, source, doc_id = pdf_store
    sha = store.query("SELECT sha256 FROM source_files WHERE document_id = ?", (doc_id,))[0]["sha256"]
    copy = kept_copy(store.data_dir, sha)
    assert copy.read_bytes() == source.read_bytes()


def test_page_image_outlines_the_cell_and_survives_the_original_being_moved(pdf_store):
    store, source, doc_id = pdf_store
    cell = store.query("SELECT id, page, x0, top, x1, bottom FROM cells WHERE document_id = ? AND raw = '636.09'",
                       (doc_id,))[0]
    shutil.move(source, source.with_name("moved.pdf"))
    pages = PageImages(store)
    png = pages.cell_png(cell["id"])
    hits = outline_pixels(png)
    assert hits, "the cell is outlined"
    scale = 144 / 72  # the close-up is rendered at 144 dpi from CONTEXT_PT above the cell
    xs, ys = [x for x, _ in hits], [y for _, y in hits]
    assert abs(min(xs) / scale - cell["x0"]) < 6 and abs(max(xs) / scale - cell["x1"]) < 6
    assert abs(min(ys) / scale - CONTEXT_PT) < 6
    assert abs(max(ys) / scale - (CONTEXT_PT + cell["bottom"] - cell["top"])) < 6
    whole = pages.cell_png(cell["id"], whole_page=True)
    assert outline_pixels(whole) and Image.open(io.BytesIO(whole)).size[1] > Image.open(io.BytesIO(png)).size[1]
    assert pages.cell_png(cell["id"]) is png  # the second request is served from the cache
    other = store.query("SELECT id FROM cells WHERE document_id = ? AND page = ? AND id != ? LIMIT 1",
                        (doc_id, cell["page"], cell["id"]))[0]["id"]
    con = sqlite3.connect(store.path)  # a cell whose box is unknown (a store of an older version)
    with con:
        con.execute("UPDATE cells SET x0 = NULL, top = NULL, x1 = NULL, bottom = NULL WHERE id = ?", (other,))
    con.close()
    plain = pages.cell_png(other)
    assert plain and not outline_pixels(plain)


def test_a_document_in_two_pdfs_finds_the_part_that_prints_the_cell(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    narrative = pdfs.three_page_table_pdf(folder / "a_文件.pdf")
    tables = pdfs.landscape_pdf(folder / "b_表格.pdf")
    store = Store(tmp_path / "data")
    ingest([narrative, tables], store, progress=False, workers=1)
    doc_id = store.documents()[0].id
    pages = PageImages(store)
    assert [p.sha256 for p in pages.pdf_parts(doc_id)] != [] and len(pages.pdf_parts(doc_id)) == 2
    for raw, path in (("33.84", tables), ("502.72", narrative)):
        cell = store.query("SELECT c.id FROM cells c JOIN tables t ON t.id = c.table_id WHERE c.document_id = ?"
                           " AND c.raw = ? ORDER BY t.seq DESC LIMIT 1", (doc_id, raw))[0]["id"]
        place = pages.place(cell)
        assert place.pdf.path.read_bytes() == path.read_bytes(), raw


def test_evidence_of_a_comparison_from_text_exports(text_store):
    from assistant.router import Assistant

    answer = Assistant(text_store.data_dir).ask("乌市社保中心和巴州社保局的一般公共预算财政拨款支出合计分别是多少？")
    evidence = Evidence(text_store)
    columns, rows = evidence.rows(answer)
    assert len(rows) == len([f for f in answer.figures]) >= 2
    for row, f in zip(rows, answer.figures):
        doc = text_store.query("SELECT budget_kind, scope FROM documents WHERE id = ?", (f.document_id,))[0]
        assert row[columns.index("类型")] == f"{doc['scope']}{doc['budget_kind']}"
        assert row[columns.index("位置")] == f"第{f.line}行（文本导出）"
    html = evidence.message_html(answer, "k")
    for f in answer.figures:
        assert re.search(rf'<td class="bq-hit">{re.escape(f"{f.value:,.2f}")}</td>', html), f.value
        assert f"{f.value:,.2f} 万元</text>" in html  # printed on its bar
    assert "年度不同" in html and "金额（万元）" in html
    assert "/export/answer/k.csv" in html and "<summary>调试</summary>" in html


def test_a_wide_comparison_keeps_small_values_readable_and_says_so():
    figures = [charts.Measured(13292.32, "万元", "甲单位", 2025, "预算", "部门", "支出合计"),
               charts.Measured(51300.0, "元", "乙单位", 2024, "决算", "单位", "支出合计")]
    chart = charts.chart_for(figures)
    assert chart.kind == "bar" and chart.unit == "万元"
    svg = charts.svg(chart)
    assert "13,292.32 万元" in svg and "5.13 万元" in svg
    assert "2025年部门预算" in svg and "2024年单位决算" in svg
    notes = " ".join(chart.notes)
    assert "年度不同" in notes and "类型不同" in notes and "范围不同" in notes and "倍" in notes
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert min(widths) >= 3 and max(widths) > 100 * min(widths) / 3


def test_the_same_item_over_years_is_a_line_chart():
    figures = [charts.Measured(v, "万元", "甲单位", y, "预算", "部门", "三公经费")
               for y, v in ((2025, 6.4), (2023, 7.1), (2024, 6.8))]
    chart = charts.chart_for(figures)
    assert chart.kind == "line" and [p.label for p in chart.points] == ["2023年", "2024年", "2025年"]
    svg = charts.svg(chart)
    assert "<polyline" in svg and all(f"{v:,.2f} 万元" in svg for v in (6.4, 7.1, 6.8))
    assert charts.chart_for(figures[:1]) is None
    assert charts.chart_for(figures[:1] + [charts.Measured(3, "人", "乙", 2025, "预算", "部门", "人数")]) is None


def test_a_reason_said_twice_is_shown_once():
    whole = "比上年增加 1.00 万元，主要原因是会议增加；培训费减少 0.50 万元，主要原因是培训减少。"
    answer = Answer("问", "某单位2025年会议费为 3.00 万元。\n某单位的说明：比上年增加 1.00 万元，主要原因是会议增加；\n"
                    f"原文（第三部分 > 五、说明）：{whole}", figures=[Figure(3.0, "万元", "某单位", 2025, None, "会议费", None)],
                    citations=[Citation("某单位", 2025, "第三部分 > 五、说明", whole)])
    lines = answer_lines(answer)
    assert len(lines) == 2 and lines[1].endswith(whole)
    from assistant.evidence import _answer_html

    assert "<strong>3.00</strong>" in _answer_html(answer, lines)


def test_every_gradio_locale_gets_the_chinese_widget_text():
    i18n = ui_text.gradio_i18n()
    for locale in ui_text.GRADIO_LOCALES:
        assert i18n.translations_dict[locale]["upload_text.drop_file"] == "将文件拖放到此处"


def test_every_problem_a_reader_raises_has_chinese_words():
    problems = []
    for path in (ROOT / "index").rglob("*.py"):
        problems += re.findall(r'IngestError\([^,]+,\s*f?"([^"{]+)', path.read_text(encoding="utf-8"))
    assert len(problems) > 8
    for problem in problems:
        assert ui_text.ingest_problem(problem) != ui_text.INGEST_PROBLEM_FALLBACK, problem
