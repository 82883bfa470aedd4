"""Comparison and plan formats, one module each behind one interface (as for scores)."""

from __future__ import annotations

from auditkit.followup.formats import compare_data, compare_text, plan_formats
from auditkit.followup.formats.interface import ComparisonFormat, PlanFormat

COMPARE_FORMATS: dict[str, type[ComparisonFormat]] = {
    "table": compare_text.TableFormat,
    "json": compare_data.JsonFormat,
    "markdown": compare_text.MarkdownFormat,
}
PLAN_FORMATS: dict[str, type[PlanFormat]] = {
    "csv": plan_formats.CsvFormat,
    "markdown": plan_formats.MarkdownFormat,
    "json": plan_formats.JsonFormat,
}

__all__ = ["COMPARE_FORMATS", "PLAN_FORMATS", "ComparisonFormat", "PlanFormat"]
