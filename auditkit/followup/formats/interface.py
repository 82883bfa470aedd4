"""The interfaces every comparison and plan format implements (like the score formats)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from auditkit.followup.model import Comparison, Plan


class ComparisonFormat(ABC):
    @abstractmethod
    def format(self, comparison: Comparison) -> str:
        """The whole output, ending with a newline."""


class PlanFormat(ABC):
    @abstractmethod
    def format(self, plan: Plan) -> str:
        """The whole output, ending with a newline (CSV: with a byte-order mark)."""
