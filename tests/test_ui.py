"""The Gradio UI, served for real: its API through gradio_client, and a real headless browser."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = ROOT / "test-output"


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


def dev_questions():
    rows = [json.loads(x) for x in (ROOT / "eval" / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["id"]: r for r in rows}


def test_api_answers_dev_questions_with_figures_and_citations(server):
    from gradio_client import Client

    url, _ = server
    client = Client(url, verbose=False)
    gold = dev_questions()
    for qid in ("d001", "d002", "d026", "d025", "d017"):
        item = gold[qid]
        history, evidence, rows, chart, cleared = client.predict(item["question"], [], "全部", "全部", api_name="/ask")
        reply = history[-1]["content"][0]["text"]
        for value in item["answer_values"]:
            assert value in reply.replace(",", "") and value in evidence.replace(",", ""), (qid, reply)
        for phrase in item["must_contain"]:
            assert phrase in reply.replace(",", ""), (qid, phrase, reply)
        assert item["unit_name"] and (item["unit_name"] if isinstance(item["unit_name"], str)
                                      else item["unit_name"][0]) in evidence
        if item["type"] == "explain":
            assert "引用原文" in evidence and "五、" in evidence
        if item["type"] == "compare":
            assert chart is not None
        assert cleared == ""


def test_filters_scope_a_question_to_a_unit_and_year(server):
    from gradio_client import Client

    url, _ = server
    client = Client(url, verbose=False)
    history, evidence, *_ = client.predict("差旅费是多少？", [], "昌吉市社会保险中心", "2024", api_name="/ask")
    assert "2.25" in history[-1]["content"][0]["text"] and "昌吉市社会保险中心" in evidence


def test_real_browser_question_answer_citation_upload_and_screenshot(server):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed here (apt-get install chromium); .ci/run installs it")
    playwright = pytest.importorskip("playwright.sync_api")
    url, data = server
    upload = CORPUS / "real" / "jiangsu" / "江苏省人民检察院" / "2017年省检察院部门预算.pdf"
    OUTPUT.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(url)
        page.locator("#question textarea").fill("巴州社保中心2025年的差旅费预算是多少？")
        page.locator("#send").click()
        page.locator("#chat").get_by_text("4.00").first.wait_for(timeout=60000)
        page.locator("#evidence").get_by_text("表6 一般公共预算基本支出情况表").first.wait_for(timeout=30000)
        page.locator("#question textarea").fill("巴州社保中心2025年行政单位离退休支出比上年减少5.90万元，主要原因是什么？")
        page.locator("#send").click()
        page.locator("#chat").get_by_text("企业离休人员比上年度减少").first.wait_for(timeout=60000)
        page.screenshot(path=str(OUTPUT / "ui_answer.png"), full_page=True)
        if upload.exists():
            page.get_by_role("tab", name="文件").click()
            page.locator("#uploader input[type=file]").set_input_files(str(upload))
            page.locator("#upload-status").get_by_text("indexed").wait_for(timeout=120000)
            page.locator("#docs").get_by_text("江苏省人民检察院").first.wait_for(timeout=30000)
            page.screenshot(path=str(OUTPUT / "ui_upload.png"), full_page=True)
            assert any(f.name.endswith(".pdf") for f in (data / "uploads").iterdir())
        browser.close()
    assert (OUTPUT / "ui_answer.png").stat().st_size > 10000
