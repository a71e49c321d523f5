"""Shared fixtures: the real sample corpus beside the repo, and a store built from it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

SAMPLES = {
    "巴州2025": "000_4b9187e3024cf45d.txt",
    "乌市2025": "001_cba2921d34774e9d.txt",
    "昌吉2024": "002_5e80dbdf814b782e.txt",
    "和静2025": "003_7d041b95b870d977.txt",
    "巴州2020": "004_82077367fa55b95d.txt",
}


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return path


@pytest.fixture(scope="session")
def text_store(tmp_path_factory):
    """A store ingested from the five text exports, built once per test session."""
    from index.ingest import ingest
    from index.store import Store

    if not CORPUS.exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    store = Store(tmp_path_factory.mktemp("text_store"))
    report = ingest([CORPUS / f for f in SAMPLES.values()], store, progress=False, workers=1)
    assert not report.failed, [(r.path, r.message) for r in report.failed]
    return store
