"""A rubric as a readable outline for the terminal (``auditkit rubric show``).

The outline's own words follow the run's language (``auditkit.i18n.use``); the rubric's texts
come translated with the rubric (``rubric.translate.localize``). Ids, answer values and scale
ids stay as they are: they are what a rubric file and an answers file are written with.
"""

from __future__ import annotations

import textwrap

from auditkit.i18n import _, ngettext
from auditkit.rubric.model import PHASE_NAMES, Question, Rubric
from auditkit.terminal import Styler


def _when_text(question: Question) -> str:
    alternatives = [
        _(" and ").join(
            _("{question} is {answers}").format(question=qid, answers="/".join(values))
            for qid, values in condition.answers
        )
        for condition in question.when
    ]
    return _(" or ").join(alternatives)


def _tags(question: Question) -> str:
    if question.kind == "adoption":
        return _("adoption · phase {phase}").format(phase=question.phase)
    tags = [
        _("safeguard from phase {phase}").format(phase=question.phase),
        _("weight {weight}").format(weight=f"{question.weight:g}"),
        question.scale.id,
    ]
    if question.allow_na:
        tags.append(_("N/A allowed"))
    if question.gating:
        tags.append(_("gating"))
    return " · ".join(tags)


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=96, initial_indent=indent, subsequent_indent=indent) or [
        indent
    ]


def render_outline(rubric: Rubric, *, details: bool = False, color: bool = False) -> str:
    """The outline: principles in order, each with its questions; ``details`` adds help texts.
    Plain text (a rubric's texts are user text: any control character in them is replaced),
    with auditkit's own colours when ``color``."""
    from auditkit.i18n.formatting import format_percent

    styler = Styler(color)
    lines = [styler.style(rubric.title, bold=True)]
    subtitle = f"{rubric.id} {rubric.version}"
    if rubric.sector:
        subtitle += " · " + _("sector overlay: {sector} ({title})").format(
            sector=rubric.sector, title=rubric.sector_title
        )
    lines.append(subtitle)
    lines.append(
        ngettext(
            "{count} question: {adoption} adoption, {safeguards} safeguards · safeguard "
            "threshold {threshold}",
            "{count} questions: {adoption} adoption, {safeguards} safeguards · safeguard "
            "threshold {threshold}",
            len(rubric.questions),
        ).format(
            count=len(rubric.questions),
            adoption=len(rubric.adoption_questions),
            safeguards=len(rubric.safeguards),
            threshold=format_percent(rubric.threshold),
        )
    )
    if rubric.description:
        lines += ["", *_wrap(rubric.description, "")]
    adoption = rubric.adoption_questions
    if adoption:
        lines += [
            "",
            styler.style(_("Adoption inventory"), bold=True)
            + " "
            + _("(which automation is in use)"),
        ]
        for phase in (1, 2, 3):
            lines.append(
                "  " + _("Phase {phase} · {name}").format(phase=phase, name=_(PHASE_NAMES[phase]))
            )
            for question in (q for q in adoption if q.phase == phase):
                lines += _question_lines(question, details, styler)
    for number, principle in enumerate(rubric.principles, start=1):
        safeguards = [q for q in rubric.questions_of(principle.id) if q.kind == "safeguard"]
        lines += [
            "",
            styler.style(f"{number}. {principle.title}", bold=True)
            + "  "
            + _("[{id}, weight {weight}]").format(id=principle.id, weight=f"{principle.weight:g}"),
        ]
        lines += _wrap(principle.why, "   ")
        for question in safeguards:
            lines += _question_lines(question, details, styler)
    return styler.finish("\n".join(lines))


def _question_lines(question: Question, details: bool, styler: Styler) -> list[str]:
    lines = [f"    {styler.style(question.id, fg='cyan')}  ({_tags(question)})"]
    lines += _wrap(question.text, "      ")
    if question.when:
        lines += _wrap(_("asked when {condition}").format(condition=_when_text(question)), "      ")
    if details:
        lines += _wrap(_("help: {text}").format(text=question.help), "      ")
        if question.look_for:
            lines += _wrap(_("evidence: {text}").format(text=question.look_for), "      ")
        if question.recommendation:
            lines += _wrap(_("if missing: {text}").format(text=question.recommendation), "      ")
    return lines
