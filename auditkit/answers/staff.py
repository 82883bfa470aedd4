"""Staff answers as the only thing that ever leaves a store: counts per question, floored.

Staff speak freely only if nobody can tell whose answers are whose. This module owns that
rule, the way a statistics office releases tables:

* **A tally, not rows.** A staff member's answers are reduced, the moment they are counted,
  to a :class:`StaffTally`: per safeguard question, how many gave each answer on the scale,
  how many said they did not know (``unknown``, counted apart: it is no answer on the scale
  and never enters the merge), and the notes their authors allowed to be shown. Adoption answers (which only decide what a
  person is asked), skipped questions, "not applicable", times, unshared notes and the person
  are gone. Tallies add up; nothing in one says who was first or who said what.
* **A floor per cell.** :func:`publish` shows a question's cell (its counts and its notes)
  only when at least ``floor`` staff answered *that* question on its scale (a "don't know"
  does not help reach the floor; it is shown only inside a cell that is); every other staff question
  reads "too few answered to show", whether 0, 1 or 2 did (saying "nobody" would tell that
  somebody did elsewhere). The floor is ``ANONYMITY_FLOOR`` (3) and can only be raised.
* **No differencing between releases.** A store that takes answers over time keeps a
  *released* tally and a *pending* one. :func:`release` moves a question's pending cell into
  the released one only when it adds at least ``floor`` answers at once; so two successive
  releases never differ by fewer than ``floor`` people on any question. A release happens
  only when at least ``floor`` people sent since the last one.
* **Notes** are sorted by their text: a canonical order, the same whoever sent first, and
  the same report bytes for the same answers (a shuffled order would change every run).

The aggregate is written as its own file (``answers.staff_file``: ``staff.yaml``, format
``auditkit-staff-answers/1``, docs/answers-format.md) that ``score``, ``report``, ``plan``
and ``compare`` read beside the owner's answers file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditkit.answers.model import ANONYMITY_FLOOR, UNKNOWN, AnswerSet, applies
from auditkit.errors import InputError, fill
from auditkit.i18n import _
from auditkit.rubric.model import Question, Rubric

STAFF_FORMAT = "auditkit-staff-answers/1"
SOURCES = ("links", "files")  # sent through invitation links, or brought in as answers files


@dataclass
class Cell:
    """One question's staff answers: how many gave each value, and the shared notes."""

    levels: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        """Answers on the scale: what the floor and the merge count."""
        return sum(n for value, n in self.levels.items() if value != UNKNOWN)

    @property
    def unknown(self) -> int:
        """Staff who said they did not know."""
        return self.levels.get(UNKNOWN, 0)

    @property
    def people(self) -> int:
        """Everyone the cell counts: on the scale or "don't know"."""
        return self.answered + self.unknown

    def plus(self, other: Cell) -> Cell:
        levels = dict(self.levels)
        for value, count in other.levels.items():
            levels[value] = levels.get(value, 0) + count
        return Cell(levels, sorted(self.notes + other.notes))


@dataclass
class StaffTally:
    """Staff answers added up: how many people (``senders``) and a cell per question."""

    senders: int = 0
    cells: dict[str, Cell] = field(default_factory=dict)

    def plus(self, other: StaffTally) -> StaffTally:
        cells = dict(self.cells)
        for question_id, cell in other.cells.items():
            cells[question_id] = cells[question_id].plus(cell) if question_id in cells else cell
        return StaffTally(self.senders + other.senders, cells)

    def to_data(self) -> dict[str, Any]:
        """As the server stores it (JSON): sorted keys, so equal tallies are equal text."""
        return {
            "senders": self.senders,
            "cells": {
                q: {"levels": dict(sorted(c.levels.items())), "notes": sorted(c.notes)}
                for q, c in sorted(self.cells.items())
            },
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> StaffTally:
        if not data:
            return cls()
        return cls(
            int(data.get("senders", 0)),
            {
                q: Cell({str(v): int(n) for v, n in c["levels"].items()}, list(c["notes"]))
                for q, c in data.get("cells", {}).items()
            },
        )


def counted_questions(rubric: Rubric) -> list[Question]:
    """The questions whose staff answers count: safeguards put to staff or others."""
    return [
        q
        for q in rubric.questions
        if q.kind != "adoption" and ("staff" in q.ask or "other" in q.ask)
    ]


def tally_one(rubric: Rubric, answers: AnswerSet) -> StaffTally:
    """One person's answers reduced to what counts: for each safeguard put to their role
    that applies to them (by their own adoption answers), the value they gave on the scale or
    their "don't know"; a note only when they allowed it to be shown. A skipped or "not
    applicable" answer, and a note not shared, leave nothing."""
    values = answers.values()
    cells = {}
    role = answers.speaks_as
    for question in counted_questions(rubric):
        answer = answers.answers.get(question.id)
        if answer is None or not (answer.is_given or answer.is_unknown):
            continue
        if not question.asks(role) or not applies(question, rubric, values):
            continue
        if not answer.is_unknown and answer.value not in question.scale.values:
            continue
        note = answer.note.strip() if answer.share_note else ""
        cells[question.id] = Cell({answer.value: 1}, [note] if note else [])
    return StaffTally(1, cells)


def tally(rubric: Rubric, answer_sets: Iterable[AnswerSet]) -> StaffTally:
    """Several people's answers added up."""
    total = StaffTally()
    for answers in answer_sets:
        total = total.plus(tally_one(rubric, answers))
    return total


def release(
    released: StaffTally, pending: StaffTally, floor: int = ANONYMITY_FLOOR
) -> tuple[StaffTally, StaffTally]:
    """(the new released tally, what stays pending) when the pending answers are let out.

    Only when at least ``floor`` people sent since the last release; then each question's
    pending cell joins the released one only when it holds at least ``floor`` answers, so no
    question's counts ever move by fewer than ``floor`` people. Cells that stay pending wait
    for the next release. Below the floor of senders nothing moves."""
    floor = checked_floor(floor)
    if pending.senders < floor:
        return released, pending
    moving = {q: c for q, c in pending.cells.items() if c.answered >= floor}
    staying = {q: c for q, c in pending.cells.items() if c.answered < floor}
    out = released.plus(StaffTally(pending.senders, moving))
    return out, StaffTally(0, staying)


def checked_floor(floor: int) -> int:
    if floor < ANONYMITY_FLOOR:
        raise InputError.single(
            fill(_("floor {floor}"), floor=floor),
            fill(
                _("is below {least}, the least number of staff shown together"),
                least=ANONYMITY_FLOOR,
            ),
            fix=fill(_("give {least} or more"), least=ANONYMITY_FLOOR),
        )
    return floor


@dataclass(frozen=True)
class StaffAggregate:
    """What leaves the store about the staff: how many sent, and the cells at or above the
    floor. Every staff question without a cell here reads "too few answered to show"."""

    rubric_id: str
    business: dict[str, str]
    senders: int
    floor: int = ANONYMITY_FLOOR
    source: str = "links"
    released: str = ""  # the day of the latest release (YYYY-MM-DD), never a time
    cells: dict[str, Cell] = field(default_factory=dict)
    rubric_version: str = ""
    rubric_sha256: str = ""
    sector: str | None = None
    path: Path | None = None  # the file it was read from, if any

    def cell(self, question_id: str) -> Cell | None:
        return self.cells.get(question_id)


def publish(
    rubric: Rubric,
    business: Mapping[str, str],
    staff: StaffTally,
    *,
    floor: int = ANONYMITY_FLOOR,
    source: str = "links",
    released: str = "",
) -> StaffAggregate:
    """The aggregate that may leave: the cells with at least ``floor`` answers, nothing else.
    With fewer than ``floor`` senders in all, no cell at all."""
    floor = checked_floor(floor)
    known = {q.id for q in counted_questions(rubric)}
    cells = {}
    if staff.senders >= floor:
        cells = {
            q: Cell(dict(c.levels), sorted(c.notes))
            for q, c in sorted(staff.cells.items())
            if q in known and c.answered >= floor
        }
    return StaffAggregate(
        rubric.id,
        dict(business),
        staff.senders,
        floor,
        source,
        released,
        cells,
        rubric.version,
        rubric.sha256,
        rubric.sector,
    )
