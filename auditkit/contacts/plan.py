"""Build a test-contact plan: channels from the automations in use, scenarios per channel,
personas differing in one cue, the pairs needed for a stated gap and power, and a seeded
schedule in random order and spacing that never exceeds the weekly cap.

Deterministic: the same options and seed give the same plan, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

from auditkit.bias.paired import detectable_paired_ratio, pairs_needed
from auditkit.contacts.model import CHANNELS, Plan, PlannedPair
from auditkit.contacts.personas import personas_for
from auditkit.contacts.scenarios import scenarios_for
from auditkit.errors import InputError, fill
from auditkit.i18n import _

MAX_PER_WEEK = 20  # the hard ceiling of --max-per-week: staff and the business come first
# The outcomes every pair records (every script ends by asking for a person): the family the
# plan's power is computed for, per variant persona.
EVERY_PAIR = ("disclosed_first_turn", "reached_person", "turns_to_person", "minutes_to_person")

# Automations in use → the channels a test contact goes through. Today's rubric ids (1.x) and
# the inventory of rubric 2.0 (/work/coord/inventory.md) both map here; one table, no branches.
AUTOMATION_CHANNELS: dict[str, tuple[str, ...]] = {
    "adopt.chatbot": ("chat",),
    "adopt.phone-menu": ("phone",),
    "adopt.kiosk": ("kiosk",),
    "adopt.web-shop": ("web form",),
    "adopt.click-and-collect": ("web form",),
    "adopt.booking-page": ("web form",),
    "adopt.confirmations": ("e-mail",),
    "adopt.newsletter": ("e-mail",),
    "adopt.review-requests": ("e-mail",),
    "adopt.ai-replies": ("e-mail",),
    "adopt.decisions": ("web form",),
    "adopt.personalised-prices": ("web form",),
    # rubric 1.x
    "adopt.automated-messages": ("e-mail",),
    "adopt.self-service": ("web form", "kiosk"),
    "adopt.personalised-marketing": ("e-mail",),
}
IN_USE = ("live", "pilot")


def channels_from_answers(path: Path) -> tuple[str, ...]:
    """The channels of the automations an answers file says are live or in pilot."""
    from auditkit.fileio import read_text
    from auditkit.yamlsource import parse_yaml

    document = parse_yaml(
        read_text(
            path, expected=_("an answers file (YAML)"), missing_fix=_("check the path of --answers")
        ),
        str(path),
    )
    answers = document.data.get("answers") if isinstance(document.data, dict) else None
    if not isinstance(answers, dict):
        raise InputError.single(
            str(path),
            _("has no 'answers:' section"),
            expected=_("an answers file written by 'auditkit assess'"),
            fix=_("pass your answers.yaml, or name the channels with --channel"),
        )
    found: list[str] = []
    for question, answer in answers.items():
        value = answer.get("answer") if isinstance(answer, dict) else answer
        if str(value) in IN_USE:
            found += AUTOMATION_CHANNELS.get(str(question), ())
    return tuple(c for c in CHANNELS if c in found)


def build_plan(
    *,
    business: str,
    consent: str,
    tested_by: str,
    channels: tuple[str, ...],
    cues: tuple[str, ...],
    start: dt.date,
    pairs: int | None = None,
    gap: float = 0.5,
    power: float = 0.8,
    reference_rate: float = 0.9,
    alpha: float = 0.05,
    max_per_week: int = 10,
    seed: int = 1,
    personas: tuple | None = None,
) -> Plan:
    """The plan; ``pairs`` per variant persona, or (None) the pairs needed for ``gap``."""
    if personas is not None:  # --personas: the cues are the file's
        cues = tuple(p.cue for p in personas if p.cue != "reference")
    _check(channels, cues, max_per_week, consent, gap, power, reference_rate)
    comparisons = len(cues) * len(EVERY_PAIR)
    per_test = alpha / comparisons  # Bonferroni: Holm, which the check uses, is never weaker
    needed = pairs_needed(reference_rate, gap, per_test, power)
    planned = pairs if pairs is not None else needed
    if planned is None:
        raise InputError.single(
            "--gap",
            fill(_("a gap of {gap}× needs more than 2,000 pairs per persona"), gap=gap),
            fix=_("plan for a larger gap (a smaller --gap ratio), or give --pairs"),
        )
    scenarios = scenarios_for(channels)
    personas = personas if personas is not None else personas_for(cues)
    schedule = _schedule(personas, scenarios, channels, planned, start, max_per_week, seed)
    return Plan(
        business=business,
        consent=consent,
        tested_by=tested_by,
        seed=seed,
        start=start.isoformat(),
        max_per_week=max_per_week,
        alpha=alpha,
        power=power,
        gap=gap,
        reference_rate=reference_rate,
        comparisons=comparisons,
        pairs_needed=needed,
        could_see=_rounded(detectable_paired_ratio(planned, reference_rate, per_test, power)),
        channels=channels,
        personas=personas,
        scenarios=scenarios,
        pairs=schedule,
    )


def _check(channels, cues, max_per_week, consent, gap, power, reference_rate) -> None:
    problems = []
    if not channels:
        problems.append(
            (
                "--channel",
                _("no channel to test: no automation in use was found"),
                _("name one with --channel chat (or e-mail, phone, web form, kiosk)"),
            )
        )
    if not cues:
        problems.append(
            ("--cue", _("no cue to vary"), _("add --cue language (or name, access, age)"))
        )
    if not 2 <= max_per_week <= MAX_PER_WEEK:
        problems.append(
            (
                "--max-per-week",
                fill(
                    _("must be between 2 and {most} contacts a week, not {given}"),
                    most=MAX_PER_WEEK,
                    given=max_per_week,
                ),
                fill(
                    _(
                        "test contacts take staff time; spread them over more weeks (at most "
                        "{most} a week)"
                    ),
                    most=MAX_PER_WEEK,
                ),
            )
        )
    if len(consent.strip()) < 10:
        problems.append(
            (
                "--consent",
                _("the consent line is missing"),
                _(
                    "say who agreed in writing and when: --consent 'Owner agreed in writing on "
                    "2 Nov 2026'"
                ),
            )
        )
    if not 0 < gap < 1:
        problems.append(
            (
                "--gap",
                fill(_("must be a ratio between 0 and 1, not {given}"), given=gap),
                _("e.g. --gap 0.5: the persona gets the outcome half as often"),
            )
        )
    if not 0.5 <= power < 1:
        problems.append(
            (
                "--power",
                fill(_("must be between 0.5 and 1, not {given}"), given=power),
                _("e.g. --power 0.8"),
            )
        )
    if not 0 < reference_rate <= 1:
        problems.append(
            (
                "--reference-rate",
                fill(_("must be between 0 and 1, not {given}"), given=reference_rate),
                _("e.g. --reference-rate 0.9"),
            )
        )
    if problems:
        from auditkit.errors import Problem

        raise InputError([Problem(where, message, fix=fix) for where, message, fix in problems])


def _schedule(personas, scenarios, channels, per_variant, start, max_per_week, seed):
    """Pairs in random order, each on its own day with both contacts hours apart in random
    order; at most ``max_per_week // 2`` pairs a week (two contacts each)."""
    generator = random.Random(seed)
    reference = next(p.id for p in personas if p.cue == "reference")
    variants = [p for p in personas if p.cue != "reference"]
    combos = [(c, s.id) for s in scenarios for c in channels if c in s.channels]
    jobs = []
    for variant in variants:
        cycle = combos * math.ceil(per_variant / len(combos))
        generator.shuffle(cycle)
        jobs += [(variant.id, channel, scenario) for channel, scenario in cycle[:per_variant]]
    generator.shuffle(jobs)
    per_week = max_per_week // 2
    monday = start - dt.timedelta(days=start.weekday())
    pairs = []
    for week in range(math.ceil(len(jobs) / per_week)):
        batch = jobs[week * per_week : (week + 1) * per_week]
        days = [
            monday + dt.timedelta(weeks=week, days=d)
            for d in range(6)
            if monday + dt.timedelta(weeks=week, days=d) >= start
        ]
        chosen = sorted(generator.choice(days) for _ in batch)
        for (variant, channel, scenario), day in zip(batch, chosen, strict=True):
            first_minute = generator.randrange(9 * 60, 14 * 60, 5)
            gap_minutes = generator.randrange(60, 241, 5)
            second = first_minute + gap_minutes
            pairs.append(
                PlannedPair(
                    pair=f"P{len(pairs) + 1:02d}",
                    variant=variant,
                    channel=channel,
                    scenario=scenario,
                    date=day.isoformat(),
                    first=generator.choice((reference, variant)),
                    first_time=f"{first_minute // 60:02d}:{first_minute % 60:02d}",
                    second_time=f"{second // 60:02d}:{second % 60:02d}",
                )
            )
    return tuple(pairs)


def _rounded(ratio: float | None) -> float | None:
    """Three decimals, rounded down (further from 1): the figure shown keeps the power it promises."""
    return None if ratio is None else math.floor(ratio * 1000) / 1000
