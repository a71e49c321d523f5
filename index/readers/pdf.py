"""PDF disclosures → `Document`, the same blocks the text-export reader builds.

`index.readers.pdf_pages` reads each page once into tables (ruled grids, and regions rebuilt from word
positions whatever their ruling) and text lines in reading order. Those then go through the same decisions
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
from collections import Counter
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from index.chars import squash
from index.errors import IngestError
from index.kinds import table_kind
from index.metadata import document_metadata
from index.model import Document, Heading, Paragraph
from index.readers.blocks import BlockBuilder, performance_title
from index.readers.pdf_pages import (DEPT_ISSUER, NUMBER_AND_TITLE, NUMBER_CELL, TITLE_AND_ISSUER, TOC_ENTRY, Page,
                                     PageTable, TextLine, scan, table_title)
from index.structure import (CONTINUATION, ISSUER, LIST_ITEM, MEASURE, PART, SENTENCE_END, TOC, continues_heading,
                             continues_paragraph, heading_level, starts_new_item, table_number)

logging.getLogger("pdfminer").setLevel(logging.ERROR)

PDF_SUFFIXES = {".pdf"}


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


# ---- the document ----------------------------------------------------------------------------


class _Reader(BlockBuilder):
    def __init__(self, path: Path, pages: list[Page]):
        super().__init__()
        self.path = path
        self.pages = pages
        self.table_width = 0
        self.table_columns: list[tuple[float, float]] = []
        self.last_line: TextLine | None = None  # the line the last narrative block ended with
        self.last_kind = ""  # what the previous item was: "line", "table", "other"

    # -- tables ---------------------------------------------------------------------------
    def open_table(self, number: str | None, title: str = "", line: int | None = None,
                   page: int | None = None) -> None:
        super().open_table(number, title, line, page)
        self.table_width = 0
        self.table_columns = []

    def add_table(self, item: PageTable, new_page: bool) -> None:
        split = next((i for i, r in enumerate(item.rows) if i and _lone_title(r)), None)
        if split is not None:  # one grid drawn round the end of a table and the title of the next
            head, tail = _split_grid(item, split)
            self.add_table(head, new_page)
            self.add_table(tail, False)
            return
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
            self.open_after_title(item.page)
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

    def open_after_title(self, page: int) -> None:
        """Open a table titled by the line just read as narrative when it is a table title (a title at the
        foot of one page, its table — maybe with its 部门/单位 line drawn in the grid — on the next)."""
        title = ""
        last = self.blocks[-1] if self.blocks else None
        if isinstance(last, (Paragraph, Heading)) and table_title(last.text):
            title = table_title(self.blocks.pop().text) or ""
        self.open_table(None, title, page=page)

    def column_mapping(self, item: PageTable) -> list[int] | None:
        """Place a continued table's columns under the open table's columns by their x position."""
        if not self.table_columns or not item.columns or item.width > self.table_width:
            return None
        mapping = []
        for x0, x1 in item.columns:
            centre = (x0 + x1) / 2
            hits = [k for k, (a, b) in enumerate(self.table_columns) if a - 2 <= centre <= b + 2]
            if not hits:  # drawn wider on this page: the column it overlaps most
                overlaps = [(min(x1, b) - max(x0, a), k) for k, (a, b) in enumerate(self.table_columns)]
                hits = [max(overlaps)[1]] if max(overlaps)[0] > 0 else []
            if len(hits) != 1 or hits[0] in mapping:
                return None
            mapping.append(hits[0])
        return mapping

    def peel_title_rows(self, item: PageTable) -> list[list[str]]:
        """Title, 部门 and 单位 lines drawn inside the ruled grid: read them as the text lines they are."""
        rows = item.rows
        while rows:
            values = [c for c in rows[0] if c]
            joined = squash("".join(values))
            if len(values) == 1 and len(joined) > 80 and len(rows) > 1:
                # a frame drawn round the whole table: one cell holding all of it; keep its title lines
                head = re.match(r"^(.{2,40}?表(?:[（(][^）)]*[）)])?)", joined)
                if head and table_title(head.group(1)):
                    issuer = re.search(r"(?:部门(?:名称)?|编制(?:单位|部门))[：:](.*?)(?:金额)?单位[：:](万元|千元|亿元|元)", joined)
                    rows = [[head.group(1)]] + ([[f"部门：{issuer.group(1)}单位：{issuer.group(2)}"]] if issuer else []) \
                        + rows[1:]
                    continue
            if not values or len(joined) > 80:
                break
            glued = TITLE_AND_ISSUER.match(joined) if len(values) == 1 else None
            if glued and table_title(glued.group(1)):
                # "收支预算总表部门：江苏省政协办公厅 单位：万元" in one merged cell
                rows = [[glued.group(1)], [glued.group(2)]] + rows[1:]
                continue
            number, title = table_number(joined), None
            both = NUMBER_AND_TITLE.match(joined)
            if len(values) == 1 and not number and not both:
                title = table_title(joined)
            issuer = DEPT_ISSUER.match(joined) or ISSUER.match(joined)
            measure = MEASURE.match(joined)
            if both:
                self.open_table(both.group(1) or both.group(2), table_title(both.group(3)) or both.group(3), page=item.page)
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
                    self.open_after_title(item.page)
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

    def table_line(self, line: TextLine) -> bool:
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
            t.title = table_title(text) or squash(text)
            return True
        return self.table_text(text, page=line.page, wrapped_note=bool(t.note))

    # -- narrative ------------------------------------------------------------------------
    def narrative_line(self, line: TextLine) -> None:
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
    def joins(paragraph: str, prev: TextLine, line: TextLine) -> bool:
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
                started = True  # the page after the 目录 is the body, whether or not it opens with 第X部分
            new_page = True
            for item in page.items:
                if isinstance(item, PageTable):
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
                        key) and not (table_title(text) and self.next_is_table(page, item)):
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
    def next_is_table(page: Page, item: TextLine) -> bool:
        """A table follows this line closely on its page (only title/issuer lines between)."""
        after = page.items[page.items.index(item) + 1:][:4]
        return any(isinstance(it, PageTable) for it in after)

    def toc_like_start(self, page: Page) -> bool:
        """A page that goes on with the table of contents: its first lines are short entries."""
        lines = []
        for it in page.items:
            if isinstance(it, PageTable):
                return False
            lines.append(it)
            if len(lines) == 6:
                break
        return bool(lines) and all(len(squash(ln.text)) <= 60 and not ln.text.endswith(("。", "；"))
                                   and not (ln.reaches_margin and not TOC_ENTRY.search(ln.text)) for ln in lines)

    def line(self, item: TextLine) -> None:
        text = item.text
        key = squash(text)
        both = NUMBER_AND_TITLE.match(key)
        if both:
            self.open_table(both.group(1) or both.group(2), table_title(both.group(3)) or both.group(3), page=item.page)
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
            if isinstance(last, (Paragraph, Heading)) and table_title(last.text):
                title = table_title(self.blocks.pop().text) or ""
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


def _lone_title(row: list[str]) -> bool:
    """A grid row holding nothing but a table's title."""
    values = [c for c in row if c]
    return len(values) == 1 and len(squash(values[0])) <= 40 and table_title(values[0]) is not None \
        and table_title(values[0]) == squash(values[0])


def _split_grid(item: PageTable, at: int) -> tuple[PageTable, PageTable]:
    """A grid's rows before `at` and from `at` on, as two grids."""
    def part(rows, boxes):
        return PageTable(rows=rows, page=item.page, top=item.top, bottom=item.bottom, columns=item.columns,
                         boxes=boxes, bbox=item.bbox)
    return part(item.rows[:at], item.boxes[:at]), part(item.rows[at:], item.boxes[at:])


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
            pages, running = scan(pdf)
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
