"""Output formats for a bias result, one module each behind one interface."""

from __future__ import annotations

from auditkit.bias.formats.interface import BiasFormat
from auditkit.bias.formats.json import JsonFormat
from auditkit.bias.formats.junit import JunitFormat
from auditkit.bias.formats.ll144 import Ll144Format
from auditkit.bias.formats.table import TableFormat

FORMATS: dict[str, type[BiasFormat]] = {
    "table": TableFormat,
    "json": JsonFormat,
    "junit": JunitFormat,
    "ll144": Ll144Format,
}

__all__ = ["FORMATS", "BiasFormat"]
