"""Several processes on one store: an ingest killed with SIGKILL mid-way, answering while another process
ingests, and two `budgetqa serve` processes sharing one PostgreSQL store."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from benchmarks.scale import body_name, generate
from index.ingest import parse_file
from index.read import StoreReader
from index.store import Store
from tests.conftest import ROOT, drop_pg_store, pg_store_url
from tests.test_ui import free_port

ENV = dict(os.environ, ANONYMIZED_TELEMETRY="False", GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1",
           HF_HUB_DISABLE_TELEMETRY="1")


def budgetqa(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)


def store_args(store: Store) -> list[str]:
    return ["--db", store.url] if store.url else ["--data", str(store.data_dir)]


def test_an_ingest_killed_mid_way_loses_nothing_and_leaves_no_half_document(make_store, tmp_path):
    store = make_store()
    files = generate(tmp_path / "files", 40)  # synthetic copies of the samples (benchmarks/scale.py)
    proc = budgetqa("ingest", "--quiet", *store_args(store), *map(str, files), start_new_session=True)
    deadline = time.time() + 300
    while store.generation()[0] < 4 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its reader processes, as a power cut would
    proc.wait(timeout=30)
    reader = StoreReader(store)
    stored = reader.documents()
    assert 4 <= len(stored) < len(files), "the ingest must be killed while it is still storing"
    by_path = {str(f): f for f in files}
    for d in stored:  # each stored document is whole: every table, cell, fact, section and chunk of its file
        expected = parse_file(d.source_file)
        assert d.source_file in by_path and expected.error is None
        assert len(reader.tables([d.id])) == len(expected.tables)
        assert len(reader.cells([d.id])) == sum(len(r.cells) for t in expected.tables for r in t.rows)
        assert len(reader.facts([d.id])) == len(expected.facts)
        assert store.query("SELECT COUNT(*) AS n FROM chunks WHERE document_id = ?", (d.id,))[0]["n"] == \
            len(expected.chunks)
        assert [tuple(r) for r in store.query("SELECT sha256, status FROM source_files WHERE document_id = ?",
                                              (d.id,))] == [(expected.sha256, "indexed")]
    for table in ("tables", "cells", "sections", "facts", "findings", "chunks"):
        orphans = store.query(f"SELECT COUNT(*) AS n FROM {table} x WHERE NOT EXISTS"
                              f" (SELECT 1 FROM documents d WHERE d.id = x.document_id)")[0]["n"]
        assert orphans == 0, table
    if store.path:
        assert store.query("PRAGMA integrity_check")[0][0] == "ok"
    # the next run stores the rest and leaves what was stored alone
    again = budgetqa("ingest", "--quiet", *store_args(store), *map(str, files))
    out, _ = again.communicate(timeout=600)
    assert again.returncode == 0, out
    assert f"{len(files) - len(stored)} indexed, {len(stored)} unchanged" in out
    assert store.generation()[0] == len(files)


def test_answers_go_on_while_another_process_ingests_into_the_same_store(make_store, tmp_path):
    from assistant import app as ui

    store = make_store()
    files = generate(tmp_path / "files", 24)
    first = budgetqa("ingest", "--quiet", *store_args(store), *map(str, files[:4]))
    assert first.wait(timeout=300) == 0
    app = ui.App(tmp_path / "ui", db=store.url) if store.url else ui.App(store.data_dir)
    question = f"{body_name(1)}2025年“三公”经费是多少？"
    expected = app.ask(question).answer
    assert "12.80" in expected  # 6.40 × 2: body 1 is the 巴州 sample with its amounts doubled
    proc = budgetqa("ingest", "--quiet", *store_args(store), *map(str, files[4:]))
    answers = []
    while proc.poll() is None:
        answers.append(app.ask(question))
    out, _ = proc.communicate()
    assert proc.returncode == 0, out
    assert len(answers) >= 3 and all(a.answer == expected for a in answers)
    time.sleep(ui.STORE_CHECK)
    late = app.ask(f"{body_name(11)}2025年“三公”经费是多少？")  # stored by the other process
    assert late.status == "answered" and body_name(11) in late.answer


def _wait_for(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if proc.poll() is not None:
                pytest.fail("server exited: " + proc.stdout.read())
            time.sleep(0.5)
    proc.kill()
    pytest.fail("server did not start")


def test_two_servers_share_one_postgresql_store(tmp_path):
    """`budgetqa serve --db postgresql://…` twice on the samples: both answer from the store, and a document
    one server's upload adds is answered by the other."""
    from gradio_client import Client

    from index.ingest import ingest

    url = pg_store_url("serve")
    store = Store(url)
    assert not ingest([ROOT / "samples" / "text"], store, progress=False, workers=1).failed
    ports = [free_port(), free_port()]
    servers = [budgetqa("serve", "--db", url, "--data", str(tmp_path / f"ui{i}"), "--port", str(p))
               for i, p in enumerate(ports)]
    try:
        for p, proc in zip(ports, servers):
            _wait_for(f"http://127.0.0.1:{p}/", proc)
        clients = [Client(f"http://127.0.0.1:{p}/", verbose=False) for p in ports]
        for client in clients:
            history, *_ = client.predict("巴州社保中心2025年“三公”经费是多少？", [], "全部", "全部", api_name="/ask")
            reply = history[-1]["content"][0]["text"]
            assert "6.40" in reply and "巴音郭楞蒙古自治州社会保险中心" in reply, reply
        new = generate(tmp_path / "files", 6)[5]  # 合成测试单位0002, 2024
        from gradio_client import handle_file

        status, *_ = clients[0].predict([handle_file(str(new))], api_name="/upload")
        assert "【已索引】" in status, status
        time.sleep(2.5)  # the other server looks for new documents every STORE_CHECK seconds
        history, *_ = clients[1].predict(f"{body_name(2)}2024年“三公”经费是多少？", [], "全部", "全部", api_name="/ask")
        reply = history[-1]["content"][0]["text"]
        assert body_name(2) in reply and "万元" in reply, reply
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=30)
        store.close()
        drop_pg_store(url)
