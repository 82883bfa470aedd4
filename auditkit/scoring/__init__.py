"""Scoring: adoption phase, safeguard phase, the over-automation gap, principle scores."""

from auditkit.scoring.compute import gap_verdict, score
from auditkit.scoring.evidence import BiasEvidence, load_bias_file
from auditkit.scoring.model import ScoreResult

__all__ = ["BiasEvidence", "ScoreResult", "gap_verdict", "load_bias_file", "score"]
