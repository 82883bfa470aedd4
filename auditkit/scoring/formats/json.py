"""The score as JSON, following docs/score.schema.json. Stable key order, stable floats."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from auditkit import __version__
from auditkit.answers.voices import ANONYMITY_FLOOR, Voices
from auditkit.rubric.model import ROLES
from auditkit.scoring.formats.interface import ScoreFormat
from auditkit.scoring.model import ScoreResult

SCORE_FORMAT = "auditkit-score/1"


def _rounded(value: Any) -> Any:
    """Round floats to 6 places so that outputs diff cleanly and stay byte-identical."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def voices_to_dict(voices: Voices) -> dict[str, Any]:
    """Who answered and where views differ: counts by role, never a staff name, and the
    staff's answers only as counts, only once enough of them answered."""
    # Staff and others are pooled in one aggregate: "other" is counted with "staff".
    roles = {role: 0 for role in ROLES}
    roles["owner"] = len(voices.owners)
    roles["staff"] = voices.staff_count
    return {
        "count": roles,
        "staff_counted": voices.staff_counted,
        "anonymity_floor": voices.staff.floor if voices.staff else ANONYMITY_FLOOR,
        "withheld": list(voices.withheld),
        "notes": list(voices.notes),
        "distance": voices.distance,
        "compared": voices.compared,
        "differences": [
            {
                "question": d.question_id,
                "principle": d.principle,
                "owner": d.owner,
                "staff": [{"answer": label, "count": count} for label, count in d.staff],
                "staff_answered": d.answered,
                "merged": d.merged,
                "gap": d.gap,
                "notes": list(d.notes),
                "staff_did_not_know": d.unknown,
            }
            for d in voices.differences
        ],
        # Shown questions where some staff answered "don't know": counted apart, never merged.
        "did_not_know": [
            {"question": k.question_id, "staff_did_not_know": k.unknown, "staff": k.people}
            for k in voices.not_known
        ],
        "by_principle": [
            {"principle": principle, "owner": owner, "staff": staff}
            for principle, owner, staff in voices.by_principle
        ],
    }


def score_to_dict(result: ScoreResult, voices: Voices | None = None) -> dict[str, Any]:
    """Top-level phases and gap are the pessimistic bound (what gates use); ``bounds`` holds
    both ends, equal for a complete file."""
    data = asdict(result)
    completeness = data.pop("completeness")
    completeness["summary"] = result.completeness.sentence()
    completeness["safeguards_open"] = result.completeness.safeguards_open
    bounds = {
        "pessimistic": {
            "adoption_phase": data.pop("adoption_phase_high"),
            "safeguard_phase": result.safeguard_phase,
            "gap": data["gap"],
            "overall_percent": result.overall_percent,
            "severity": result.verdict.severity,
        },
        "optimistic": {
            "adoption_phase": result.adoption_phase,
            "safeguard_phase": data.pop("safeguard_phase_high"),
            "gap": data.pop("gap_optimistic"),
            "overall_percent": data.pop("overall_percent_high"),
            "severity": result.verdict.severity_optimistic,
        },
    }
    if data["next_phase"] is not None:
        data["next_phase"]["sentence"] = result.next_phase.sentence()
    return _rounded(
        {
            "format": SCORE_FORMAT,
            "auditkit_version": __version__,
            "rubric": {
                "id": data.pop("rubric_id"),
                "version": data.pop("rubric_version"),
                "sha256": data.pop("rubric_sha256"),
                "sector": data.pop("sector"),
                "threshold": data.pop("threshold"),
            },
            "business": data.pop("business"),
            "completeness": completeness,
            "verdict": data.pop("verdict"),
            "bounds": bounds,
            **({"respondents": voices_to_dict(voices)} if voices is not None else {}),
            **data,
        }
    )


class JsonFormat(ScoreFormat):
    def format(self, result: ScoreResult) -> str:
        return json.dumps(score_to_dict(result, self.voices), indent=2, ensure_ascii=False) + "\n"
