"""auditkit: audit how a small business automates, and whether people stay in the loop.

From Python (docs/python.md)::

    import auditkit
    result = auditkit.bias.chatbot("chats.csv", group="language")   # or a DataFrame
    score = auditkit.score("answers.yaml", bias=[result])
    auditkit.report("answers.yaml", bias=[result], pdf="report.pdf")

Importing auditkit is instant: the libraries a function needs (pandas, fairlearn, DuckDB,
WeasyPrint) are imported when it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

DEFAULT_RUBRIC = "human-centred-automation"  # what assess, serve and templates answer by default
__version__ = "0.1.0"

if TYPE_CHECKING:
    from auditkit import bias
    from auditkit.api import Score, compare, comparison_dict, report, score
    from auditkit.errors import InputError

__all__ = [
    "DEFAULT_RUBRIC",
    "InputError",
    "Score",
    "__version__",
    "bias",
    "compare",
    "comparison_dict",
    "report",
    "score",
]


def __getattr__(name: str) -> Any:
    if name == "bias":
        import importlib

        return importlib.import_module("auditkit.bias")
    if name == "InputError":
        from auditkit.errors import InputError

        return InputError
    if name in ("Score", "compare", "comparison_dict", "report", "score"):
        from auditkit import api

        return getattr(api, name)
    raise AttributeError(f"module 'auditkit' has no attribute {name!r}")
