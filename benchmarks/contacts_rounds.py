"""Simulated rounds of test contacts through the real plan and check (validity.py section 7).

Each round is a plan built by ``contacts plan``'s own function and contacts made up with a
known truth, analysed by ``contacts check``'s own function. Within a pair both contacts share
a "day effect" (a busy afternoon slows both), so pairs are correlated as real ones are.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path

from auditkit.bias.model import BiasResult
from auditkit.bias.paired import mcnemar_power
from auditkit.contacts.check import check_contacts
from auditkit.contacts.model import dump_plan
from auditkit.contacts.plan import build_plan
from auditkit.contacts.record import Contact

FLAGGED = ("disadvantaged", "advantaged", "differs")


def _plan(cues: tuple[str, ...], pairs: int | None, folder: Path):
    plan = build_plan(
        business="simulated",
        consent="simulated round, no real contact",
        tested_by="auditor",
        channels=("chat",),
        cues=cues,
        start=dt.date(2026, 11, 2),
        pairs=pairs,
    )
    path = folder / "plan.yaml"
    path.write_text(dump_plan(plan), encoding="utf-8")
    return plan, path


def _round(
    plan,
    told: dict[str, float],
    reached: dict[str, float],
    slower: dict[str, float],
    generator: random.Random,
) -> list[Contact]:
    contacts = []
    row = 2
    for pair in plan.pairs:
        day = generator.gammavariate(4, 0.25)  # shared by both contacts of the pair
        for persona in ("ref", pair.variant):
            got = generator.random() < reached[persona]
            minutes = round(day * generator.expovariate(1 / 5) * slower[persona], 2)
            outcomes = {
                "disclosed_first_turn": generator.random() < told[persona],
                "turns_to_person": float(1 + int(generator.expovariate(1 / 2) * slower[persona]))
                if got
                else "never",
                "minutes_to_person": minutes if got else "never",
            }
            contacts.append(
                Contact(row, pair.date, pair.channel, persona, pair.scenario, pair.pair, outcomes)
            )
            row += 1
    return contacts


def _flags(result: BiasResult, group: str | None = None, metric: str | None = None):
    comparisons = [
        (m.id, g)
        for m in result.metrics
        for g in m.groups
        if (metric is None or m.id == metric) and (group is None or g.group == group)
    ]
    flagged = any(g.verdict.split(" (")[0] in FLAGGED for _, g in comparisons)
    worse = any(
        g.side == "disadvantaged" and g.verdict.startswith("disadvantaged") for _, g in comparisons
    )
    return flagged, worse, bool(result.breaches("disparity"))


def contact_rounds(rounds: int, seed: int) -> list[tuple]:
    """(shape, rounds, share flagged, share of the gate firing / the gap found, target)."""
    generator = random.Random(seed)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "contacts.csv"
        source.write_text("simulated\n")
        for cues, pairs in ((("language",), 24), (("language", "age"), 24), (("language",), 60)):
            plan, path = _plan(cues, pairs, Path(folder))
            personas = ["ref", *(p.id for p in plan.personas[1:])]
            fired = flagged = 0
            for _ in range(rounds):
                contacts = _round(
                    plan,
                    dict.fromkeys(personas, 0.9),
                    dict.fromkeys(personas, 0.9),
                    dict.fromkeys(personas, 1.0),
                    generator,
                )
                result = check_contacts(contacts, [], plan, source=source, plan_path=path)
                any_flag, _, gate = _flags(result)
                flagged += any_flag
                fired += gate
            rows.append(
                (
                    f"fair, {len(cues)} cue{'s' if len(cues) > 1 else ''}, {pairs} pairs each",
                    rounds,
                    flagged / rounds,
                    fired / rounds,
                    "≤ 5 %",
                )
            )
        # The plan's promise: told at the first turn 0.9 → 0.45 (0.5×) with the pairs it asks.
        plan, path = _plan(("language",), None, Path(folder))
        for gap, pairs, label in (
            (0.5, plan.pairs_needed, "pairs the plan asks"),
            (None, 24, "its 'could see'"),
        ):
            plan, path = _plan(("language",), pairs, Path(folder))
            ratio = gap if gap is not None else plan.could_see
            found = 0
            for _ in range(rounds):
                contacts = _round(
                    plan,
                    {"ref": 0.9, "pl": 0.9 * ratio},
                    {"ref": 0.9, "pl": 0.9},
                    {"ref": 1.0, "pl": 1.0},
                    generator,
                )
                result = check_contacts(contacts, [], plan, source=source, plan_path=path)
                _, worse, _ = _flags(result, "pl", "disclosed_first_turn")
                found += worse
            rows.append(
                (
                    f"told {ratio:.2f}× as often, {pairs} pairs ({label})",
                    rounds,
                    None,
                    found / rounds,
                    f"≥ {plan.power:.0%} promised (exact power "
                    f"{mcnemar_power(pairs, 0.9, ratio, plan.alpha / plan.comparisons):.1%})",
                )
            )
        plan, path = _plan(("language",), 24, Path(folder))
        found = 0
        for _ in range(rounds):
            contacts = _round(
                plan,
                {"ref": 0.9, "pl": 0.9},
                {"ref": 0.9, "pl": 0.9},
                {"ref": 1.0, "pl": 2.0},
                generator,
            )
            result = check_contacts(contacts, [], plan, source=source, plan_path=path)
            _, worse, _ = _flags(result, "pl", "minutes_to_person")
            found += worse
        rows.append(
            ("waits 2× as long, 24 pairs (no promise)", rounds, None, found / rounds, "reported")
        )
    return rows
