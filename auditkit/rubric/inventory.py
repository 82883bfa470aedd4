"""Check the automation inventory's links: each entry's safeguards exist and are asked with it.

An adoption entry names the safeguards it calls for (``critical:`` and ``safeguards:``) and may
name the one that keeps a channel beside staffed ones (``staffed_alternative:``). Scoring reads
those lists to say, per automation, whether it runs ahead of its safeguards; a list that names
a question that is not a safeguard, or a safeguard that is not asked while the automation is in
use, would make that judgement silently wrong. So both are errors, at the line that lists them
(in the rubric or in the sector overlay that changed the list).
"""

from __future__ import annotations

from auditkit.errors import Problem, did_you_mean
from auditkit.rubric.parse import DraftQuestion, Located

IN_USE = ("live", "pilot")


def check_inventory(questions: dict[str, DraftQuestion], problems: list[Problem]) -> None:
    for entry in questions.values():
        if entry.value("kind") != "adoption":
            continue
        entry_id = entry.value("id")
        listed: list[str] = []
        for key in ("critical", "safeguards"):
            where = entry.fields.get(key)
            if where is None:
                continue
            for index, safeguard_id in enumerate(where.value):
                at = Located(safeguard_id, where.document, (*where.path, index))
                target = questions.get(safeguard_id)
                if target is None or target.value("kind") != "safeguard":
                    safeguards = [q for q, d in questions.items() if d.value("kind") == "safeguard"]
                    guess = did_you_mean(safeguard_id, safeguards)
                    problems.append(
                        at.problem(
                            f"'{key}' of {entry_id!r} names {safeguard_id!r}, which is not a "
                            "safeguard of this rubric",
                            expected="the id of a safeguard question",
                            found=repr(safeguard_id),
                            fix=f"did you mean {guess!r}?" if guess else "check the id",
                        )
                    )
                    continue
                if not _asked_with(target, entry_id):
                    problems.append(
                        at.problem(
                            f"{safeguard_id!r} is listed for {entry_id!r} but not asked when "
                            f"{entry_id!r} is live or in pilot",
                            expected=f"a safeguard without 'when:', or whose 'when:' has "
                            f"{entry_id}: [live, pilot]",
                            fix=f"add '- {entry_id}: [live, pilot]' to the 'when:' of "
                            f"{safeguard_id!r}",
                        )
                    )
                listed.append(safeguard_id)
        alternative = entry.fields.get("staffed_alternative")
        if alternative is not None and alternative.value and alternative.value not in listed:
            problems.append(
                alternative.problem(
                    f"the staffed alternative of {entry_id!r} must be one of the safeguards "
                    "it calls for",
                    expected=f"one of {', '.join(listed) or '(none listed)'}",
                    found=repr(alternative.value),
                    fix="list it under 'safeguards:' too",
                )
            )


def _asked_with(safeguard: DraftQuestion, entry_id: str) -> bool:
    """Whether the safeguard is asked whenever the entry is live or in pilot."""
    when = safeguard.value("when")
    if not when:
        return True
    return any(
        set(alternative) == {entry_id} and set(IN_USE) <= set(alternative[entry_id])
        for alternative in when
    )
