"""Vectors for every stored document: embed what the vector index lacks for the current model.

The store keeps each document's narrative chunks (made at ingest), so this pass needs neither the
files nor a changed file: a document lacks vectors when the index holds fewer chunks of its current
version (content hash) than the store, whatever the reason — ingested without `--vectors`, embedded
with another model, a new Chroma server, an interrupted run. Embedding is batched (the embedder's
batches, across documents), with a progress bar and an estimate of the time left.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from tqdm import tqdm

from index.chunks import Chunk
from index.store import Store


@dataclass
class VectorReport:
    documents: int = 0  # stored documents
    missing: list[str] = field(default_factory=list)  # doc keys that lacked vectors
    embedded: int = 0  # chunks embedded
    seconds: float = 0.0


def stored_chunks(store: Store, doc_id: int, doc_key: str, unit_name: str, year: int | None) -> list[Chunk]:
    rows = store.query("SELECT seq, section, text, line, page FROM chunks WHERE document_id = ? ORDER BY seq", (doc_id,))
    return [Chunk(f"{doc_key}#{r['seq']}", doc_key, unit_name, year, r["section"] or "", r["text"] or "", r["line"],
                  r["page"]) for r in rows]


def embed_missing(store: Store, narrative, progress: bool = True, echo=None) -> VectorReport:
    """Embed the chunks of every stored document whose current version lacks vectors in `narrative`."""
    echo = echo or (lambda text: print(text, file=sys.stderr))
    report = VectorReport()
    docs = store.query("SELECT d.id, d.doc_key, d.unit_name, d.year, d.sha256, COUNT(c.id) AS n FROM documents d"
                       " LEFT JOIN chunks c ON c.document_id = d.id"
                       " GROUP BY d.id, d.doc_key, d.unit_name, d.year, d.sha256 ORDER BY d.id")
    report.documents = len(docs)
    todo = [d for d in docs if d["n"] and narrative.stored_chunks(d["doc_key"], d["sha256"]) != d["n"]]
    total = sum(d["n"] for d in todo)
    report.missing = [d["doc_key"] for d in todo]
    if not todo:
        echo(f"vectors: all {len(docs)} documents have vectors for {narrative.embedder.name}")
        return report
    echo(f"vectors: {len(todo)} of {len(docs)} documents lack vectors for {narrative.embedder.name}: "
         f"{total} chunks to embed")
    start = time.perf_counter()
    bar = tqdm(total=total, desc="embed", unit="chunk", disable=not progress, file=sys.stderr)
    for i, d in enumerate(todo):
        chunks = stored_chunks(store, d["id"], d["doc_key"], d["unit_name"], d["year"])
        report.embedded += narrative.add_document(d["doc_key"], chunks, d["sha256"])
        bar.update(len(chunks))
        if i == 0 and len(todo) > 1:
            rate = report.embedded / max(time.perf_counter() - start, 1e-6)
            echo(f"vectors: {rate:.1f} chunks/s, about {(total - report.embedded) / rate / 60:.1f} min left")
    bar.close()
    report.seconds = time.perf_counter() - start
    echo(f"vectors: embedded {report.embedded} chunks of {len(todo)} documents in {report.seconds:.1f} s")
    return report
