"""The Gradio chat UI: every answer with its evidence under it, documents and uploads, the audit.

Every answer comes from `Assistant.ask` (the same object the CLI and the evaluation use). Each
chat message carries its own collapsible evidence (`assistant.evidence`): the figures' documents,
tables, rows, columns and pages, the printed page with the cell outlined (rendered from the
store's copy of the PDF), the rows around a text export's cell, the cited passages once each,
CSV/XLSX exports and a closed 调试 section. A few plain routes beside Gradio serve what the
messages link to — page images, the source PDF, the exports — addressed by cell, document or
answer id only, never by a path. Uploads are stored under the data folder with names the server
chooses and ingested; the assistant is swapped atomically afterwards, so concurrent questions
see either the old or the new index, never half of one.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
import uuid
from collections import OrderedDict
import time
from pathlib import Path
from urllib.parse import quote

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.responses import FileResponse, PlainTextResponse, Response  # noqa: E402

from assistant import exports, ui_text  # noqa: E402
from assistant.answer import Answer  # noqa: E402
from assistant.evidence import Evidence  # noqa: E402
from assistant.page_images import PageImages  # noqa: E402
from assistant.router import Assistant  # noqa: E402
from index.ingest import ingest  # noqa: E402
from index.store import Store  # noqa: E402

log = logging.getLogger(__name__)

ALL = "全部"
EXAMPLES = [
    "巴州社保中心2025年“三公”经费是多少？比上年变化的原因？",
    "乌市社保中心2025年一般公共预算基本支出中公用经费是多少？",
    "乌市社保中心和昌吉市社保中心的差旅费各是多少？",
    "和静县社保中心2025年公务接待费是多少？",
    "昌吉市社保中心2024年机关运行经费是多少？",
]
UPLOAD_TYPES = {".pdf", ".txt", ".md", ".markdown"}
DOC_COLUMNS = ["单位", "年度", "类型", "格式", "页数", "表格数", "说明中的数字", "审核发现", "文件"]
AUDIT_COLUMNS = ["单位", "年度", "级别", "规则", "规则说明", "说明", "出处"]
EMPTY_CHAT = ("**在下方输入问题**，例如「巴州社保中心2025年“三公”经费是多少？」。\n\n"
              "每个回答下方可展开「证据」：数字出自哪份文件、哪张表、哪一行哪一列、第几页，"
              "PDF 原页面上框出的单元格，引用的原文，以及 CSV / Excel 导出。")
EMPTY_DOCS = "还没有索引任何文件：请在下方上传预算、决算公开的 PDF 或 .txt/.md 文本导出。"
LOADING_DOCS = "正在读取已索引的文件…"
EMPTY_AUDIT = "没有发现不一致之处。"
CSS = (Path(__file__).with_name("app.css")).read_text(encoding="utf-8")
STORE_CHECK = 2.0  # seconds between looks for documents another process added to a shared store
FINDINGS_SHOWN = 2000  # the 审核 tab lists the first findings (stored at ingest); `budgetqa audit` lists all


def safe_name(name: str, data: bytes) -> str:
    """A file name we choose: the client's base name cleaned, prefixed by the content hash."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    stem = re.sub(r"[^\w\u4e00-\u9fff\-]+", "_", stem).strip("._")[:60] or "upload"
    suffix = suffix.lower() if re.fullmatch(r"\.[a-z]{1,8}", suffix.lower()) else ""
    return f"{hashlib.sha256(data).hexdigest()[:12]}_{stem}{suffix}"


class AnswerLog:
    """The recent answers by id, so a message's export link finds the rows it showed."""

    def __init__(self, size: int = 2000):
        self._items: OrderedDict[str, Answer] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def add(self, answer: Answer) -> str:
        key = uuid.uuid4().hex
        with self._lock:
            self._items[key] = answer
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Answer | None:
        with self._lock:
            return self._items.get(key)


class App:
    def __init__(self, data_dir: str | Path, max_upload_mb: float = 50, db: str | None = None):
        """`db`: a PostgreSQL store URL shared with other processes; else the SQLite file under `data_dir`."""
        self.data_dir = Path(data_dir)
        self.db = db
        self.max_upload = int(max_upload_mb * 1024 * 1024)
        self._lock = threading.Lock()
        self.store = Store(db or self.data_dir, read_only=True)
        self.assistant = Assistant(self.store)
        self._generation, self._checked = self.store.generation(), time.monotonic()
        self.pages = PageImages(self.store)
        self.evidence = Evidence(self.store, self.pages)
        self.answers = AnswerLog()
        self.exports_dir = Path(tempfile.mkdtemp(prefix="budgetqa-exports-"))

    def current(self) -> Assistant:
        """The assistant over the store as it is now: another process sharing the store may have ingested
        documents (checked at most every STORE_CHECK seconds; questions in flight keep their assistant)."""
        now = time.monotonic()
        if now - self._checked >= STORE_CHECK:
            self._checked = now
            generation = self.store.generation()
            if generation != self._generation:
                with self._lock:
                    self.assistant, self._generation = Assistant(self.store), generation
        return self.assistant

    # ---- answering ----------------------------------------------------------------

    def ask(self, question: str, unit: str = ALL, year: str = ALL) -> Answer:
        question = (question or "").strip()
        if unit and unit != ALL and unit not in question:
            question = f"{unit} {question}"
        if year and year != ALL and f"{year}年" not in question:
            question = f"{year}年 {question}"
        try:
            return self.current().ask(question)
        except Exception:  # the answerer must not take the UI down with it
            log.exception("ask failed: %s", question)
            return Answer(question, "抱歉，回答这个问题时出错了，请换一种问法再试。", status="error", route="error")

    def respond(self, question, history, unit, year):
        history = list(history or [])
        if not (question or "").strip():
            return history, ""
        answer = self.ask(question, unit, year)
        key = self.answers.add(answer)
        history += [{"role": "user", "content": question},
                    {"role": "assistant", "content": self.evidence.message_html(answer, key)}]
        return history, ""

    # ---- documents, uploads, table exports -------------------------------------------------

    def documents(self):
        """The documents table and its empty-state note, as updates (visible when there is something)."""
        frame = self.documents_frame()
        return gr.update(value=frame, visible=not frame.empty), gr.update(value=EMPTY_DOCS, visible=frame.empty)

    def files_tab(self):
        """The 文件 tab as it is opened: the documents table and the export's list of documents (read then, not
        at start-up: both grow with the corpus)."""
        return (*self.documents(), gr.update(choices=self.document_choices()))

    def documents_frame(self) -> pd.DataFrame:
        rows = self.store.query(
            "SELECT d.id, d.unit_name, d.year, d.budget_kind, d.scope, d.source_format, d.pages, d.source_file,"
            " (SELECT COUNT(*) FROM tables t WHERE t.document_id = d.id) AS tables,"
            " (SELECT COUNT(*) FROM facts f WHERE f.document_id = d.id) AS facts,"
            " (SELECT COUNT(*) FROM findings f WHERE f.document_id = d.id) AS findings FROM documents d"
            " ORDER BY d.unit_name, d.year")
        return pd.DataFrame([[r["unit_name"], r["year"], f"{r['scope'] or ''}{r['budget_kind'] or ''}",
                               ui_text.FORMAT.get(r["source_format"], r["source_format"]),
                               r["pages"] if r["source_format"] != "text" and r["pages"] else ui_text.NO_PAGES,
                               r["tables"], r["facts"], r["findings"],
                               " | ".join(Path(p).name for p in (r["source_file"] or "").split(" | "))]
                              for r in rows], columns=DOC_COLUMNS)

    def document_choices(self):
        return [(f"{d.unit_name} {d.year or ''}年{d.scope or ''}{d.budget_kind or ''}", d.id)
                for d in self.store.documents()]

    def table_choices(self, document_id):
        if document_id is None:
            return gr.update(choices=[], value=None)
        tables = self.store.query("SELECT id, number, title FROM tables WHERE document_id = ? ORDER BY seq",
                                  (document_id,))
        choices = [(exports.table_label(t["number"], t["title"]), t["id"]) for t in tables]
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    def table_files(self, table_id):
        """The chosen table written as CSV and XLSX for the two download buttons."""
        if table_id is None:
            return gr.update(value=None, interactive=False), gr.update(value=None, interactive=False)
        heading, (names, grid) = exports.table_grid(self.store, table_id)
        folder = self.exports_dir / uuid.uuid4().hex[:8]
        folder.mkdir(parents=True)
        csv_path = folder / exports.table_filename(self.store, table_id, ".csv")
        xlsx_path = folder / exports.table_filename(self.store, table_id, ".xlsx")
        csv_path.write_bytes(exports.to_csv(names, grid))
        xlsx_path.write_bytes(exports.to_xlsx({"表格": (names, grid)}, title=heading))
        return gr.update(value=str(csv_path), interactive=True), gr.update(value=str(xlsx_path), interactive=True)

    def upload(self, files, progress=gr.Progress()):
        """Store uploads under <data>/uploads with safe names, ingest them one by one, report per file."""
        if not files:
            return ("没有选择文件。", *self.documents(), *self.filter_choices(), None,
                    gr.update(choices=self.document_choices()))
        folder = self.data_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        lines, saved = [], []
        for f in files:
            src = Path(getattr(f, "name", f))
            original = Path(getattr(f, "orig_name", None) or src.name).name
            data = src.read_bytes()
            if len(data) > self.max_upload:
                lines.append(f"【失败】{original}：文件超过 {self.max_upload // (1024 * 1024)} MB 上限")
                continue
            if Path(original).suffix.lower() not in UPLOAD_TYPES:
                lines.append(f"【失败】{original}：不支持的文件类型（请上传 PDF 或 .txt/.md 文本导出）")
                continue
            target = folder / safe_name(original, data)
            target.write_bytes(data)
            saved.append((original, target))
        if saved:
            with self._lock:
                writer = Store(self.db or self.data_dir)
                try:
                    for n, (original, target) in enumerate(saved):
                        progress((n, len(saved)), desc=f"正在读取并索引 {original}")
                        report = ingest([target], writer, progress=False, workers=1)
                        for r in report.results:
                            if r.status == "error":
                                target.unlink(missing_ok=True)
                            lines.append(self._ingest_line(original, r))
                finally:
                    writer.close()
                self.assistant, self._generation = Assistant(self.store), self.store.generation()
        return ("\n\n".join(lines), *self.documents(), *self.filter_choices(), None,
                gr.update(choices=self.document_choices()))

    def _ingest_line(self, original: str, result) -> str:
        status = ui_text.INGEST_STATUS.get(result.status, result.status)
        if result.status == "error":
            return f"【{status}】{original}：{ui_text.ingest_problem(result.message)}"
        doc = self.store.query("SELECT d.*, (SELECT COUNT(*) FROM tables t WHERE t.document_id = d.id) AS tables,"
                               " (SELECT COUNT(*) FROM cells c WHERE c.document_id = d.id) AS cells"
                               " FROM documents d WHERE doc_key = ?", (result.document,)) if result.document else []
        if not doc:
            source = self.store.query("SELECT d.* , 0 AS tables, 0 AS cells FROM source_files s JOIN documents d"
                                      " ON d.id = s.document_id WHERE s.path = ?", (result.path,))
            doc = source
        what = (f"{doc[0]['unit_name']} {doc[0]['year'] or ''}年{doc[0]['scope'] or ''}{doc[0]['budget_kind'] or ''}"
                if doc else "")
        if result.status == "indexed":
            return f"【{status}】{original}：{what}，{doc[0]['tables']} 张表、{doc[0]['cells']} 个表格数字"
        if result.status == "duplicate":
            return f"【{status}】{original}：与已收录的{what}是同一份公开文件，保留已有的文本导出"
        if result.status == "unchanged":
            return f"【{status}】{original}：{what or '该文件'}已经索引过，内容没有变化"
        return f"【{status}】{original}"

    # ---- the audit ----------------------------------------------------------------------------

    def _findings(self, show_rounding: bool):
        """The stored findings the 审核 tab shows: errors and missing tables (and rounding when asked), the first
        FINDINGS_SHOWN."""
        from index.audit import audit

        return audit(self.store, severities=None if show_rounding else ("error", "warning"), limit=FINDINGS_SHOWN)

    def findings(self, show_rounding: bool = False):
        """The 审核 tab: each finding with its rule in words, severity, numbers and where it is printed."""
        shown = self._findings(show_rounding)
        _, rows = exports.audit_grid(shown)
        frame = pd.DataFrame([r[:7] for r in rows], columns=AUDIT_COLUMNS)
        return gr.update(value=frame, visible=bool(rows)), gr.update(value=EMPTY_AUDIT, visible=not rows)

    def audit_files(self, show_rounding: bool = False):
        shown = self._findings(show_rounding)
        folder = self.exports_dir / uuid.uuid4().hex[:8]
        folder.mkdir(parents=True)
        csv_path, md_path = folder / "审核报告.csv", folder / "审核报告.md"
        csv_path.write_bytes(exports.to_csv(*exports.audit_grid(shown)))
        md_path.write_text(exports.audit_markdown(shown), encoding="utf-8")
        return gr.update(value=str(csv_path)), gr.update(value=str(md_path))

    def filter_choices(self):
        docs = self.store.documents()
        units = [ALL] + sorted({d.unit_name for d in docs})
        years = [ALL] + sorted({str(d.year) for d in docs if d.year}, reverse=True)
        return gr.update(choices=units, value=ALL), gr.update(choices=years, value=ALL)

    # ---- the routes the messages link to ---------------------------------------------------------

    def routes(self, api: FastAPI) -> None:
        @api.get("/evidence/cell/{cell_id}.png")
        def cell_image(cell_id: int, whole: int = 0):
            png = self.pages.cell_png(cell_id, whole_page=bool(whole))
            if png is None:
                return PlainTextResponse("没有这个数字所在页面的图像（不是 PDF 来源，或原文件已不在）。", status_code=404)
            return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

        @api.get("/source/{document_id}.pdf")
        def source_pdf(document_id: int, part: int = 0):
            parts = self.pages.pdf_parts(document_id)
            if not 0 <= part < len(parts):
                return PlainTextResponse("没有这份文件的 PDF 原件。", status_code=404)
            name = self.store.query("SELECT unit_name, year FROM documents WHERE id = ?", (document_id,))[0]
            filename = exports.safe_filename(f"{name['unit_name']}_{name['year'] or ''}") + ".pdf"
            return FileResponse(parts[part].path, media_type="application/pdf",
                                headers={"Content-Disposition": f"inline; filename=source.pdf; "
                                                                f"filename*=UTF-8''{quote(filename)}"})

        @api.get("/export/answer/{key}.{fmt}")
        def export_answer(key: str, fmt: str):
            answer = self.answers.get(key)
            if answer is None or fmt not in ("csv", "xlsx"):
                return PlainTextResponse("这个回答的导出已过期，请重新提问。", status_code=404)
            columns, rows = self.evidence.rows(answer)
            if fmt == "csv":
                data, media = exports.to_csv(columns, rows), "text/csv; charset=utf-8"
            else:
                cites = [[c.unit_name, str(c.year or ""), c.section, c.page or "", c.line or "", c.quote]
                         for c in answer.citations or []]
                data = exports.to_xlsx({"数字来源": (columns, rows),
                                        "引用原文": (["单位名称", "年度", "章节", "页码", "行号", "原文"], cites)},
                                       title=answer.question)
                media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            filename = f"证据_{exports.safe_filename(answer.question)[:40]}.{fmt}"
            return Response(data, media_type=media, headers={
                "Content-Disposition": f"attachment; filename=evidence.{fmt}; filename*=UTF-8''{quote(filename)}"})


def build(app: App) -> gr.Blocks:
    docs_now = app.assistant.docs  # read once, at start-up
    units = [ALL] + sorted({d.unit_name for d in docs_now})
    years = [ALL] + sorted({str(d.year) for d in docs_now if d.year}, reverse=True)
    with gr.Blocks(title="预算公开问答") as demo:
        gr.Markdown("## 预算公开问答\n从部门、单位预算和决算公开文件中给出**准确的数字**、**出处**（文件、表、行、列、页）"
                    "和**原文引用**；文件里没有的，直接说没有。")
        with gr.Tab("问答"):
            with gr.Row():
                unit = gr.Dropdown(choices=units, value=ALL, label="只问这个单位（可选）", scale=3)
                year = gr.Dropdown(choices=years, value=ALL, label="年度（可选）", scale=1)
            chatbot = gr.Chatbot(label="对话", show_label=False, height=640, elem_id="chat", layout="panel",
                                 placeholder=EMPTY_CHAT, feedback_options=None, latex_delimiters=[],
                                 buttons=["copy"])
            with gr.Row():
                question = gr.Textbox(placeholder="例如：巴州社保中心2025年“三公”经费是多少？", label="问题",
                                      show_label=False, scale=5, elem_id="question")
                send = gr.Button("提问", variant="primary", scale=1, elem_id="send")
            gr.Examples(EXAMPLES, inputs=question, label="示例问题（点击填入）")
        with gr.Tab("文件") as files_tab:  # filled when opened (the list follows the corpus; start-up must not)
            docs = gr.Dataframe(headers=DOC_COLUMNS, visible=False, label="已索引的文件", interactive=False,
                                elem_id="docs", wrap=True)
            docs_empty = gr.Markdown(LOADING_DOCS)
            files = gr.File(file_count="multiple", file_types=sorted(UPLOAD_TYPES),
                            label="上传 PDF 或 .txt/.md 文本导出（可多选）", elem_id="uploader")
            status = gr.Markdown(elem_id="upload-status")
            gr.Markdown("#### 导出表格\n选择文件和表格，下载为 CSV 或 Excel（数字与原表所印一致，空白单元格为空）。")
            with gr.Row():
                doc_pick = gr.Dropdown(choices=[], value=None, label="文件", scale=2, elem_id="export-doc")
                table_pick = gr.Dropdown(choices=[], value=None, label="表格", scale=3, elem_id="export-table")
            with gr.Row():
                table_csv = gr.DownloadButton("下载 CSV", interactive=False, elem_id="export-csv")
                table_xlsx = gr.DownloadButton("下载 Excel", interactive=False, elem_id="export-xlsx")
            files_tab.select(app.files_tab, None, [docs, docs_empty, doc_pick], api_name=False)
            doc_pick.change(app.table_choices, doc_pick, table_pick, api_name=False)
            table_pick.change(app.table_files, table_pick, [table_csv, table_xlsx], api_name=False)
            files.upload(app.upload, files, [status, docs, docs_empty, unit, year, files, doc_pick], api_name="upload")
        with gr.Tab("审核") as audit_tab:
            gr.Markdown("每份文件对照自身的表间算术和文字说明：差额 ≤ 0.01 万元或 0.01 个百分点记为**舍入差异**，"
                        "更大的记为**错误**。")
            show_rounding = gr.Checkbox(label="也显示舍入差异", value=False)
            audit_table = gr.Dataframe(headers=AUDIT_COLUMNS, label="审核发现", interactive=False, wrap=True,
                                       elem_id="audit", visible=False,
                                       column_widths=["13%", "6%", "7%", "10%", "19%", "30%", "15%"])
            audit_empty = gr.Markdown("正在审核…", elem_id="audit-empty")
            with gr.Row():
                audit_csv = gr.DownloadButton("下载审核报告 CSV", elem_id="audit-csv")
                audit_md = gr.DownloadButton("下载审核报告 Markdown", elem_id="audit-md")
            for event in (audit_tab.select, show_rounding.change):
                event(app.findings, show_rounding, [audit_table, audit_empty], api_name=False).then(
                    app.audit_files, show_rounding, [audit_csv, audit_md], api_name=False)
        send.click(app.respond, [question, chatbot, unit, year], [chatbot, question], api_name="ask")
        question.submit(app.respond, [question, chatbot, unit, year], [chatbot, question], api_name=False)
    demo.queue(default_concurrency_limit=8)
    return demo


def make_server_app(app: App, max_upload_mb: float = 50) -> FastAPI:
    """FastAPI with the evidence routes first, then the Gradio UI mounted at /."""
    api = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.routes(api)
    return gr.mount_gradio_app(api, build(app), path="/", i18n=ui_text.gradio_i18n(), css=CSS,
                               footer_links=["api"], show_error=True, max_file_size=f"{int(max_upload_mb)}mb")


def serve(data_dir: str | Path, host: str = "127.0.0.1", port: int = 7860, max_upload_mb: float = 50,
          block: bool = True, db: str | None = None):
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(make_server_app(App(data_dir, max_upload_mb, db=db), max_upload_mb),
                                           host=host, port=port, log_level="warning"))
    if block:
        server.run()
        return server
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server
