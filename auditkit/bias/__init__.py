"""Bias checks on decision logs: DuckDB counts, fairlearn metrics, verdicts that hold up."""
