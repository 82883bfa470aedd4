"""The crosswalk's plain typed objects: obligations, their links to safeguards, and statuses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Relation = Literal["meets", "partly", "related"]
RELATIONS: tuple[str, ...] = ("meets", "partly", "related")
# Who an obligation is addressed to, in the words the instruments use.
ROLES: tuple[str, ...] = (
    "provider",
    "deployer",
    "developer",
    "controller",
    "employer",
    "business",
    "trader",
    "service-provider",
)
# Size bands, smallest first: micro is the EU's micro-enterprise (fewer than 10 people and
# turnover or balance sheet of at most EUR 2 million), small under 50 people, medium under 250.
SIZE_BANDS: tuple[str, ...] = ("micro", "small", "medium", "large")


@dataclass(frozen=True)
class SafeguardLink:
    """A rubric question and how far the safeguard it asks about discharges the obligation:
    ``meets`` (in place, the duty is done), ``partly`` (it is part of what the duty asks) or
    ``related`` (it helps, but answers a different question)."""

    question: str
    relation: Relation


@dataclass(frozen=True)
class EvidenceLink:
    """A log check whose result evidences the obligation (``auditkit bias CHECK``)."""

    check: str
    metric: str = ""


@dataclass(frozen=True)
class Obligation:
    id: str
    title: str
    jurisdictions: tuple[str, ...]
    instrument: str
    article: str
    binds: tuple[str, ...]
    applies_from: dt.date
    owner_text: str
    source: str
    last_verified: dt.date
    verified: bool
    applies_until: dt.date | None = None  # a sunset date, when the text has one
    automations: tuple[str, ...] = ()  # inventory ids; empty: any business can be concerned
    sizes: tuple[str, ...] = SIZE_BANDS
    only_if: str = ""  # a condition the audit cannot see, said to the owner as "only if …"
    safeguards: tuple[SafeguardLink, ...] = ()
    evidence: tuple[EvidenceLink, ...] = ()
    checked: tuple[str, ...] = ()  # the addresses actually read on last_verified
    note: str = ""  # what was found instead, where the entry is unverified
    origin: str = ""  # the file the entry came from (the crosswalk or an overlay)


@dataclass(frozen=True)
class Crosswalk:
    id: str
    version: str
    rubric: str
    title: str
    disclaimer: str
    obligations: tuple[Obligation, ...]
    overlays: tuple[str, ...] = ()
    files: tuple[str, ...] = field(default=())

    @property
    def last_verified(self) -> dt.date | None:
        """The oldest ``last_verified`` of its entries: what the whole list can claim."""
        return min((o.last_verified for o in self.obligations), default=None)

    def obligation(self, obligation_id: str) -> Obligation:
        for obligation in self.obligations:
            if obligation.id == obligation_id:
                return obligation
        raise KeyError(obligation_id)
