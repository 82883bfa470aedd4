"""Bias checks on decision logs: DuckDB counts, fairlearn metrics, verdicts that hold up.

From Python: ``auditkit.bias.chatbot(data, group=…)``, ``auditkit.bias.segmentation(…)`` and
``auditkit.bias.check(…)`` (see docs/python.md). They are imported on first use, so importing
``auditkit.bias`` (as every command does) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditkit.bias.api import BiasCheck, chatbot, check, segmentation

__all__ = ["BiasCheck", "chatbot", "check", "segmentation"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from auditkit.bias import api

        return getattr(api, name)
    raise AttributeError(f"module 'auditkit.bias' has no attribute {name!r}")
