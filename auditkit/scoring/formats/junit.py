"""The score as JUnit XML, for CI dashboards.

One test case per safeguard required at or below the adoption phase (its pessimistic end): it
fails when the safeguard is missing, capped by bias evidence, or not answered (silence is not
evidence: an open safeguard counts as missing, as in the score's pessimistic bound), passes when
met or weak (weak is reported in its output), and is skipped when not applicable.

What tools read stays the same in every language: element and attribute names, test case
names (question ids), class names, property names and the failure ``type`` (the safeguard's
status code). What a person reads follows the run's language: the failure and skip messages
and the ``verdict`` and ``completeness`` properties' sentences.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from auditkit.i18n import _
from auditkit.scoring.formats.interface import ScoreFormat
from auditkit.scoring.model import ScoreResult

FAILING = ("missing", "capped", "unanswered", "unknown")


class JunitFormat(ScoreFormat):
    def format(self, result: ScoreResult) -> str:
        cases = [
            s
            for s in result.safeguards
            if s.phase <= result.adoption_phase_high and s.status != "not-asked"
        ]
        suite = ET.Element(
            "testsuite",
            name=f"auditkit {result.rubric_id} {result.rubric_version}",
            tests=str(len(cases)),
            failures=str(sum(1 for s in cases if s.status in FAILING)),
            skipped=str(sum(1 for s in cases if s.status == "not-applicable")),
            errors="0",
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("adoption_phase", result.adoption_phase),
            ("safeguard_phase", result.safeguard_phase),
            ("safeguard_phase_optimistic", result.safeguard_phase_high),
            ("gap", result.gap.value),
            ("gap_optimistic", result.gap_optimistic.value),
            ("verdict_available", str(result.verdict.available).lower()),
            ("severity", result.verdict.severity),
            ("severity_optimistic", result.verdict.severity_optimistic),
            ("verdict", result.verdict.headline),
            ("completeness", result.completeness.sentence()),
        ):
            ET.SubElement(properties, "property", name=name, value=str(value))
        for safeguard in cases:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{result.rubric_id}.{safeguard.principle}",
                name=safeguard.question_id,
            )
            if safeguard.status in FAILING:
                message = (
                    _("safeguard not answered: counted as missing until it is")
                    if safeguard.status == "unanswered"
                    else _("answered don't know: counted as missing until it is known")
                    if safeguard.status == "unknown"
                    else _("safeguard missing: answered {answer}").format(
                        answer=safeguard.answer or _("nothing")
                    )
                    if safeguard.status == "missing"
                    else _("safeguard capped by bias evidence: answered {answer}").format(
                        answer=safeguard.answer or _("nothing")
                    )
                )
                failure = ET.SubElement(case, "failure", message=message, type=safeguard.status)
                failure.text = " ".join(cap.detail for cap in safeguard.caps) or message
            elif safeguard.status == "not-applicable":
                ET.SubElement(case, "skipped", message=_("not applicable"))
            elif safeguard.status == "weak":
                ET.SubElement(case, "system-out").text = _(
                    "only partly in place: answered {answer}"
                ).format(answer=safeguard.answer)
        ET.indent(suite)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(suite, encoding="unicode")
            + "\n"
        )
