"""Pages per second of `read_pdf` + `normalize` against bare pdfplumber, over the five sample PDFs.

Run from the project root:  .venv/bin/python benchmarks/pdf_reading.py [rounds]
Both are measured in the same run, alternating, over the same pages; the ratio is reader time over
bare time (target < 1.5).
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.readers.pdf import read_pdf  # noqa: E402
from index.tables import normalize  # noqa: E402

logging.getLogger("pdfminer").setLevel(logging.ERROR)

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"


def bare(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
        return len(pdf.pages)


def reader(path: Path) -> int:
    doc = read_pdf(path)
    for raw in doc.raw_tables:
        if raw.layout == "cells":  # flattened tables are placed by index.flattened (not timed here)
            normalize(raw)
    return doc.pages or 0


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    paths = sorted(SAMPLES.glob("*.pdf"))
    totals = {"bare": [0.0, 0], "reader": [0.0, 0]}
    print(f"{'file':40s} {'pages':>5s} {'bare p/s':>9s} {'reader p/s':>11s} {'ratio':>6s}")
    for path in paths:
        times = {"bare": 0.0, "reader": 0.0}
        pages = 0
        for _ in range(rounds):
            for name, fn in (("bare", bare), ("reader", reader)):
                start = time.perf_counter()
                pages = fn(path)
                times[name] += time.perf_counter() - start
        for name in times:
            totals[name][0] += times[name]
            totals[name][1] += pages * rounds
        print(f"{path.name:40s} {pages:5d} {pages * rounds / times['bare']:9.1f} "
              f"{pages * rounds / times['reader']:11.1f} {times['reader'] / times['bare']:6.2f}")
    bare_pps = totals["bare"][1] / totals["bare"][0]
    reader_pps = totals["reader"][1] / totals["reader"][0]
    print(f"{'all':40s} {totals['bare'][1] // rounds:5d} {bare_pps:9.1f} {reader_pps:11.1f} "
          f"{totals['reader'][0] / totals['bare'][0]:6.2f}")


if __name__ == "__main__":
    main()
