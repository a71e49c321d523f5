"""Vectors in a real Chroma server (`chroma run` on 127.0.0.1, started here) and in the embedded index:
`ingest --vectors` embeds whatever lacks vectors for the model, whether or not the file changed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, corpus_file
from tests.test_ui import free_port

ENV = dict(os.environ, ANONYMIZED_TELEMETRY="False", HF_HUB_OFFLINE="1", HF_HUB_DISABLE_TELEMETRY="1")


def short_disclosure(folder: Path, sample: str, lines: int = 300) -> str:
    """The start of a sample disclosure (its 概况 and first tables): a real document with few chunks to embed."""
    path = folder / f"{sample}.txt"
    text = corpus_file(SAMPLES[sample]).read_text(encoding="utf-8").splitlines()[:lines]
    path.write_text("\n".join(text), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if not chroma:
        pytest.skip("the `chroma` command (installed with chromadb) is not on this machine")
    port = free_port()
    log = tmp_path_factory.mktemp("chroma_log") / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen([chroma, "run", "--host", "127.0.0.1", "--port", str(port),
                                 "--path", str(tmp_path_factory.mktemp("chroma_server"))],
                                stdout=out, stderr=subprocess.STDOUT, env=ENV)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("chroma server exited: " + log.read_text())
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start: " + log.read_text())
    yield "127.0.0.1", port
    proc.terminate()
    proc.wait(timeout=30)


def budgetqa(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=ENV,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return done


def test_ingest_vectors_into_a_chroma_server_embeds_what_lacks_vectors(chroma_server, tmp_path):
    import chromadb
    from chromadb.config import Settings

    from index.embeddings import get_embedder
    from index.search import NarrativeIndex
    from index.store import Store

    host, port = chroma_server
    data = tmp_path / "data"
    first, second = (short_disclosure(tmp_path, k, 400) for k in ("昌吉2024", "巴州2020"))
    budgetqa("ingest", "--quiet", "--data", str(data), first)  # no vectors yet
    server = ["--vectors", "--chroma-host", host, "--chroma-port", str(port)]  # the packaged embedding model
    out = budgetqa("ingest", "--quiet", "--data", str(data), *server, first)
    assert "0 indexed, 1 unchanged" in out.stdout  # the file did not change …
    assert "1 of 1 documents lack vectors" in out.stderr  # … but it had no vectors: they are made now
    store = Store(data, read_only=True)
    chunks = store.query("SELECT COUNT(*) AS n FROM chunks")[0]["n"]
    assert chunks >= 3 and f"embedded {chunks} chunks" in out.stderr

    client = chromadb.HttpClient(host=host, port=port, settings=Settings(anonymized_telemetry=False))
    [collection] = client.list_collections()
    assert collection.count() == chunks  # they are in the server, not under --data
    assert not (data / "chroma").exists()

    out = budgetqa("ingest", "--quiet", "--data", str(data), *server, first, second)
    assert "1 indexed, 1 unchanged" in out.stdout and "1 of 2 documents lack vectors" in out.stderr
    out = budgetqa("ingest", "--quiet", "--data", str(data), *server, first, second)
    assert "all 2 documents have vectors" in out.stderr

    index = NarrativeIndex(data, get_embedder(), host=host, port=port)
    hits = index.search("主要职能", k=5, unit_name="昌吉市社会保险中心", year=2024)
    assert hits and all(h.chunk.unit_name == "昌吉市社会保险中心" and h.chunk.year == 2024 for h in hits)
    doc_key = store.query("SELECT doc_key FROM documents WHERE unit_name = '昌吉市社会保险中心'")[0]["doc_key"]
    assert all(h.chunk.doc_key == doc_key for h in hits)


def test_embedded_index_gets_the_vectors_a_model_lacks(tmp_path):
    from index.embeddings import get_embedder
    from index.ingest import ingest
    from index.search import NarrativeIndex
    from index.store import Store
    from index.vectors import embed_missing

    store = Store(tmp_path / "data")
    ingest([short_disclosure(tmp_path, "昌吉2024", 400)], store, progress=False)
    narrative = NarrativeIndex(tmp_path / "data", get_embedder())
    said: list[str] = []
    report = embed_missing(store, narrative, progress=False, echo=said.append)
    assert report.missing and report.embedded == narrative.collection.count() >= 3
    assert embed_missing(store, narrative, progress=False, echo=said.append).embedded == 0
    # an interrupted run left part of a document: the rest is made again, whole
    ids = narrative.collection.get(include=[])["ids"]
    narrative.collection.delete(ids=ids[:2])
    assert embed_missing(store, narrative, progress=False, echo=said.append).embedded == report.embedded
    assert narrative.collection.count() == report.embedded
