"""Cell agreement of the PDF reader on the sample disclosures rendered in every layout style, and its speed.

Run from the project root:  .venv/bin/python benchmarks/pdf_layouts.py [style …] [--speed-styles N]

For each style of `tests/layouts.py` the five sample text exports are drawn into PDFs and read back;
**cell agreement** is the share of the text export's non-empty numeric cells found in the PDF's tables
with the same table kind, row (code, or label without spaces), last column-header segment and value;
**classified** is the share of the text export's tables whose kind the PDF's tables carry. Then the
reader (read_pdf + normalize) is timed against bare pdfplumber (extract_text + extract_tables on every
page) over the same files, alternating, in the same run; the ratio is reader time over bare time.
"""
from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import layouts  # noqa: E402  (tests/layouts.py)
from pdf_reading import bare  # noqa: E402  (bare pdfplumber: extract_text + extract_tables per page)
from index.errors import IngestError  # noqa: E402
from index.readers.pdf import read_pdf  # noqa: E402
from index.tables import normalize_document  # noqa: E402

logging.getLogger("pdfminer").setLevel(logging.ERROR)

CORPUS_PDF = ROOT.parent / "shared" / "corpus" / "pdf"


def read_tables(path: Path):
    try:
        return normalize_document(read_pdf(path))
    except IngestError as exc:
        print(f"   {path.name}: {exc.problem}")
        return []


def ours(path: Path) -> int:
    """Everything a PDF costs at ingest before the store: reading and interpreting every table."""
    doc = read_pdf(path)
    normalize_document(doc)
    return doc.pages or 0


def agreement(styles, folder: Path, verbose: bool) -> list[Path]:
    print(f"{'style':24s} {'docs':>4s} {'cells':>6s} {'agree':>6s} {'agreement':>9s} {'tables':>6s} {'classified':>10s}"
          f" {'worst doc':>9s}")
    files = []
    all_agree = all_cells = all_tabs = all_cls = 0
    for style in styles:
        agree = cells = tabs = cls = 0
        worst = 100.0
        for text in layouts.sample_paths():
            pdf = layouts.render(text, style, folder / f"{style.name}_{text.stem}.pdf")
            files.append(pdf)
            _, expected = layouts.source(text)
            got = read_tables(pdf)
            a, n = layouts.cell_agreement(expected, got)
            c, t = layouts.classified(expected, got)
            agree, cells, cls, tabs = agree + a, cells + n, cls + c, tabs + t
            worst = min(worst, 100 * a / max(n, 1))
            if verbose and a < n:
                exp, have = layouts.cell_keys(expected), layouts.cell_keys(got)
                for key in list((exp - have).elements())[:12]:
                    print("     missing", text.stem, key)
        all_agree, all_cells, all_tabs, all_cls = all_agree + agree, all_cells + cells, all_tabs + tabs, all_cls + cls
        print(f"{style.name:24s} {5:4d} {cells:6d} {agree:6d} {100 * agree / cells:8.2f}% {tabs:6d} "
              f"{100 * cls / tabs:9.2f}% {worst:8.2f}%", flush=True)
    print(f"{'all':24s} {5 * len(styles):4d} {all_cells:6d} {all_agree:6d} {100 * all_agree / all_cells:8.2f}% "
          f"{all_tabs:6d} {100 * all_cls / all_tabs:9.2f}%")
    return files


def speed(paths: list[Path]) -> None:
    times = {"bare": 0.0, "ours": 0.0}
    pages = 0
    for path in paths:
        for name, fn in (("bare", bare), ("ours", ours)):
            start = time.perf_counter()
            n = fn(path)
            times[name] += time.perf_counter() - start
        pages += n
    print(f"\nspeed over {len(paths)} files, {pages} pages (same files, alternating):")
    print(f"  bare pdfplumber (extract_text + extract_tables per page): {times['bare']:7.2f} s  "
          f"{pages / times['bare']:6.1f} pages/s")
    print(f"  read_pdf + normalize:                                     {times['ours']:7.2f} s  "
          f"{pages / times['ours']:6.1f} pages/s")
    print(f"  ratio ours / bare: {times['ours'] / times['bare']:.2f}")


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    speed_styles = 4
    if "--speed-styles" in argv:
        i = argv.index("--speed-styles")
        speed_styles = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    styles = [layouts.style_named(a) for a in argv] or layouts.STYLES
    with tempfile.TemporaryDirectory() as tmp:
        files = agreement(styles, Path(tmp), verbose)
        chosen = {s.name for s in styles[:speed_styles]}
        timed = [f for f in files if f.name.split("_")[0] in chosen] + sorted(CORPUS_PDF.glob("*.pdf"))
        speed(timed)


if __name__ == "__main__":
    main(sys.argv[1:])
