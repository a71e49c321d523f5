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


# ---- the store on both engines ------------------------------------------------------------------
# SQLite always; PostgreSQL when BUDGETQA_TEST_PG names a server (.ci/postgres starts one in CI).
# Each PostgreSQL store is a schema of its own in that database, dropped after the test.
PG_URL = os.environ.get("BUDGETQA_TEST_PG")
ENGINES = ["sqlite", "postgresql"]


def _pg_admin(sql: str) -> None:
    import sqlalchemy as sa

    from index.engine import postgres_url

    engine = sa.create_engine(postgres_url(PG_URL))
    with engine.begin() as con:
        con.execute(sa.text(sql))
    engine.dispose()


def pg_store_url(label: str = "t") -> str:
    """A fresh, empty PostgreSQL store: a new schema, named in the URL's search_path."""
    import uuid

    if not PG_URL:
        pytest.skip("PostgreSQL tests skipped: set BUDGETQA_TEST_PG=postgresql://… (`source .ci/postgres start`)")
    schema = f"{label}_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE SCHEMA {schema}")
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"


def drop_pg_store(url: str) -> None:
    _pg_admin(f"DROP SCHEMA IF EXISTS {url.rsplit('%3D', 1)[1]} CASCADE")


@pytest.fixture(params=ENGINES)
def engine_name(request) -> str:
    return request.param


@pytest.fixture
def make_store(engine_name, tmp_path):
    """A factory of fresh, empty stores on the parametrised engine: `make_store()` → Store."""
    from index.store import Store

    made = []

    def make():
        store = Store(tmp_path / f"data{len(made)}" if engine_name == "sqlite" else pg_store_url())
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()
        if store.url:
            drop_pg_store(store.url)


@pytest.fixture(scope="session")
def pg_text_store():
    """The five text exports in a PostgreSQL store, built once per session (skipped without PostgreSQL)."""
    from index.ingest import ingest
    from index.store import Store

    if not CORPUS.exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    store = Store(pg_store_url("samples"))
    report = ingest([CORPUS / f for f in SAMPLES.values()], store, progress=False, workers=1)
    assert not report.failed, [(r.path, r.message) for r in report.failed]
    yield store
    store.close()
    drop_pg_store(store.url)


@pytest.fixture(params=ENGINES)
def samples_store(request):
    """The five text exports on each engine."""
    return request.getfixturevalue("text_store" if request.param == "sqlite" else "pg_text_store")
