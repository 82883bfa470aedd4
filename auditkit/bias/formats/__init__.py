"""Output formats for a bias result, one module each behind one interface."""

from __future__ import annotations

from auditkit.bias.formats.interface import BiasFormat
from auditkit.bias.formats.json import JsonFormat
from auditkit.bias.formats.junit import JunitFormat
from auditkit.bias.formats.table import TableFormat

FORMATS: dict[str, type[BiasFormat]] = {
    "table": TableFormat,
    "json": JsonFormat,
    "junit": JunitFormat,
}

__all__ = ["FORMATS", "BiasFormat"]
