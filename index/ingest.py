"""One entry point from files to stores: discover, hash, read, normalise, check, store.

Each file is read, normalised, checked and audited on its own, in parallel worker processes (one
per core); the parent stores each result as it arrives, in file order. A bad file gets one error
naming it and the reason while the others go on; an unchanged file (same path and content hash) is
a no-op; a changed one replaces its document in one transaction together with its file record, so
nothing already indexed is lost when a new version fails or the process is killed mid-way.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from index.audit import audit_document
from index.checks import Finding, check_tables
from index.chunks import chunk_document
from index.conformance import family_id
from index.errors import IngestError
from index.metadata import same_body
from index.model import Document, Table, table_problem
from index.readers.text import TEXT_SUFFIXES, read_text
from index.store import Store, doc_key
from index.tables import normalize_document

PDF_SUFFIXES = {".pdf"}


@dataclass
class Parsed:
    path: str
    sha256: str
    document: Document | None = None
    tables: list[Table] = field(default_factory=list)
    facts: list = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    audit: list = field(default_factory=list)  # index.audit's findings on this document
    chunks: list = field(default_factory=list)  # the narrative as the vector index embeds it
    error: str | None = None


@dataclass
class FileResult:
    path: str
    status: str  # indexed / unchanged / duplicate / error / skipped
    message: str = ""
    document: str | None = None


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "error"]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


def discover(paths: list[str | Path]) -> list[Path]:
    """Files named, and every file under folders named (sorted, hidden files skipped)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file() and not any(
                part.startswith(".") for part in f.relative_to(p).parts))
        else:
            found.append(p)
    return found


def read_document(path: Path) -> Document:
    """The reader for a file's type; an `IngestError` for types we do not read."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text(path)
    if suffix in PDF_SUFFIXES:
        try:
            from index.readers.pdf import read_pdf
        except ImportError:
            raise IngestError(str(path), "PDF files are not supported yet") from None
        return read_pdf(path)
    raise IngestError(str(path), f"unsupported file type '{suffix or '(none)'}': give PDF or text/markdown exports")


def parse_file(path: str) -> Parsed:
    """Everything for one file that needs no store: runs in a worker process."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        return Parsed(path, "", error=f"cannot read file: {e.strerror or e}")
    sha = hashlib.sha256(data).hexdigest()
    try:
        doc = read_document(p)
        tables = normalize_document(doc)
        doc.family = family_id(tables)
        return Parsed(path, sha, doc, tables, _facts(doc), check_tables(tables), audit_document(doc, tables),
                      chunk_document(doc, doc_key(doc)))
    except IngestError as e:
        return Parsed(path, sha, error=e.problem)
    except Exception as e:  # a reader bug must not stop the other files
        return Parsed(path, sha, error=f"could not be read ({type(e).__name__}: {e})")


def _facts(doc: Document) -> list:
    try:
        from index.facts import extract_facts
    except ImportError:
        return []
    return extract_facts(doc)


def ingest(paths: list[str | Path], store: Store, progress: bool = True, workers: int | None = None,
           on_document=None) -> IngestReport:
    """Ingest files and folders into `store`; `on_document(doc, doc_id)` sees each stored document."""
    report = IngestReport()
    todo: list[str] = []
    for f in discover(paths):
        try:
            sha = hashlib.sha256(f.read_bytes()).hexdigest()
        except OSError as e:
            report.results.append(FileResult(str(f), "error", f"cannot read file: {e.strerror or e}"))
            continue
        if store.file_is_current(str(f), sha):
            report.results.append(FileResult(str(f), "unchanged", "already indexed, content unchanged"))
        else:
            todo.append(str(f))
    workers = workers or min(len(todo), os.cpu_count() or 1)
    bar = tqdm(total=len(todo), desc="ingest", unit="file", disable=not progress or not todo, file=sys.stderr)
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for parsed in _in_order(pool, todo, ahead=2 * workers):
                report.results.append(_store(parsed, store, on_document))
                bar.update()
    else:
        for path in todo:
            report.results.append(_store(parse_file(path), store, on_document))
            bar.update()
    bar.close()
    return report


def _in_order(pool: ProcessPoolExecutor, paths: list[str], ahead: int):
    """Parsed files in the order given, with at most `ahead` in flight: memory stays flat however many files."""
    pending: deque = deque()
    for path in paths:
        pending.append(pool.submit(parse_file, path))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _store(parsed: Parsed, store: Store, on_document) -> FileResult:
    if parsed.error or parsed.document is None:
        store.record_file(parsed.path, parsed.sha256, "error", parsed.error or "unknown error")
        return FileResult(parsed.path, "error", parsed.error or "unknown error")
    doc = parsed.document
    file_path, file_sha = parsed.path, parsed.sha256
    key = doc_key(doc)
    existing = store.document_by_key(key) or _other_part(store, doc)
    sources = existing["source_file"].split(SOURCE_SEP) if existing else []
    if existing and parsed.path not in sources:
        if _prefer_existing(existing, doc):
            store.record_file(parsed.path, parsed.sha256, "duplicate",
                              f"same disclosure as {existing['source_file']} (kept the text export)", existing["id"])
            return FileResult(parsed.path, "duplicate", f"same disclosure as {existing['source_file']}; kept that one",
                              key)
        if existing["source_format"] == "pdf" and doc.source_format == "pdf":
            parsed = _merge_parts(sources, parsed)  # one disclosure published as two PDFs (文件 + 表格)
            doc = parsed.document
            doc.unit_name = existing["unit_name"]  # one key for both parts, whichever name each printed
    # one transaction: the other part (stored under its own key until now) is replaced by the merged document
    doc_id = store.replace_document(doc, parsed.tables, parsed.facts, parsed.findings,
                                    replaces=existing["id"] if existing else None, audit_findings=parsed.audit,
                                    source=(file_path, file_sha),
                                    parts=[p for p in doc.path.split(SOURCE_SEP) if p != file_path],
                                    chunks=parsed.chunks)
    if store.data_dir is not None and Path(file_path).suffix.lower() in PDF_SUFFIXES:
        keep_copy(file_path, file_sha, store.data_dir)  # (a PostgreSQL store has no folder: the UI reads the file)
    if on_document is not None:
        on_document(doc, doc_id)
    n_cells = sum(len(r.cells) for t in parsed.tables for r in t.rows)
    problems = [table_problem(t) for t in parsed.tables if t.problem]
    return FileResult(parsed.path, "indexed", f"{doc.unit_name} {doc.year}: {len(parsed.tables)} tables, "
                      f"{n_cells} cells, {len(parsed.facts)} facts, {len(parsed.findings)} findings"
                      + "".join(f"; {p}" for p in problems), key)


SOURCE_SEP = " | "


def kept_copy(data_dir: str | Path, sha256: str) -> Path:
    return Path(data_dir) / "sources" / f"{sha256}.pdf"


def keep_copy(path: str, sha256: str, data_dir: str | Path) -> None:
    """The store's own copy of a stored PDF (DATA/sources/<sha256>.pdf): its pages are the evidence
    the UI shows and serves, whatever later happens to the file the user named."""
    target = kept_copy(data_dir, sha256)
    if target.exists():
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        shutil.copyfile(path, partial)
        partial.replace(target)
    except OSError:
        pass  # evidence falls back to the original file while its content hash still matches


def _other_part(store: Store, doc: Document):
    """The stored PDF of the same disclosure under another form of the body's name (省人大常委会 /
    江苏省人大常委会办公厅): same year and kind, one of two files (文件 + 表格)."""
    if doc.source_format != "pdf":
        return None
    same_year = "year IS NULL" if doc.year is None else "year = ?"
    rows = store.query(f"SELECT * FROM documents WHERE {same_year} AND budget_kind = ? AND source_format = 'pdf'",
                       tuple(x for x in (doc.year, doc.budget_kind) if x is not None))
    for row in rows:
        if same_body(row["unit_name"], doc.unit_name) and (row["scope"] == doc.scope or not row["scope"] or not doc.scope):
            return row
    return None


def _merge_parts(paths: list[str], new: Parsed) -> Parsed:
    """Join the parts of one disclosure (e.g. narrative PDF + tables PDF) into one document."""
    parts = [parse_file(p) for p in paths if Path(p).exists()] + [new]
    parts = [p for p in parts if p.document is not None]
    parts.sort(key=lambda p: len(p.tables))  # narrative first, then the tables
    first = parts[0].document
    scope = next((p.document.scope for p in parts if p.document.scope), None)
    merged = Document(path=SOURCE_SEP.join(p.path for p in parts), sha256=new.sha256, unit_name=first.unit_name,
                      year=first.year, title=first.title, budget_kind=first.budget_kind, scope=scope,
                      source_format=first.source_format, pages=sum(p.document.pages or 0 for p in parts),
                      blocks=[b for p in parts for b in p.document.blocks])
    tables = [t for p in parts for t in p.tables]
    merged.family = family_id(tables)
    return Parsed(merged.path, new.sha256, merged, tables, [f for p in parts for f in p.facts], check_tables(tables),
                  audit_document(merged, tables), chunk_document(merged, doc_key(merged)))


def _prefer_existing(existing, new: Document) -> bool:
    """Text exports win over PDFs of the same disclosure: their characters and cells are exact."""
    return existing["source_format"] == "text" and new.source_format == "pdf"
