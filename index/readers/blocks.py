"""Building a Document's blocks from a reader's lines and rows: shared by the text and PDF readers.

Both readers meet the same structures — a table opened by "表 N" or a title, header rows (labels
and the printed column numbers), body rows, header rows repeated on a continued page, a "为空表"
note — and must build the same `RawTable`s from them, whatever their source gives as provenance
(a line number or a page).
"""
from __future__ import annotations

import re

from index.kinds import table_kind
from index.model import RawTable, SourceRow
from index.chars import squash
from index.structure import EMPTY_NOTE, PART, TOC, heading_level, is_column_number_row, is_header_row, table_number


def performance_title(text: str) -> bool:
    """The title line of a 绩效目标表 (项目支出绩效目标表, 部门整体绩效目标表): each opens its own table."""
    key = squash(text)
    return key.endswith("绩效目标表") and len(key) <= 20


class BlockBuilder:
    def __init__(self):
        self.blocks: list = []
        self.title_lines: list[str] = []
        self.issuers: list[str] = []
        self.table: RawTable | None = None
        self.seen_body = False  # the open table has body rows
        self.after_break = False  # the table goes on: the next header rows repeat
        self.header_closed = False  # the printed column numbers ended the header
        self.note_open = False
        self.in_toc = False  # inside the table of contents (目录)
        self.toc_parts: set[str] = set()  # the 第X部分 it listed

    def toc_line(self, key: str) -> bool:
        """True while a (squashed) line belongs to the 目录: the body begins at a 第X部分 it listed."""
        if TOC.match(key):
            self.in_toc = True
            return True
        if not self.in_toc:
            return False
        part = PART.match(key)
        if part and part.group(0) in self.toc_parts:
            self.in_toc = False
            return False
        if part:
            self.toc_parts.add(part.group(0))
        return True

    def open_table(self, number: str | None, title: str = "", line: int | None = None,
                   page: int | None = None) -> None:
        self.close_table()
        self.table = RawTable(title=title, number=number, line=line, page=page)
        self.seen_body = self.after_break = self.header_closed = self.note_open = False

    def close_table(self) -> None:
        if self.table is not None:
            t = self.table
            if not t.title:
                t.title = f"表{t.number}" if t.number else "表"
            if t.layout == "flattened" and not t.body_rows:
                t.layout = "cells"
            self.blocks.append(t)
        self.table = None

    def add_row(self, cells: list[str], line: int | None = None, page: int | None = None,
                boxes: list | None = None) -> None:
        t = self.table
        assert t is not None
        if not any(cells):
            return
        if table_kind(t.title) == "绩效目标表":
            t.body_rows.append(SourceRow(cells, line, page, boxes))
            return
        header_like = is_header_row(cells) and not self.header_closed
        if self.after_break:
            if is_header_row(cells):
                return  # header repeated on a continued page
            self.after_break = False
        if not self.seen_body and header_like:
            t.header_rows.append(SourceRow(cells, line, page, boxes))
            if is_column_number_row(cells):
                self.header_closed = True
            return
        self.seen_body = True
        t.body_rows.append(SourceRow(cells, line, page, boxes))

    def table_text(self, text: str, line: int | None = None, page: int | None = None,
                   wrapped_note: bool = False) -> bool:
        """A line of text inside an open table: its "(2025 年)", its 为空表 note, or a flattened row.
        False when the line ends the table. `wrapped_note`: every line goes on an unfinished note."""
        t = self.table
        assert t is not None
        if re.fullmatch(r"[（(]\s*\d{4}\s*年?\s*[)）]", text):
            return True  # "(2025 年)" under a 绩效目标表 title
        if EMPTY_NOTE.search(text) or (self.note_open and (len(text) <= 12 or wrapped_note)):
            t.note = (t.note + text) if self.note_open else text
            self.note_open = not text.endswith("。")
            return True
        if PART.match(text) or table_number(text):
            return False
        if t.layout == "flattened" and heading_level(text) == 3:
            return False
        if t.layout == "flattened" or (not t.header_rows and not t.body_rows):
            t.layout = "flattened"  # cells run together into lines of text: placed by index.flattened
            t.body_rows.append(SourceRow([text], line, page))
            return True
        return False
