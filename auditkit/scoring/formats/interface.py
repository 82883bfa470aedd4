"""The one interface every score format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from auditkit.scoring.model import ScoreResult


class ScoreFormat(ABC):
    """Turns a ScoreResult into text. Formats present; they never compute."""

    def __init__(self, *, color: bool = False) -> None:
        self.color = color

    @abstractmethod
    def format(self, result: ScoreResult) -> str:
        """The whole output, ending with a newline."""
