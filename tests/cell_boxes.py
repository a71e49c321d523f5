"""Cell boxes for a test store, from pdfplumber's words, until the PDF reader records them itself.

The reader will fill `cells.x0, top, x1, bottom` at ingest; the evidence view only reads them.
Here a cell gets the box of the one word on its page whose text is the cell's printed text —
cells whose text occurs more than once on the page stay without a box (ambiguous, not guessed).
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pdfplumber


def fill_boxes_from_words(store_path: Path, pdf_path: Path, document_id: int) -> int:
    """Fill the boxes of a document's cells whose printed text is unique on their page; returns how many."""
    con = sqlite3.connect(store_path)
    filled = 0
    with pdfplumber.open(pdf_path) as pdf:
        cells = con.execute("SELECT id, page, raw FROM cells WHERE document_id = ? AND raw != '' AND page IS NOT NULL",
                            (document_id,)).fetchall()
        words_by_page = {}
        for cell_id, page, raw in cells:
            if page not in words_by_page:
                words_by_page[page] = pdf.pages[page - 1].extract_words() if page <= len(pdf.pages) else []
            words = words_by_page[page]
            counts = Counter(w["text"] for w in words)
            if counts.get(raw) != 1:
                continue
            w = next(w for w in words if w["text"] == raw)
            con.execute("UPDATE cells SET x0 = ?, top = ?, x1 = ?, bottom = ? WHERE id = ?",
                        (w["x0"], w["top"], w["x1"], w["bottom"], cell_id))
            filled += 1
    con.commit()
    con.close()
    return filled
