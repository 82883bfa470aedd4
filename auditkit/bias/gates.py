"""The rules ``--fail-on`` takes (``BiasResult.breaches``), apart so the CLI can name them
without importing the result model: "significant" is the old name of "disparity"."""

GATES = ("disparity", "established", "significant")
