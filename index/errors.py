"""The one error a reader raises for a file it cannot use, naming the file and the problem."""
from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested: empty, binary, unreadable, encrypted, not a disclosure …"""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
