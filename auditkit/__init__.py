"""auditkit: audit how a small business automates, and whether people stay in the loop."""

__version__ = "0.1.0"
