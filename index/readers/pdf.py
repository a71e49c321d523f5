"""PDF disclosures → `Document`, the same blocks the text-export reader builds.

pdfplumber reads each page once: ruled tables are found from the ruling lines (with a fallback to
text alignment for tables ruled only horizontally, or not at all), and the text outside the tables
is grouped into lines in reading order. Those lines and tables then go through the same decisions
as a text export's lines and rows (`index.structure`): headings, paragraphs joined over line wraps
and page breaks, "表 N" + title + 编制单位 + 单位 lines tied to the table below them, repeated header
rows on continued pages dropped, a table continued on the next page merged into one `RawTable`.
Running headers/footers and page numbers are dropped, table-of-contents pages skipped, and the
cover page becomes the title lines. Every block and row keeps its 1-based page number.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from index.chars import normalize_text, squash
from index.errors import IngestError
from index.kinds import looks_like_table_title, table_kind
from index.metadata import document_metadata
from index.model import Document, Heading, Paragraph
from index.readers.blocks import BlockBuilder, performance_title
from index.readers.pdf_tables import phrases, read_region
from index.readers.pdf_words import Line, Rules, page_rules, page_words, text_lines
from index.structure import (CONTINUATION, EMPTY_NOTE, ISSUER, LIST_ITEM, MEASURE, PART, SENTENCE_END, TOC,
                             continues_heading, continues_paragraph, heading_level, is_header_row, starts_new_item,
                             table_number)

logging.getLogger("pdfminer").setLevel(logging.ERROR)

PDF_SUFFIXES = {".pdf"}

# "- 3 -", "第 3 页", "第3页 共20页", "3 / 20", a lone number (only in the top/bottom band of a page)
PAGE_NUMBER = re.compile(r"^(?:[-–—－]\s*\d{1,4}\s*[-–—－]|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?|"
                         r"\d{1,4}(?:\s*/\s*\d{1,4})?|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$", re.I)
# a table-of-contents entry: dotted leader and a page number
TOC_ENTRY = re.compile(r"(?:[.．…·•\-—_]\s*){3,}\s*\d{1,4}$")
# "部门：江苏省人民检察院 单位：万元", "部门名称：…", "部 门:…" (Jiangsu layouts; 编制单位 is `ISSUER`)
DEPT_ISSUER = re.compile(r"^(?:预算)?部\s*门(?:名称)?\s*[：:]\s*(.*?)\s*(?:(?:金额)?单位\s*[：:]\s*(万元|元|千元|亿元))?\s*$")
# "公开 03 表：支出预算总表" — number and title on one line
NUMBER_AND_TITLE = re.compile(r"^(?:公开\s*(\d+)\s*表|表\s*([0-9一二三四五六七八九十]+))\s*[：:]\s*(\S.*)$")
TITLE_AND_ISSUER = re.compile(r"^(.{2,50}?表(?:[（(][^）)]*[）)])?)((?:预算)?部门(?:名称)?[：:].*|编制(?:单位|部门)[：:].*|(?:金额)?单位[：:].*)$")
NUMBER_CELL = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


@dataclass
class _Line:
    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    reaches_margin: bool = False  # ends near the right edge of the text block: a wrapped line
    indented: bool = False  # starts right of the text block's left edge: a new paragraph


@dataclass
class _Table:
    rows: list[list[str]]
    page: int
    top: float
    bottom: float
    columns: list[tuple[float, float]] = field(default_factory=list)  # x extent of each kept column
    boxes: list[list[tuple[float, float, float, float] | None]] = field(default_factory=list)  # per cell
    bbox: tuple[float, float, float, float] | None = None  # the ruled grid's frame

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class _Page:
    number: int
    height: float
    items: list = field(default_factory=list)  # _Line and _Table in reading order
    toc: bool = False


# ---- opening ---------------------------------------------------------------------------------


def _problem_of(exc: BaseException) -> str | None:
    """An encryption problem hidden in a pdfminer/pdfplumber exception, or None."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, (PDFPasswordIncorrect, PDFEncryptionError)):
            return "encrypted PDF: needs a password"
        inner = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = inner or seen.__cause__ or seen.__context__
    return None


def _open(path: Path, data: bytes):
    if not data:
        raise IngestError(str(path), "empty file (zero bytes)")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError(str(path), "not a PDF file (no %PDF header)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds on broken files
        problem = _problem_of(exc)
        if problem:
            raise IngestError(str(path), problem) from exc
        raise IngestError(str(path), f"corrupt or truncated PDF: {_describe(exc)}") from exc
    try:
        if pdf.doc.encryption is not None and b"%%EOF" in data[-2048:]:
            pass  # opened with the empty user password: readable
        n = len(pdf.pages)
    except Exception as exc:
        pdf.close()
        problem = _problem_of(exc)
        raise IngestError(str(path), problem or f"corrupt or truncated PDF: {_describe(exc)}") from exc
    if b"%%EOF" not in data[-2048:]:
        pdf.close()
        raise IngestError(str(path), "corrupt or truncated PDF: the file ends before its end-of-file marker (%%EOF)")
    if n == 0:
        pdf.close()
        raise IngestError(str(path), "PDF has zero pages")
    return pdf


def _describe(exc: BaseException) -> str:
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    text = str(inner).strip() or type(inner).__name__
    return text[:200]


# ---- one page --------------------------------------------------------------------------------


def _clean_cell(text: str | None) -> str:
    if not text:
        return ""
    return normalize_text(text.replace("\n", "")).strip()


def _clean_rows(raw_rows: list[list[str | None]]) -> tuple[list[list[str]], list[int], list[int]]:
    """Cell texts cleaned; rows and columns empty throughout dropped (with the indices of those kept)."""
    rows = [[_clean_cell(c) for c in r] for r in raw_rows]
    kept_rows = [i for i, r in enumerate(rows) if any(r)]
    rows = [rows[i] for i in kept_rows]
    if not rows:
        return [], [], []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [k for k in range(width) if any(r[k] for r in rows)]  # drop columns empty in every row
    return [[r[k] for k in keep] for r in rows], keep, kept_rows


def _merge_split_columns(rows: list[list[str]], columns: list[tuple[float, float]]):
    """Join neighbouring grid columns that never both hold text in one row.

    Grids drawn from many small rectangles can put a header over one grid column and its figures
    under the next; such a pair is one column of the table.
    """
    header = [is_header_row(r) for r in rows]

    def only(k: int, in_header: bool) -> bool:
        return any(r[k] for r in rows) and all(h == in_header for r, h in zip(rows, header) if r[k])

    k = 0
    while k + 1 < (len(rows[0]) if rows else 0):
        if not any(r[k] and r[k + 1] for r in rows) and (
                (only(k, True) and only(k + 1, False)) or (only(k, False) and only(k + 1, True))):
            rows = [r[:k] + [r[k] or r[k + 1]] + r[k + 2:] for r in rows]
            header = [is_header_row(r) for r in rows]
            if k + 1 < len(columns):
                columns = columns[:k] + [(columns[k][0], columns[k + 1][1])] + columns[k + 2:]
            continue
        k += 1
    return rows, columns


def _column_extents(table) -> list[tuple[float, float]]:
    """The x extent of each grid column: from one column's left edge to the next one's."""
    xs = sorted({round(c[0], 1) for c in table.cells})
    right = max(c[2] for c in table.cells)
    return [(x, xs[k + 1] if k + 1 < len(xs) else right) for k, x in enumerate(xs)]


def _grid_tables(page, number: int) -> list[_Table]:
    """Tables ruled as a full grid (or a box per cell): read from their ruling lines."""
    found = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
    tables = []
    for t in found:
        rows, keep, kept_rows = _clean_rows(t.extract())
        if not rows:
            continue
        extents = _column_extents(t)
        columns = [extents[k] if k < len(extents) else (0.0, 0.0) for k in keep]
        rows, columns = _merge_split_columns(rows, columns)
        boxes = []
        for i in kept_rows:
            _, top, _, bottom = t.rows[i].bbox
            boxes.append([(x0, top, x1, bottom) for x0, x1 in columns])
        tables.append(_Table(rows=rows, page=number, top=t.bbox[1], bottom=t.bbox[3], columns=columns,
                             boxes=boxes, bbox=t.bbox))
    return tables


@dataclass
class _Sheet:
    """One page as plain data, before tables and narrative are told apart."""

    number: int
    width: float
    height: float
    lines: list[Line]
    rules: Rules
    grids: list[_Table]


def _figure_cells(rows: list[list[str]]) -> list[str]:
    return [c for r in rows for c in r if NUMBER_CELL.match(c.replace(" ", ""))]


def _orphans(rows: list[list[str]]) -> int:
    """Rows whose first printed cell is a figure: figures parted from their label."""
    return sum(1 for r in rows if any(r) and NUMBER_CELL.match(next(c for c in r if c).replace(" ", "")))


def _rows_lined_up(grid: _Table, words: list, rules: Rules) -> tuple[_Table, list[Line]]:
    """A grid drawn from many small boxes whose rows do not line up parts labels from their figures (or
    splits a figure over two boxes); read from word positions its rows come out whole. Then use those
    (and the title / 部门 / 单位 lines drawn inside the grid, which are read as the lines they are)."""
    x0, top, x1, bottom = grid.bbox
    inside = text_lines([w for w in words if x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1
                         and top - 1 <= w.middle <= bottom + 1])
    titles = [ln for ln in inside if _line_role(ln, x1 - x0) == "title"]
    wt = read_region([ln for ln in inside if ln not in titles], rules, ruled=True)
    if wt is None or len(wt.rows) >= len(grid.rows):
        return grid, []
    mine, theirs = _figure_cells(grid.rows), _figure_cells(wt.rows)
    digits = lambda cells: sum(ch.isdigit() for c in cells for ch in c)  # noqa: E731
    if not mine or digits(theirs) != digits(mine):
        return grid, []
    if _orphans(wt.rows) >= _orphans(grid.rows) and len(theirs) >= len(mine):
        return grid, []
    table = _Table(rows=wt.rows, page=grid.page, top=wt.top, bottom=grid.bottom, columns=wt.columns, boxes=wt.boxes,
                   bbox=grid.bbox)
    return table, titles


def _sheet(page, number: int) -> _Sheet:
    grids = _grid_tables(page, number)
    words = page_words(page)
    rules = page_rules(page)
    read = [_rows_lined_up(g, words, rules) for g in grids]
    grids = [g for g, _ in read]
    titles = [ln for _, lines in read for ln in lines]
    if grids:
        def outside(w) -> bool:
            cx, cy = (w.x0 + w.x1) / 2, w.middle
            return not any(x0 - 1 <= cx <= x1 + 1 and t - 1 <= cy <= b + 1 for x0, t, x1, b in (g.bbox for g in grids))
        words = [w for w in words if outside(w)]
    lines = sorted(text_lines(words) + titles, key=lambda ln: ln.top)
    return _Sheet(number, float(page.width), float(page.height), lines, rules, grids)


def _in_band(top: float, bottom: float, height: float) -> bool:
    return top >= height * 0.90 or bottom <= height * 0.07


def _drop_running_lines(sheets: list[_Sheet]) -> list[str]:
    """Remove page numbers and headers/footers repeated in the top or bottom band of many pages;
    the running texts removed (they may name the unit and year)."""
    band_texts: Counter = Counter()
    for sh in sheets:
        seen = set()
        for ln in sh.lines:
            if _in_band(ln.top, ln.bottom, sh.height):
                key = re.sub(r"\d+", "#", squash(ln.text))
                if key not in seen:
                    band_texts[key] += 1
                    seen.add(key)
    repeated = {k for k, c in band_texts.items() if c >= max(3, len(sheets) // 3)}
    running = list(dict.fromkeys(squash(ln.text) for sh in sheets for ln in sh.lines if _in_band(
        ln.top, ln.bottom, sh.height) and re.sub(r"\d+", "#", squash(ln.text)) in repeated
        and not PAGE_NUMBER.match(ln.text.strip())))
    for sh in sheets:
        sh.lines = [ln for ln in sh.lines if not (_in_band(ln.top, ln.bottom, sh.height) and (
            PAGE_NUMBER.match(ln.text.strip()) or re.sub(r"\d+", "#", squash(ln.text)) in repeated))]
    return running


def _line_role(line: Line, text_width: float, table_size: float | None = None) -> str:
    """title (table number, title, 编制单位/单位 lines), narrative, or row (may belong to a table).

    Inside a table (`table_size` = its text size) a line of several phrases set apart is a row, and a
    heading-like label ("一、本年收入") is a row unless it is set larger than the table's text."""
    text = line.text
    key = squash(text)
    if TOC.match(key) or TOC_ENTRY.search(text):
        return "narrative"
    if table_number(text) or NUMBER_AND_TITLE.match(key) or ISSUER.match(text) or DEPT_ISSUER.match(key) \
            or MEASURE.match(text) or TITLE_AND_ISSUER.match(key):
        return "title"
    single = len(phrases(line)) == 1
    if _table_title(text) and single:
        return "title"
    if not single and table_size is not None:
        return "row"
    if PART.match(key) or EMPTY_NOTE.search(text) or text.endswith("。"):
        return "narrative"
    if heading_level(text) and (table_size is None or line.size > table_size + 0.5 or len(key) > 24):
        return "narrative"
    if single and (line.x1 - line.x0 > 0.55 * text_width or len(key) > 40):
        return "narrative"
    return "row"


class _Regions:
    """Tells table regions from narrative, page after page: a region opens under a title block (or goes
    on at the top of the next page) and ends at the first narrative line."""

    def __init__(self):
        self.mode: str | None = None  # "pending" after a title block, "table" inside a region
        self.columns: list[tuple[float, float]] | None = None  # the last region's columns, for a continuation

    def page(self, sh: _Sheet) -> _Page:
        result = _Page(number=sh.number, height=sh.height)
        text_width = max((ln.x1 for ln in sh.lines), default=sh.width) - min((ln.x0 for ln in sh.lines), default=0)
        items = sorted(sh.lines + sh.grids, key=lambda it: (it.top, 0 if isinstance(it, _Table) else 1))
        region: list[Line] = []
        continued = self.mode == "table"
        narrative: list[_Line] = []

        def flush() -> None:
            nonlocal continued
            if not region:
                return
            wt = read_region(region, sh.rules, self.columns if continued else None)
            if wt is not None and wt.rows:
                result.items.append(_Table(rows=wt.rows, page=sh.number, top=wt.top, bottom=wt.bottom,
                                           columns=wt.columns, boxes=wt.boxes))
                self.columns = wt.columns
            else:
                for ln in region:
                    narrative.append(_as_line(ln, sh.number))
            region.clear()
            continued = False

        for it in items:
            if isinstance(it, _Table):
                flush()
                result.items.append(it)
                self.mode, self.columns = None, it.columns
                continue
            size = statistics.median(ln.size for ln in region) if region else (
                it.size if self.mode in ("pending", "table") else None)
            role = _line_role(it, text_width, size)
            if role == "row" and self.mode in ("pending", "table"):
                region.append(it)
                self.mode = "table"
                continue
            flush()
            self.mode = "pending" if role == "title" else None
            continued = False  # a title or narrative line: what follows is not the last page's table
            narrative.append(_as_line(it, sh.number))
        mode = self.mode
        flush()
        self.mode = mode  # a region (or a title block) at the foot of the page goes on over the page
        _mark_layout(narrative)
        result.items.extend(narrative)
        result.items.sort(key=lambda it: (it.top, 0 if isinstance(it, _Table) else 1))
        return result


def _as_line(ln: Line, page: int) -> _Line:
    return _Line(text=ln.text, page=page, top=ln.top, bottom=ln.bottom, x0=ln.x0, x1=ln.x1, size=ln.size)


def _mark_layout(lines: list[_Line]) -> None:
    """Mark lines that run to the right edge of the text block, and lines indented at their start."""
    body = [ln for ln in lines if len(ln.text) >= 10]
    if not body:
        return
    right = max(ln.x1 for ln in body)
    left = Counter(round(ln.x0) for ln in body).most_common(1)[0][0]
    for ln in lines:
        ln.reaches_margin = ln.x1 >= right - 1.6 * ln.size
        ln.indented = ln.x0 >= left + 1.2 * ln.size


# ---- the document ----------------------------------------------------------------------------


class _Reader(BlockBuilder):
    def __init__(self, path: Path, pages: list[_Page]):
        super().__init__()
        self.path = path
        self.pages = pages
        self.table_width = 0
        self.table_columns: list[tuple[float, float]] = []
        self.last_line: _Line | None = None  # the line the last narrative block ended with
        self.last_kind = ""  # what the previous item was: "line", "table", "other"

    # -- tables ---------------------------------------------------------------------------
    def open_table(self, number: str | None, title: str = "", line: int | None = None,
                   page: int | None = None) -> None:
        super().open_table(number, title, line, page)
        self.table_width = 0
        self.table_columns = []

    def add_table(self, item: _Table, new_page: bool) -> None:
        rows = self.peel_title_rows(item)
        t = self.table
        if t is not None and t.layout == "flattened":
            stray = [r for r in t.body_rows if r.page == item.page]
            if len(stray) == len(t.body_rows) and len(stray) <= 3 and not any(
                    NUMBER_CELL.match(w) for r in stray for w in r.cells[0].split()):
                t.body_rows = []  # pieces of a wrapped title/issuer line, not table text
                t.layout = "cells"
        t = self.table
        mapping: list[int] | None = None
        if t is not None and (t.header_rows or t.body_rows) and t.layout == "cells":
            follows = self.last_kind in ("table", "issuer")
            if follows and new_page and not t.body_rows and item.width != self.table_width:
                # only header lines at the foot of the last page: the table drawn here replaces them
                t.header_rows = []
                self.header_closed = False
            elif follows and (item.width == self.table_width or table_kind(t.title) == "绩效目标表"):
                self.after_break = True  # the table goes on (next page, or after a repeated 编制单位 line)
            elif follows and (mapping := self.column_mapping(item)) is not None:
                self.after_break = True  # goes on, some empty columns missing on this page
            elif self.last_kind != "issuer":
                self.close_table()
        if self.table is None:
            title = ""
            last = self.blocks[-1] if self.blocks else None
            if isinstance(last, (Paragraph, Heading)) and _table_title(last.text):
                title = _table_title(self.blocks.pop().text) or ""
            self.open_table(None, title, page=item.page)
        t = self.table
        assert t is not None
        t.layout = "cells"
        if t.page is None:
            t.page = item.page
        if mapping is None:
            self.table_width = item.width
            self.table_columns = item.columns
        boxes = item.boxes[len(item.boxes) - len(rows):] if item.boxes else [None] * len(rows)
        for cells, cell_boxes in zip(rows, boxes):
            if mapping is not None:
                placed, placed_boxes = [""] * self.table_width, [None] * self.table_width
                for k, c in enumerate(cells):
                    placed[mapping[k]] = c
                    placed_boxes[mapping[k]] = cell_boxes[k] if cell_boxes and k < len(cell_boxes) else None
                cells, cell_boxes = placed, placed_boxes
            self.add_row(cells, page=item.page, boxes=cell_boxes)
        self.last_kind = "table"

    def column_mapping(self, item: _Table) -> list[int] | None:
        """Place a continued table's columns under the open table's columns by their x position."""
        if not self.table_columns or not item.columns or item.width > self.table_width:
            return None
        mapping = []
        for x0, x1 in item.columns:
            centre = (x0 + x1) / 2
            hits = [k for k, (a, b) in enumerate(self.table_columns) if a - 2 <= centre <= b + 2]
            if len(hits) != 1 or hits[0] in mapping:
                return None
            mapping.append(hits[0])
        return mapping

    def peel_title_rows(self, item: _Table) -> list[list[str]]:
        """Title, 部门 and 单位 lines drawn inside the ruled grid: read them as the text lines they are."""
        rows = item.rows
        while rows:
            values = [c for c in rows[0] if c]
            joined = squash("".join(values))
            if len(values) == 1 and len(joined) > 80 and len(rows) > 1:
                # a frame drawn round the whole table: one cell holding all of it; keep its title lines
                head = re.match(r"^(.{2,40}?表(?:[（(][^）)]*[）)])?)", joined)
                if head and _table_title(head.group(1)):
                    issuer = re.search(r"(?:部门(?:名称)?|编制(?:单位|部门))[：:](.*?)(?:金额)?单位[：:](万元|千元|亿元|元)", joined)
                    rows = [[head.group(1)]] + ([[f"部门：{issuer.group(1)}单位：{issuer.group(2)}"]] if issuer else []) \
                        + rows[1:]
                    continue
            if not values or len(joined) > 80:
                break
            glued = TITLE_AND_ISSUER.match(joined) if len(values) == 1 else None
            if glued and _table_title(glued.group(1)):
                # "收支预算总表部门：江苏省政协办公厅 单位：万元" in one merged cell
                rows = [[glued.group(1)], [glued.group(2)]] + rows[1:]
                continue
            number, title = table_number(joined), None
            both = NUMBER_AND_TITLE.match(joined)
            if len(values) == 1 and not number and not both:
                title = _table_title(joined)
            issuer = DEPT_ISSUER.match(joined) or ISSUER.match(joined)
            measure = MEASURE.match(joined)
            if both:
                self.open_table(both.group(1) or both.group(2), _table_title(both.group(3)) or both.group(3), page=item.page)
            elif number:
                self.open_table(number, page=item.page)
            elif title:
                if self.table is not None and not (self.table.header_rows or self.table.body_rows) \
                        and not self.table.title:
                    self.table.title = title
                else:
                    self.open_table(None, title, page=item.page)
            elif issuer or measure:
                if self.table is None:
                    self.open_table(None, page=item.page)
                if issuer:
                    self.issuer_line(issuer.group(1), issuer.group(2))
                else:
                    self.table.measure_unit = measure.group(1)
            else:
                break
            self.last_kind = "title"
            rows = rows[1:]
        if rows and len(rows) != len(item.rows):
            keep = [k for k in range(len(rows[0])) if any(k < len(r) and r[k] for r in rows)]
            if len(keep) < len(rows[0]):
                boxes = item.boxes[len(item.rows) - len(rows):] if item.boxes else []
                rows = [[r[k] for k in keep] for r in rows]
                item.boxes = [[b[k] if b and k < len(b) else None for k in keep] for b in boxes]
                item.rows, item.columns = rows, [item.columns[k] for k in keep if k < len(item.columns)]
        return rows

    def issuer_line(self, unit: str | None, measure: str | None) -> None:
        if unit:
            self.issuers.append(squash(unit))
        if self.table is not None and measure:
            self.table.measure_unit = measure

    def table_line(self, line: _Line) -> bool:
        """Consume a text line inside an open table; False when the table has ended."""
        t = self.table
        assert t is not None
        text = line.text
        issuer = ISSUER.match(text) or DEPT_ISSUER.match(squash(text) if "：" in text or ":" in text else text)
        if issuer:
            self.issuer_line(issuer.group(1), issuer.group(2))
            self.last_kind = "issuer"
            return True
        measure = MEASURE.match(text)
        if measure:
            t.measure_unit = measure.group(1)
            self.last_kind = "issuer" if self.last_kind in ("table", "issuer") else self.last_kind
            return True
        if not t.title and not t.body_rows and not t.header_rows:
            t.title = _table_title(text) or squash(text)
            return True
        return self.table_text(text, page=line.page, wrapped_note=bool(t.note))

    # -- narrative ------------------------------------------------------------------------
    def narrative_line(self, line: _Line) -> None:
        text = line.text
        last = self.blocks[-1] if self.blocks else None
        prev = self.last_line if self.last_kind == "line" else None
        if isinstance(last, Heading) and prev is not None:
            wrapped = prev.reaches_margin and not line.indented and not starts_new_item(text)
            if wrapped or continues_heading(last.text, text):
                merged = last.text + text
                if heading_level(merged) or not wrapped:
                    last.text = merged
                else:  # a numbered list item that ran over the line: a paragraph after all
                    self.blocks[-1] = Paragraph(merged, page=last.page)
                self.last_line = line
                return
        level = heading_level(text)
        if level:
            self.blocks.append(Heading(re.sub(r"\s+", " ", text), level, page=line.page))
            self.last_line = line
            return
        if isinstance(last, Paragraph) and prev is not None and self.joins(last.text, prev, line):
            last.text += (" " if last.text[-1:].isascii() and last.text[-1:].isalnum() and text[:1].isascii()
                          and text[:1].isalpha() else "") + text
            self.last_line = line
            return
        self.blocks.append(Paragraph(text, page=line.page))
        self.last_line = line

    @staticmethod
    def joins(paragraph: str, prev: _Line, line: _Line) -> bool:
        text = line.text
        if CONTINUATION.match(text):
            return True
        if heading_level(text) or table_number(text) or line.indented:
            return False
        if paragraph.rstrip().endswith(SENTENCE_END):
            return False
        if not prev.reaches_margin:
            # hard-wrapped source text (lines shorter than the page): the text-export rule
            return continues_paragraph(prev.text, text)
        # the previous line was wrapped mid-sentence: only a list item starts anew here
        return not LIST_ITEM.match(text)

    # -- driving --------------------------------------------------------------------------
    def run(self) -> None:
        started = False
        for page in self.pages:
            if self.in_toc and not self.toc_like_start(page):
                self.in_toc = False
            new_page = True
            for item in page.items:
                if isinstance(item, _Table):
                    started = True
                    self.in_toc = False
                    self.add_table(item, new_page)
                    new_page = False
                    continue
                new_page = False
                text = item.text
                key = squash(text)
                if not TOC.match(key) and TOC_ENTRY.search(text):  # "一、收支总体情况表……3"
                    part = PART.match(key)
                    if part:
                        self.toc_parts.add(part.group(0))
                    continue
                if self.toc_line(key):
                    continue
                if not started and not PART.match(text) and not table_number(text) and not NUMBER_AND_TITLE.match(
                        key) and not (_table_title(text) and self.next_is_table(page, item)):
                    dept = DEPT_ISSUER.match(key)
                    if ISSUER.match(text) or dept:
                        if dept and dept.group(1):
                            self.issuers.append(squash(dept.group(1)))
                        elif ISSUER.match(text) and ISSUER.match(text).group(1):
                            self.issuers.append(squash(ISSUER.match(text).group(1)))
                        continue
                    self.title_lines.append(text)
                    continue
                started = True
                self.line(item)
        self.close_table()

    @staticmethod
    def next_is_table(page: _Page, item: _Line) -> bool:
        """A table follows this line closely on its page (only title/issuer lines between)."""
        after = page.items[page.items.index(item) + 1:][:4]
        return any(isinstance(it, _Table) for it in after)

    def toc_like_start(self, page: _Page) -> bool:
        """A page that goes on with the table of contents: its first lines are short entries."""
        lines = []
        for it in page.items:
            if isinstance(it, _Table):
                return False
            lines.append(it)
            if len(lines) == 3:
                break
        return bool(lines) and all(len(squash(ln.text)) <= 60 and not ln.text.endswith(("。", "；")) for ln in lines)

    def line(self, item: _Line) -> None:
        text = item.text
        key = squash(text)
        both = NUMBER_AND_TITLE.match(key)
        if both:
            self.open_table(both.group(1) or both.group(2), _table_title(both.group(3)) or both.group(3), page=item.page)
            self.last_kind = "title"
            return
        number = table_number(text)
        if number:
            self.open_table(number, page=item.page)
            self.last_kind = "title"
            return
        if performance_title(text):
            self.open_table(None, key, page=item.page)
            self.last_kind = "title"
            return
        if self.table is not None and self.table_line(item):
            if self.last_kind not in ("issuer",):
                self.last_kind = "title" if not (self.table.header_rows or self.table.body_rows) else "tableline"
            return
        dept = DEPT_ISSUER.match(key) or ISSUER.match(text)
        measure = MEASURE.match(text)
        if dept or measure:
            # an issuer/unit line under a table title that was read as narrative: the table starts here
            last = self.blocks[-1] if self.blocks else None
            self.close_table()
            title = ""
            if isinstance(last, (Paragraph, Heading)) and _table_title(last.text):
                title = _table_title(self.blocks.pop().text) or ""
            self.open_table(None, title, page=item.page)
            if dept:
                self.issuer_line(dept.group(1), dept.group(2))
            else:
                self.table.measure_unit = measure.group(1)
            self.last_kind = "title"
            return
        self.close_table()
        self.narrative_line(item)
        self.last_kind = "line"


def _table_title(text: str) -> str | None:
    """The title of a standard table in a line, or None: "三、2017年度江苏省…部门支出预算总表" → "部门支出预算总表"."""
    t = squash(text)
    if len(t) > 60 or not (t.endswith("表") or "情况表" in t or "明细表" in t or t.endswith(("）", ")"))):
        return None
    t = re.sub(r"^[一二三四五六七八九十]+[、.．]", "", t)
    candidates = [t, re.sub(r"^.*?\d{4}\s*年度?", "", t)]
    if "部门" in candidates[-1]:
        candidates.append(candidates[-1][candidates[-1].index("部门"):])
    for c in candidates:
        if c and table_kind(c) is not None:
            return c
    for k in range(1, len(candidates[-1]) - 3):  # "江苏省高级人民法院支出预算总表" → "支出预算总表"
        if table_kind(candidates[-1][k:]) is not None:
            return candidates[-1][k:]
    return t if looks_like_table_title(t) else None


def _scan(pdf) -> tuple[list[_Page], list[str]]:
    sheets = [_sheet(page, number) for number, page in enumerate(pdf.pages, start=1)]
    running = _drop_running_lines(sheets)
    regions = _Regions()
    return [regions.page(sh) for sh in sheets], running


def read_pdf(path: str | Path) -> Document:
    """Read a PDF disclosure; raise `IngestError` naming the file when it is unusable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    pdf = _open(path, data)
    try:
        try:
            pages, running = _scan(pdf)
        except IngestError:
            raise
        except Exception as exc:
            problem = _problem_of(exc)
            raise IngestError(str(path), problem or f"corrupt or truncated PDF: {_describe(exc)}") from exc
        n_pages = len(pdf.pages)
    finally:
        pdf.close()
    if not any(p.items for p in pages):
        raise IngestError(str(path), "scanned PDF without a text layer: needs OCR")
    reader = _Reader(path, pages)
    reader.run()
    issuer = Counter(reader.issuers).most_common(1)[0][0] if reader.issuers else ""
    doc = Document(path=str(path), sha256=hashlib.sha256(data).hexdigest(), unit_name=issuer, year=None,
                   blocks=reader.blocks, source_format="pdf", pages=n_pages)
    document_metadata(doc, reader.title_lines, running)
    return doc
