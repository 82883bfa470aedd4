"""The one interface every score format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from auditkit.scoring.model import ScoreResult

if TYPE_CHECKING:
    from auditkit.answers.voices import Voices


class ScoreFormat(ABC):
    """Turns a ScoreResult into text. Formats present; they never compute."""

    def __init__(self, *, color: bool = False, voices: Voices | None = None) -> None:
        self.color = color
        self.voices = voices  # who answered, and where their views differ

    @abstractmethod
    def format(self, result: ScoreResult) -> str:
        """The whole output, ending with a newline."""
