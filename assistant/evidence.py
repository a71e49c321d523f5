"""The evidence of one answer, as a reader of disclosures checks it before quoting a number.

For every figure: the document (body, year, 预算/决算, 部门/单位), table, row, column and page or
line; then what was printed — the PDF page with the cell outlined, or, for a text export, the
table rows around the cell with it highlighted, or the sentence a narrative figure comes from —
and a link that opens the source PDF at that page. Cited passages are quoted once each. The same
rows are what the CSV/XLSX export of the answer holds (`rows`), so what is downloaded is what was
shown. Everything is rendered as one HTML fragment that the chat message carries, collapsible
under the answer; fields of an Answer this module does not know are left alone.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from assistant import charts, ui_text
from assistant.exports import table_label
from assistant.answer import Answer, Figure
from assistant.page_images import PageImages
from index.store import Store

COLUMNS = ["序号", "数值", "计量单位", "单位名称", "年度", "类型", "表", "行", "列", "位置", "计算", "来源文件"]
ROWS_AROUND = 2  # table rows shown above and below the cell of a text export
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass
class DocumentInfo:
    id: int
    unit_name: str
    year: int | None
    budget_kind: str
    scope: str
    source_format: str
    source_file: str

    @property
    def label(self) -> str:
        return f"{self.unit_name} {self.year or ''}年{self.scope}{self.budget_kind}"


def figure_list(answer: Answer) -> list[Figure]:
    """The answer's figures and the inputs of computed ones, each once, in the order shown."""
    out, seen = [], set()

    def visit(f: Figure):
        key = (f.value, f.unit, f.unit_name, f.year, f.table, f.row, f.column, f.line, f.page,
               getattr(f, "cell_id", None), f.formula)
        if key in seen:
            return
        seen.add(key)
        out.append(f)
        for g in getattr(f, "inputs", None) or []:
            visit(g)

    for f in answer.figures or []:
        visit(f)
    return out


def number(value: float) -> str:
    return f"{value:,.2f}"


class Evidence:
    def __init__(self, store: Store, pages: PageImages | None = None):
        self.store = store
        self.pages = pages or PageImages(store)

    # ---- the figures' documents and places --------------------------------------------------

    def document(self, f: Figure) -> DocumentInfo | None:
        doc_id = getattr(f, "document_id", None)
        rows = self.store.query("SELECT * FROM documents WHERE id = ?", (doc_id,)) if doc_id else []
        if not rows:
            rows = self.store.query("SELECT * FROM documents WHERE unit_name = ? AND year IS ?", (f.unit_name, f.year))
            kind = getattr(f, "budget_kind", None)
            if len(rows) > 1 and kind:
                rows = [r for r in rows if r["budget_kind"] == kind] or rows
        if len(rows) != 1:
            return None
        r = rows[0]
        return DocumentInfo(r["id"], r["unit_name"], r["year"], r["budget_kind"] or "", r["scope"] or "",
                            r["source_format"] or "", r["source_file"] or "")

    def fact(self, f: Figure, doc: DocumentInfo | None) -> dict | None:
        """The narrative sentence a figure without a table comes from (the facts table)."""
        if doc is None or f.table or not f.line:
            return None
        rows = self.store.query("SELECT name, value, quote, section, page, line FROM facts WHERE document_id = ?"
                                " AND line = ? ORDER BY abs(value - ?) LIMIT 1", (doc.id, f.line, f.value))
        return dict(rows[0]) if rows else None

    @staticmethod
    def where(f: Figure, doc: DocumentInfo | None) -> str:
        if f.page:
            return f"第{f.page}页"
        if f.line:
            return f"第{f.line}行（文本导出）" if doc and doc.source_format == "text" else f"第{f.line}行"
        if f.formula:
            return "—（计算得出）"
        return "—"

    # ---- rows: the evidence table and its exports ---------------------------------------------

    def rows(self, answer: Answer) -> tuple[list[str], list[list[str]]]:
        out = []
        for k, f in enumerate(figure_list(answer), start=1):
            doc = self.document(f)
            fact = self.fact(f, doc)
            table = f.table or (f"文字说明：{_last_part(fact['section'])}" if fact else ("—" if f.formula else "文字说明"))
            source = Path(f.source_file).name if f.source_file else (
                " | ".join(Path(p).name for p in doc.source_file.split(" | ")) if doc else "")
            kind = f"{doc.scope}{doc.budget_kind}" if doc else f"{getattr(f, 'scope', None) or ''}" \
                f"{getattr(f, 'budget_kind', None) or ''}"
            out.append([str(k), number(f.value), f.unit or "", f.unit_name or "", str(f.year or ""), kind, table,
                        f.row or ("（无行名）" if f.table else ""), f.column or "", self.where(f, doc),
                        f.formula or "", source])
        return COLUMNS, out

    # ---- HTML ----------------------------------------------------------------------------------

    def message_html(self, answer: Answer, key: str) -> str:
        """The whole chat message: the answer, a chart when it compares, the evidence, exports, 调试."""
        shown = answer_lines(answer)
        parts = [f'<div class="bq-answer">{_answer_html(answer, shown)}</div>']
        chart = self.chart(answer)
        if chart:
            parts.append(f'<div class="bq-chart-box">{charts.svg(chart)}'
                         + "".join(f'<p class="bq-note">{escape(n)}</p>' for n in chart.notes) + "</div>")
        figures = figure_list(answer)
        citations = unique_citations(answer)
        if figures or citations:
            count = "，".join(x for x in (f"{len(figures)} 个数字" if figures else "",
                                         f"{len(citations)} 段原文" if citations else "") if x)
            parts.append(f'<details class="bq-evidence"><summary>证据（{count}）</summary>'
                         f"{self.evidence_html(answer, key, shown)}</details>")
        parts.append(_debug_html(answer))
        return "".join(parts)

    def evidence_html(self, answer: Answer, key: str, shown_text: list[str] | None = None) -> str:
        columns, rows = self.rows(answer)
        parts = []
        if rows:
            parts.append('<div class="bq-scroll"><table class="bq-rows"><thead><tr>'
                         + "".join(f"<th>{escape(c)}</th>" for c in columns) + "</tr></thead><tbody>"
                         + "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in r) + "</tr>" for r in rows)
                         + "</tbody></table></div>")
            parts.append(f'<p class="bq-exports">导出这些数字：<a href="/export/answer/{key}.csv" download>CSV</a>'
                         f' · <a href="/export/answer/{key}.xlsx" download>Excel（XLSX）</a></p>')
        citations = unique_citations(answer)
        answer_text = _squash("".join(shown_text or []))
        for k, f in enumerate(figure_list(answer)):
            parts.append(self.figure_html(k, f, citations, answer_text))
        if citations:
            parts.append('<h4 class="bq-h">引用原文</h4>')
            for n, c in enumerate(citations, start=1):
                where = "，".join(x for x in (f"第{c.page}页" if c.page else "", f"第{c.line}行" if c.line else "") if x)
                head = f"[{n}] {c.unit_name} {c.year or ''}年 · {c.section}" + (f"（{where}）" if where else "")
                if _squash(c.quote) and _squash(c.quote) in answer_text:
                    parts.append(f'<div class="bq-cite"><div class="bq-cite-head">{escape(head)}</div>'
                                 '<div class="bq-muted">原文已在回答中引用。</div></div>')
                else:
                    parts.append(f'<div class="bq-cite"><div class="bq-cite-head">{escape(head)}</div>'
                                 f"<blockquote>{escape(c.quote)}</blockquote></div>")
        return "".join(parts)

    def figure_html(self, k: int, f: Figure, citations: list, answer_text: str = "") -> str:
        doc = self.document(f)
        fact = self.fact(f, doc)
        mark = CIRCLED[k] if k < len(CIRCLED) else f"({k + 1})"
        if f.table:
            item = f"行「{f.row}」" if f.row else "行（无行名）"
        else:
            item = f"项目「{f.row}」" if f.row else ""
        place = "，".join(x for x in (
            f.table or (f"文字说明：{fact['section']}" if fact and fact["section"] else ""), item,
            f.column and f"列「{f.column}」", self.where(f, doc)) if x and x != "—")
        label = doc.label if doc else f"{f.unit_name} {f.year or ''}年"
        head = (f'<div class="bq-fig-head"><b>{mark} {number(f.value)} {escape(f.unit or "")}</b>'
                f" <span>{escape(label)}</span></div>"
                f'<div class="bq-fig-where">{escape(place)}</div>')
        body = []
        if f.formula:
            body.append(f'<div class="bq-formula">计算：{escape(f.formula)}（所用数字见上表）</div>')
        cell_id = getattr(f, "cell_id", None)
        place_pdf = self.pages.place(cell_id) if cell_id else None
        if place_pdf is not None:
            body.append(self._page_html(place_pdf))
        if cell_id and (place_pdf is None or place_pdf.box is None):
            body.append(self._rows_around_html(cell_id))
        if fact and not f.table:
            quote = _squash(fact["quote"])
            quoted = next((n for n, c in enumerate(citations, start=1) if quote and quote in _squash(c.quote)), None)
            if quote and quote in answer_text:
                body.append('<div class="bq-muted">原文已在回答中引用。</div>')
            elif quoted:
                body.append(f'<div class="bq-muted">原文见下方引用 [{quoted}]。</div>')
            else:
                body.append(f"<blockquote>{_highlight_number(fact['quote'], f.value)}</blockquote>")
        return f'<div class="bq-fig">{head}{"".join(body)}</div>'

    def _page_html(self, place) -> str:
        pdf_link = f"/source/{place.document_id}.pdf?part={place.part}#page={place.page}"
        links = (f'<a href="{pdf_link}" target="_blank">打开 PDF 第{place.page}页</a>'
                 f' · <a href="/evidence/cell/{place.cell_id}.png?whole=1" target="_blank">查看整页</a>')
        if place.box is None:
            return (f'<div class="bq-page"><img src="/evidence/cell/{place.cell_id}.png" alt="PDF 第{place.page}页"'
                    f' loading="lazy"><div class="bq-muted">第{place.page}页（此数字在页面上的位置未记录，显示整页）'
                    f" · {links}</div></div>")
        return (f'<div class="bq-page"><img class="bq-cell-image" src="/evidence/cell/{place.cell_id}.png"'
                f' alt="PDF 第{place.page}页，红框为该数字所在单元格" loading="lazy">'
                f'<div class="bq-muted">第{place.page}页，红框为该数字所在单元格 · {links}</div></div>')

    def _rows_around_html(self, cell_id: int) -> str:
        """The table rows around a cell as stored (the printed text), the cell's row and cell highlighted."""
        target = self.store.query("SELECT c.table_id, c.row_index, c.column_number, t.columns, t.title, t.number,"
                                  " t.measure_unit FROM cells c JOIN tables t ON t.id = c.table_id WHERE c.id = ?",
                                  (cell_id,))
        if not target:
            return ""
        t = target[0]
        columns = json.loads(t["columns"] or "[]")
        cells = self.store.query("SELECT row_index, row_label, code, column_number, raw, line, page FROM cells"
                                 " WHERE table_id = ? AND row_index BETWEEN ? AND ? ORDER BY row_index, column_number",
                                 (t["table_id"], t["row_index"] - ROWS_AROUND, t["row_index"] + ROWS_AROUND))
        rows: dict[int, dict] = {}
        for c in cells:
            r = rows.setdefault(c["row_index"], {"label": c["row_label"], "code": c["code"], "line": c["line"],
                                                  "page": c["page"], "values": {}})
            r["values"][c["column_number"]] = c["raw"]
        head = "".join(f"<th>{escape(c['path'])}</th>" for c in columns)
        body = []
        for index, r in rows.items():
            is_row = index == t["row_index"]
            where = f"第{r['page']}页" if r["page"] else (f"第{r['line']}行" if r["line"] else "")
            tds = "".join(
                f'<td class="{"bq-hit" if is_row and c["number"] == t["column_number"] else ""}">'
                f'{escape(r["values"].get(c["number"], "") or "")}</td>' for c in columns)
            body.append(f'<tr class="{"bq-row-hit" if is_row else ""}"><td class="bq-muted">{escape(where)}</td>'
                        f'<td>{escape(r["code"] or "")}</td><td>{escape(r["label"] or "")}</td>{tds}</tr>')
        caption = f"{table_label(t['number'], t['title'])}（单位：{t['measure_unit'] or '—'}）中的相邻行"
        return (f'<div class="bq-scroll"><table class="bq-source"><caption>{escape(caption)}</caption><thead><tr>'
                f"<th>位置</th><th>编码</th><th>项目</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")

    # ---- the chart ------------------------------------------------------------------------------

    def chart(self, answer: Answer) -> charts.Chart | None:
        measured = []
        for f in answer.figures or []:
            if f.formula or getattr(f, "inputs", None) or f.unit == "%":
                continue
            doc = self.document(f)
            measured.append(charts.Measured(
                f.value, f.unit, f.unit_name, f.year, doc.budget_kind if doc else (getattr(f, "budget_kind", "") or ""),
                doc.scope if doc else (getattr(f, "scope", "") or ""), _label_core(f.row or "")))
        return charts.chart_for(measured)


# ---- the answer's text -------------------------------------------------------------------------------


def answer_lines(answer: Answer) -> list[str]:
    """The answer's lines, less any line whose content another line already holds whole.

    A composed answer may say a reason once cut short ("…的说明：A；") and once in full ("原文：A；B。");
    the reader sees it once, in full.
    """
    lines = [x.strip() for x in (answer.answer or "").splitlines() if x.strip()]
    bodies = [_squash(_after_label(x)) for x in lines]
    keep = []
    for k, (line, body) in enumerate(zip(lines, bodies)):
        inside = k > 0 and any(j != k and body and body in other and (len(other) > len(body) or j < k)
                               for j, other in enumerate(bodies))
        if not inside:
            keep.append(line)
    return keep


def _after_label(line: str) -> str:
    m = re.match(r"^[^：:。]{0,80}(?:说明|原文[^：]{0,200}?)：", line)
    return line[m.end():] if m else line


def _answer_html(answer: Answer, lines: list[str]) -> str:
    text = "<br>".join(escape(x) for x in lines)
    for f in answer.figures or []:
        for shown in sorted({f"{f.value:,.2f}", f"{f.value:.2f}", f"{f.value:g}"}, key=len, reverse=True):
            text, done = re.subn(rf"(?<![\d.,>])({re.escape(shown)})(?![\d.,<])", r"<strong>\1</strong>", text,
                                 count=1)
            if done:
                break
    tag = ui_text.status_tag(answer.status)
    return (f'<span class="bq-tag">【{tag}】</span>' if tag else "") + text


def unique_citations(answer: Answer) -> list:
    out, seen = [], set()
    for c in answer.citations or []:
        key = (c.unit_name, c.year, _squash(c.quote))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _debug_html(answer: Answer) -> str:
    try:
        data = json.dumps(answer.to_dict(), ensure_ascii=False, indent=1, default=str)
    except Exception:  # an Answer of a newer shape: show what it has
        data = repr(answer)
    return (f'<details class="bq-debug"><summary>调试</summary><div>路由：{escape(str(answer.route or "—"))}'
            f"；状态：{escape(str(answer.status))}</div><pre>{escape(data)}</pre></details>")


def _highlight_number(text: str, value: float) -> str:
    out = escape(text or "")
    for shown in sorted({f"{value:,.2f}", f"{value:.2f}", f"{value:g}"}, key=len, reverse=True):
        out, done = re.subn(rf"(?<![\d.,])({re.escape(shown)})(?![\d.,])", r"<mark>\1</mark>", out, count=1)
        if done:
            break
    return out


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _last_part(section: str | None) -> str:
    return (section or "").split(" > ")[-1].strip()


def _label_core(label: str) -> str:
    return re.sub(r"^[\d一二三四五六七八九十]+[、.．]\s*|[:：]$", "", label.strip())
