"""A rubric as a readable outline for the terminal (``auditkit rubric show``)."""

from __future__ import annotations

import textwrap

import click

from auditkit.rubric.model import PHASE_NAMES, Question, Rubric


def _when_text(question: Question) -> str:
    alternatives = [
        " and ".join(f"{qid} is {'/'.join(values)}" for qid, values in condition.answers)
        for condition in question.when
    ]
    return " or ".join(alternatives)


def _tags(question: Question) -> str:
    if question.kind == "adoption":
        return f"adoption · phase {question.phase}"
    tags = [
        f"safeguard from phase {question.phase}",
        f"weight {question.weight:g}",
        question.scale.id,
    ]
    if question.allow_na:
        tags.append("N/A allowed")
    if question.gating:
        tags.append("gating")
    return " · ".join(tags)


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=96, initial_indent=indent, subsequent_indent=indent) or [
        indent
    ]


def render_outline(rubric: Rubric, *, details: bool = False) -> str:
    """The outline: principles in order, each with its questions; ``details`` adds help texts."""
    lines = [click.style(f"{rubric.title}", bold=True)]
    subtitle = f"{rubric.id} {rubric.version}"
    if rubric.sector:
        subtitle += f" · sector overlay: {rubric.sector} ({rubric.sector_title})"
    lines.append(subtitle)
    lines.append(
        f"{len(rubric.questions)} questions: {len(rubric.adoption_questions)} adoption, "
        f"{len(rubric.safeguards)} safeguards · safeguard threshold {rubric.threshold:.0%}"
    )
    if rubric.description:
        lines += ["", *_wrap(rubric.description, "")]
    adoption = rubric.adoption_questions
    if adoption:
        lines += [
            "",
            click.style("Adoption inventory", bold=True) + " (which automation is in use)",
        ]
        for phase in (1, 2, 3):
            lines.append(f"  Phase {phase} · {PHASE_NAMES[phase]}")
            for question in (q for q in adoption if q.phase == phase):
                lines += _question_lines(question, details)
    for number, principle in enumerate(rubric.principles, start=1):
        safeguards = [q for q in rubric.questions_of(principle.id) if q.kind == "safeguard"]
        lines += [
            "",
            click.style(f"{number}. {principle.title}", bold=True)
            + f"  [{principle.id}, weight {principle.weight:g}]",
        ]
        lines += _wrap(principle.why, "   ")
        for question in safeguards:
            lines += _question_lines(question, details)
    return "\n".join(lines)


def _question_lines(question: Question, details: bool) -> list[str]:
    lines = [f"    {click.style(question.id, fg='cyan')}  ({_tags(question)})"]
    lines += _wrap(question.text, "      ")
    if question.when:
        lines += _wrap(f"asked when {_when_text(question)}", "      ")
    if details:
        lines += _wrap(f"help: {question.help}", "      ")
        if question.look_for:
            lines += _wrap(f"evidence: {question.look_for}", "      ")
        if question.recommendation:
            lines += _wrap(f"if missing: {question.recommendation}", "      ")
    return lines
