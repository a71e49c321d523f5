"""Narrative search: ChromaDB vectors + BM25 over jieba tokens, fused by reciprocal rank.

The vectors live in an embedded Chroma `PersistentClient` under `<data>/chroma` (or a Chroma server
given host and port), one collection per embedding model (switching models builds another
collection); we always pass our own embeddings, never Chroma's default function (it downloads a
model). Re-adding a document whose content hash is unchanged embeds nothing; a changed document
replaces its chunks. The BM25 side is built in memory from the stored chunks of the documents a search
is filtered to (one body, one year) — filtered before scoring, so its cost follows what is asked — and
kept for the most recent filters; an unfiltered search scores the whole collection.
"""
from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
import jieba  # noqa: E402
from chromadb.config import Settings  # noqa: E402

from index.chunks import Chunk  # noqa: E402
from index.lexical import LexicalRanker  # noqa: E402

RRF_K = 60
LEXICAL_CACHE = 32  # lexical indexes kept, one per filter (body, year)
DOMAIN_WORDS = ["三公经费", "公务用车运行维护费", "公务用车购置费", "公务接待费", "因公出国境费", "机关运行经费", "一般公共预算",
                "政府性基金", "国有资本经营", "政府采购", "基本支出", "项目支出", "人员经费", "公用经费", "上年结转", "名词解释",
                "财政拨款", "绩效目标", "主要原因", "社会保险", "预算安排规模"]
_jieba_lock = threading.Lock()
_jieba_ready: set[str] = set()


def _normalise(text: str) -> str:
    return re.sub(r"[“”\"（）()]", "", text)


def tokens(text: str) -> list[str]:
    return [t for t in jieba.lcut(_normalise(text)) if t.strip() and not re.fullmatch(r"[\W_]+", t)]


@dataclass
class Hit:
    chunk: Chunk
    score: float


class NarrativeIndex:
    def __init__(self, data_dir: str | Path, embedder, host: str | None = None, port: int | None = None):
        settings = Settings(anonymized_telemetry=False)
        if host:
            self.client = chromadb.HttpClient(host=host, port=port or 8000, settings=settings)
        else:
            Path(data_dir, "chroma").mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(Path(data_dir, "chroma")), settings=settings)
        self.embedder = embedder
        name = re.sub(r"[^A-Za-z0-9._-]", "-", f"narrative-{embedder.name}")[:60]
        self.collection = self.client.get_or_create_collection(
            name, embedding_function=None, metadata={"embedder": embedder.name, "hnsw:space": "cosine"})
        with _jieba_lock:
            jieba.dt.tmp_dir = str(Path(data_dir))
            key = str(data_dir)
            if key not in _jieba_ready:
                for w in DOMAIN_WORDS:
                    jieba.add_word(w, freq=20000)
                _jieba_ready.add(key)
        self._lexical_cache: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    # ---- writing ---------------------------------------------------------------------------

    def add_document(self, doc_key: str, chunks: list[Chunk], content_hash: str) -> int:
        """Index a document's chunks; returns how many were embedded (0 when unchanged)."""
        old = self.collection.get(where={"doc_key": doc_key}, include=["metadatas"])
        if old["ids"] and len(old["ids"]) == len(chunks) and all(m.get("hash") == content_hash
                                                                  for m in old["metadatas"]):
            return 0
        if old["ids"]:
            self.collection.delete(ids=old["ids"])
        if chunks:
            vectors = self.embedder.embed_passages([c.embed_text for c in chunks])
            self.collection.add(
                ids=[c.id for c in chunks], embeddings=vectors, documents=[c.text for c in chunks],
                metadatas=[{"doc_key": c.doc_key, "unit_name": c.unit_name, "year": c.year or 0,
                            "section": c.section, "line": c.line or 0, "page": c.page or 0, "hash": content_hash}
                           for c in chunks])
        self._forget()
        return len(chunks)

    def stored_chunks(self, doc_key: str, content_hash: str) -> int:
        """How many chunks of this version of a document hold vectors (0: none, or of another version)."""
        got = self.collection.get(where={"$and": [{"doc_key": doc_key}, {"hash": content_hash}]}, include=[])
        return len(got["ids"])

    def remove_document(self, doc_key: str) -> None:
        self.collection.delete(where={"doc_key": doc_key})
        self._forget()

    def _forget(self) -> None:
        with self._lock:
            self._lexical_cache.clear()

    # ---- reading ---------------------------------------------------------------------------

    def _lexical(self, where: dict | None):
        """BM25 (jieba words, character pairs) over the chunks `where` selects, built once per filter."""
        key = repr(sorted((where or {}).items()))
        with self._lock:
            cached = self._lexical_cache.get(key)
            if cached is not None:
                self._lexical_cache.move_to_end(key)
                return cached
        got = self.collection.get(where=where or None, include=["documents", "metadatas"])
        chunks = [Chunk(i, m["doc_key"], m["unit_name"], m["year"] or None, m["section"], d, m["line"] or None,
                        m["page"] or None) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        texts = [c.embed_text for c in chunks]
        built = (LexicalRanker(texts, cut=tokens), LexicalRanker(texts), chunks)
        with self._lock:
            self._lexical_cache[key] = built
            while len(self._lexical_cache) > LEXICAL_CACHE:
                self._lexical_cache.popitem(last=False)
        return built

    def search(self, query: str, k: int = 5, unit_name: str | None = None, year: int | None = None,
               section_contains: str | None = None, mode: str = "hybrid") -> list[Hit]:
        def keep(c: Chunk) -> bool:
            return ((unit_name is None or c.unit_name == unit_name) and (year is None or c.year == year)
                    and (section_contains is None or section_contains in c.section))

        # filtered to one unit: its name in the question only adds noise to word counts
        words_query = query.replace(unit_name, " ") if unit_name else query
        ranked: list[list[Chunk]] = []
        by_id: dict[str, Chunk] = {}
        where = {k_: v for k_, v in (("unit_name", unit_name), ("year", year)) if v is not None}
        if len(where) > 1:
            where = {"$and": [{k_: v} for k_, v in where.items()]}
        if mode in ("lexical", "hybrid"):
            bm25_words, bm25_bigrams, chunks = self._lexical(where)
            # words (jieba with the domain dictionary) and character bigrams (robust to unseen terms)
            for ranker in (bm25_words, bm25_bigrams):
                order = ranker.rank(words_query, keep=lambda i: keep(chunks[i]), k=max(k * 4, 20))
                ranked.append([chunks[i] for _, i in order])
        if mode in ("dense", "hybrid"):
            n = max(k * 4, 20)
            res = self.collection.query(query_embeddings=[self.embedder.embed_query(query)], n_results=n,
                                        where=where or None, include=["documents", "metadatas", "distances"])
            dense = [Chunk(i, m["doc_key"], m["unit_name"], m["year"] or None, m["section"], d, m["line"] or None,
                           m["page"] or None) for i, d, m in zip(res["ids"][0], res["documents"][0], res["metadatas"][0])]
            ranked.append([c for c in dense if keep(c)])
        fused: dict[str, float] = {}
        for ranking in ranked:
            for rank, c in enumerate(ranking):
                by_id[c.id] = c
                fused[c.id] = fused.get(c.id, 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda i: -fused[i])[:k]
        return [Hit(by_id[i], fused[i]) for i in best]
