"""Lexical ranking of Chinese passages: BM25 over character pairs, optionally fused with BM25 over jieba words.

The one lexical retriever of the project: the answering path ranks a document's paragraphs with it,
the narrative vector index (`index.search`) fuses it with dense vectors, and the evaluation baseline's
fallback uses it. Character pairs need no tokenizer and measured as strong as words on this corpus;
words (with a domain dictionary) help with terms split differently. Candidates are filtered before
they are scored, so the cost follows the documents asked about.
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from rank_bm25 import BM25Okapi

_DROP = re.compile(r"[\W_]+")
_QUOTES = re.compile(r"[“”\"（）()]")


def bigrams(text: str) -> list[str]:
    t = _DROP.sub("", _QUOTES.sub("", text or ""))
    return [t[i:i + 2] for i in range(len(t) - 1)] or ([t] if t else [])


class LexicalRanker:
    """BM25 over character pairs of a fixed list of texts; `rank` returns (score, index) best first."""

    def __init__(self, texts: Sequence[str], cut: Callable[[str], list[str]] = bigrams):
        self.cut = cut
        self.size = len(texts)
        self.bm25 = BM25Okapi([cut(t) or [""] for t in texts]) if texts else None

    def scores(self, query: str) -> list[float]:
        if self.bm25 is None:
            return []
        return [float(s) for s in self.bm25.get_scores(self.cut(query))]

    def rank(self, query: str, keep: Callable[[int], bool] | None = None, k: int | None = None) -> list[tuple[float, int]]:
        scored = [(s, i) for i, s in enumerate(self.scores(query)) if keep is None or keep(i)]
        scored.sort(key=lambda p: (-p[0], p[1]))
        return scored[:k] if k else scored
