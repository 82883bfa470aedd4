"""A fill-in-by-hand answers file: every question with its allowed answers and help as comments.

For owners who prefer an editor, and for scripts: fill in ``answer:`` lines, then check with
``auditkit answers validate``. The file is a normal answers file, so ``auditkit score`` and
``auditkit assess`` (to finish it interactively) both read it.

The comments are in the language of the current ``use`` block (the questions in the rubric's
own language, as loaded); what is filled in stays the scale's values and ids, so the file is
scored in any language. Only comments change with the language: the YAML the file holds is
the same bytes in every language, and the same rubric gives the same file every time.
"""

from __future__ import annotations

import textwrap

import yaml

from auditkit.answers.model import FORMAT
from auditkit.i18n import _
from auditkit.i18n.formatting import format_number
from auditkit.rubric.model import Question, Rubric

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _scalar(value: object) -> str:
    """One YAML scalar as it appears after 'key: ' (quoted where YAML needs it)."""
    return (
        yaml.dump(value, Dumper=_Dumper, default_flow_style=True, width=1000, allow_unicode=True)
        .removesuffix("\n...\n")
        .strip()
    )


def _comment(text: str, indent: str) -> list[str]:
    """A comment wrapped at 94 columns between words, never inside a question id
    ("adopt.phone-menu" is not split at its hyphen)."""
    lines = textwrap.wrap(text, 92 - len(indent), break_on_hyphens=False)
    return [f"{indent}# {line}" for line in lines]


def _question_block(question: Question) -> list[str]:
    if question.kind == "adoption":
        kind = _("adoption, phase {phase}").format(phase=question.phase)
    else:
        kind = _("safeguard from phase {phase}, weight {weight}").format(
            phase=question.phase, weight=format_number(question.weight)
        )
    lines = ["", f"  # {question.id} ({kind})"]
    lines += _comment(question.text, "  ")
    lines += _comment(_("Help: {text}").format(text=question.help), "  ")
    if question.look_for:
        lines += _comment(_("Evidence: {text}").format(text=question.look_for), "  ")
    if question.when:
        # Ids and values as the file writes them: the condition is about what is filled in.
        either = _(" or ")
        both = _(" and ")
        conditions = either.join(
            both.join(
                _("{question} is {values}").format(question=qid, values="/".join(values))
                for qid, values in c.answers
            )
            for c in question.when
        )
        lines += _comment(_("Only counted when {conditions}.").format(conditions=conditions), "  ")
    answers = ", ".join(
        f"{_scalar(level.value)} ({level.label.split('· ')[-1]})" for level in question.scale.levels
    )
    unknown = question.kind == "safeguard"
    # What is typed (unknown, n/a, na_reason) stays as it is in every language.
    if unknown and question.allow_na:
        text = _(
            "Answers: {answers}, or {unknown} (don't know / never measured), or {na} with an "
            "{reason}"
        )
    elif unknown:
        text = _("Answers: {answers}, or {unknown} (don't know / never measured)")
    elif question.allow_na:
        text = _("Answers: {answers}, or {na} with an {reason}")
    else:
        text = _("Answers: {answers}")
    typed = {"unknown": "unknown", "na": "n/a", "reason": "na_reason"}
    lines += _comment(text.format(answers=answers, **typed), "  ")
    # Free text between quotes: a note such as "Reviewed: every season" stays valid YAML.
    lines += [f"  {question.id}:", "    answer:", '    note: ""']
    if question.allow_na:
        lines.append('    na_reason: ""')
    return lines


def render_template(rubric: Rubric, business: dict[str, str] | None = None) -> str:
    header = {
        "format": FORMAT,
        "rubric": {
            "id": rubric.id,
            "version": rubric.version,
            "sha256": rubric.sha256,
            "sector": rubric.sector,
        },
        "business": business or {"name": "", "sector": rubric.sector or ""},
        "respondent": {"name": "", "role": ""},
        "started": "",
        "updated": "",
    }
    if rubric.sector:
        title = _("auditkit answers for {title} ({id} {version}, sector {sector})")
    else:
        title = _("auditkit answers for {title} ({id} {version})")
    title = title.format(
        title=rubric.title, id=rubric.id, version=rubric.version, sector=rubric.sector
    )
    intro = [
        title,
        _(
            "Fill in each {key} with one of the answers listed above it; leave it empty to skip."
        ).format(key="'answer:'"),
        _('Write notes between the double quotes; a quote inside a note is written \\".'),
        _("Then check the file:  {validate}   and score it:  {score}").format(
            validate="auditkit answers validate FILE", score="auditkit score FILE"
        ),
    ]
    lines = [
        *(f"# {line}" for line in intro),
        yaml.dump(header, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100).rstrip(),
        "answers:",
    ]
    lines += _business_block(rubric)
    current = None
    for question in rubric.questions:
        section = (
            _("Adoption inventory")
            if question.kind == "adoption"
            else rubric.principle(question.principle).title
        )
        if section != current:
            lines += ["", f"  # ── {section} ──"]
            current = section
        lines += _question_block(question)
    return "\n".join(lines) + "\n"


def _business_block(rubric: Rubric) -> list[str]:
    """Where the business serves customers and its size, for the rules that apply: only for
    the rubric the crosswalk is written for, and only what the crosswalk uses."""
    from auditkit.obligations.profile import crosswalk, profile_questions

    if crosswalk().rubric != rubric.id:
        return []
    lines = ["", "  # ── " + _("Your business (for the rules that apply to you)") + " ──"]
    for question in profile_questions():
        lines += ["", f"  # {question.id}"]
        lines += _comment(f"{question.text} {question.help}", "  ")
        choices = ", ".join(f"{value} ({words})" for value, words in question.choices)
        if question.multiple:
            text = _("Answers (one or more, separated by commas): {answers}")
        else:
            text = _("Answers (one): {answers}")
        lines += _comment(text.format(answers=choices), "  ")
        lines += [f"  {question.id}:", "    answer:"]
    return lines
