"""What to run next, in words an owner follows: every command that reads answers ends with it.

One place for the rule, so ``assess``, ``answers validate`` and ``score`` never disagree:
unanswered questions first (a score on a partial file is a range), then evidence for the
safeguards that a bias check can prove (self-report alone cannot), then the report.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path

from auditkit.answers.model import AnswerSet, count_answers, questions_for
from auditkit.rubric.model import Question, Rubric

CONTACTS_PLAN = 'auditkit contacts plan --answers {answers} --consent "…" -o contacts-plan/'


def systems_of_check(rubric: Rubric, check: str) -> dict[str, frozenset[str]]:
    """{inventory entry: the answers that mean it is in use} for the system whose log a bias
    check reads, taken from the rubric itself: the entries named in the ``when:`` of *every*
    question the check gives evidence for. The chatbot check backs "a person is reachable"
    (asked for a chatbot or a kiosk) and "every group reaches a person" (asked for a chatbot
    only): only the chatbot is common to both, so a kiosk alone never asks for a chatbot log.
    Empty when the rubric does not pin a system down (no condition, or none in common)."""
    backed = [q for q in rubric.questions if any(link.check == check for link in q.evidence)]
    common: set[str] | None = None
    in_use: dict[str, set[str]] = {}
    for question in backed:
        named = {qid for condition in question.when for qid in condition.question_ids()}
        common = named if common is None else common & named
        for condition in question.when:
            for qid, values in condition.answers:
                in_use.setdefault(qid, set()).update(values)
    return {qid: frozenset(in_use[qid]) for qid in sorted(common or ())}


def checks_in_use(rubric: Rubric, values: Mapping[str, str | None]) -> list[str]:
    """The bias checks whose log exists by the owner's own answers: a check is in use when
    one of its systems (``systems_of_check``) is answered as in use. A check the rubric does
    not tie to a system counts as in use when a question it backs is asked."""
    from auditkit.answers.model import applicable_questions

    asked = applicable_questions(rubric, values)
    found = []
    for check in sorted({link.check for q in rubric.questions for link in q.evidence}):
        systems = systems_of_check(rubric, check)
        if systems:
            if any(values.get(qid) in answers for qid, answers in systems.items()):
                found.append(check)
        elif any(link.check == check for q in asked for link in q.evidence):
            found.append(check)
    return found


def unchecked_by_logs(asked: Sequence[Question], checks: Sequence[str]) -> list[Question]:
    """Asked questions a bias check could back, but whose system keeps no log by the answers:
    test contacts (``auditkit contacts``) are the evidence that fits them."""
    return [q for q in asked if q.evidence and not any(link.check in checks for link in q.evidence)]


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
    from auditkit.i18n import _, ngettext

    if counts.given < counts.asked:
        open_count = counts.asked - counts.given
        return ngettext(
            "Next: answer the {count} open question — the score stays a range until you do. "
            "Continue where you stopped with:\n  {command}",
            "Next: answer the {count} open questions — the score stays a range until you do. "
            "Continue where you stopped with:\n  {command}",
            open_count,
        ).format(count=open_count, command=resume_command(path, rubric_option, sector_option))
    if answers.speaks_as != "owner" and not given[1:]:
        return _(
            "Next: hand this file to whoever runs the audit. It is scored together with the "
            "owner's and the other staff's, and counts once at least 3 staff have answered:\n"
            "  auditkit score OWNER.yaml {files} …   (or: auditkit score AUDIT-FOLDER/)"
        ).format(files=quoted)
    checks = checks_in_use(rubric, answers.values())
    if checks and not bias_files:
        check = checks[0]
        return _(
            "Next: check your {check} log for unequal treatment, then score with that evidence:\n"
            "  auditkit bias {check} LOG --group COLUMN --format json -o bias.json\n"
            "  auditkit score {files} --bias bias.json\n"
            "Or go straight to the report:  auditkit report {files} -o report.pdf"
        ).format(check=check, files=quoted)
    if unchecked_by_logs(asked, checks) and not bias_files:
        # No log of a system in use backs these answers: the customer's side is the evidence.
        return _(
            "Next: no system you use keeps a log that shows whether customers reach a person "
            "alike; test contacts do (a few planned calls or chats as different customers):\n"
            "  {command}\n"
            "Or go straight to the report:  auditkit report {files} -o report.pdf"
        ).format(command=CONTACTS_PLAN.format(answers=quoted), files=quoted)
    bias = "".join(f" --bias {shlex.quote(str(file))}" for file in bias_files)
    return _(
        "Next: the report for the business:  auditkit report {files}{bias} -o report.pdf"
    ).format(files=quoted, bias=bias)
