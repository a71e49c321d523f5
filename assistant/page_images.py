"""The printed page behind a figure: the store's copy of a PDF, rendered with the cell outlined.

A reader of disclosures checks the printed cell before quoting a number, so the evidence of a
PDF-sourced figure is the page itself. Pages are rendered by pdfplumber (through pypdfium2) from
the copy ingest keeps under DATA/sources/<sha256>.pdf — never from a path a client names: a
document id or a cell id is all a request carries. The cell's printed box comes from
`cells.x0, top, x1, bottom` (PDF points, top-left origin, on `cells.page`). Rendered PNGs are
kept in a small LRU, keyed by the file's hash, so a page asked for twice is rendered once.
"""
from __future__ import annotations

import hashlib
import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from index.ingest import SOURCE_SEP, kept_copy
from index.store import Store

OUTLINE = (214, 39, 40)  # the outline's colour (also what the browser test looks for)
FILL = (255, 214, 0, 50)
CONTEXT_PT = 80  # points of the page kept above and below the cell in the close-up


@dataclass(frozen=True)
class SourcePdf:
    path: Path
    sha256: str


@dataclass(frozen=True)
class CellPlace:
    """Where a stored cell is printed: which PDF, which page, and its box if the reader recorded one."""
    cell_id: int
    document_id: int
    pdf: SourcePdf
    part: int  # index of the PDF among the document's parts (文件 + 表格 → 0, 1)
    page: int
    box: tuple[float, float, float, float] | None


class PageImages:
    def __init__(self, store: Store, cache_size: int = 48):
        self.store = store
        self._cache: OrderedDict[tuple, bytes] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # pypdfium2 is not thread-safe
        self._hashes: dict[tuple, str] = {}

    # ---- which file ------------------------------------------------------------------------

    def pdf_parts(self, document_id: int) -> list[SourcePdf]:
        """The PDFs a document was read from, in the document's order, as copies the store owns."""
        rows = self.store.query("SELECT source_file FROM documents WHERE id = ?", (document_id,))
        if not rows or not rows[0]["source_file"]:
            return []
        hashes = {r["path"]: r["sha256"] for r in self.store.query(
            "SELECT path, sha256 FROM source_files WHERE document_id = ? AND status = 'indexed'", (document_id,))}
        parts = []
        for path in rows[0]["source_file"].split(SOURCE_SEP):
            sha = hashes.get(path)
            if not sha or not path.lower().endswith(".pdf"):
                continue
            found = self._file_for(path, sha)
            if found:
                parts.append(SourcePdf(found, sha))
        return parts

    def _file_for(self, original: str, sha: str) -> Path | None:
        """The kept copy; else the original file while its content is still the one indexed."""
        copy = kept_copy(self.store.data_dir, sha)
        if copy.exists():
            return copy
        path = Path(original)
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in self._hashes:
            self._hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return path if self._hashes[key] == sha else None

    def place(self, cell_id: int) -> CellPlace | None:
        rows = self.store.query("SELECT id, document_id, page, raw, row_label, x0, top, x1, bottom FROM cells"
                                " WHERE id = ?", (cell_id,))
        if not rows or not rows[0]["page"]:
            return None
        c = rows[0]
        parts = self.pdf_parts(c["document_id"])
        if not parts:
            return None
        box = (c["x0"], c["top"], c["x1"], c["bottom"]) if None not in (c["x0"], c["top"], c["x1"],
                                                                          c["bottom"]) else None
        part = 0 if len(parts) == 1 else self._part_printing(parts, c["page"], c["raw"], c["row_label"], box)
        return CellPlace(c["id"], c["document_id"], parts[part], part, c["page"], box)

    def _part_printing(self, parts: list[SourcePdf], page: int, raw: str, label: str, box) -> int:
        """Of a document's PDFs, the one whose page prints the cell (its text inside the box)."""
        import pdfplumber

        wanted = _squash(raw) or _squash(label)
        fallback = len(parts) - 1
        with self._lock:
            for k, part in enumerate(parts):
                with pdfplumber.open(part.path) as pdf:
                    if page > len(pdf.pages):
                        continue
                    p = pdf.pages[page - 1]
                    region = p.within_bbox(_clip(box, p)) if box else p
                    if wanted and wanted in _squash(region.extract_text() or ""):
                        return k
        return fallback

    # ---- rendering ---------------------------------------------------------------------------

    def cell_png(self, cell_id: int, whole_page: bool = False) -> bytes | None:
        """The cell's page as PNG with the cell outlined: a close-up of its rows, or the whole page."""
        place = self.place(cell_id)
        if place is None:
            return None
        return self.render(place.pdf, place.page, place.box, whole_page or place.box is None)

    def render(self, pdf: SourcePdf, page_number: int, box=None, whole_page: bool = True) -> bytes | None:
        key = (pdf.sha256, page_number, box, whole_page)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            png = _render(pdf.path, page_number, box, whole_page)
            if png is not None:
                self._cache[key] = png
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            return png


def _render(path: Path, page_number: int, box, whole_page: bool) -> bytes | None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        if not 1 <= page_number <= len(pdf.pages):
            return None
        page = pdf.pages[page_number - 1]
        if box and not whole_page:
            region = (0, max(0, box[1] - CONTEXT_PT), page.width, min(page.height, box[3] + CONTEXT_PT))
            image = page.crop(region).to_image(resolution=144)
        else:
            image = page.to_image(resolution=96)
        if box:
            x0, top, x1, bottom = _clip(box, page)
            image.draw_rect((x0 - 3, top - 3, x1 + 3, bottom + 3), fill=FILL, stroke=OUTLINE, stroke_width=4)
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()


def _clip(box, page) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = box
    return (max(0.0, x0), max(0.0, top), min(float(page.width), x1), min(float(page.height), bottom))


def _squash(text: str | None) -> str:
    return re.sub(r"[\s,，]", "", text or "")
