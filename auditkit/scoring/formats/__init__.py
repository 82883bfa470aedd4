"""Output formats for a score, one module each behind one interface (like pip-audit's).

Adding a format never touches scoring: write a ``ScoreFormat`` subclass and register it here.
"""

from __future__ import annotations

from auditkit.scoring.formats.interface import ScoreFormat
from auditkit.scoring.formats.json import JsonFormat
from auditkit.scoring.formats.junit import JunitFormat
from auditkit.scoring.formats.table import TableFormat

FORMATS: dict[str, type[ScoreFormat]] = {
    "table": TableFormat,
    "json": JsonFormat,
    "junit": JunitFormat,
}

__all__ = ["FORMATS", "ScoreFormat"]
