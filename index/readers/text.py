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
from index.kinds import looks_like_table_title
from index.metadata import document_metadata
from index.model import Document, Heading, Paragraph
from index.readers.blocks import BlockBuilder, performance_title
from index.structure import (ISSUER, MEASURE, PART, continues_heading, continues_paragraph,
                             heading_level, table_number)

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


class _Reader(BlockBuilder):
    def __init__(self, path: Path, text: str):
        super().__init__()
        self.path = path
        self.lines = text.splitlines()

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
        return self.table_text(text, line=line_no)

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
        started = False
        for index, raw in enumerate(self.lines):
            line_no = index + 1
            cells = _split_row(raw)
            text = _clean_line(raw)
            if cells == []:
                continue
            if cells is None and not text:
                continue
            if cells is None and self.toc_line(squash(text)):
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
                    self.open_table(None, title, line=line_no)
                elif self.table.layout == "flattened":
                    self.table.layout = "cells"
                self.add_row(cells, line=line_no)
                continue
            number = table_number(text)
            if number:
                self.open_table(number, line=line_no)
                continue
            if performance_title(text):  # each 绩效目标表 is a table of its own
                self.open_table(None, squash(text), line=line_no)
                continue
            if self.table is not None and self.table_line(text, line_no):
                continue
            self.close_table()
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
