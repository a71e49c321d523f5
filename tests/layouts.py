"""Render the bundled sample disclosures into PDFs in seeded random layouts (tests + benchmark).

Users bring PDFs drawn by whatever their finance bureau's software produced; the reader must not
fit one rendering. This module takes the five sample text exports (read by the text reader, whose
tables are the ground truth), and draws each document with reportlab in a `Style`: ruling (full
grid, horizontal rules only, header rules only, none, a box per cell), an embedded TrueType CJK
font from Debian's packages (real subsets, optionally with Kangxi-radical code points in the text
layer as real producers emit them), sizes, portrait or landscape table pages, narrow label columns
that wrap, tables split over pages with or without repeated headers, the title left on the
previous page, cover page and table of contents, running headers/footers, number formats and
merged multi-level headers. `cell_agreement` compares what the PDF reader stores with the text
export's cells.
"""
from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from index.chars import squash
from index.kinds import TWO_SIDED
from index.model import Document, Heading, Paragraph, RawTable, Table
from index.readers.text import read_text
from index.tables import normalize_document
from index.values import parse_value

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "text"

# name → (font file, subfont index of the .ttc); all TrueType-outline fonts of Debian packages
# (fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-uming, fonts-arphic-ukai). Noto CJK ships
# CFF outlines, which reportlab cannot embed; the corpus renderings in ../shared/corpus/pdf use it.
FONT_FILES = {
    "WQYZenHei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "WQYZenHeiSharp": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 1),
    "WQYMicroHei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "UMingCN": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "UKaiCN": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
}
CID_FONT = "STSong-Light"  # reportlab's built-in, not embedded: the fallback when no TTF is installed

RULINGS = ("grid", "horizontal", "header", "none", "boxes")
NUMBERINGS = ("表1", "表一", "公开01表", "公开表一", "none")
CN_DIGITS = "零一二三四五六七八九十"

# other titles of the same standard tables, as other provinces and years print them
SYNONYMS = {
    "收支总体": "收支预算总表", "收入总体": "收入预算总表", "支出总体": "支出预算总表",
    "财政拨款收支总体": "财政拨款收支预算总表", "一般公共预算支出": "一般公共预算支出预算表（功能科目）",
    "一般公共预算基本支出": "一般公共预算基本支出预算表（经济科目）", "项目支出": "一般公共预算项目支出预算表",
    "政府性基金": "政府性基金预算支出表", "国有资本经营": "国有资本经营预算支出表",
    "三公经费": "一般公共预算“三公”经费支出预算表", "上年结转结余": "上年结转结余明细表",
    "政府采购": "政府采购支出预算表", "政府购买服务": "政府购买服务预算表",
}


@dataclass(frozen=True)
class Style:
    name: str
    ruling: str = "grid"
    font: str = "WQYZenHei"
    size: float = 9.0  # table text size (narrative is size + 2)
    table_pages: str = "flow"  # flow / page (each table on a new page) / landscape (… a new landscape page)
    label_chars: float = 12.0  # width of the label column in characters: long labels wrap
    repeat_header: bool = True  # header rows repeated on a continued page
    title_break: bool = False  # some tables' titles left at the foot of the previous page
    cover: bool = False
    toc: bool = False
    running: bool = False  # running header and footer on every page
    page_numbers: str = "- {n} -"
    thousands: bool = True
    drop_zeros: bool = False  # 6.00 → 6, 5.20 → 5.2
    numbering: str = "表1"
    synonyms: bool = False  # other provinces' titles for the same tables
    codes: str = "column"  # column / split (类 款 项) / prefix ("2080109 社会保险经办机构")
    align: str = "right"  # numbers right-aligned or centred
    valign: str = "middle"  # middle / top: where a row's figures sit beside a wrapped label
    radicals: bool = False  # Kangxi-radical code points in the text layer
    row_pad: float = 0.45  # vertical padding of a cell, in font sizes
    issuer: str = "编制单位"  # 编制单位 / 部门 / 单位名称 …
    seed: int = 0


STYLES = [
    Style("grid-zenhei"),
    Style("horizontal-landscape", ruling="horizontal", table_pages="landscape", cover=True, running=True,
          font="WQYMicroHei", numbering="表一", page_numbers="第 {n} 页"),
    Style("header-rules", ruling="header", font="UMingCN", size=8.5, label_chars=8, repeat_header=False,
          thousands=False, codes="split"),
    Style("no-rules", ruling="none", font="UKaiCN", size=9, label_chars=10, drop_zeros=True, row_pad=0.55,
          numbering="公开01表", synonyms=True),
    Style("boxes", ruling="boxes", font="WQYZenHeiSharp", size=8, title_break=True, issuer="部门"),
    Style("narrow-labels", ruling="grid", font="UMingCN", label_chars=5, valign="top", size=8),
    Style("split-no-repeat", ruling="horizontal", font="WQYZenHei", size=10, repeat_header=False, title_break=True,
          running=True, codes="prefix"),
    Style("cover-toc", ruling="grid", font="WQYMicroHei", cover=True, toc=True, running=True,
          page_numbers="{n} / {total}", numbering="公开表一", synonyms=True),
    Style("radicals", ruling="horizontal", font="UKaiCN", radicals=True, drop_zeros=True, align="center"),
    Style("landscape-none", ruling="none", font="WQYZenHei", table_pages="landscape", size=9.5, codes="split",
          thousands=False, row_pad=0.6, numbering="none"),
    Style("small-font", ruling="header", font="WQYMicroHei", size=6.5, label_chars=9, table_pages="page",
          drop_zeros=True),
    Style("large-font", ruling="boxes", font="UMingCN", size=11, table_pages="landscape", label_chars=7,
          repeat_header=False, cover=True, radicals=True),
    Style("header-prefix", ruling="header", font="UKaiCN", codes="prefix", label_chars=9, title_break=True,
          numbering="表一", issuer="单位名称", valign="top"),
    Style("mixed-random", ruling="horizontal", font="WQYZenHeiSharp", size=8, label_chars=6, codes="split",
          table_pages="page", running=True, toc=True, drop_zeros=True, synonyms=True),
]
STYLE_BY_NAME = {s.name: s for s in STYLES}


def random_style(seed: int) -> Style:
    """A style drawn at random (reproducibly) from every option."""
    r = random.Random(seed)
    return Style(
        f"random-{seed}", ruling=r.choice(RULINGS), font=r.choice(sorted(FONT_FILES)), size=r.choice([7, 8, 9, 10]),
        table_pages=r.choice(["flow", "page", "landscape"]), label_chars=r.choice([5, 7, 10, 14]),
        repeat_header=r.random() < 0.5, title_break=r.random() < 0.3, cover=r.random() < 0.5, toc=r.random() < 0.3,
        running=r.random() < 0.5, thousands=r.random() < 0.6, drop_zeros=r.random() < 0.4,
        numbering=r.choice(NUMBERINGS), synonyms=r.random() < 0.4, codes=r.choice(["column", "split", "prefix"]),
        align=r.choice(["right", "right", "center"]), valign=r.choice(["middle", "top"]),
        radicals=r.random() < 0.3, row_pad=r.choice([0.4, 0.5, 0.7]),
        issuer=r.choice(["编制单位", "部门", "单位名称"]), seed=seed)


# ---- the ground truth ------------------------------------------------------------------------


@lru_cache(maxsize=None)
def source(path: Path) -> tuple[Document, tuple[Table, ...]]:
    doc = read_text(path)
    return doc, tuple(normalize_document(doc))


def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


def cell_keys(tables) -> Counter:
    """(kind, row code or label without spaces, last column-header segment, value) of each printed figure."""
    keys: Counter = Counter()
    for t in tables:
        for row in t.rows:
            for cell in row.cells:
                if cell.value is None or cell.raw.strip() == "":
                    continue
                keys[(t.kind, row.code or squash(row.label), cell.column.path.split("/")[-1], cell.value)] += 1
    return keys


def cell_agreement(expected_tables, got_tables) -> tuple[int, int]:
    """(cells of the text export found in the PDF's tables, cells of the text export)."""
    expected, got = cell_keys(expected_tables), cell_keys(got_tables)
    return sum((expected & got).values()), sum(expected.values())


def classified(expected_tables, got_tables) -> tuple[int, int]:
    """(tables of the text export whose kind the PDF's tables have as often, tables of the text export)."""
    expected = Counter(t.kind for t in expected_tables)
    got = Counter(t.kind for t in got_tables if t.kind not in (None, "other"))
    return sum((expected & got).values()), sum(expected.values())


# ---- fonts and text ----------------------------------------------------------------------------

_RADICAL_OF = {}
for _code in range(0x2F00, 0x2FD6):
    _RADICAL_OF.setdefault(unicodedata.normalize("NFKC", chr(_code)), chr(_code))


@lru_cache(maxsize=None)
def font_name(name: str) -> str:
    """Register a font once; the CID fallback when its file is not installed."""
    path, index = FONT_FILES.get(name, ("", 0))
    if path and Path(path).exists():
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        return name
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def _has_radicals(font: str) -> bool:
    face = getattr(pdfmetrics.getFont(font), "face", None)
    return face is not None and 0x2F40 in face.charToGlyph


def format_number(raw: str, style: Style) -> str:
    value = parse_value(raw)
    if raw.strip() == "" or value is None or raw.strip().endswith("%"):
        return raw
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    text = f"{value:,.{decimals}f}" if style.thousands else f"{value:.{decimals}f}"
    if style.drop_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def table_label(k: int, style: Style) -> str | None:
    n = k + 1
    cn = CN_DIGITS[n] if n <= 10 else "十" + CN_DIGITS[n - 10]
    return {"表1": f"表{n}", "表一": f"表{cn}", "公开01表": f"公开{n:02d}表", "公开表一": f"公开表{cn}"}.get(style.numbering)


# ---- table geometry ----------------------------------------------------------------------------


@dataclass
class _Grid:
    """A table as drawn: header cells (row, first column, rowspan, colspan, text) over columns, body rows."""

    kinds: list[str]  # per column: "code" / "label" / "value"
    header: list[tuple[int, int, int, int, str]]
    depth: int
    body: list[list[str]]


def _header_cells(paths: list[list[str]]) -> tuple[list[tuple[int, int, int, int, str]], int]:
    """Merged header cells from each column's header path: equal prefixes side by side share a cell."""
    depth = max(len(p) for p in paths)
    cells = []
    for level in range(depth):
        k = 0
        while k < len(paths):
            p = paths[k]
            if len(p) <= level:
                k += 1
                continue
            end = k + 1
            while end < len(paths) and len(paths[end]) > level and paths[end][:level + 1] == p[:level + 1] and \
                    len(p) > level + 1 and len(paths[end]) > level + 1:
                end += 1
            rowspan = depth - level if len(p) == level + 1 else 1
            cells.append((level, k, rowspan, end - k, p[level]))
            k = end
    return cells, depth


def grid_of(table: Table, style: Style) -> _Grid:
    kinds: list[str] = []
    paths: list[list[str]] = []
    body: list[list[str]] = []
    sides = [s for s in dict.fromkeys(c.side for c in table.columns) if s]
    if table.kind in TWO_SIDED and len(sides) == 2:
        per_side = []
        for side in sides:
            cols = [c for c in table.columns if c.side == side]
            kinds += ["label"] + ["value"] * len(cols)
            paths += [[side, "项目"]] + [c.path.split("/") if c.path.startswith(side) else [side] + c.path.split("/")
                                         for c in cols]
            rows = [r for r in table.rows if r.side == side]
            per_side.append((cols, rows))
        for i in range(max(len(rows) for _, rows in per_side)):
            line = []
            for cols, rows in per_side:
                row = rows[i] if i < len(rows) else None
                line.append(_prefixed(row) if row else "")
                line += _values(row, cols, style) if row else [""] * len(cols)
            body.append(line)
        return _Grid(kinds, *_header_cells(paths), body)
    has_code = any(r.code for r in table.rows)
    codes = style.codes if has_code else "none"
    economic = any(r.code_system == "经济分类" for r in table.rows)
    system = "经济分类" if economic else "功能分类"
    if codes == "column":
        kinds, paths = ["code", "label"], [[f"{system}科目编码"], [f"{system}科目名称"]]
    elif codes == "split":
        kinds, paths = ["code"] * 3 + ["label"], [["科目编码", "类"], ["科目编码", "款"], ["科目编码", "项"], ["科目名称"]]
    elif codes == "prefix":
        kinds, paths = ["label"], [[f"{system}科目"]]
    else:
        kinds, paths = ["label"], [["项目"]]
    cols = list(table.columns)
    kinds += ["value"] * len(cols)
    paths += [c.path.split("/") for c in cols]
    for row in table.rows:
        if codes == "column":
            line = [row.code or "", row.label]
        elif codes == "split":
            code = row.code or ""
            line = [code[:3], code[3:5], code[5:7], row.label]
        elif codes == "prefix":
            line = [_prefixed(row)]
        else:
            line = [row.label]
        body.append(line + _values(row, cols, style))
    return _Grid(kinds, *_header_cells(paths), body)


def _prefixed(row) -> str:
    return f"{row.code} {row.label}" if row.code else row.label


def _values(row, cols, style: Style) -> list[str]:
    by_column = {id(c.column): c.raw for c in row.cells}
    return [format_number(by_column.get(id(c), ""), style) for c in cols]


# ---- drawing -----------------------------------------------------------------------------------


class _Painter:
    """A reportlab canvas with a cursor; pages know their orientation, running lines and number."""

    MARGIN = 50.0

    def __init__(self, path: Path, style: Style, unit: str, running: str):
        self.style = style
        self.font = font_name(style.font)
        self.radicals = style.radicals and _has_radicals(self.font)
        self.c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        self.unit = unit
        self.running = running
        self.page = 0
        self.landscape = False
        self.width, self.height = A4
        self.y = 0.0
        self.total_guess = 0

    def text(self, s: str) -> str:
        return "".join(_RADICAL_OF.get(ch, ch) for ch in s) if self.radicals else s

    def width_of(self, s: str, size: float) -> float:
        return pdfmetrics.stringWidth(s, self.font, size)

    def draw(self, x: float, y: float, s: str, size: float, how: str = "left") -> None:
        """Text with its baseline at `y` (top-left coordinates, as pdfplumber reads them)."""
        self.c.setFont(self.font, size)
        base = self.height - y
        s = self.text(s)
        if how == "centre":
            self.c.drawCentredString(x, base, s)
        elif how == "right":
            self.c.drawRightString(x, base, s)
        else:
            self.c.drawString(x, base, s)

    def rule(self, x0: float, y: float, x1: float, width: float = 0.5) -> None:
        self.c.setLineWidth(width)
        self.c.line(x0, self.height - y, x1, self.height - y)

    def vrule(self, x: float, y0: float, y1: float, width: float = 0.5) -> None:
        self.c.setLineWidth(width)
        self.c.line(x, self.height - y0, x, self.height - y1)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.c.setLineWidth(0.5)
        self.c.rect(x0, self.height - y1, x1 - x0, y1 - y0)

    @property
    def left(self) -> float:
        return self.MARGIN

    @property
    def right(self) -> float:
        return self.width - self.MARGIN

    @property
    def bottom(self) -> float:
        return self.height - self.MARGIN - (14 if self.style.running else 0)

    def new_page(self, landscape_page: bool | None = None) -> None:
        if self.page:
            self.c.showPage()
        if landscape_page is not None:
            self.landscape = landscape_page
        size = landscape(A4) if self.landscape else A4
        self.c.setPageSize(size)
        self.width, self.height = size
        self.page += 1
        self.y = self.MARGIN + (16 if self.style.running else 0)
        s = self.style
        foot = s.page_numbers.format(n=self.page, total=max(self.total_guess, self.page))
        self.draw(self.width / 2, self.height - 28, foot, 9, "centre")
        if s.running:
            self.draw(self.width / 2, 34, self.running, 9, "centre")
            self.rule(self.left, 40, self.right, 0.3)

    def need(self, height: float) -> bool:
        return self.y + height > self.bottom

    def line(self, s: str, size: float, how: str = "left", gap: float = 0.5, x: float | None = None) -> None:
        if self.need(size * (1 + gap)):
            self.new_page()
        self.y += size
        where = {"left": self.left if x is None else x, "centre": self.width / 2, "right": self.right}[how]
        self.draw(where, self.y, s, size, how)
        self.y += size * gap

    def wrap(self, s: str, width: float, size: float) -> list[str]:
        lines, current = [], ""
        for ch in s:
            if current and self.width_of(current + ch, size) > width:
                lines.append(current)
                current = ""
            current += ch
        if current or not lines:
            lines.append(current)
        return lines

    def paragraph(self, s: str, size: float) -> None:
        indent = 2 * size
        lines = self.wrap(s, self.right - self.left - indent, size)
        first, rest = lines[0], "".join(lines[1:])
        self.line(first, size, x=self.left + indent)
        for piece in self.wrap(rest, self.right - self.left, size) if rest else []:
            self.line(piece, size)


class _TableDrawer:
    """One table: widths, wrapped cells, rows flowed over pages with the chosen ruling."""

    def __init__(self, p: _Painter, grid: _Grid, style: Style):
        self.p, self.g, self.s = p, grid, style
        self.size = style.size
        self.fit()

    def fit(self) -> None:
        while True:
            self.widths = self.column_widths()
            if sum(self.widths) <= self.p.right - self.p.left or self.size <= 5:
                break
            self.size -= 0.5
        self.x = [self.p.left]
        for w in self.widths:
            self.x.append(self.x[-1] + w)
        self.pad = 0.35 * self.size
        self.lead = 1.25 * self.size

    def column_widths(self) -> list[float]:
        size, pad = self.size, 0.35 * self.size
        widths = []
        for k, kind in enumerate(self.g.kinds):
            texts = [r[k] for r in self.g.body if r[k]]
            if kind == "value":
                widest = max([self.p.width_of(t, size) for t in texts] + [self.p.width_of("0000.00", size)])
                widths.append(max(widest, 4 * size) + 2 * pad + 2)
            elif kind == "code":
                widths.append(max([self.p.width_of(t, size) for t in texts] + [2 * size]) + 2 * pad + 2)
            else:
                longest = max([self.p.width_of(t, size) for t in texts] + [4 * size])
                widths.append(min(longest, self.s.label_chars * size) + 2 * pad + 2)
        return widths

    def cell_lines(self, text: str, k0: int, k1: int) -> list[str]:
        return self.p.wrap(text, self.x[k1] - self.x[k0] - 2 * self.pad, self.size) if text else []

    # -- header --
    def header_layout(self) -> tuple[list[float], list]:
        depth = self.g.depth
        heights = [self.lead + 2 * self.pad] * depth
        laid = []
        for row, k, rowspan, colspan, text in self.g.header:
            lines = self.cell_lines(text, k, k + colspan)
            need = len(lines) * self.lead + 2 * self.pad
            laid.append((row, k, rowspan, colspan, lines))
            if rowspan == 1:
                heights[row] = max(heights[row], need)
        for row, k, rowspan, colspan, lines in laid:
            need = len(lines) * self.lead + 2 * self.pad
            have = sum(heights[row:row + rowspan])
            if need > have:
                heights[row + rowspan - 1] += need - have
        return heights, laid

    def draw_header(self) -> None:
        p = self.p
        heights, laid = self.header_layout()
        top = p.y
        tops = [top]
        for h in heights:
            tops.append(tops[-1] + h)
        for row, k, rowspan, colspan, lines in laid:
            y0, y1 = tops[row], tops[row + rowspan]
            self.cell_text(lines, k, k + colspan, y0, y1, "centre")
            self.cell_rules(k, k + colspan, y0, y1)
        bottom = tops[-1]
        if self.s.ruling in ("horizontal", "header"):
            p.rule(self.x[0], top, self.x[-1], 1.5)
            p.rule(self.x[0], bottom, self.x[-1], 0.6)
        p.y = bottom

    def cell_text(self, lines: list[str], k0: int, k1: int, y0: float, y1: float, how: str,
                  valign: str = "middle") -> None:
        block = len(lines) * self.lead
        first = y0 + ((y1 - y0 - block) / 2 if valign == "middle" else self.pad)
        for n, line in enumerate(lines):
            base = first + n * self.lead + self.size * 0.95
            if how == "centre":
                self.p.draw((self.x[k0] + self.x[k1]) / 2, base, line, self.size, "centre")
            elif how == "right":
                self.p.draw(self.x[k1] - self.pad - 1, base, line, self.size, "right")
            else:
                self.p.draw(self.x[k0] + self.pad + 1, base, line, self.size)

    def cell_rules(self, k0: int, k1: int, y0: float, y1: float) -> None:
        x0, x1 = self.x[k0], self.x[k1]
        if self.s.ruling == "grid":
            self.p.rule(x0, y0, x1)
            self.p.rule(x0, y1, x1)
            self.p.vrule(x0, y0, y1)
            self.p.vrule(x1, y0, y1)
        elif self.s.ruling == "boxes":
            self.p.box(x0 + 0.8, y0 + 0.8, x1 - 0.8, y1 - 0.8)

    # -- body --
    def draw(self, title_block) -> None:
        """Title block, header, rows; continued pages repeat the header when the style says so."""
        p = self.p
        header_h = sum(self.header_layout()[0])
        rows = [self.row_layout(r) for r in self.g.body]
        first_h = rows[0][0] if rows else 0
        title_block()
        if p.need(header_h + first_h):
            p.new_page()
        self.draw_header()
        for height, cells in rows:
            if p.need(height):
                self.close_page()
                p.new_page()
                if self.s.repeat_header:
                    self.draw_header()
                elif self.s.ruling in ("horizontal", "header"):
                    p.rule(self.x[0], p.y, self.x[-1], 1.5)
            y0 = p.y
            for k, lines in cells:
                how = "left"
                if self.g.kinds[k] == "value":
                    how = "right" if self.s.align == "right" else "centre"
                self.cell_text(lines, k, k + 1, y0, y0 + height, how,
                               "middle" if self.g.kinds[k] != "value" else self.s.valign)
            for k in range(len(self.g.kinds)):
                self.cell_rules(k, k + 1, y0, y0 + height)
            p.y = y0 + height
            if self.s.ruling == "horizontal":
                p.rule(self.x[0], p.y, self.x[-1], 0.3)
        self.close_page()

    def close_page(self) -> None:
        if self.s.ruling in ("horizontal", "header"):
            self.p.rule(self.x[0], self.p.y, self.x[-1], 1.0)

    def row_layout(self, row: list[str]):
        cells = [(k, self.cell_lines(text, k, k + 1)) for k, text in enumerate(row)]
        lines = max([len(ls) for _, ls in cells] + [1])
        return lines * self.lead + 2 * self.s.row_pad * self.size, cells


# ---- documents ---------------------------------------------------------------------------------


def render(text_path: Path, style: Style, out: Path) -> Path:
    """Draw one sample disclosure in `style` into `out`."""
    doc, tables = source(Path(text_path))
    rng = random.Random(f"{style.name}:{style.seed}:{Path(text_path).name}")
    scope = doc.scope or "部门"
    running = f"{doc.unit_name}{doc.year}年{scope}{doc.budget_kind}公开"
    p = _Painter(out, style, doc.unit_name, running)
    p.total_guess = 40
    size = style.size + 2
    p.new_page(False)
    if style.cover:
        p.y = p.height * 0.3
        p.line(doc.unit_name, 22, "centre", gap=1.2)
        p.line(f"{doc.year}年{scope}{doc.budget_kind}公开", 22, "centre", gap=4)
        p.new_page()
    if style.toc:
        p.line("目  录", 16, "centre", gap=1.2)
        n = 3
        for b in doc.blocks:
            if isinstance(b, Heading) and b.level <= 2:
                entry = b.text
            elif isinstance(b, RawTable) and b.title != "项目支出绩效目标表":
                entry = b.title
            else:
                continue
            n += 1
            dots = "." * max(int((p.right - p.left - p.width_of(entry, 11) - 30) / p.width_of(".", 11)), 3)
            p.line(f"{entry}{dots}{n // 3}", 11, gap=0.6)
        p.new_page()
    k_table = 0
    by_raw = {id(r): t for r, t in zip(doc.raw_tables, tables)}
    on_table_page = False
    for block in doc.blocks:
        if isinstance(block, RawTable):
            table = by_raw[id(block)]
            want_landscape = style.table_pages == "landscape"
            if style.table_pages in ("page", "landscape") or want_landscape != p.landscape:
                p.new_page(want_landscape)
            on_table_page = True
            _draw_table(p, doc, block, table, style, k_table, rng)
            k_table += 1
            continue
        if on_table_page and p.landscape:
            p.new_page(False)
        on_table_page = False
        if isinstance(block, Heading):
            if p.need(4 * size):
                p.new_page()
            p.line(block.text, size + (3 if block.level == 1 else 1), "centre" if block.level == 1 else "left", gap=0.8)
        elif isinstance(block, Paragraph):
            p.paragraph(block.text, size)
    p.c.showPage()
    p.c.save()
    return out


def _draw_table(p: _Painter, doc: Document, raw: RawTable, table: Table, style: Style, k: int,
                rng: random.Random) -> None:
    title = raw.title
    if style.synonyms and table.kind in SYNONYMS:
        title = SYNONYMS[table.kind]
    number = table_label(k, style) if table.kind != "绩效目标表" else None
    issuer = f"{style.issuer}：{doc.unit_name}"

    def title_block() -> None:
        if p.need(style.size * 8):
            p.new_page()
        if number:
            p.line(number, style.size + 1, gap=0.6)
        p.line(title, style.size + 5, "centre", gap=0.8)
        if table.kind == "绩效目标表":
            return
        p.y += style.size
        p.draw(p.left, p.y, issuer, style.size)
        p.draw(p.right, p.y, f"单位：{raw.measure_unit}", style.size, "right")
        p.y += style.size * 0.8
        if style.title_break and rng.random() < 0.5:
            p.new_page()

    if table.kind == "绩效目标表" or not table.columns:
        title_block()
        if table.kind == "绩效目标表":
            for row in raw.body_rows:
                text = " ".join(c for c in row.cells if c)
                for piece in p.wrap(text, p.right - p.left, style.size):
                    p.line(piece, style.size, gap=0.5)
            return
        if raw.header_rows:  # an empty table: its header and note
            paths = [[c] for c in raw.header_rows[-1].cells if c] or [["项目"]]
            _TableDrawer(p, _Grid(["value"] * len(paths), *_header_cells(paths), []), style).draw(lambda: None)
    else:
        grid = grid_of(table, style)
        _TableDrawer(p, grid, style).draw(title_block)
    if raw.note:
        for piece in p.wrap(raw.note, p.right - p.left, style.size + 1):
            p.line(piece, style.size + 1)


def render_all(style: Style, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [render(t, style, folder / f"{t.stem}.pdf") for t in sample_paths()]


def style_named(name: str) -> Style:
    if name in STYLE_BY_NAME:
        return STYLE_BY_NAME[name]
    m = re.fullmatch(r"random-(\d+)", name)
    if m:
        return random_style(int(m.group(1)))
    raise KeyError(name)


__all__ = ["STYLES", "Style", "random_style", "render", "render_all", "source", "cell_agreement", "classified",
           "cell_keys", "sample_paths", "style_named"]
