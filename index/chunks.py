"""Section-aware narrative chunks: what the vector and lexical indexes hold.

A chunk never crosses a heading; long sections split on sentence ends (。；) with one sentence of
overlap; short list items stay with their heading; each 名词解释 entry and each 绩效目标表
(one project's targets, rows joined into lines) is a chunk of its own. The text is the
document's own (citations quote it); `embed_text` adds 【unit year】 and the section for the
embedder.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.kinds import table_kind
from index.model import Document, Paragraph, RawTable

TARGET = 320


@dataclass
class Chunk:
    id: str
    doc_key: str
    unit_name: str
    year: int | None
    section: str
    text: str
    line: int | None = None
    page: int | None = None

    @property
    def embed_text(self) -> str:
        return f"【{self.unit_name} {self.year}】{self.section.split(' > ')[-1]}\n{self.text}"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；;])", text) if s.strip()]


def chunk_document(doc: Document, doc_key: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    current: list[tuple[str, int | None, int | None]] = []
    current_section = None

    def emit(section, parts):
        if not parts:
            return
        text = "\n".join(p for p, _, _ in parts).strip()
        if text:
            chunks.append(Chunk(f"{doc_key}#{len(chunks)}", doc_key, doc.unit_name, doc.year, section, text,
                                parts[0][1], parts[0][2]))

    for path, block in doc.with_headings():
        if path != current_section:
            emit(current_section or "", current)
            current, current_section = [], path
        if isinstance(block, RawTable) and table_kind(block.title) == "绩效目标表":
            emit(path, current)
            current = []
            lines = [" ".join(c for c in row.cells if c) for row in block.body_rows]
            emit(path, [(block.title + "\n" + "\n".join(lines), block.line, block.page)])
            continue
        if not isinstance(block, Paragraph):
            continue
        if "名词解释" in path:  # each entry on its own
            emit(path, current)
            current = []
            emit(path, [(block.text, block.line, block.page)])
            continue
        size = sum(len(p) for p, _, _ in current)
        if size + len(block.text) <= TARGET or not current:
            if len(block.text) <= TARGET * 1.5:
                current.append((block.text, block.line, block.page))
                continue
        if len(block.text) <= TARGET * 1.5:
            emit(path, current)
            current = [(block.text, block.line, block.page)]
            continue
        emit(path, current)
        current = []
        sentences = _sentences(block.text)
        piece: list[str] = []
        for s in sentences:
            if piece and len("".join(piece)) + len(s) > TARGET:
                emit(path, [("".join(piece), block.line, block.page)])
                piece = piece[-1:]  # one sentence of overlap
            piece.append(s)
        if piece:
            current = [("".join(piece), block.line, block.page)]
    emit(current_section or "", current)
    return chunks
