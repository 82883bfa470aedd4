"""The score as JUnit XML, for CI dashboards.

One test case per safeguard required at or below the adoption phase: it fails when the
safeguard is missing (or capped by bias evidence), passes when met or weak (weak is reported in
its output), and is skipped when unanswered or not applicable.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from auditkit.scoring.formats.interface import ScoreFormat
from auditkit.scoring.model import ScoreResult


class JunitFormat(ScoreFormat):
    def format(self, result: ScoreResult) -> str:
        cases = [
            s
            for s in result.safeguards
            if s.phase <= result.adoption_phase and s.status != "not-asked"
        ]
        suite = ET.Element(
            "testsuite",
            name=f"auditkit {result.rubric_id} {result.rubric_version}",
            tests=str(len(cases)),
            failures=str(sum(1 for s in cases if s.status in ("missing", "capped"))),
            skipped=str(sum(1 for s in cases if s.status in ("unanswered", "not-applicable"))),
            errors="0",
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("adoption_phase", result.adoption_phase),
            ("safeguard_phase", result.safeguard_phase),
            ("gap", result.gap.value),
            ("verdict", result.gap.headline),
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
            if safeguard.status in ("missing", "capped"):
                message = f"safeguard {safeguard.status}: answered {safeguard.answer or 'nothing'}"
                failure = ET.SubElement(case, "failure", message=message, type=safeguard.status)
                failure.text = " ".join(cap.detail for cap in safeguard.caps) or message
            elif safeguard.status in ("unanswered", "not-applicable"):
                ET.SubElement(case, "skipped", message=safeguard.status)
            elif safeguard.status == "weak":
                ET.SubElement(case, "system-out").text = f"weak: answered {safeguard.answer}"
        ET.indent(suite)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(suite, encoding="unicode")
            + "\n"
        )
