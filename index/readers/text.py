"""Text and markdown exports of a disclosure → `Document`.

Handles the layouts seen in the wild: tab-separated rows, markdown pipe tables, `<b>` tags and
markdown marks, tables continued over pages (the 编制单位 line and header rows repeated), and
tables whose cells were flattened into lines of space-separated text (kept as lines here and
placed by `index.flattened`). Each block keeps its source line number.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from index.chars import clean_cell, normalize_text, squash, strip_markup
from index.errors import IngestError
from index.kinds import looks_like_table_title, table_kind
from index.metadata import document_metadata
from index.model import Document, Heading, Paragraph, RawTable, SourceRow
from index.structure import (EMPTY_NOTE, ISSUER, MEASURE, PART, TOC, continues_heading, continues_paragraph,
                             heading_level,
                             is_column_number_row, is_header_row, table_number)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise IngestError(str(path), "empty file")
    if b"\x00" in data[:8192]:
        raise IngestError(str(path), "binary file, not a text export (contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(str(path), "unreadable encoding (neither UTF-8 nor GB18030)")


def _clean_line(line: str) -> str:
    line = line.rstrip("\r\n")
    if line.lstrip().startswith("|"):
        return normalize_text(line.strip())
    text = strip_markup(line)
    text = re.sub(r"^#{1,6}\s*", "", text)
    text = strip_markup(text)
    text = re.sub(r"^-\s+", "", text)
    return normalize_text(text).strip()


def _split_row(line: str) -> list[str] | None:
    """Cells of a tab-separated or pipe row; None when the line is not a table row."""
    raw = line.rstrip("\r\n")
    if raw.lstrip().startswith("|"):
        inner = raw.strip()
        inner = inner[1:-1] if inner.endswith("|") and len(inner) > 1 else inner[1:]
        cells = [clean_cell(c) for c in inner.split("|")]
        if all(re.fullmatch(r":?-{2,}:?|", c.replace(" ", "")) for c in cells):
            return []  # the |---| separator
        return cells
    if "\t" in raw:
        return [clean_cell(c) for c in raw.split("\t")]
    return None


class _Reader:
    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()
        self.blocks: list = []
        self.title_lines: list[str] = []
        self.issuers: list[str] = []
        self.table: RawTable | None = None
        self.seen_body = False  # the open table has body rows
        self.after_break = False  # a repeated 编制单位 line: the next header rows repeat
        self.header_closed = False  # the printed column numbers ended the header
        self.note_open = False

    # -- tables ------------------------------------------------------------------
    def open_table(self, number: str | None, line_no: int, title: str = "") -> None:
        self.close_table()
        self.table = RawTable(title=title, number=number, line=line_no)
        self.seen_body = self.after_break = self.header_closed = self.note_open = False

    def close_table(self) -> None:
        if self.table is not None:
            t = self.table
            if not t.title:
                t.title = f"表{t.number}" if t.number else "表"
            self.blocks.append(t)
        self.table = None

    def add_row(self, cells: list[str], line_no: int) -> None:
        t = self.table
        assert t is not None
        if not any(cells):
            return
        if table_kind(t.title) == "绩效目标表":
            t.body_rows.append(SourceRow(cells, line_no))
            return
        header_like = is_header_row(cells) and not self.header_closed
        if self.after_break:
            if is_header_row(cells):
                return  # header repeated on a continued page
            self.after_break = False
        if not self.seen_body and header_like:
            t.header_rows.append(SourceRow(cells, line_no))
            if is_column_number_row(cells):
                self.header_closed = True
            return
        self.seen_body = True
        t.body_rows.append(SourceRow(cells, line_no))

    def table_line(self, text: str, line_no: int) -> bool:
        """Consume a non-row line inside an open table; False when the table has ended."""
        t = self.table
        assert t is not None
        issuer = ISSUER.match(text)
        if issuer:
            if issuer.group(1):
                self.issuers.append(squash(issuer.group(1)))
            if issuer.group(2):
                t.measure_unit = issuer.group(2)
            if t.header_rows or t.body_rows:
                self.after_break = True
            return True
        measure = MEASURE.match(text)
        if measure:
            t.measure_unit = measure.group(1)
            return True
        if not t.title and not t.body_rows and not t.header_rows:
            t.title = squash(text)
            return True
        if re.fullmatch(r"[（(]\s*\d{4}\s*年?\s*[)）]", text):
            return True  # "(2025 年)" under a 绩效目标表 title
        if EMPTY_NOTE.search(text) or (self.note_open and len(text) <= 12):
            t.note = (t.note + text) if self.note_open else text
            self.note_open = not text.endswith("。")
            return True
        if PART.match(text) or table_number(text):
            return False
        if t.layout == "flattened" and heading_level(text) == 3:
            return False
        if t.layout == "flattened" or (not t.header_rows and not t.body_rows):
            t.layout = "flattened"
            t.body_rows.append(SourceRow([text], line_no))
            return True
        return False

    # -- narrative ---------------------------------------------------------------
    def narrative_line(self, text: str, line_no: int) -> None:
        last = self.blocks[-1] if self.blocks else None
        if isinstance(last, Heading) and last.line == line_no - self.heading_gap(line_no) \
                and continues_heading(last.text, text):
            last.text += text
            return
        level = heading_level(text)
        if level:
            self.blocks.append(Heading(re.sub(r"\s+", " ", text), level, line_no))
            return
        if isinstance(last, Paragraph) and continues_paragraph(last.text, text):
            last.text += text
            return
        self.blocks.append(Paragraph(text, line_no))

    def heading_gap(self, line_no: int) -> int:
        """Lines between `line_no` and the previous non-blank line (exports double-space lines)."""
        gap = 1
        while line_no - gap - 1 >= 0 and not self.lines[line_no - gap - 1].strip():
            gap += 1
        return gap

    def run(self) -> None:
        in_toc = False
        toc_parts: set[str] = set()
        started = False
        for index, raw in enumerate(self.lines):
            line_no = index + 1
            cells = _split_row(raw)
            text = _clean_line(raw)
            if cells == []:
                continue
            if cells is None and not text:
                continue
            if cells is None and TOC.match(squash(text)):
                in_toc = True
                continue
            if in_toc and cells is None:
                part = PART.match(squash(text))
                if part and part.group(0) in toc_parts:
                    in_toc = False
                else:
                    if part:
                        toc_parts.add(part.group(0))
                    continue
            if not started and cells is None and not PART.match(text) and not table_number(text):
                if not ISSUER.match(text):
                    self.title_lines.append(text)
                    continue
            started = True
            if cells is not None:
                if self.table is None:
                    title = ""
                    last = self.blocks[-1] if self.blocks else None
                    if isinstance(last, Paragraph) and looks_like_table_title(last.text):
                        title = squash(self.blocks.pop().text)
                    self.open_table(None, line_no, title)
                elif self.table.layout == "flattened":
                    self.table.layout = "cells"
                self.add_row(cells, line_no)
                continue
            number = table_number(text)
            if number:
                self.open_table(number, line_no)
                continue
            if self.table is not None and self.table_line(text, line_no):
                continue
            self.close_table()
            if squash(text).endswith("绩效目标表") and len(squash(text)) <= 20:
                self.open_table(None, line_no, squash(text))
                continue
            self.narrative_line(text, line_no)
        self.close_table()


def read_text(path: str | Path) -> Document:
    """Read a text/markdown export; raise `IngestError` naming the file when it is unusable."""
    path = Path(path)
    data = path.read_bytes()
    text = decode(path, data)
    reader = _Reader(path, text)
    reader.run()
    issuer = Counter(reader.issuers).most_common(1)[0][0] if reader.issuers else ""
    doc = Document(path=str(path), sha256=hashlib.sha256(data).hexdigest(), unit_name=issuer, year=None,
                   blocks=reader.blocks, source_format="text")
    document_metadata(doc, reader.title_lines)
    return doc
