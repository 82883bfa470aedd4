"""The answers file: what an owner said about each rubric question, kept in readable YAML."""

from auditkit.answers.model import NOT_APPLICABLE, Answer, AnswerSet
from auditkit.answers.store import load_answers, save_answers

__all__ = ["NOT_APPLICABLE", "Answer", "AnswerSet", "load_answers", "save_answers"]
