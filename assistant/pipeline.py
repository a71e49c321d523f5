"""ask(question) → Answer, as a pipeline whose trace is the explanation:

    parse (question → Frame) → documents (Frame → the disclosures asked about)
        → operation (resolve evidence in the store, compute, compose) → Answer

Each stage records what it decided in `Answer.trace` (`budgetqa ask --explain` prints it). Figures come
only from the store (a printed cell or a stated fact) or are computed from stored figures with their
formula; when the documents do not hold what is asked, the answer says so. No question can crash it:
an exception while answering becomes an answer with status `error`.
"""
from __future__ import annotations

import gc
import logging
import threading
from contextlib import contextmanager
from pathlib import Path

from assistant import compose, corroborate
from assistant.answer import ANSWERED, ERROR, NOT_FOUND, Answer
from assistant.docview import ViewCache
from assistant.documents import select
from assistant.lexicon import Lexicon
from assistant.operations import OPERATIONS, READ_WHOLE, Context
from assistant.parse import MAX_QUESTION, clauses, inherit, parse
from index.engine import is_url
from index.read import StoreReader
from index.store import Store

log = logging.getLogger(__name__)
EXAMPLE = "请输入一个问题，例如：巴州社保中心2025年“三公”经费是多少？"


class Assistant:
    """Answers questions over one store. Start-up reads only the list of documents; each document's
    tables are read when a question is about it (and kept in a bounded cache)."""

    def __init__(self, store: str | Path | Store = "data"):
        """`store`: an open `Store`, a data folder (its SQLite file) or a database URL (postgresql://…)."""
        self.store = store if isinstance(store, Store) else Store(store, read_only=True)
        self.reader = StoreReader(self.store)
        self.docs = self.reader.documents()
        self.by_id = {d.id: d for d in self.docs}
        self.lexicon = Lexicon(self.docs)
        self.views = ViewCache(self.reader)

    def ask(self, question: str) -> Answer:
        try:
            return self._ask(question)
        except Exception as exc:  # one question must never end a batch or the UI
            log.exception("error while answering %r", question)
            return Answer(question or "", compose.error(type(exc).__name__), ERROR, route="error",
                          trace=[{"stage": "错误", "items": [f"{type(exc).__name__}: {exc}"]}])

    def _ask(self, question: str) -> Answer:
        question = question if isinstance(question, str) else str(question or "")
        if not question.strip():
            return Answer(question, EXAMPLE, NOT_FOUND, route="empty")
        whole = parse(question, self.lexicon)
        if len(question) > MAX_QUESTION and not whole.bodies:
            return Answer(question, "问题太长且未指明单位，请简要提问。", NOT_FOUND, route="too_long")
        parts = clauses(question)
        if len(parts) == 1:
            return self._answer(question, whole)
        answers, previous = [], None
        for part in parts:
            frame = inherit(parse(part, self.lexicon), whole, previous)
            answer = self._answer(part, frame)
            answers.append(answer)
            previous = frame
            if answer.figures and answer.figures[0].row and len(frame.measure) < 2:
                previous.measure = answer.figures[0].row  # "有几台大型设备？分别是什么？": the item just answered
        return _joined(question, answers)

    def _answer(self, question: str, frame) -> Answer:
        trace = [{"stage": "理解问题", "items": [f"{k}：{v}" for k, v in frame.describe()]}]
        selection = select(frame, self.lexicon)
        trace.append({"stage": "选择文件", "items": [d.label for d in selection.docs] + selection.notes
                      + ([selection.problem] if selection.problem else [])})
        if selection.problem:
            return Answer(question, selection.problem, NOT_FOUND, route="no_document", trace=trace)
        ctx = Context(frame, selection.docs, self.views, trace)
        with paused_gc(len(selection.docs) > READ_WHOLE):
            result = OPERATIONS[frame.operation](ctx)
        text = result.text + ("\n" + "".join(selection.notes) if selection.notes and result.figures else "")
        checks = corroborate.supporting(result.figures, self.by_id, self.views.get) if result.figures else []
        if checks:
            trace.append({"stage": "佐证", "items": [f"{c.section}：{c.quote[:40]}" for c in checks]})
        citations = corroborate.unique([c for c in result.citations if c] + checks)
        trace.append({"stage": "回答", "items": [f"运算：{frame.operation}", f"状态：{result.status}"]})
        return Answer(question, text, result.status, result.figures, citations,
                      route=frame.operation, trace=ctx.trace)


class _PausedGC:
    """`with paused_gc(many):` — the cyclic garbage collector held off while a question over many documents is
    answered. It builds a figure, its evidence and its source's records for each document — tens of thousands
    of objects that all live until the answer is made — and the collector would traverse them again and again
    (a fifth of the time at 10,000 documents). Reference counting still frees what is dropped at once. The
    first question to pause stops the collector, the last one restarts it (unless it was off before)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.holders = 0
        self.restart = False

    @contextmanager
    def __call__(self, pause: bool = True):
        if not pause:
            yield
            return
        with self.lock:
            if self.holders == 0:
                self.restart = gc.isenabled()
                gc.disable()
            self.holders += 1
        try:
            yield
        finally:
            with self.lock:
                self.holders -= 1
                if self.holders == 0 and self.restart:
                    gc.enable()


paused_gc = _PausedGC()


def _joined(question: str, answers: list[Answer]) -> Answer:
    """One answer for a question asked in parts: each part's answer in turn (a figure given once)."""
    figures, seen = [], set()
    for a in answers:
        for f in a.figures:
            key = (f.document_id, f.cell_id, f.row, f.value)
            if key not in seen:
                seen.add(key)
                figures.append(f)
    answered = [a for a in answers if a.status == ANSWERED]
    status = ANSWERED if answered else answers[0].status
    text = "\n".join(dict.fromkeys(a.answer for a in (answered or answers)))  # two parts read alike: said once
    return Answer(question, text, status, figures, corroborate.unique([c for a in answers for c in a.citations]),
                  route="+".join(a.route for a in answers), trace=[s for a in answers for s in a.trace])


_default: dict[str, Assistant] = {}
_default_lock = threading.Lock()


def ask(question: str, data_dir: str | Path = "data") -> Answer:
    """Answer one question from the store under `data_dir`, or at a database URL (loaded once per process)."""
    key = data_dir if is_url(data_dir) else str(Path(data_dir).resolve())
    with _default_lock:
        if key not in _default:
            _default[key] = Assistant(data_dir)
    return _default[key].ask(question)
