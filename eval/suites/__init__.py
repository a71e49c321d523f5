"""Generated suites: questions made from a store's own cells, asked through `ask`, judged by known answers.

Each generator reads only the store (its documents, tables, cells, sections and facts) and writes
questions whose answer it knows — a printed cell (`cells`), a figure it computes with SQL over
cells (`operations`), a refusal (`unanswerable`), or simply "an Answer comes back" (`fuzz`). None
looks at the answering code, so a score here says whether answers generalise to phrasings and
operations nobody tuned for. `python -m eval.suites --data DIR` runs them all and prints the table.
"""
from __future__ import annotations

import random
from pathlib import Path

from eval.suites.cases import Case, Generated, stratified_sample
from eval.suites.cells import generate_cells
from eval.suites.corpus import Corpus, load_corpus
from eval.suites.fuzz import generate_fuzz
from eval.suites.operations import generate_operations
from eval.suites.references import CellIndex
from eval.suites.unanswerable import generate_unanswerables

SUITES = ("cells", "operations", "unanswerable", "fuzz")
FUZZ_COUNT = 2000

__all__ = ["SUITES", "Case", "Generated", "generate", "load_corpus", "stratified_sample"]


def generate(data_dir: str | Path, suites=SUITES, fuzz_count: int = FUZZ_COUNT, seed: int = 0
             ) -> dict[str, Generated]:
    """The named suites for the store under `data_dir`, in a fixed order for a given seed."""
    from index.store import Store

    corpus = load_corpus(Store(data_dir, read_only=True))
    return generate_from(corpus, suites, fuzz_count, seed)


def store_vocabulary(corpus: Corpus) -> list[str]:
    """The names a question could use: units, table titles, row labels, column headers and codes."""
    names = {d.unit_name for d in corpus.docs.values()} | {t.title for t in corpus.tables.values()}
    for c in corpus.cells:
        names |= {c.row_label, c.column_path.split("/")[-1], c.code}
    return sorted(n for n in names if n)


def generate_from(corpus: Corpus, suites=SUITES, fuzz_count: int = FUZZ_COUNT, seed: int = 0
                  ) -> dict[str, Generated]:
    index = CellIndex(corpus)
    makers = {"cells": generate_cells, "operations": generate_operations, "unanswerable": generate_unanswerables}
    out = {name: makers[name](corpus, index) for name in SUITES if name in suites and name in makers}
    if "fuzz" in suites:
        pool = [c.question for name in ("cells", "operations", "unanswerable")
                for c in (out.get(name) or makers[name](corpus, index)).cases]
        seeds = random.Random(seed).sample(pool, min(500, len(pool)))
        out["fuzz"] = generate_fuzz(seeds, fuzz_count, seed, vocabulary=store_vocabulary(corpus))
    return out
