"""The one interface every bias format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from auditkit.bias.model import BiasResult


class BiasFormat(ABC):
    def __init__(self, *, color: bool = False) -> None:
        self.color = color

    @abstractmethod
    def format(self, result: BiasResult) -> str:
        """The whole output, ending with a newline."""
