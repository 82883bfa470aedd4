"""The owner summary's automation parts: each automation with its protections, and what to
do first grouped by the automation it protects. Computed here so templates only place them."""

from __future__ import annotations

from typing import Any

from auditkit.i18n import _
from auditkit.rubric.model import CONTACT_WORDS
from auditkit.scoring.formats.rules import step_rules
from auditkit.scoring.model import ScoreResult
from auditkit.scoring.severity import AUTOMATION_WORDS
from auditkit.scoring.verdict import STATE_WORDS

SEVERITY_CLASSES = {0: "balanced", 1: "balanced", 2: "elevated", 3: "high", 4: "high"}


def step_groups(result: ScoreResult, because: dict[str, str]) -> list[dict[str, Any]]:
    """What to do first, in its one order, cut into groups by the automation each critical step
    protects ("Your chatbot"), the others under "Then"; numbers run on across the groups."""
    groups: list[dict[str, Any]] = []
    for number, step in enumerate(result.first_steps, start=1):
        heading = step.automation if step.critical else ""
        heading = heading[0].upper() + heading[1:] if heading else _("Then")
        if not groups or groups[-1]["heading"] != heading:
            groups.append({"heading": heading, "start": number, "steps": []})
        groups[-1]["steps"].append(
            {
                "number": number,
                "action": step.action,
                "recommendation": step.recommendation,
                "principle": step.principle_title,
                "state": step.state,
                "lifts": step.lifts_phase,
                "because": because.get(step.question_id, ""),
                "rules": step_rules(step, result),
            }
        )
    if len(groups) == 1 and groups[0]["heading"] == _("Then"):
        groups[0]["heading"] = ""
    return groups


def automation_lines(result: ScoreResult) -> list[dict[str, Any]]:
    """Each automation in use: how customers meet it, whether it keeps pace, and those of its
    protections nothing makes up for that are not in place (with their state)."""
    return [
        {
            "name": a.name[0].upper() + a.name[1:],
            "contact": _(CONTACT_WORDS[a.judged_as]),
            "state": _(AUTOMATION_WORDS[a.severity])
            if a.in_use != "open"
            else _("not answered yet (counted as in use)"),
            "ahead": a.severity > 0,
            "critical": [
                f"{s.name} — {_(STATE_WORDS[s.status]) if s.status in STATE_WORDS else s.answer or s.status}"
                for s in a.safeguards
                if s.critical and s.status != "met"
            ],
        }
        for a in result.automations
    ]
