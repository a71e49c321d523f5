"""The Gradio UI, served for real: its API through gradio_client, and a newcomer's walk in headless Chromium.

The walk looks for the defects a new user met: English or internal strings on the page, evidence
only for the last answer, no printed cell to look at, a chart that hides a small value or does not
say the documents differ, an export that is not what was shown. Screenshots go to test-output/.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.exports import read_csv
from tests import pdfs
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = ROOT / "test-output"
COMPARE = "乌市社保中心和巴州社保局的一般公共预算财政拨款支出合计分别是多少？"
WITH_REASON = "巴州社保中心2025年“三公”经费是多少？比上年变化的原因？"
ON_THE_UPLOAD = "测试县社会保险中心2025年社会保障和就业支出合计是多少？"
# Latin words a user may read: formats and the API link; file names are taken out before the scan
ALLOWED_LATIN = {"PDF", "CSV", "Excel", "XLSX", "API", "Markdown", "MB", "OCR"}
# Latin the bundled disclosures print themselves (机房UPS不间断电源): quoted document text, not interface text
DOCUMENT_LATIN = {w for f in (ROOT / "samples" / "text").glob("*.txt")
                  for w in re.findall(r"[A-Za-z][A-Za-z_:]+", f.read_text(encoding="utf-8"))}
INTERNAL = ["answered", "not_found", "ambiguous", "lookup", "compare:", ":sql", "路由", "rounding", "change_parts",
            "narrative_vs_table", "Drop File", "Click to Upload", "indexed", "findings", "「」"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(text_store, tmp_path_factory):
    data = tmp_path_factory.mktemp("ui_data")
    shutil.copy(text_store.path, data / "budget.sqlite")
    port = free_port()
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--data", str(data), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("server exited: " + proc.stdout.read())
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("server did not start")
    yield url, data
    proc.terminate()
    proc.wait(timeout=20)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def foreign_words(text: str) -> list[str]:
    """Latin words in the page text that are not formats, units or file names."""
    text = re.sub(r"[\w\-]*\.(?:pdf|txt|md|markdown|csv|xlsx)\b", " ", text)
    return sorted({w for w in re.findall(r"[A-Za-z][A-Za-z_:]+", text) if w not in ALLOWED_LATIN | DOCUMENT_LATIN})


def assert_chinese_only(text: str, where: str) -> None:
    assert not foreign_words(text), (where, foreign_words(text))
    for s in INTERNAL:
        assert s not in text, (where, s)
    assert not re.search(r"(?m)^1\s*\n\s*2\s*\n\s*3\s*$", text), (where, "placeholder headers 1 2 3")


def test_api_answer_carries_its_evidence_and_export(server, text_store):
    from gradio_client import Client

    from assistant.evidence import Evidence
    from assistant.router import Assistant

    url, data = server
    client = Client(url, verbose=False)
    expected = Assistant(data).ask(COMPARE)
    history, cleared = client.predict(COMPARE, [], "全部", "全部", api_name="/ask")
    reply = history[-1]["content"][0]["text"]
    assert cleared == "" and 'class="bq-evidence"' in reply and '<svg class="bq-chart"' in reply
    for f in expected.figures:
        assert f"{f.value:,.2f}" in reply
    key = re.search(r"/export/answer/(\w+)\.csv", reply).group(1)
    rows = read_csv(fetch(f"{url}export/answer/{key}.csv"))
    columns, shown = Evidence(text_store).rows(expected)
    assert rows == [columns] + shown
    with pytest.raises(urllib.error.HTTPError):
        fetch(f"{url}export/answer/{'0' * 32}.csv")


def test_filters_scope_a_question_to_a_unit_and_year(server):
    from gradio_client import Client

    url, _ = server
    client = Client(url, verbose=False)
    history, _ = client.predict("差旅费是多少？", [], "昌吉市社会保险中心", "2024", api_name="/ask")
    reply = history[-1]["content"][0]["text"]
    assert "2.25" in reply and "昌吉市社会保险中心" in reply


def test_routes_serve_only_what_the_store_holds(server):
    url, _ = server
    for path in ("source/1.pdf", "source/99999.pdf", "evidence/cell/1.png", "source/..%2F..%2Fetc%2Fpasswd.pdf",
                 "evidence/cell/..%2Fbudget.sqlite.png"):
        with pytest.raises(urllib.error.HTTPError) as e:
            fetch(url + path)  # text exports have no PDF or page image; nothing else is a document or cell id
        assert e.value.code in (404, 422)


def ask(page, question: str):
    """Ask in the chat box; return the new assistant message's locator once its answer is there."""
    before = page.locator("#chat .bq-answer").count()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.wait_for_function(f"document.querySelectorAll('#chat .bq-answer').length > {before}", timeout=60000)
    message = page.locator("#chat .bq-answer").nth(before).locator("xpath=ancestor::*[@data-testid='bot'][1]")
    message.locator("details.bq-evidence > summary").click()
    return message


def dom_rows(table) -> list[list[str]]:
    return table.evaluate("t => [...t.querySelectorAll('tr')].map(r => [...r.cells].map(c => c.innerText.trim()))")


def test_newcomer_walk_in_a_real_browser(server, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed here (apt-get install chromium); .ci/run installs it")
    playwright = pytest.importorskip("playwright.sync_api")
    from openpyxl import load_workbook
    from PIL import Image

    from assistant.page_images import OUTLINE

    url, data = server
    upload = pdfs.three_page_table_pdf(tmp_path / "测试县社保中心_2025_单位预算.pdf")
    OUTPUT.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="en-US", accept_downloads=True)
        page = context.new_page()
        page.goto(url)
        page.locator("#question textarea").wait_for()
        page.screenshot(path=str(OUTPUT / "ui_empty.png"), full_page=True)
        body = page.locator("body").inner_text()
        assert "在下方输入问题" in body
        assert_chinese_only(body, "empty chat (English browser)")

        # 文件: upload a PDF, see it listed; export one of its tables with the tab's button
        page.get_by_role("tab", name="文件").click()
        page.locator("#uploader input[type=file]").set_input_files(str(upload))
        page.locator("#upload-status").get_by_text("【已索引】").wait_for(timeout=120000)
        page.locator("#docs").get_by_text("测试县社会保险中心").first.wait_for(timeout=30000)
        body = page.locator("body").inner_text()
        assert "—（文本导出）" in body
        assert_chinese_only(body, "文件 tab")
        page.screenshot(path=str(OUTPUT / "ui_upload.png"), full_page=True)
        assert any(f.name.endswith(".pdf") for f in (data / "uploads").iterdir())
        con = sqlite3.connect(data / "budget.sqlite")
        doc_id = con.execute("SELECT id FROM documents WHERE unit_name = '测试县社会保险中心'").fetchone()[0]
        table_id, table_title = con.execute("SELECT id, title FROM tables WHERE document_id = ?", (doc_id,)).fetchone()
        con.close()
        boxed = sqlite3.connect(data / "budget.sqlite").execute(
            "SELECT COUNT(*) FROM cells WHERE document_id = ? AND x0 IS NOT NULL", (doc_id,)).fetchone()[0]
        assert boxed > 0  # the PDF reader stores each cell's printed box

        page.locator("#export-doc input").click()
        page.get_by_role("option", name=re.compile("测试县社会保险中心")).click()
        page.locator("#export-table input").wait_for()
        page.wait_for_function("!document.querySelector('#export-csv').disabled", timeout=30000)
        with page.expect_download() as download:
            page.locator("#export-csv").click()
        table_csv = read_csv(Path(download.value.path()).read_bytes())
        assert table_csv[0][:2] == ["科目编码", "项目"] and any("636.09" in r for r in table_csv)
        assert table_title

        # 问答: a comparison, a figure with its reason, a figure from the uploaded PDF
        page.get_by_role("tab", name="问答").click()
        compare = ask(page, COMPARE)
        reason = ask(page, WITH_REASON)
        pdf_answer = ask(page, ON_THE_UPLOAD)
        page.wait_for_timeout(1500)
        assert page.locator("#chat details.bq-evidence").count() == 3, "every answer keeps its own evidence"

        chart = compare.locator("svg.bq-chart").text_content()
        values = re.findall(r"[\d,]+\.\d\d 万元", chart)
        assert len(set(values)) == 2 and "金额（万元）" in chart
        assert "年度不同" in compare.inner_text()

        answer_text = reason.locator(".bq-answer").inner_text()
        for sentence in re.findall(r"主要原因是[^，；。]+", answer_text):
            assert answer_text.count(sentence) == 1, sentence

        image = pdf_answer.locator("img.bq-cell-image")
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(),
                               timeout=30000)
        png = fetch(url.rstrip("/") + image.get_attribute("src"))
        raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
        pixels = (raw[k:k + 3] for k in range(0, len(raw), 3))
        assert sum(1 for px in pixels if all(abs(a - b) <= 12 for a, b in zip(px, OUTLINE))) > 50
        link = pdf_answer.get_by_text(re.compile(r"打开 PDF 第\d+页")).get_attribute("href")
        assert re.fullmatch(rf"/source/{doc_id}\.pdf\?part=0#page=\d+", link)
        assert fetch(url.rstrip("/") + link.split("#")[0]) == upload.read_bytes()

        shown = dom_rows(compare.locator("table.bq-rows"))
        with page.expect_download() as download:
            compare.get_by_role("link", name="CSV").click()
        assert read_csv(Path(download.value.path()).read_bytes()) == shown, "the CSV is the rows shown"
        with page.expect_download() as download:
            compare.get_by_role("link", name=re.compile("Excel")).click()
        sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))["数字来源"]
        got = [[("" if v is None else (f"{v:,.2f}" if isinstance(v, float) else str(v))) for v in r]
               for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert got == shown

        body = page.locator("body").inner_text()
        assert_chinese_only(body, "chat with three answers and their evidence")
        pdf_answer.screenshot(path=str(OUTPUT / "ui_pdf_evidence.png"))
        compare.screenshot(path=str(OUTPUT / "ui_compare.png"))
        page.add_style_tag(content="#chat, #chat * { max-height: none !important; } #chat { height: auto !important; }"
                                   " #chat .bubble-wrap { height: auto !important; overflow: visible !important; }")
        page.wait_for_timeout(500)
        page.screenshot(path=str(OUTPUT / "ui_answers.png"), full_page=True)

        # 审核: rules and severities in words
        page.get_by_role("tab", name="审核").click()
        page.wait_for_function("document.querySelector('#audit')?.innerText.includes('错误')", timeout=60000)
        body = page.locator("body").inner_text()
        assert "变化原因金额之和" in body or "列合计" in body
        assert_chinese_only(body, "审核 tab")
        page.screenshot(path=str(OUTPUT / "ui_audit.png"), full_page=True)
        browser.close()
    for name in ("ui_empty", "ui_upload", "ui_answers", "ui_pdf_evidence", "ui_compare", "ui_audit"):
        assert (OUTPUT / f"{name}.png").stat().st_size > 5000, name
