"""Rubrics: the model, loading with precise errors, sector overlays and discovery."""

from auditkit.rubric.model import Condition, Level, Principle, Question, Rubric, Scale
from auditkit.rubric.resolve import load_rubric

__all__ = ["Condition", "Level", "Principle", "Question", "Rubric", "Scale", "load_rubric"]
