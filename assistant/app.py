"""The Gradio chat UI: answers with their evidence, filters, document list, uploads.

Every answer comes from `Assistant.ask` (the same object the CLI and the evaluation use). The UI
shows each figure's source (document, table, row, column, page/line), the cited passages, the
source table rows, and a bar chart when the answer compares units or years. Uploads are stored
under the data folder with safe names and ingested; a bad file shows its error and changes
nothing. The assistant is swapped atomically after an upload, so concurrent questions see
either the old or the new index, never half of one.
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402

from assistant.answer import Answer  # noqa: E402
from assistant.router import Assistant  # noqa: E402
from index.ingest import ingest  # noqa: E402
from index.store import Store  # noqa: E402

ALL = "全部"
EXAMPLES = [
    "巴州社保中心2025年“三公”经费是多少？比上年变化的原因？",
    "乌市社保中心2025年印刷费安排了多少？",
    "2025年乌市社保中心和巴州社保中心的职工基本医疗保险缴费各是多少？",
    "昌吉市社保中心2024年公用经费中金额最大的科目是什么？",
    "巴州社保中心2025年基本支出占支出预算的比例是多少？",
    "乌市社保中心预算公开里的“其他资金”包括哪些？",
    "和静县社会保险中心的房屋面积是多少？",
]
SOURCE_COLUMNS = ["单位", "年度", "表", "行", "列", "数值", "位置"]
UPLOAD_TYPES = {".pdf", ".txt", ".md", ".markdown"}
STORE_CHECK = 2.0  # seconds between looks for documents another process added to a shared store
FINDINGS_SHOWN = 2000  # the 审核 tab lists the first findings (stored at ingest); `budgetqa audit` lists all


def safe_name(name: str, data: bytes) -> str:
    """A file name we choose: the client's base name cleaned, prefixed by the content hash."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    stem = re.sub(r"[^\w\u4e00-\u9fff\-]+", "_", stem).strip("._")[:60] or "upload"
    suffix = suffix.lower() if re.fullmatch(r"\.[a-z]{1,8}", suffix.lower()) else ""
    return f"{hashlib.sha256(data).hexdigest()[:12]}_{stem}{suffix}"


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
        return self.current().ask(question)

    def respond(self, question, history, unit, year):
        history = list(history or [])
        if not (question or "").strip():
            return history, "", pd.DataFrame(columns=SOURCE_COLUMNS), None, ""
        answer = self.ask(question, unit, year)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": highlight(answer)}]
        return history, evidence_markdown(answer), self.source_rows(answer), chart_data(answer), ""

    def source_rows(self, answer: Answer):
        """The printed rows the figures come from, as a small table."""
        rows = []
        for f in answer.figures:
            if not f.table or not f.row:
                continue
            cells = self.assistant.store.query(
                "SELECT row_label, column_path, raw, line, page FROM figures WHERE unit_name = ? AND year = ?"
                " AND row_label = ? AND (? LIKE '%' || table_title)", (f.unit_name, f.year, f.row, f.table))
            for c in cells:
                rows.append({"单位": f.unit_name, "年度": f.year, "表": f.table, "行": c["row_label"],
                             "列": c["column_path"], "数值": c["raw"] or "（空）",
                             "位置": f"第{c['page']}页" if c["page"] else f"第{c['line']}行"})
        return pd.DataFrame(rows[:60], columns=SOURCE_COLUMNS)

    # ---- documents and uploads ------------------------------------------------------

    def documents(self):
        rows = self.assistant.store.query(
            "SELECT d.unit_name, d.year, d.budget_kind, d.source_format, d.pages, d.source_file,"
            " (SELECT COUNT(*) FROM tables t WHERE t.document_id = d.id) AS tables,"
            " (SELECT COUNT(*) FROM facts f WHERE f.document_id = d.id) AS facts,"
            " (SELECT COUNT(*) FROM findings f WHERE f.document_id = d.id) AS findings FROM documents d"
            " ORDER BY d.unit_name, d.year")
        return pd.DataFrame([{"单位": r["unit_name"], "年度": r["year"], "类型": r["budget_kind"],
                              "格式": r["source_format"], "页数": r["pages"] or "", "表格数": r["tables"],
                              "事实数": r["facts"], "审核发现": r["findings"],
                              "文件": " | ".join(Path(p).name for p in r["source_file"].split(" | "))}
                             for r in rows])

    def upload(self, files, progress=gr.Progress(track_tqdm=True)):
        """Store uploads under <data>/uploads with safe names, ingest them, report per file."""
        if not files:
            return "没有选择文件。", self.documents(), *self.filter_choices()
        folder = self.data_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        lines, saved = [], []
        for f in files:
            src = Path(getattr(f, "name", f))
            original = getattr(f, "orig_name", None) or src.name
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
                    report = ingest([t for _, t in saved], writer, progress=True, workers=1)
                finally:
                    writer.close()
                by_path = {r.path: r for r in report.results}
                for original, target in saved:
                    r = by_path.get(str(target))
                    if r is None:
                        continue
                    if r.status == "error":
                        target.unlink(missing_ok=True)
                        lines.append(f"【失败】{original}：{r.message}")
                    else:
                        lines.append(f"【完成】{original}：{r.status}（{r.message}）")
                self.assistant, self._generation = Assistant(self.store), self.store.generation()
        return "\n\n".join(lines), self.documents(), *self.filter_choices()

    def findings(self, show_rounding: bool = False):
        """The 审核 tab: each finding with its rule, severity, numbers and where both sides are printed."""
        from index.audit import audit

        rows = []
        for f in audit(self.store, severities=None if show_rounding else ("error",), limit=FINDINGS_SHOWN):
            where = "；".join(" ".join(str(x) for x in (s.get("table") or s.get("section"), s.get("row"),
                                                        f"第{s['page']}页" if s.get("page") else
                                                        (f"第{s['line']}行" if s.get("line") else "")) if x)
                             for s in f.sources[:2])
            rows.append({"单位": f.unit_name, "年度": f.year, "级别": f.severity, "规则": f.rule, "说明": f.message,
                         "出处": where})
        return pd.DataFrame(rows, columns=["单位", "年度", "级别", "规则", "说明", "出处"])

    def filter_choices(self):
        units = [ALL] + sorted({d.unit_name for d in self.assistant.store.documents()})
        years = [ALL] + sorted({str(d.year) for d in self.assistant.store.documents() if d.year}, reverse=True)
        return gr.Dropdown(choices=units, value=ALL), gr.Dropdown(choices=years, value=ALL)


def highlight(answer: Answer) -> str:
    """The answer text with its figures in bold."""
    text = answer.answer
    for f in answer.figures:
        for shown in sorted({f"{f.value:,.2f}", f"{f.value:.2f}", f"{f.value:g}"}, key=len, reverse=True):
            text, done = re.subn(rf"(?<![\d.,*])({re.escape(shown)})(?![\d.,*])", r"**\1**", text, count=1)
            if done:
                break
    if answer.status != "answered":
        text = "【未找到】" + text if answer.status == "not_found" else "【需确认】" + text
    return text


def evidence_markdown(answer: Answer) -> str:
    parts = []
    if answer.figures:
        parts.append("#### 数字来源")
        for f in answer.figures:
            where = "，".join(x for x in [f.table, f.row and f"行「{f.row}」", f.column and f"列「{f.column}」",
                                         f"第{f.page}页" if f.page else (f"第{f.line}行" if f.line else None)] if x)
            line = f"- **{f.value:,.2f} {f.unit}** — {f.unit_name} {f.year}年：{where or '文字说明'}"
            if f.formula:
                line += f"；计算：{f.formula}"
            parts.append(line)
    if answer.citations:
        parts.append("#### 引用原文")
        for c in answer.citations:
            where = f"第{c.page}页" if c.page else (f"第{c.line}行" if c.line else "")
            parts.append(f"<details><summary>{c.unit_name} {c.year}年 · {c.section} {where}</summary>\n\n"
                         f"> {c.quote}\n\n</details>")
    parts.append(f"<sub>路由：{answer.route} · 状态：{answer.status}</sub>")
    return "\n".join(parts)


def chart_data(answer: Answer):
    """A bar chart's data when the answer compares units or years."""
    figs = [f for f in answer.figures if not f.inputs and f.unit != "%"]
    keys = {(f.unit_name, f.year) for f in figs}
    if len(keys) < 2 or len({f.unit for f in figs}) != 1:
        return None
    seen, rows = set(), []
    for f in figs:
        key = (f.unit_name, f.year)
        if key not in seen:
            seen.add(key)
            rows.append({"单位与年度": f"{f.unit_name} {f.year}", "金额": f.value})
    return pd.DataFrame(rows)


def build(app: App) -> gr.Blocks:
    units, years = app.filter_choices()
    with gr.Blocks(title="预算公开问答") as demo:
        gr.Markdown("## 预算公开问答\n从部门/单位预算公开文件中给出**准确的数字**、**出处**（文件、表、行、列、页）和**原文引用**。")
        with gr.Tab("问答"):
            with gr.Row():
                unit = gr.Dropdown(choices=units.choices, value=ALL, label="单位", scale=3)
                year = gr.Dropdown(choices=years.choices, value=ALL, label="年度", scale=1)
            chatbot = gr.Chatbot(label="对话", height=420, elem_id="chat")
            with gr.Row():
                question = gr.Textbox(placeholder="例如：巴州社保中心2025年“三公”经费是多少？", label="问题", scale=5,
                                      elem_id="question")
                send = gr.Button("提问", variant="primary", scale=1, elem_id="send")
            gr.Examples(EXAMPLES, inputs=question, label="示例问题")
            with gr.Accordion("证据", open=True):
                evidence = gr.Markdown(elem_id="evidence")
                rows = gr.Dataframe(label="来源表格行", interactive=False)
                chart = gr.BarPlot(x="单位与年度", y="金额", label="比较", visible=True)
        with gr.Tab("文件"):
            docs = gr.Dataframe(value=app.documents(), label="已索引的文件", interactive=False, elem_id="docs")
            files = gr.File(file_count="multiple", file_types=sorted(UPLOAD_TYPES), label="上传 PDF 或文本导出", elem_id="uploader")
            status = gr.Markdown(elem_id="upload-status")
            files.upload(app.upload, files, [status, docs, unit, year], api_name="upload")
        with gr.Tab("审核"):
            gr.Markdown("每份文件对照自身的表间算术与文字说明：差额 ≤ 0.01 万元或 0.01 个百分点记为 rounding（舍入），更大记为 error。")
            show_rounding = gr.Checkbox(label="也显示舍入差异", value=False)
            audit_table = gr.Dataframe(value=app.findings(), label="审核发现", interactive=False, wrap=True,
                                       elem_id="audit")
            show_rounding.change(app.findings, show_rounding, audit_table, api_name="audit")
        outputs = [chatbot, evidence, rows, chart, question]
        send.click(app.respond, [question, chatbot, unit, year], outputs, api_name="ask")
        question.submit(app.respond, [question, chatbot, unit, year], outputs, api_name=False)
    demo.queue(default_concurrency_limit=8)
    return demo


def serve(data_dir: str | Path, host: str = "127.0.0.1", port: int = 7860, max_upload_mb: float = 50,
          block: bool = True, db: str | None = None):
    app = App(data_dir, max_upload_mb, db=db)
    demo = build(app)
    return demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block, show_error=True,
                       footer_links=["api"], max_file_size=f"{int(max_upload_mb)}mb")

