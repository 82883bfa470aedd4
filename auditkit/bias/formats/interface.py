"""The one interface every bias format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from auditkit.bias.model import BiasResult


class BiasFormat(ABC):
    def __init__(
        self, *, color: bool = False, fail_on: str | None = None, interface: str = "cli"
    ) -> None:
        self.color = color
        self.fail_on = fail_on  # the --fail-on gate, for formats that mark what it counts
        self.interface = interface  # whose words an option is named in (auditkit.wording)

    @abstractmethod
    def format(self, result: BiasResult) -> str:
        """The whole output, ending with a newline."""
