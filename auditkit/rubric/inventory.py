"""Check the automation inventory's links: each entry's safeguards exist and are asked with it.

An adoption entry names the safeguards it calls for (``critical:`` and ``safeguards:``) and may
name the one that keeps a channel beside staffed ones (``staffed_alternative:``). Scoring reads
those lists to say, per automation, whether it runs ahead of its safeguards; a list that names
a question that is not a safeguard, or a safeguard that is not asked while the automation is in
use, would make that judgement silently wrong. So both are errors, at the line that lists them
(in the rubric or in the sector overlay that changed the list).
"""

from __future__ import annotations

from auditkit.errors import Problem, did_you_mean, fill
from auditkit.i18n import _
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
                            fill(
                                _(
                                    "{key} of {entry} names {safeguard}, which is not a "
                                    "safeguard of this rubric"
                                ),
                                key=repr(key),
                                entry=repr(entry_id),
                                safeguard=repr(safeguard_id),
                            ),
                            expected=_("the id of a safeguard question"),
                            found=repr(safeguard_id),
                            fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                            if guess
                            else _("check the id"),
                        )
                    )
                    continue
                if not _asked_with(target, entry_id):
                    problems.append(
                        at.problem(
                            fill(
                                _(
                                    "{safeguard} is listed for {entry} but not asked when "
                                    "{entry} is live or in pilot"
                                ),
                                safeguard=repr(safeguard_id),
                                entry=repr(entry_id),
                            ),
                            expected=fill(
                                _(
                                    "a safeguard without 'when:', or whose 'when:' has "
                                    "{entry}: [live, pilot]"
                                ),
                                entry=entry_id,
                            ),
                            fix=fill(
                                _("add '- {entry}: [live, pilot]' to the 'when:' of {safeguard}"),
                                entry=entry_id,
                                safeguard=repr(safeguard_id),
                            ),
                        )
                    )
                listed.append(safeguard_id)
        alternative = entry.fields.get("staffed_alternative")
        if alternative is not None and alternative.value and alternative.value not in listed:
            problems.append(
                alternative.problem(
                    fill(
                        _(
                            "the staffed alternative of {entry} must be one of the safeguards "
                            "it calls for"
                        ),
                        entry=repr(entry_id),
                    ),
                    expected=fill(
                        _("one of {choices}"), choices=", ".join(listed) or _("(none listed)")
                    ),
                    found=repr(alternative.value),
                    fix=_("list it under 'safeguards:' too"),
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
