"""Build small disclosure PDFs with reportlab for the PDF reader tests.

reportlab's built-in CJK CID font STSong-Light is read back by pdfplumber exactly, so these PDFs
test layout handling (rules, landscape pages, page breaks, cover/TOC), not font quirks.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

UNIT = "测试县社会保险中心"

# 表3 支出总体: 功能分类 rows (code, name, 合计, 基本支出, 项目支出)
EXPENSE_ROWS = [
    ("208", "社会保障和就业支出", "636.09", "537.11", "98.98"),
    ("20801", "人力资源和社会保障管理事务", "502.72", "403.74", "98.98"),
    ("2080101", "行政运行", "403.74", "403.74", ""),
    ("2080109", "社会保险经办机构", "98.98", "", "98.98"),
    ("20805", "行政事业单位养老支出", "133.37", "133.37", ""),
    ("2080501", "行政单位离退休", "80.50", "80.50", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "52.87", "52.87", ""),
    ("210", "卫生健康支出", "33.84", "33.84", ""),
    ("21011", "行政事业单位医疗", "33.84", "33.84", ""),
    ("2101101", "行政单位医疗", "23.13", "23.13", ""),
]


class Writer:
    """A canvas with a cursor: text lines and tables flow down the page."""

    def __init__(self, path: Path, pagesize=A4, **kwargs):
        self.c = canvas.Canvas(str(path), pagesize=pagesize, **kwargs)
        self.pagesize = pagesize
        self.width, self.height = pagesize
        self.left, self.right = 56.0, self.width - 56.0
        self.y = self.height - 60
        self.page = 1
        self.footer()

    def footer(self) -> None:
        self.c.setFont(FONT, 9)
        self.c.drawCentredString(self.width / 2, 30, f"- {self.page} -")

    def new_page(self, pagesize=None) -> None:
        self.c.showPage()
        if pagesize:
            self.c.setPageSize(pagesize)
            self.pagesize = pagesize
            self.width, self.height = pagesize
            self.right = self.width - 56.0
        self.page += 1
        self.y = self.height - 60
        self.footer()

    def line(self, text: str, size: float = 11, x: float | None = None, gap: float = 8, centre: bool = False):
        self.c.setFont(FONT, size)
        if centre:
            self.c.drawCentredString(self.width / 2, self.y, text)
        else:
            self.c.drawString(self.left if x is None else x, self.y, text)
        self.y -= size + gap

    def paragraph(self, text: str, size: float = 11) -> None:
        """A paragraph wrapped to the text width, first line indented by two characters."""
        per_line = int((self.right - self.left) // size)
        first, rest = text[: per_line - 2], text[per_line - 2:]
        self.line(first, size, x=self.left + 2 * size)
        while rest:
            self.line(rest[:per_line], size)
            rest = rest[per_line:]

    def table(self, rows: list[list[str]], widths: list[float], size: float = 9, row_height: float = 18,
              vertical: bool = True, horizontal: bool = True) -> None:
        """Draw rows as a table: ruled fully, or with horizontal rules only (vertical=False)."""
        x_edges = [self.left]
        for w in widths:
            x_edges.append(x_edges[-1] + w)
        top = self.y + size + 4
        self.c.setFont(FONT, size)
        y = top
        for row in rows:
            if horizontal:
                self.c.line(x_edges[0], y, x_edges[-1], y)
            for k, cell in enumerate(row):
                if not cell:
                    continue
                if row is rows[0]:  # header labels centred in their cells
                    self.c.drawCentredString((x_edges[k] + x_edges[k + 1]) / 2, y - row_height + 5, cell)
                elif _numberish(cell):
                    self.c.drawRightString(x_edges[k + 1] - 3, y - row_height + 5, cell)
                else:
                    self.c.drawString(x_edges[k] + 3, y - row_height + 5, cell)
            y -= row_height
        if horizontal:
            self.c.line(x_edges[0], y, x_edges[-1], y)
        if vertical:
            for x in x_edges:
                self.c.line(x, top, x, y)
        self.y = y - 20

    def save(self) -> None:
        self.c.save()


def _numberish(text: str) -> bool:
    return text.replace(",", "").replace(".", "", 1).isdigit()


def _title(w: Writer, number: str, title: str) -> None:
    w.line(f"表 {number}", 11)
    w.line(title, 14, centre=True)
    w.line(f"编制单位：{UNIT}", 10)
    w.line("单位：万元", 10, x=w.right - 60)


def _narrative(w: Writer) -> None:
    w.line("第一部分 2025 年单位概况", 14)
    w.line("一、主要职能", 12)
    w.paragraph("负责全县社会保险参保登记、缴费基数申报审核、社会保险关系建立、转移、接续和终止及档案管理，"
                "负责社会保险基金财务管理、会计核算和预、决算草案的编制和执行工作。")
    w.line("第二部分 2025 年单位预算公开表", 14)


EXPENSE_HEADER = [["功能分类科目编码", "功能分类科目名称", "合计", "基本支出", "项目支出"]]


def horizontal_rules_pdf(path: Path) -> Path:
    """表3 drawn with horizontal rules only (no vertical lines): found by text alignment."""
    w = Writer(path)
    _narrative(w)
    _title(w, "3", "单位支出总体情况表")
    rows = EXPENSE_HEADER + [[c, n, a, b, p] for c, n, a, b, p in EXPENSE_ROWS]
    w.table(rows, [90, 190, 70, 70, 70], vertical=False)
    w.save()
    return path


def landscape_pdf(path: Path, rotated: bool = False) -> Path:
    """A portrait narrative page, then a landscape page with a wide 12-column table (表2 收入总体).

    rotated=True draws that page in portrait and marks it /Rotate 90 instead, as scanners and
    some office suites do.
    """
    w = Writer(path)
    _narrative(w)
    if rotated:  # a portrait sheet turned by /Rotate 90, its content drawn turned the other way
        w.new_page()
        w.c.setPageRotation(90)
        w.c.rotate(90)
        w.c.translate(0, -A4[0])
        w.width, w.height = landscape(A4)
        w.right = w.width - 56.0
        w.y = w.height - 60
    else:
        w.new_page(landscape(A4))
    _title(w, "2", "单位收入总体情况表")
    header = [["功能分类科目编码", "功能分类科目名称", "总计", "一般公共预算", "上级转移支付", "政府性基金预算",
               "国有资本预算", "财政专户", "单位资金", "财政拨款结转", "非财政拨款结转", "其他"]]
    body = [
        ["", "总计", "714.76", "709.78", "", "", "", "", "4.98", "", "", ""],
        ["205", "教育支出", "1.99", "1.99", "", "", "", "", "", "", "", ""],
        ["208", "社会保障和就业支出", "636.09", "631.11", "", "", "", "", "4.98", "", "", ""],
        ["210", "卫生健康支出", "33.84", "33.84", "", "", "", "", "", "", "", ""],
        ["221", "住房保障支出", "42.85", "42.85", "", "", "", "", "", "", "", ""],
    ]
    w.table(header + body, [70, 110] + [56] * 10, size=7.5)
    w.save()
    return path


def three_page_table_pdf(path: Path, rows_per_page: int = 4) -> Path:
    """表3 continued over three pages, its header row repeated at the top of each page."""
    w = Writer(path)
    _narrative(w)
    w.new_page()
    _title(w, "3", "单位支出总体情况表")
    chunks = [EXPENSE_ROWS[k:k + rows_per_page] for k in range(0, len(EXPENSE_ROWS), rows_per_page)]
    assert len(chunks) == 3
    for n, chunk in enumerate(chunks):
        if n:
            w.new_page()
        w.table(EXPENSE_HEADER + [[c, nm, a, b, p] for c, nm, a, b, p in chunk], [90, 190, 70, 70, 70])
    w.line("第三部分 2025 年单位预算情况说明", 14)
    w.paragraph("本单位 2025 年支出预算 636.09 万元。")
    w.save()
    return path


def cover_and_toc_pdf(path: Path) -> Path:
    """A cover page, a table-of-contents page with dotted leaders, then the disclosure."""
    w = Writer(path)
    w.y = w.height - 250
    w.line(UNIT, 22, centre=True, gap=20)
    w.line("2025 年单位预算公开", 22, centre=True)
    w.new_page()
    w.line("目 录", 16, centre=True, gap=16)
    for entry, page in [("第一部分 2025 年单位概况", 3), ("一、主要职能", 3), ("第二部分 2025 年单位预算公开表", 3),
                        ("三、单位支出总体情况表", 4), ("第三部分 2025 年单位预算情况说明", 5)]:
        w.line(f"{entry} {'.' * (60 - 2 * len(entry))} {page}", 11)
    w.new_page()
    _narrative(w)
    _title(w, "3", "单位支出总体情况表")
    w.table(EXPENSE_HEADER + [[c, n, a, b, p] for c, n, a, b, p in EXPENSE_ROWS[:4]], [90, 190, 70, 70, 70])
    w.save()
    return path


def unnumbered_sections_pdf(path: Path) -> Path:
    """The Shanghai look: a 目录 of unnumbered entries (no 第X部分, no leaders), centred unnumbered section
    titles, and figures set in a Latin font whose baseline sits 5 pt below the CJK text of the same line."""
    w = Writer(path)
    w.y = w.height - 250
    w.line(f"{UNIT}2025年单位预算", 22, centre=True)
    w.new_page()
    w.line("目 录", 16, centre=True, gap=16)
    for entry in ("一、单位主要职能", "二、单位机构设置", "三、名词解释", "四、单位预算表"):
        w.line(entry, 11)
    w.new_page()
    w.line(f"{UNIT}机构设置", 14, centre=True, gap=14)
    w.line(f"{UNIT}设5个内设机构，包括：办公室、财务科、经办科。", 11, x=w.left + 22)
    w.line("机关运行经费", 14, centre=True, gap=14)
    x = w.left + 22
    for piece in ("机关运行经费支出", "184.65", "万元，比", "2023", "年度增加", "2.55", "万元。"):
        latin = piece[0].isdigit()
        w.c.setFont("Times-Roman" if latin else FONT, 11)
        w.c.drawString(x, w.y - (4.9 if latin else 0), piece)
        x += w.c.stringWidth(piece, "Times-Roman" if latin else FONT, 11)
    w.y -= 30
    _title(w, "3", "单位支出总体情况表")
    w.table(EXPENSE_HEADER + [[c, n, a, b, p] for c, n, a, b, p in EXPENSE_ROWS[:4]], [90, 190, 70, 70, 70])
    w.save()
    return path


# ---- bad PDFs --------------------------------------------------------------------------------


def encrypted_pdf(path: Path) -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("secret", ownerPassword="owner", canPrint=1, strength=128)
    w = Writer(path, encrypt=enc)
    _narrative(w)
    w.save()
    return path


def truncated_pdf(source: Path, path: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def image_only_pdf(path: Path) -> Path:
    """A 'scan': filled shapes and an inline image, no text at all."""
    from reportlab.lib.utils import ImageReader  # noqa: F401  (reportlab draws raw images without PIL too)

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFillGray(0.85)
    c.rect(50, 100, 495, 640, fill=1, stroke=0)
    c.setFillGray(0.2)
    for k in range(30):
        c.rect(70, 700 - 20 * k, 300 + (k % 5) * 30, 8, fill=1, stroke=0)
    c.showPage()
    c.save()
    return path


def zero_byte_pdf(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def zero_page_pdf(path: Path) -> Path:
    """A syntactically valid PDF whose page tree is empty."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def english_pdf(path: Path) -> Path:
    """A page of unrelated English text: not a budget disclosure."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    text = ("The quick brown fox jumps over the lazy dog. This report describes the migration habits of "
            "garden birds observed during the spring of 2024 in a small village.").split(". ")
    y = 780
    for k in range(20):
        c.drawString(56, y, text[k % len(text)])
        y -= 16
    c.showPage()
    c.save()
    return path
