"""A test-contact plan as plain objects, and its YAML file (the machine-readable schedule).

The plan file is what ``contacts check`` reads back to know, for each pair, which persona is
the reference and which one differs, and in which cue. It holds no real person's data: the
personas are invented and their addresses and numbers reserved ones (``personas.py``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from auditkit.errors import InputError, fill
from auditkit.i18n import _

PLAN_FORMAT = "auditkit-contacts-plan/1"
ROLES = ("owner", "manager", "staff member", "advisor", "auditor")
CHANNELS = ("chat", "e-mail", "phone", "web form", "kiosk")


@dataclass(frozen=True)
class Persona:
    id: str  # what the recording sheet's "persona" column holds: "en", "pl"
    label: str  # words for readers: "English-speaking guest"
    cue: str  # "reference", or the one cue this persona changes: language | name | access | age
    value: str  # the cue's value: "Polish", "needs large text"
    name: str  # an invented name
    email: str  # at a reserved example domain
    phone: str  # in a reserved fictional range
    language: str = "English"


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    safeguards: tuple[str, ...]
    channels: tuple[str, ...]
    script: tuple[str, ...]  # the steps, in plain words
    records: tuple[str, ...]  # the sheet's fields this scenario fills


@dataclass(frozen=True)
class PlannedPair:
    pair: str
    variant: str  # persona id of the one that differs (the other is the reference persona)
    channel: str
    scenario: str
    date: str  # ISO date of both contacts
    first: str  # persona id of the first contact
    first_time: str  # "10:20"
    second_time: str


@dataclass(frozen=True)
class Plan:
    business: str
    consent: str
    tested_by: str  # a role, never a name
    seed: int
    start: str
    max_per_week: int
    alpha: float
    power: float
    gap: float  # the ratio to be seen (0.5: the variant gets the outcome half as often)
    reference_rate: float  # the assumed rate of the reference persona
    comparisons: int  # the family the plan's power is computed for
    pairs_needed: int | None
    could_see: float | None  # the ratio seen with the stated power at the planned pairs
    channels: tuple[str, ...]
    personas: tuple[Persona, ...]
    scenarios: tuple[Scenario, ...]
    pairs: tuple[PlannedPair, ...] = field(default=())

    @property
    def reference(self) -> Persona:
        return next(p for p in self.personas if p.cue == "reference")

    def persona(self, persona_id: str) -> Persona | None:
        return next((p for p in self.personas if p.id == persona_id), None)

    def pair(self, pair_id: str) -> PlannedPair | None:
        return next((p for p in self.pairs if p.pair == pair_id), None)


def plan_to_dict(plan: Plan) -> dict:
    data = asdict(plan)
    data = {"format": PLAN_FORMAT, **data}
    data["scenarios"] = [
        {
            **s,
            "safeguards": list(s["safeguards"]),
            "channels": list(s["channels"]),
            "script": list(s["script"]),
            "records": list(s["records"]),
        }
        for s in data["scenarios"]
    ]
    data["channels"] = list(plan.channels)
    data["personas"] = [dict(p) for p in data["personas"]]
    data["pairs"] = [dict(p) for p in data["pairs"]]
    return data


def dump_plan(plan: Plan) -> str:
    return (
        "# auditkit test-contact plan: the schedule 'auditkit contacts check --plan' reads.\n"
        + (yaml.safe_dump(plan_to_dict(plan), sort_keys=False, allow_unicode=True, width=100))
    )


def read_plan(path: Path | str) -> Plan:
    """Read a plan written by ``contacts plan``; InputError naming the file otherwise."""
    from auditkit.fileio import read_text
    from auditkit.yamlsource import parse_yaml

    path = Path(path)
    text = read_text(
        path, expected=_("a contacts plan (YAML)"), missing_fix=_("check the path of --plan")
    )
    data = parse_yaml(text, str(path)).data
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise InputError.single(
            str(path),
            _("is not an auditkit test-contact plan"),
            expected=fill(
                _("the YAML file written by 'auditkit contacts plan' (format {format})"),
                format=repr(PLAN_FORMAT),
            ),
            found=fill(_("format {format}"), format=repr(data.get("format")))
            if isinstance(data, dict)
            else type(data).__name__,
            fix=_("use the plan.yaml that 'auditkit contacts plan' wrote"),
        )
    try:
        return Plan(
            **{
                **{k: v for k, v in data.items() if k != "format"},
                "channels": tuple(data["channels"]),
                "personas": tuple(Persona(**p) for p in data["personas"]),
                "scenarios": tuple(
                    Scenario(**{k: tuple(v) if isinstance(v, list) else v for k, v in s.items()})
                    for s in data["scenarios"]
                ),
                "pairs": tuple(
                    PlannedPair(**{k: str(v) for k, v in p.items()}) for p in data["pairs"]
                ),
            }
        )
    except (KeyError, TypeError) as error:
        raise InputError.single(
            str(path),
            fill(_("is a damaged contacts plan ({reason})"), reason=error),
            fix=_("write the plan again with 'auditkit contacts plan' instead of editing it"),
        ) from None
