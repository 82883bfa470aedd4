"""The rubric as plain typed objects: principles, questions, answer scales, conditions.

A rubric is the data the whole tool runs on. Everything here is immutable and free of I/O so
that the questionnaire, scoring and the report can share one rubric object safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from auditkit.i18n import N_

QuestionKind = Literal["adoption", "safeguard"]
# Who answers an audit: the owner or a manager, front-line staff, anyone else (an accountant, a
# volunteer). ``ask:`` in the rubric says which of them a question is put to.
ROLES = ("owner", "staff", "other")
ROLE_LABELS = {
    "owner": N_("owner or manager"),
    "staff": N_("front-line staff"),
    "other": N_("someone else"),
}

PHASE_NAMES = {
    0: N_("Manual"),
    1: N_("Foundational automation"),
    2: N_("Customer-service augmentation"),
    3: N_("Self-service and personalised automation"),
}


def named_phase(phase: int) -> str:
    """A phase as an owner reads it: never its number alone ("phase 1 (Foundational
    automation)")."""
    from auditkit.i18n import _

    return _("phase {number} ({name})").format(number=phase, name=_(PHASE_NAMES[phase]))


# Whom each phase's own safeguards protect, for the sentence that says what holds a phase.
PHASE_SAFEGUARDS = {
    1: N_("what every automating business needs"),
    2: N_("what customer-facing automation needs"),
    3: N_("what self-service and personalisation need"),
}


# How customers meet an automation (``customers:`` on an adoption entry), from no contact to a
# decision about them. The verdict's severity grows along this order (docs/scoring.md).
CUSTOMER_CONTACT = ("none", "receive", "beside", "instead", "decides")
CONTACT_WORDS = {
    "none": N_("customers do not meet it"),
    "receive": N_("customers receive what it sends or writes"),
    "beside": N_("a channel beside your staff"),
    "instead": N_("in place of a person"),
    "decides": N_("it decides about customers"),
}


@dataclass(frozen=True)
class Level:
    """One step of an answer scale.

    ``credit`` is what the answer is worth, from 0 (absent) to 1 (fully in place). For adoption
    questions it says how far the automation is in use (live 1, pilot 0.5).
    """

    value: str
    label: str
    credit: float
    description: str = ""


@dataclass(frozen=True)
class Scale:
    id: str
    levels: tuple[Level, ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(level.value for level in self.levels)

    def level(self, value: str) -> Level:
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(value)


@dataclass(frozen=True)
class Principle:
    id: str
    title: str
    why: str
    weight: float = 1.0
    ask: tuple[str, ...] = ("owner",)  # the default of its questions' ``ask:``


@dataclass(frozen=True)
class Condition:
    """``when:`` — the question applies if every named question's answer is one of the values.

    A rubric may list several conditions; the question applies when any of them holds.
    """

    answers: tuple[tuple[str, tuple[str, ...]], ...]

    def question_ids(self) -> tuple[str, ...]:
        return tuple(question_id for question_id, _ in self.answers)


@dataclass(frozen=True)
class EvidenceLink:
    """Links a safeguard to a bias-check metric whose disparity proves the safeguard unmet."""

    check: str
    metric: str


@dataclass(frozen=True)
class Question:
    """One question of the rubric.

    ``kind`` is ``adoption`` (which automation is in use; ``phase`` is the maturity phase the
    automation belongs to) or ``safeguard`` (a human-centred or ethical practice; ``phase`` is
    the phase from which it is required).
    """

    id: str
    principle: str
    kind: QuestionKind
    phase: int
    text: str
    help: str
    scale: Scale
    look_for: str = ""
    # A few words that name the question in a sentence ("self-service kiosks or portals"); the
    # sentences that say why a phase was reached fall back to the question's text.
    short: str = ""
    weight: float = 1.0
    allow_na: bool = False
    recommendation: str = ""
    when: tuple[Condition, ...] = ()
    evidence: tuple[EvidenceLink, ...] = ()
    # A gating safeguard that is missing holds its phase whatever the average: some practices
    # (a person reachable from every automated channel) cannot be made up for by others.
    gating: bool = False
    # Who is asked (``ROLES``): the owner by default; staff for what customers meet and what
    # staff see, never for contracts with vendors. Adoption questions are asked of everyone
    # (staff say what they see in use), but only the owner's answers set the adoption phase.
    ask: tuple[str, ...] = ("owner",)
    # Adoption entries only: how customers meet the automation (``CUSTOMER_CONTACT``), the
    # safeguards it calls for (``critical`` ones nothing makes up for, and the others), and the
    # safeguard whose "yes" keeps a ``beside`` channel beside staffed ones: without it the
    # channel stands in place of a person and is judged as ``instead``.
    customers: str = "none"
    critical: tuple[str, ...] = ()
    safeguards: tuple[str, ...] = ()
    staffed_alternative: str = ""

    @property
    def calls_for(self) -> tuple[str, ...]:
        """Every safeguard this automation calls for, the critical ones first."""
        return self.critical + tuple(s for s in self.safeguards if s not in self.critical)

    @property
    def name(self) -> str:
        return self.short or self.text.rstrip("?")

    def asks(self, role: str) -> bool:
        return self.kind == "adoption" or role in self.ask


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    title: str
    description: str
    principles: tuple[Principle, ...]
    questions: tuple[Question, ...]
    threshold: float = 0.7
    migrations: dict[str, str | None] = field(default_factory=dict)
    sector: str | None = None
    sector_title: str | None = None
    sources: tuple[str, ...] = ()
    sha256: str = ""
    # Where each text a person reads was written: (kind, id, field) → (file, YAML path), kind
    # "rubric", "sector", "principle" or "question", field e.g. "help" or "levels.0". The
    # translations of a text are looked up beside the file it came from (rubric/translate.py).
    # Like ``sources`` and ``lang``, it is not part of the content hash.
    origins: dict[tuple[str, str, str], tuple[str, tuple]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # The language of the texts ("en" as written; "de" after rubric.translate.localize). Ids,
    # levels and ``sha256`` never change with it: answers are stored by id and level only.
    lang: str = "en"

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def principle(self, principle_id: str) -> Principle:
        for principle in self.principles:
            if principle.id == principle_id:
                return principle
        raise KeyError(principle_id)

    def questions_of(self, principle_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.principle == principle_id)

    @property
    def adoption_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == "adoption")

    @property
    def safeguards(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == "safeguard")
