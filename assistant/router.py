"""The entry points the UI, the CLI and the evaluation use: `ask(question)` and `Assistant`.

The answering itself is the pipeline in `assistant.pipeline` (parse → documents → operation → Answer).
"""
from assistant.pipeline import Assistant, ask

__all__ = ["Assistant", "ask"]
