"""The answer scales a rubric question can use.

Three scales cover what an owner can honestly say about a practice or a tool:
``yes-partly-no`` for practices that are either in place or not, ``maturity`` (0–4) where a
practice grows by degrees, and ``adoption`` for the inventory of automation in use. A question
on the maturity scale may describe its own levels; the credits stay the same so that scores
are comparable across questions.
"""

from __future__ import annotations

from auditkit.rubric.model import Level, Scale

YES_PARTLY_NO = Scale(
    "yes-partly-no",
    (
        Level("yes", "Yes", 1.0, "In place and followed."),
        Level("partly", "Partly", 0.5, "Started, informal, or not followed everywhere."),
        Level("no", "No", 0.0, "Not in place."),
    ),
)

MATURITY = Scale(
    "maturity",
    (
        Level("0", "0 · Absent", 0.0, "Nothing in place."),
        Level("1", "1 · Ad hoc", 0.25, "Happens sometimes, depending on who is working."),
        Level("2", "2 · Defined", 0.5, "Agreed and written down, not yet routine."),
        Level("3", "3 · Routine", 0.75, "Done every time and checked now and then."),
        Level("4", "4 · Improving", 1.0, "Routine, measured, and improved from the results."),
    ),
)

ADOPTION = Scale(
    "adoption",
    (
        Level("live", "Live", 1.0, "In everyday use with real customers or real work."),
        Level("pilot", "Pilot", 0.5, "On trial with some customers, staff or days."),
        Level("planned", "Planned", 0.0, "Decided or budgeted, not running yet."),
        Level("no", "No", 0.0, "Not used."),
    ),
)

SCALES: dict[str, Scale] = {scale.id: scale for scale in (YES_PARTLY_NO, MATURITY, ADOPTION)}


def with_level_descriptions(scale: Scale, descriptions: dict[str, str]) -> Scale:
    """A copy of ``scale`` whose levels carry the question's own descriptions where given."""
    return Scale(
        scale.id,
        tuple(
            Level(
                level.value,
                level.label,
                level.credit,
                descriptions.get(level.value, level.description),
            )
            for level in scale.levels
        ),
    )


ALIASES = {"y": "yes", "n": "no"}


def owner_label(label: str) -> str:
    """An answer as an owner says it: "Absent", not the scale's "0 · Absent" (a level's number
    reads as a score on a page for the owner). Labels without a number come back unchanged."""
    return label.split(" · ", 1)[-1]


def parse_answer(scale: Scale, raw: object) -> str | None:
    """The scale's value an owner meant, or None: the value or the label in any case
    ('Live', 'YES', 'Defined', '2 · Defined'), and 'y' / 'n' on a yes/no scale."""
    text = normalise_answer(raw).lower()
    text = ALIASES.get(text, text) if text in ALIASES and ALIASES[text] in scale.values else text
    for level in scale.levels:
        names = {level.value.lower(), level.label.lower(), level.label.split(" · ")[-1].lower()}
        if text in names:
            return level.value
    return None


def normalise_answer(value: object) -> str:
    """Turn a raw YAML answer into the scale's string value.

    YAML 1.1, which PyYAML follows, reads an unquoted ``yes`` or ``no`` as a boolean and ``3``
    as a number; a person editing a file by hand should not have to know that.
    """
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
