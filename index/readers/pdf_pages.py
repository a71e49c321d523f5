"""A PDF page as tables and lines: ruled grids, table regions read from word positions, narrative lines.

Each page is read once (words, ruling lines, pdfplumber's grid finder); running headers and page
numbers repeated across pages are dropped; then, page after page, lines under a table's title block
(or continuing the last page's table) form a table region read by `index.readers.pdf_tables`, and
the rest stay text lines. A grid whose small boxes part labels from their figures is read from its
words instead. What comes out is plain data for `index.readers.pdf`'s document reader.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from index.chars import normalize_text, squash
from index.kinds import looks_like_table_title, table_kind
from index.readers.pdf_tables import phrases, read_region
from index.readers.pdf_words import Line, Rules, page_rules, page_words, text_lines
from index.structure import (EMPTY_NOTE, ISSUER, MEASURE, PART, TOC, heading_level, is_column_number_row, is_header_row,
                             table_number)

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
class TextLine:
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
class PageTable:
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
class Page:
    number: int
    height: float
    items: list = field(default_factory=list)  # TextLine and PageTable in reading order
    toc: bool = False


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


SLIVER = 8.0  # points: a grid column narrower than one character holds no text of its own


def _merge_split_columns(rows: list[list[str]], columns: list[tuple[float, float]]):
    """Join neighbouring grid columns that never both hold text in one row.

    Grids drawn from many small rectangles can put a header over one grid column and its figures
    under the next; such a pair is one column of the table. A sliver column (a gap between two drawn
    boxes, narrower than a character) holds the text of the merged cell that starts there and covers the
    column after it: it is that column too.
    """
    header = [is_header_row(r) for r in rows]

    def sliver(k: int) -> bool:
        return k < len(columns) and 0 < columns[k][1] - columns[k][0] < SLIVER

    def only(k: int, in_header: bool) -> bool:
        return any(r[k] for r in rows) and all(h == in_header for r, h in zip(rows, header) if r[k])

    k = 0
    while k + 1 < (len(rows[0]) if rows else 0):
        if not any(r[k] and r[k + 1] for r in rows) and (
                (only(k, True) and only(k + 1, False)) or (only(k, False) and only(k + 1, True)) or sliver(k)):
            rows = [r[:k] + [r[k] or r[k + 1]] + r[k + 2:] for r in rows]
            header = [is_header_row(r) for r in rows]
            if k + 1 < len(columns):
                columns = columns[:k] + [(columns[k][0], columns[k + 1][1])] + columns[k + 2:]
            continue
        k += 1
    return rows, columns


def _grid_boxes(table, kept_rows: list[int], rows: list[list[str]], columns: list[tuple[float, float]]) -> list:
    """Each cell's box: its column's extent, and the height of the drawn cell that starts there (else its
    row's). A header label in a cell merged over the columns to its right reaches to that cell's right
    edge: the header tree reads which columns it spans."""
    out = []
    for cells, i in zip(rows, kept_rows):
        _, top, _, bottom = table.rows[i].bbox
        drawn = [c for c in table.rows[i].cells if c is not None]
        header = is_header_row(cells)
        row = []
        for k, (x0, x1) in enumerate(columns):
            starting = [c for c in drawn if x0 - 1 <= c[0] < x1 - 1]
            cell = max(starting, key=lambda c: c[2], default=None)
            right = max(x1, cell[2]) if header and cells[k] and cell else x1
            row.append((x0, cell[1] if cell else top, right, cell[3] if cell else bottom))
        out.append(row)
    return out


def _caption(text: str) -> bool:
    key = squash(text)
    return bool(table_title(text) or DEPT_ISSUER.match(key) or ISSUER.match(text) or MEASURE.match(text))


def _wrapped(upper: tuple, lower: tuple, words: list) -> bool:
    """The text of two stacked cells is one label wrapped over two lines: the upper cell holds one line
    running (nearly) to its edges without leaving them, and the lower cell's line follows it at line
    spacing (a label under a group label sits further down, in a row of its own)."""
    def text(box):
        x0, top, x1, bottom = box
        return [w for w in words if x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1 and top - 1 <= w.middle <= bottom + 1]

    above, below = text(upper), text(lower)
    if not above or not below:
        return False
    size = max(w.size for w in above + below)
    width = max(w.x1 for w in above) - min(w.x0 for w in above)
    one_line = max(w.middle for w in above) - min(w.middle for w in above) < 0.5 * size
    fills = width <= upper[2] - upper[0] + 1 and (upper[2] - upper[0]) - width < 2.5 * size
    spacing = min(w.middle for w in below) - max(w.middle for w in above)
    return one_line and fills and 0 < spacing <= 1.8 * size


def _join_wrapped_headers(rows: list[list[str]], boxes: list, words: list) -> tuple[list[list[str]], list]:
    """A header label a grid drew as a stack of touching cells of one width ("因公出国" on "（境）费",
    "采购组织形" on "式") is one label; a label above a gap (an empty cell between), or wider than the
    label under it, is its parent."""
    rows = [list(r) for r in rows]
    n = next((i for i, r in enumerate(rows) if not is_header_row(r)), len(rows))
    captions = {i for i in range(n) if _caption("".join(rows[i])) or any(_caption(c) for c in rows[i] if c)
                or is_column_number_row(rows[i])}  # titles, 部门/单位 lines, printed column numbers: no labels
    for k in range(max((len(r) for r in rows[:n]), default=0)):
        last = None  # the row of the label above, while its cell and the next ones touch
        for j in range(n):
            if k >= len(rows[j]) or not rows[j][k]:
                continue
            if j in captions:
                last = None  # a title, 部门 or 单位 line drawn in the grid: not part of a label
                continue
            if last is not None and abs(boxes[last][k][3] - boxes[j][k][1]) < 1 \
                    and abs(boxes[last][k][2] - boxes[j][k][2]) < 1 and _wrapped(boxes[last][k], boxes[j][k], words):
                # stacked edge to edge, as wide, and the text runs on from one to the other: one label
                rows[last][k] += rows[j][k]
                rows[j][k] = ""
                boxes[last][k] = boxes[last][k][:3] + (boxes[j][k][3],)
                continue
            last = j
    kept = [i for i, r in enumerate(rows) if any(r)]
    return [rows[i] for i in kept], [boxes[i] for i in kept]


def _column_extents(table) -> list[tuple[float, float]]:
    """The x extent of each grid column: from one column's left edge to the next one's."""
    xs = sorted({round(c[0], 1) for c in table.cells})
    right = max(c[2] for c in table.cells)
    return [(x, xs[k + 1] if k + 1 < len(xs) else right) for k, x in enumerate(xs)]


def _grid_tables(page, number: int, words: list) -> list[PageTable]:
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
        rows, boxes = _join_wrapped_headers(rows, _grid_boxes(t, kept_rows, rows, columns), words)
        tables.append(PageTable(rows=rows, page=number, top=t.bbox[1], bottom=t.bbox[3], columns=columns,
                             boxes=boxes, bbox=t.bbox))
    return tables


@dataclass
class Sheet:
    """One page as plain data, before tables and narrative are told apart."""

    number: int
    width: float
    height: float
    lines: list[Line]
    rules: Rules
    grids: list[PageTable]


def _figure_cells(rows: list[list[str]]) -> list[str]:
    return [c for r in rows for c in r if NUMBER_CELL.match(c.replace(" ", ""))]


def _orphans(rows: list[list[str]]) -> int:
    """Rows whose first printed cell is a figure: figures parted from their label."""
    return sum(1 for r in rows if any(r) and NUMBER_CELL.match(next(c for c in r if c).replace(" ", "")))


def _rows_lined_up(grid: PageTable, words: list, rules: Rules) -> tuple[PageTable, list[Line]]:
    """A grid drawn from many small boxes whose rows do not line up parts labels from their figures (or
    splits a figure over two boxes); read from word positions its rows come out whole. Then use those
    (and the title / 部门 / 单位 lines drawn inside the grid, which are read as the lines they are)."""
    if not _orphans(grid.rows):
        return grid, []  # every figure row starts with its label: the grid's rows line up
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
    table = PageTable(rows=wt.rows, page=grid.page, top=wt.top, bottom=grid.bottom, columns=wt.columns, boxes=wt.boxes,
                   bbox=grid.bbox)
    return table, titles


def _sheet(page, number: int) -> Sheet:
    # only what is printed on the page: some exports leave text (a next table's title, its rows) beyond its
    # bottom edge, where no reader of the page sees it
    height = float(page.height)
    page = page.filter(lambda obj: obj.get("bottom", 0) <= height + 1)
    words = page_words(page)
    grids = _grid_tables(page, number, words)
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
    return Sheet(number, float(page.width), float(page.height), lines, rules, grids)


def _in_band(top: float, bottom: float, height: float) -> bool:
    return top >= height * 0.90 or bottom <= height * 0.07


def _drop_running_lines(sheets: list[Sheet]) -> list[str]:
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
    if table_title(text) and single:
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

    def page(self, sh: Sheet) -> Page:
        result = Page(number=sh.number, height=sh.height)
        # the text block's width (a page holding only a few short lines is still a page wide)
        text_width = max(max((ln.x1 for ln in sh.lines), default=sh.width) - min((ln.x0 for ln in sh.lines), default=0),
                         0.7 * sh.width)
        items = sorted(sh.lines + sh.grids, key=lambda it: (it.top, 0 if isinstance(it, PageTable) else 1))
        region: list[Line] = []
        continued = self.mode == "table"
        narrative: list[TextLine] = []

        def flush() -> None:
            nonlocal continued
            if not region:
                return
            wt = read_region(region, sh.rules, self.columns if continued else None)
            if wt is not None and wt.rows:
                result.items.append(PageTable(rows=wt.rows, page=sh.number, top=wt.top, bottom=wt.bottom,
                                           columns=wt.columns, boxes=wt.boxes))
                self.columns = wt.columns
            else:
                for ln in region:
                    narrative.append(_as_line(ln, sh.number))
            region.clear()
            continued = False

        for it in items:
            if isinstance(it, PageTable):
                flush()
                result.items.append(it)
                # a grid that ends the page may go on at the top of the next (a last row left unruled)
                self.mode = "table" if it is items[-1] else None
                self.columns = it.columns
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
        result.items.sort(key=lambda it: (it.top, 0 if isinstance(it, PageTable) else 1))
        return result


def _as_line(ln: Line, page: int) -> TextLine:
    return TextLine(text=ln.text, page=page, top=ln.top, bottom=ln.bottom, x0=ln.x0, x1=ln.x1, size=ln.size)


def _mark_layout(lines: list[TextLine]) -> None:
    """Mark lines that run to the right edge of the text block, and lines indented at their start."""
    body = [ln for ln in lines if len(ln.text) >= 10]
    if not body:
        return
    right = max(ln.x1 for ln in body)
    left = Counter(round(ln.x0) for ln in body).most_common(1)[0][0]
    for ln in lines:
        ln.reaches_margin = ln.x1 >= right - 1.6 * ln.size
        ln.indented = ln.x0 >= left + 1.2 * ln.size


def table_title(text: str) -> str | None:
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


def scan(pdf) -> tuple[list[Page], list[str]]:
    """Every page of an open PDF as items in reading order, and the running header/footer texts."""
    sheets = [_sheet(page, number) for number, page in enumerate(pdf.pages, start=1)]
    running = _drop_running_lines(sheets)
    regions = _Regions()
    return [regions.page(sh) for sh in sheets], running
