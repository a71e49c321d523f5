"""The plain-RAG baseline: what a generic "chat with your PDFs" tool has in its context.

Passages are the narrative sections cut into ~300-character pieces plus every table serialised
as text (title, then "row | value | value …" lines in pieces of a few rows), ranked by cosine
similarity of character-bigram TF-IDF vectors (or of an embedding model when one is given);
the top 5 form the context. The baseline scores a question as covered when every gold figure
and phrase is present in that context — the ceiling of any answer generated from it.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from eval.gold_schema import GoldItem
from index.store import Store

K = 5


def passages(store: Store) -> list[tuple[int, str]]:
    out = []
    for s in store.query("SELECT document_id, path, text FROM sections WHERE text != ''"):
        text = s["text"]
        for i in range(0, len(text), 300):
            out.append((s["document_id"], f"{s['path']}\n{text[i:i + 320]}"))
    tables = defaultdict(list)
    titles = {}
    for c in store.query("SELECT c.document_id, c.table_id, c.row_index, c.row_label, c.raw, t.title, t.number"
                         " FROM cells c JOIN tables t ON t.id = c.table_id ORDER BY c.table_id, c.row_index,"
                         " c.column_number"):
        titles[c["table_id"]] = (c["document_id"], f"表{c['number'] or ''} {c['title']}")
        rows = tables[c["table_id"]]
        if not rows or rows[-1][0] != c["row_index"]:
            rows.append((c["row_index"], [c["row_label"] or ""]))
        rows[-1][1].append(c["raw"] or "")
    for table_id, rows in tables.items():
        doc_id, title = titles[table_id]
        lines = [" | ".join(cells) for _, cells in rows]
        for i in range(0, len(lines), 8):
            out.append((doc_id, title + "\n" + "\n".join(lines[i:i + 8])))
    return out


def _grams(text: str) -> Counter:
    t = re.sub(r"\s", "", text)
    return Counter(t[i:i + 2] for i in range(len(t) - 1))


class Baseline:
    def __init__(self, store: Store, embedder=None):
        self.passages = passages(store)
        self.embedder = embedder
        if embedder is not None:
            self.method = f"dense top-{K} ({embedder.name})"
            self.vectors = embedder.embed_passages([p for _, p in self.passages])
            return
        self.method = f"character-bigram TF-IDF top-{K} (no embedding model given)"
        counts = [_grams(p) for _, p in self.passages]
        df = Counter(g for c in counts for g in c)
        n = len(counts)
        self.idf = {g: math.log((n + 1) / (d + 1)) + 1 for g, d in df.items()}
        self.vectors = [self._weigh(c) for c in counts]

    def _weigh(self, counts: Counter) -> dict:
        vec = {g: c * self.idf.get(g, 0.0) for g, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def retrieve(self, question: str, k: int = K) -> list[str]:
        if self.embedder is not None:
            q = self.embedder.embed_query(question)
            scores = [sum(a * b for a, b in zip(q, v)) for v in self.vectors]
        else:
            q = self._weigh(_grams(question))
            scores = [sum(w * v.get(g, 0.0) for g, w in q.items()) for v in self.vectors]
        best = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
        return [self.passages[i][1] for i in best]

    def covered(self, gold: GoldItem) -> bool:
        context = re.sub(r"\s", "", "\n".join(self.retrieve(gold.question))).replace(",", "")
        needed = [v for v in gold.answer_values] + list(gold.must_contain)
        if gold.type == "unanswerable":
            return True
        return all(re.sub(r"\s", "", n).replace(",", "") in context for n in needed)
