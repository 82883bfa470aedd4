"""auditkit: audit how a small business automates, and whether people stay in the loop."""

DEFAULT_RUBRIC = "human-centred-automation"  # what assess, serve and templates answer by default
__version__ = "0.1.0"
