"""What a round of test contacts was, for the JSON's ``contacts`` block and the report: what
was tested, how many contacts, by whom (a role) and when, the contacts left out, and each
outcome's failures against the safeguard it is evidence for. No free text ever enters it."""

from __future__ import annotations

from pathlib import Path

from auditkit.bias.catalog import CONTACT_FAILURE_MIN, CONTACT_FAILURE_SHARE, CONTACT_SAFEGUARDS
from auditkit.contacts.model import Plan
from auditkit.contacts.pairing import Pairing
from auditkit.contacts.record import Contact
from auditkit.fileio import sha256_file


def notes(pairing: Pairing) -> tuple[str, ...]:
    """The contacts left out, by sheet row and why (at most 10 named, then a count)."""
    if not pairing.left_out:
        return ()
    count = len(pairing.left_out)
    named = "; ".join(
        f"row {row}{f' (pair {pair})' if pair else ''}: {why}"
        for row, pair, why in pairing.left_out[:10]
    )
    more = f"; and {count - 10} more" if count > 10 else ""
    return (
        f"{count} contact{'s' if count != 1 else ''} of the sheet could not be used as "
        f"pairs — {named}{more}.",
    )


def round_block(
    contacts: list[Contact], pairing: Pairing, plan: Plan, plan_path: Path, withheld: bool
) -> dict:
    """What was tested, how many contacts, by whom (a role), when; the contacts left out;
    each outcome's failures and whether they are a shortfall against its safeguard. No free
    text: the notes column is never read into it, the consent line is only said to exist."""
    used = [c for _, _, r, v in pairing.pairs for c in (r, v)]
    dates = sorted(c.date for c in used if c.date)
    outcomes = []
    for metric_id, safeguards in CONTACT_SAFEGUARDS.items():
        values = [c.value(metric_id) for c in contacts]  # every readable contact
        recorded = [v for v in values if v is not None]
        failed = sum(1 for v in recorded if v is False)
        outcomes.append(
            {
                "metric": metric_id,
                "safeguards": list(safeguards),
                "contacts": None if withheld else len(recorded),
                "failed": None if withheld else failed,
                "shortfall": bool(recorded)
                and failed >= CONTACT_FAILURE_MIN
                and failed >= CONTACT_FAILURE_SHARE * len(recorded),
            }
        )
    return {
        "plan": {"file": str(plan_path), "sha256": sha256_file(plan_path)},
        "tested_by": plan.tested_by,
        "consent_recorded": bool(plan.consent.strip()),
        "first_contact": dates[0] if dates else None,
        "last_contact": dates[-1] if dates else None,
        "channels": sorted({c.channel for c in used}),
        # Only the plan's own scenario ids: the sheet's text is never copied.
        "scenarios": [s.id for s in plan.scenarios if s.id in {c.scenario for c in used}],
        "personas": [{"id": p.id, "cue": p.cue, "label": p.label[:60]} for p in plan.personas],
        "recorded": len(contacts),
        "pairs": len(pairing.pairs),
        "planned_pairs": len(plan.pairs),
        "left_out": [{"row": row, "pair": pair, "why": why} for row, pair, why in pairing.left_out],
        "outcomes": outcomes,
    }
