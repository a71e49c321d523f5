"""The plain dense-RAG baseline: what a generic "chat with your PDFs" tool has in its context.

Passages over the same store: the narrative sections cut into ~300-character pieces, plus every
table serialised as text — title (and its note, e.g. 为空表), header, then one "label | value |
value …" line per row, in pieces of a few rows that each repeat the title and header. They are
embedded with `index.embeddings.get_embedder()` (the packaged default model) and the top 5 by
cosine similarity form the context; when no embedding model can be loaded, the project's lexical
ranker (`index.lexical`: BM25, a TF-IDF weighting, over character pairs) stands in and `method` says so.

A question is a context hit when every gold figure (numbers normalised as in the scorer) and every
must_contain phrase is in that context: the ceiling of any answer generated from it. Gold "0" for
an empty table counts as present when the context says 为空表 / 未安排. Unanswerable questions have
nothing to find and count as hits (at best the generator refuses).
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict

from eval.gold_schema import GoldItem
from eval.score import norm_text, same_number, text_numbers, to_number
from index.lexical import LexicalRanker
from index.store import Store

K = 5
CHUNK = 300
OVERLAP = 20
ROWS_PER_PASSAGE = 8


def passages(store: Store) -> list[tuple[int, str]]:
    """(document id, text) for every narrative piece and every table piece in the store."""
    out: list[tuple[int, str]] = []
    for s in store.query("SELECT document_id, path, heading, text FROM sections WHERE text != '' ORDER BY id"):
        text, head = s["text"], s["path"] or s["heading"] or ""
        for i in range(0, len(text), CHUNK):
            out.append((s["document_id"], f"{head}\n{text[i:i + CHUNK + OVERLAP]}".strip()))
    rows: dict[int, list[list[str]]] = defaultdict(list)
    last: dict[int, int] = {}
    for c in store.query("SELECT table_id, row_index, code, row_label, raw FROM cells"
                         " ORDER BY table_id, row_index, column_number"):
        if last.get(c["table_id"]) != c["row_index"]:
            label = " ".join(x for x in (c["code"], c["row_label"]) if x)
            rows[c["table_id"]].append([label])
            last[c["table_id"]] = c["row_index"]
        rows[c["table_id"]][-1].append(c["raw"] or "")
    for t in store.query("SELECT id, document_id, number, title, measure_unit, columns, note FROM tables ORDER BY id"):
        title = f"表{t['number'] or ''} {t['title'] or ''}".strip() + (f"（单位：{t['measure_unit']}）" if t["measure_unit"] else "")
        if t["note"]:
            title += "\n" + t["note"]
        try:
            columns = json.loads(t["columns"] or "[]")
        except ValueError:
            columns = []
        header = " | ".join(["项目"] + [c.get("path") or str(c.get("number") or "") for c in columns])
        lines = [" | ".join(r) for r in rows.get(t["id"], [])]
        if not lines:
            out.append((t["document_id"], f"{title}\n{header}"))
        for i in range(0, len(lines), ROWS_PER_PASSAGE):
            out.append((t["document_id"], f"{title}\n{header}\n" + "\n".join(lines[i:i + ROWS_PER_PASSAGE])))
    return out


def _unit(v: list[float]) -> list[float]:
    n = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / n for x in v]


class Baseline:
    def __init__(self, store: Store, embedder=None, note: str = ""):
        self.passages = passages(store)
        self.embedder = embedder
        if embedder is not None:
            self.method = f"dense top-{K}, cosine ({getattr(embedder, 'name', type(embedder).__name__)})"
            self.vectors = [_unit(list(v)) for v in embedder.embed_passages([p for _, p in self.passages])]
        else:
            self.method = f"character-bigram TF-IDF (BM25) top-{K}" + (f" — {note}" if note else "")
            self.lexical = LexicalRanker([p for _, p in self.passages])

    def retrieve(self, question: str, k: int = K) -> list[str]:
        if not self.passages:
            return []
        if self.embedder is None:
            return [self.passages[i][1] for _, i in self.lexical.rank(question, k=k)]
        q = _unit(list(self.embedder.embed_query(question)))
        scores = [sum(a * b for a, b in zip(q, v)) for v in self.vectors]
        best = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
        return [self.passages[i][1] for i in best]

    def covered(self, gold: GoldItem) -> bool:
        """Every gold figure and must_contain phrase is in the top-k context of the question alone."""
        if gold.type == "unanswerable":
            return True
        context = "\n".join(self.retrieve(gold.question))
        flat = norm_text(context)
        numbers = text_numbers(context, None)
        for v in gold.answer_values:
            target = to_number(v)
            if target is None:
                continue
            if not any(same_number(n, target) for n in numbers) and not (
                    target == 0 and re.search(r"为空表|空表|未安排", flat)):
                return False
        for p in gold.must_contain:
            if norm_text(p) in flat:
                continue
            t = to_number(p)
            if t is None or not any(same_number(n, t) for n in numbers):
                return False
        return True


def make_baseline(store: Store, kind: str = "dense", embedder=None) -> Baseline:
    """The dense baseline with the default embedder; TF-IDF when asked for or when no model loads."""
    if kind == "tfidf":
        return Baseline(store, None, "chosen with --baseline tfidf")
    if embedder is None:
        try:
            from index.embeddings import get_embedder
        except ImportError as e:
            return Baseline(store, None, f"fallback: index.embeddings is not available ({e})")
        try:
            embedder = get_embedder()  # BUDGETQA_EMBEDDER or "default"
        except Exception as e:  # no weights, no engine: the baseline still runs
            return Baseline(store, None, f"fallback: the embedding model could not be loaded ({type(e).__name__}: {e})")
    try:
        return Baseline(store, embedder)
    except Exception as e:
        return Baseline(store, None, f"fallback: embedding the passages failed ({type(e).__name__}: {e})")
