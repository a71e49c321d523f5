"""`budgetqa`: the command line — ingest disclosures, look at what was stored, query it.

Every command takes `--data DIR` (or env BUDGETQA_DATA; default ./data), the folder that holds
the SQLite store, the embedded vector store and uploads, and `--db URL` (or env BUDGETQA_DB) to use
a PostgreSQL store instead of the SQLite file (`postgresql://user:password@host:5432/database`).
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

import click

from index.families import family_name
from index.ingest import ingest as run_ingest
from index.read import StoreReader
from index.store import Store
from index.textgrid import render_grid

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def data_option(f):
    return click.option("--data", "data_dir", envvar="BUDGETQA_DATA", default="data", show_default=True,
                        type=click.Path(file_okay=False), help="folder holding the stores (env BUDGETQA_DATA)")(f)


def db_option(f):
    return click.option("--db", "db", envvar="BUDGETQA_DB", default=None,
                        help="PostgreSQL store URL instead of the SQLite file under --data (env BUDGETQA_DB)")(f)


def open_store(data_dir: str, db: str | None, read_only: bool = False) -> Store:
    """The store the options name: `--db URL` when given, else the SQLite file under `--data`."""
    try:
        return Store(db or data_dir, read_only=read_only)
    except FileNotFoundError as e:
        raise click.ClickException(str(e)) from None
    except Exception as e:  # a wrong URL, a server that does not answer, a refused password
        if not db:
            raise
        raise click.ClickException(f"cannot open the store {db.split('@')[-1]}: {type(e).__name__}: {e}") from None


@click.group()
def main():
    """预算公开问答 — exact, cited answers from budget disclosures."""


@main.command()
@data_option
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--quiet", is_flag=True, help="no progress bar")
@click.option("--vectors", is_flag=True, help="also embed into the Chroma index (under --data, or the server of"
              " --chroma-host) the narrative of every stored document that lacks vectors for the model")
@click.option("--embedder", default=None, help="embedding model: 'default' (packaged) or a sentence-transformers dir")
@click.option("--chroma-host", envvar="BUDGETQA_CHROMA_HOST", default=None,
              help="a Chroma server (`chroma run`) instead of the embedded index under --data")
@click.option("--chroma-port", envvar="BUDGETQA_CHROMA_PORT", default=8000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help="parallel reader processes (default: one per core)")
def ingest(data_dir, db, paths, quiet, vectors, embedder, chroma_host, chroma_port, workers):
    """Read disclosure files or folders (PDF, .txt, .md) into the store."""
    missing = [p for p in paths if not Path(p).exists()]
    for p in missing:
        click.echo(f"error: {p}: no such file or folder", err=True)
    store = open_store(data_dir, db)
    narrative = None
    if vectors:
        from index.embeddings import get_embedder
        from index.search import NarrativeIndex

        try:
            narrative = NarrativeIndex(data_dir, get_embedder(embedder), host=chroma_host, port=chroma_port)
        except ValueError as e:
            raise click.ClickException(str(e)) from None
        except Exception as e:  # a Chroma server that does not answer
            raise click.ClickException(f"cannot open the vector index: {type(e).__name__}: {e}") from None
    start = time.perf_counter()
    report = run_ingest([p for p in paths if Path(p).exists()], store, progress=not quiet, workers=workers)
    for r in report.results:
        if r.status == "indexed":
            click.echo(f"indexed    {r.path}  ({r.message})")
        elif r.status == "error":
            click.echo(f"error      {r.path}: {r.message}", err=True)
        else:
            click.echo(f"{r.status:<10} {r.path}  ({r.message})")
    if narrative is not None:  # every stored document that lacks vectors, changed or not
        from index.vectors import embed_missing

        embed_missing(store, narrative, progress=not quiet, echo=lambda text: click.echo(text, err=True))
    elapsed = time.perf_counter() - start
    click.echo(f"{report.count('indexed')} indexed, {report.count('unchanged')} unchanged, "
               f"{report.count('duplicate')} duplicate, {len(report.failed) + len(missing)} failed "
               f"in {elapsed:.1f} s → {store.location}")
    sys.exit(1 if report.failed or missing else 0)


@main.command()
@data_option
@db_option
@click.option("--json", "as_json", is_flag=True)
def docs(data_dir, db, as_json):
    """List the indexed documents."""
    store = open_store(data_dir, db, read_only=True)
    rows = store.query(
        "SELECT d.id, d.unit_name, d.year, d.budget_kind, d.scope, d.source_format, d.pages, d.source_file,"
        " (SELECT COUNT(*) FROM tables t WHERE t.document_id = d.id) AS tables,"
        " (SELECT COUNT(*) FROM cells c WHERE c.document_id = d.id) AS cells,"
        " (SELECT COUNT(*) FROM facts f WHERE f.document_id = d.id) AS facts,"
        " (SELECT COUNT(*) FROM findings f WHERE f.document_id = d.id) AS findings"
        " FROM documents d ORDER BY d.id")
    families = StoreReader(store).families()
    if as_json:
        click.echo(json.dumps([dict(r) | {"family": families.get(r["id"]),
                                          "family_name": family_name(families.get(r["id"]))} for r in rows],
                              ensure_ascii=False, indent=1))
        return
    headers = ["id", "unit_name", "year", "kind", "family", "format", "tables", "cells", "facts", "findings",
               "source_file"]
    grid = [[r["id"], r["unit_name"], r["year"], f"{r['scope'] or ''}{r['budget_kind']}",
             family_name(families.get(r["id"])), r["source_format"], r["tables"], r["cells"], r["facts"],
             r["findings"], Path(r["source_file"]).name] for r in rows]
    click.echo(render_grid(headers, grid))


def find_document(store: Store, doc: str) -> sqlite3.Row:
    """A document by id, or by a part of its unit name, optionally followed by a year."""
    if doc.isdigit():
        row = store.query("SELECT * FROM documents WHERE id = ?", (int(doc),))
        if row:
            return row[0]
    parts = doc.split()
    year = next((int(p) for p in parts if p.isdigit() and len(p) == 4), None)
    name = "".join(p for p in parts if not (p.isdigit() and len(p) == 4))
    rows = store.query("SELECT * FROM documents WHERE unit_name LIKE ?" + (" AND year = ?" if year else ""),
                       (f"%{name}%",) + ((year,) if year else ()))
    if len(rows) != 1:
        known = "；".join(f"{d.id}：{d.unit_name} {d.year}" for d in store.documents())
        fail(f"“{doc}”对应 {len(rows)} 份文件，请用其中一个编号：{known}")
    return rows[0]


def find_table(store: Store, document: sqlite3.Row, table: str) -> sqlite3.Row:
    """A table of a document by its printed number (10, 十, 公开01表), its kind or a part of its title."""
    tables = store.query("SELECT * FROM tables WHERE document_id = ? AND (number = ? OR kind = ? OR"
                         " title LIKE ?) ORDER BY seq", (document["id"], table, table, f"%{table}%"))
    if not tables:
        have = store.query("SELECT number, title FROM tables WHERE document_id = ? ORDER BY seq", (document["id"],))
        fail(f"{document['unit_name']} {document['year']} 没有表“{table}”；已有："
             + "；".join(f"{t['number'] or '-'} {t['title']}" for t in have))
    return tables[0]


@main.command()
@data_option
@db_option
@click.argument("doc")
@click.argument("table")
@click.option("--json", "as_json", is_flag=True)
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), help="write the table to this CSV file")
@click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False), help="write the table to this Excel file")
def table(data_dir, db, doc, table, as_json, csv_file, xlsx_file):
    """Print a stored table as a grid. DOC: id or unit name [year]; TABLE: number (10, 十) or kind (三公经费)."""
    from assistant import exports

    store = open_store(data_dir, db, read_only=True)
    d = find_document(store, doc)
    t = find_table(store, d, table)
    heading, (names, grid) = exports.table_grid(store, t["id"])
    if csv_file:
        Path(csv_file).write_bytes(exports.to_csv(names, grid))
        click.echo(f"已写入 {csv_file}（{len(grid)} 行）")
    if xlsx_file:
        Path(xlsx_file).write_bytes(exports.to_xlsx({f"表{t['number'] or ''}": (names, grid)}, title=heading))
        click.echo(f"已写入 {xlsx_file}（{len(grid)} 行）")
    if csv_file or xlsx_file:
        return
    if as_json:
        cells = store.query("SELECT * FROM cells WHERE table_id = ? ORDER BY row_index, column_number", (t["id"],))
        rows: dict[int, dict] = {}
        for c in cells:
            r = rows.setdefault(c["row_index"], {"label": c["row_label"], "code": c["code"], "side": c["side"],
                                                  "line": c["line"], "page": c["page"], "values": {}})
            r["values"][c["column_number"]] = c["raw"]
        click.echo(json.dumps({"document": d["unit_name"], "year": d["year"], "number": t["number"],
                               "kind": t["kind"], "title": t["title"], "measure_unit": t["measure_unit"],
                               "columns": json.loads(t["columns"]), "rows": list(rows.values()), "note": t["note"]},
                              ensure_ascii=False, indent=1))
        return
    click.echo(heading)
    if t["note"]:
        click.echo(t["note"])
    click.echo(render_grid(names, grid))


@main.command()
@data_option
@db_option
@click.argument("query")
@click.option("--json", "as_json", is_flag=True)
def sql(data_dir, db, query, as_json):
    """Run a read-only SQL query on the store (only reading is allowed: no writes, ATTACH, VACUUM …)."""
    from assistant import ui_text
    from index.store import QueryRefused

    store = open_store(data_dir, db, read_only=True)
    if store.path is not None and not store.path.exists():
        fail(ui_text.SQL_NO_STORE.format(store.path))
    try:
        names, rows = store.read_only_query(query)
    except QueryRefused as e:
        refused = f"调用函数 {e.what.split()[-1]}" if e.what.startswith("FUNCTION") else e.statement
        fail(ui_text.SQL_REFUSED.format(refused or e.what))
    except (*store.query_errors, ValueError) as e:
        fail(ui_text.sql_error(str(e)))
    if as_json:
        click.echo(json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=1))
    elif not rows:
        click.echo("(0 rows)")
    else:
        click.echo(render_grid(names, [list(r) for r in rows]))


def fail(message: str) -> None:
    """One line on stderr, exit status 1 (click's own errors would add an English "Error:")."""
    click.echo(message, err=True)
    sys.exit(1)


@main.command()
@data_option
@db_option
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="print the Answer as one JSON object")
@click.option("--explain", is_flag=True, help="also print how the question was read and answered (frame, documents,"
              " candidates)")
def ask(data_dir, db, question, as_json, explain):
    """Answer a question in Chinese. QUESTION '-' reads one question per line from stdin."""
    from assistant.router import Assistant

    try:
        assistant = Assistant(open_store(data_dir, db, read_only=True))
    except FileNotFoundError as e:
        raise click.ClickException(str(e)) from None
    questions = (line.strip() for line in sys.stdin) if question == "-" else [question]
    for q in questions:
        if question == "-" and not q:
            continue
        answer = assistant.ask(q)
        if as_json:
            click.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
            continue
        click.echo(answer.answer)
        for f in answer.figures:
            where = "，".join(x for x in [f.table, f.row and f"行：{f.row}", f.column and f"列：{f.column}",
                                         f.page and f"第{f.page}页", f.line and f"第{f.line}行", f.formula] if x)
            click.echo(f"  · {f.value:,.2f} {f.unit}  {f.unit_name} {f.year}  {where}")
        for c in answer.citations:
            click.echo(f"  ▸ {c.unit_name} {c.year} {c.section}：{c.quote[:120]}")
        if explain:
            for step in answer.trace:
                click.echo(f"【{step['stage']}】")
                for item in step["items"]:
                    click.echo(f"    {item}")


@main.command()
@data_option
@db_option
@click.argument("doc", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "md"]), default="text", show_default=True,
              help="text for reading, csv for a spreadsheet, md for a Markdown report")
@click.option("--all", "show_all", is_flag=True, help="also list differences within rounding")
def audit(data_dir, db, doc, as_json, fmt, show_all):
    """Check documents against their own arithmetic and their own words. DOC: id or unit name [year]."""
    from assistant import exports, ui_text
    from index.audit import audit as run_audit, to_json

    store = open_store(data_dir, db, read_only=True)
    ids = [find_document(store, doc)["id"]] if doc else None
    findings = run_audit(store, ids)
    if as_json:
        click.echo(to_json(findings))
        return
    shown = [f for f in findings if show_all or f.severity != "rounding"]
    if fmt == "csv":
        click.echo(exports.to_csv(*exports.audit_grid(shown), bom=False).decode("utf-8"), nl=False)
        return
    if fmt == "md":
        click.echo(exports.audit_markdown(shown))
        return
    for f in shown:
        where = "；".join(exports.source_text(s) for s in f.sources[:2])
        click.echo(f"[{ui_text.severity_name(f.severity)}] {f.unit_name} {f.year} {ui_text.rule_name(f.rule)}："
                   f"{f.message.strip()}\n    出处：{where}")
    click.echo(f"{ui_text.severity_counts(findings)}{'' if show_all else '（舍入差异未列出，加 --all 显示）'}"
               "；差额 ≤ 0.01 万元或 0.01 个百分点记为舍入差异")


@main.command("eval", context_settings={"ignore_unknown_options": True, "help_option_names": []},
              add_help_option=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def eval_(args):
    """Measure answer accuracy on a gold set: the same as `python -m eval` (see --help there)."""
    import runpy

    # run as its own program: the evaluation drives the assistant, the assistant does not import it
    sys.argv = ["budgetqa eval", *args]
    runpy.run_module("eval", run_name="__main__", alter_sys=True)

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "text"


@main.command()
@data_option
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="address to bind (0.0.0.0 to share on a network)")
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--max-upload-mb", default=50.0, show_default=True, help="largest file accepted by the upload")
def serve(data_dir, db, host, port, max_upload_mb):
    """Open the chat UI in the browser; an empty store is filled with the bundled sample disclosures first."""
    store = open_store(data_dir, db)
    if not store.generation()[0]:
        click.echo(f"数据库为空：先索引自带的示例文件 {SAMPLES}")
        run_ingest([SAMPLES], store)
    from assistant.app import serve as run

    click.echo(f"预算公开问答已启动：http://{host}:{port}（按 Ctrl+C 停止）")
    run(data_dir, host, port, max_upload_mb, db=db)


if __name__ == "__main__":
    main()
