"""What to run next, in words an owner follows: every command that reads answers ends with it.

One place for the rule, so ``assess``, ``answers validate`` and ``score`` never disagree:
unanswered questions first (a score on a partial file is a range), then evidence for the
safeguards that a bias check can prove (self-report alone cannot), then the report.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from auditkit.answers.model import AnswerSet, count_answers, questions_for
from auditkit.rubric.model import Rubric


def resume_command(path: Path | str, rubric: str | None = None, sector: str | None = None) -> str:
    command = f"auditkit assess -o {shlex.quote(str(path))}"
    if rubric:
        command += f" --rubric {shlex.quote(rubric)}"
    if sector:
        command += f" --sector {shlex.quote(sector)}"
    return command


def next_step(
    rubric: Rubric,
    answers: AnswerSet,
    path: Path | str,
    *,
    bias_files: Sequence[Path | str] = (),
    rubric_option: str | None = None,
    sector_option: str | None = None,
    given: Sequence[Path | str] = (),
) -> str:
    """One or two sentences, each with the command to run; ``given`` is every answers file or
    folder the command was given (several voices), repeated in the commands suggested."""
    asked = questions_for(rubric, answers)
    counts = count_answers(asked, answers)
    quoted = " ".join(shlex.quote(str(p)) for p in given) if given else shlex.quote(str(path))
    if counts.given < counts.asked:
        open_count = counts.asked - counts.given
        return (
            f"Next: answer the {open_count} open question{'s' if open_count != 1 else ''} — "
            "the score stays a range until you do. Continue where you stopped with:\n"
            f"  {resume_command(path, rubric_option, sector_option)}"
        )
    if answers.speaks_as != "owner" and not given[1:]:
        return (
            "Next: hand this file to whoever runs the audit. It is scored together with the "
            "owner's and the other staff's, and counts once at least 3 staff have answered:\n"
            f"  auditkit score OWNER.yaml {quoted} …   (or: auditkit score AUDIT-FOLDER/)"
        )
    checks = sorted({link.check for q in asked for link in q.evidence})
    if checks and not bias_files:
        check = checks[0]
        return (
            f"Next: check your {check} log for unequal treatment, then score with that evidence:\n"
            f"  auditkit bias {check} LOG --group COLUMN --format json -o bias.json\n"
            f"  auditkit score {quoted} --bias bias.json\n"
            f"Or go straight to the report:  auditkit report {quoted} -o report.pdf"
        )
    bias = "".join(f" --bias {shlex.quote(str(file))}" for file in bias_files)
    return f"Next: the report for the business:  auditkit report {quoted}{bias} -o report.pdf"
