"""A comparison as plain data: the JSON format's content (docs/compare.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from auditkit import __version__
from auditkit.followup.formats.interface import ComparisonFormat
from auditkit.followup.model import Comparison
from auditkit.scoring.model import Recommendation, ScoreResult

COMPARE_FORMAT = "auditkit-compare/1"


def _audit(result: ScoreResult, day: str) -> dict[str, Any]:
    return {
        "date": day,
        "adoption_phase": result.adoption_phase,
        "safeguard_phase": result.safeguard_phase,
        "gap": result.gap.value,
        "level": result.gap.level,
        "verdict": result.verdict.headline,
        "severity": result.verdict.severity,
        "verdict_available": result.verdict.available,
        "overall_percent": result.overall_percent,
    }


def _recommendation(rec: Recommendation) -> dict[str, Any]:
    return {
        "question_id": rec.question_id,
        "principle": rec.principle_title,
        "question": rec.question,
        "answer": rec.answer,
        "action": rec.text,
    }


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    return {
        "format": COMPARE_FORMAT,
        "auditkit_version": __version__,
        "business": comparison.business,
        "rubric": comparison.rubric,
        "before": _audit(comparison.before, comparison.before_date),
        "after": _audit(comparison.after, comparison.after_date),
        "summary": comparison.verdict_sentence(),
        "phases": [
            {
                "phase": p.phase,
                "name": p.name,
                "coverage_before": p.coverage_before,
                "coverage_after": p.coverage_after,
                "reached_before": p.reached_before,
                "reached_after": p.reached_after,
            }
            for p in comparison.phases
        ],
        "principles": [
            {"id": p.id, "title": p.title, "before": p.before, "after": p.after, "change": p.delta}
            for p in comparison.principles
        ],
        "answers": [
            {
                "question_id": c.question_id,
                "question": c.question,
                "kind": c.kind,
                "change": c.change,
                "before": c.before,
                "after": c.after,
                "note_before": c.note_before,
                "note_after": c.note_after,
            }
            for c in comparison.changes
        ],
        "recommendations_closed": [_recommendation(r) for r in comparison.closed],
        "recommendations_opened": [_recommendation(r) for r in comparison.opened],
        "bias": [
            {
                "metric": b.metric,
                "label": b.label,
                "group": b.group,
                "ratio_before": b.ratio_before,
                "ratio_after": b.ratio_after,
                "verdict_before": b.verdict_before,
                "verdict_after": b.verdict_after,
            }
            for b in comparison.bias
        ],
        "actions": {
            "planned": comparison.actions.planned,
            "done": comparison.actions.done,
            "dropped": comparison.actions.dropped,
            "overdue": [o.question_id for o in comparison.actions.overdue],
            "overdue_actions": [
                {"question_id": o.question_id, "action": o.action, "owner": o.owner, "due": o.due}
                for o in comparison.actions.overdue
            ],
            "summary": comparison.actions.sentence(),
        },
        "notes": list(comparison.notes),
        "views": None
        if comparison.views is None
        else {
            "before_distance": comparison.views.before_distance,
            "before_differing": comparison.views.before_differing,
            "after_distance": comparison.views.after_distance,
            "after_differing": comparison.views.after_differing,
            "sentence": comparison.views.sentence(),
        },
    }


class JsonFormat(ComparisonFormat):
    def format(self, comparison: Comparison) -> str:
        return json.dumps(comparison_to_dict(comparison), indent=2, ensure_ascii=False) + "\n"
