"""A fill-in-by-hand answers file: every question with its allowed answers and help as comments.

For owners who prefer an editor, and for scripts: fill in ``answer:`` lines, then check with
``auditkit answers validate``. The file is a normal answers file, so ``auditkit score`` and
``auditkit assess`` (to finish it interactively) both read it.
"""

from __future__ import annotations

import textwrap

import yaml

from auditkit.answers.model import FORMAT
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
    return [f"{indent}# {line}" for line in textwrap.wrap(text, 92 - len(indent))]


def _question_block(question: Question) -> list[str]:
    kind = (
        f"adoption, phase {question.phase}"
        if question.kind == "adoption"
        else f"safeguard from phase {question.phase}, weight {question.weight:g}"
    )
    lines = ["", f"  # {question.id} ({kind})"]
    lines += _comment(question.text, "  ")
    lines += _comment(f"Help: {question.help}", "  ")
    if question.look_for:
        lines += _comment(f"Evidence: {question.look_for}", "  ")
    if question.when:
        conditions = " or ".join(
            " and ".join(f"{qid} is {'/'.join(values)}" for qid, values in c.answers)
            for c in question.when
        )
        lines += _comment(f"Only counted when {conditions}.", "  ")
    answers = ", ".join(
        f"{_scalar(level.value)} ({level.label.split('· ')[-1]})" for level in question.scale.levels
    )
    lines += _comment(
        f"Answers: {answers}"
        + (", or unknown (don't know / never measured)" if question.kind == "safeguard" else "")
        + (", or n/a with an na_reason" if question.allow_na else ""),
        "  ",
    )
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
    lines = [
        f"# auditkit answers for {rubric.title} ({rubric.id} {rubric.version}"
        + (f", sector {rubric.sector}" if rubric.sector else "")
        + ")",
        "# Fill in each 'answer:' with one of the answers listed above it; leave it empty to skip.",
        '# Write notes between the double quotes; a quote inside a note is written \\".',
        "# Then check the file:  auditkit answers validate FILE   and score it:  auditkit score FILE",
        yaml.dump(header, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100).rstrip(),
        "answers:",
    ]
    lines += _business_block(rubric)
    current = None
    for question in rubric.questions:
        section = (
            "Adoption inventory"
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
    lines = ["", "  # ── Your business (for the rules that apply to you) ──"]
    for question in profile_questions():
        lines += ["", f"  # {question.id}"]
        lines += _comment(f"{question.text} {question.help}", "  ")
        choices = ", ".join(f"{value} ({words})" for value, words in question.choices)
        several = "one or more, separated by commas" if question.multiple else "one"
        lines += _comment(f"Answers ({several}): {choices}", "  ")
        lines += [f"  {question.id}:", "    answer:"]
    return lines
