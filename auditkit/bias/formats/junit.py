"""A bias result as JUnit XML, for CI dashboards.

One test case per comparison: each group against the reference, in each metric that is a
test of its own (a complement such as the false-negative rate beside the true-positive rate
is the same test, and equalized odds summarises two; neither is a case). A case fails when the
gate counts it — the ``--fail-on`` rule, ``disparity`` when none is given — and is skipped
when the group cannot be judged (suppressed, too small, undefined). The reference group gets a
case of its own in a metric where it is found worse off than other groups. A failing case's
message is the finding's sentence; a passing one carries its verdict in its output.
The messages and the verdict words follow the run's language; names, classes and the failure
``type`` (the verdict code) stay English for the tools that read them.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from auditkit.bias.formats.interface import BiasFormat
from auditkit.bias.model import BiasResult
from auditkit.bias.words import verdict_words
from auditkit.i18n import _


class JunitFormat(BiasFormat):
    def format(self, result: BiasResult) -> str:
        gate = self.fail_on or "disparity"
        failing = {(f.metric, f.group): f for f in result.breaches(gate)}
        suite = ET.Element("testsuite", name=f"auditkit bias {result.check}")
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("source", result.source),
            ("rows", result.rows),
            ("groups", " × ".join(result.groups)),
            ("gate", f"--fail-on {gate}"),
            ("correction", result.correction),
            ("comparisons", result.comparisons),
            ("summary", result.summary()),
        ):
            ET.SubElement(properties, "property", name=name, value=str(value))
        tests = failures = skipped = 0
        for metric in result.metrics:
            if metric.kind == "summary" or metric.complement_of:
                continue
            for group in metric.groups:
                finding = failing.get((metric.id, group.group))
                if group.verdict == "reference" and finding is None:
                    continue
                tests += 1
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=f"auditkit.bias.{result.check}.{metric.id}",
                    name=group.group,
                )
                if finding is not None:
                    failures += 1
                    failure = ET.SubElement(
                        case, "failure", message=finding.sentence, type=group.verdict
                    )
                    failure.text = _("{label}: {reason}").format(
                        label=_(metric.label), reason=group.reason
                    )
                elif group.verdict in ("insufficient data", "not judged"):
                    skipped += 1
                    ET.SubElement(case, "skipped", message=group.reason)
                else:
                    ET.SubElement(case, "system-out").text = _("{verdict}: {reason}").format(
                        verdict=verdict_words(group.verdict), reason=group.reason
                    )
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("skipped", str(skipped))
        suite.set("errors", "0")
        ET.indent(suite)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(suite, encoding="unicode")
            + "\n"
        )
