"""The score as a terminal summary: the verdict first, then the ladder, principles, actions."""

from __future__ import annotations

import textwrap

from auditkit.rubric.model import CONTACT_WORDS, PHASE_NAMES
from auditkit.scoring.formats.interface import ScoreFormat
from auditkit.scoring.formats.rules import HEADING, rules_lines, step_rules
from auditkit.scoring.model import ScoreResult
from auditkit.scoring.severity import AUTOMATION_WORDS
from auditkit.scoring.verdict import REACH_WORDS, STATE_WORDS, coverage_span, percent_span
from auditkit.terminal import Styler

SEVERITY_COLOURS = {0: "green", 1: "green", 2: "yellow", 3: "red", 4: "red"}
TOP = 5
PHASE_WIDTH = max(len(f"{number} {name}") for number, name in PHASE_NAMES.items())


class TableFormat(ScoreFormat):
    def style(self, text: str, **styles: object) -> str:
        return self.styler.style(text, **styles)

    def format(self, result: ScoreResult) -> str:
        self.styler = Styler(self.color)
        lines: list[str] = []
        name = result.business.get("name") or "(business not named)"
        where = f" · {result.sector}" if result.sector else ""
        lines.append(
            self.style(name, bold=True) + f"{where} · {result.rubric_id} {result.rubric_version}"
        )
        done = result.completeness
        coverage = done.sentence()
        if done.not_applicable:
            coverage += f" ({done.not_applicable} not applicable)"
        if not done.complete:
            coverage += " — open safeguards count as missing; ranges show what they could change"
        lines += [coverage]
        voices = self.voices
        if voices is not None and voices.several:
            lines.append(f"Answers from {voices.who()}, merged (docs/scoring.md: several voices)")
            lines += [f"note: {note}" for note in voices.notes]
        lines.append("")
        lines += self._headline(result)
        lines += self._automations(result)
        if voices is not None and voices.differences:
            lines += ["", self.style("Where views differ", bold=True)]
            for difference in voices.differences[:TOP]:
                lines += textwrap.wrap(
                    difference.text, 94, initial_indent="  - ", subsequent_indent="    "
                )
                lines += textwrap.wrap(
                    difference.sentence(), 92, initial_indent="    ", subsequent_indent="    "
                )

        lines += ["", self.style("Phase ladder", bold=True)]
        lines.append(
            f"  {'PHASE':{PHASE_WIDTH}} {'AUTOMATION IN USE':18} {'COVERAGE':>9} {'OWN':>9}  "
            f"(both need {result.threshold:.0%})"
        )
        for phase in result.phases:
            in_use = f"{'yes' if phase.adopted else ('pilot' if phase.exposed else 'no')} ({phase.adoption_level:g})"
            met = (
                "met"
                if phase.coverage_met
                else ("could be met" if phase.could_be_met else "not met")
            )
            extra = f", {phase.safeguards_unanswered} open" if phase.safeguards_unanswered else ""
            if phase.gating_missing:
                extra += ", held by a gating safeguard"
            lines.append(
                f"  {f'{phase.phase} {phase.name}':{PHASE_WIDTH}} {in_use:18} "
                f"{coverage_span(phase.coverage, phase.coverage_high):>9} "
                f"{coverage_span(phase.own_coverage, phase.own_coverage_high):>9}  {met}{extra}"
            )

        lines += ["", self.style("Principles", bold=True)]
        lines.append(f"  {'PRINCIPLE':40} {'POINTS':>7} {'MAX':>6} {'SCORE':>8}  OPEN")
        for principle in result.principles:
            score = percent_span(principle.percent, principle.percent_high)
            lines.append(
                f"  {principle.title:40} {principle.points:7.2f} {principle.maximum:6.1f} "
                f"{score:>8}  {principle.unanswered or ''}"
            )
        overall = percent_span(result.overall_percent, result.overall_percent_high)
        lines.append(f"  {'Safeguards in place (all principles)':40} {'':7} {'':6} {overall:>8}")

        lines += ["", self.style("What to do first", bold=True)]
        if result.next_phase:
            lines += textwrap.wrap(
                result.next_phase.lead + ":", 96, initial_indent="  ", subsequent_indent="  "
            )
        if not result.first_steps:
            lines.append(
                "  Nothing: every answered safeguard is met."
                if result.completeness.complete
                else "  Nothing among the answers given; the open questions may add some."
            )
        group = None
        for number, step in enumerate(result.first_steps, start=1):
            heading = step.automation if step.critical else ""
            if heading != group:
                group = heading
                lines.append(f"  {heading[0].upper()}{heading[1:]}:" if heading else "  Then:")
            tag = f"{step.principle_title} · now: {step.state}"
            if step.lifts_phase:
                tag += " · needed for the next safeguard phase"
            lines += textwrap.wrap(
                f"{number}. {step.action} [{tag}]",
                94,
                initial_indent="  ",
                subsequent_indent="     ",
            )
            lines += textwrap.wrap(
                "→ " + step.recommendation, 94, initial_indent="     ", subsequent_indent="       "
            )
            cap = next(
                (r.because for r in result.recommendations if r.question_id == step.question_id),
                "",
            )
            if cap:
                lines += textwrap.wrap(cap, 94, initial_indent="     ", subsequent_indent="     ")
            touches = step_rules(step, result)
            if touches:
                lines += textwrap.wrap(
                    touches, 94, initial_indent="     ", subsequent_indent="       "
                )
        remaining = len(result.recommendations) - sum(
            1 for s in result.first_steps if s.state != "not answered"
        )
        if remaining > 0:
            lines.append(
                f"  … and {remaining} more recommendation{'s' if remaining != 1 else ''} "
                "(see --format json, or the report)."
            )
        lines += [
            self.style(line, bold=True) if line == HEADING else line for line in rules_lines(result)
        ]
        if result.evidence_files:
            lines += ["", "Bias evidence: " + ", ".join(result.evidence_files)]
        return self.styler.finish("\n".join(line.rstrip() for line in lines) + "\n")

    def _automations(self, result: ScoreResult) -> list[str]:
        """Each automation in use, whether it keeps pace, and its critical safeguards."""
        if not result.automations:
            return []
        lines = ["", self.style("Your automations and their safeguards", bold=True)]
        for automation in result.automations:
            state = AUTOMATION_WORDS[automation.severity]
            if automation.in_use == "open":
                state = "not answered yet (counted as in use)"
            name = automation.name[0].upper() + automation.name[1:]
            lines += textwrap.wrap(
                f"- {name} ({CONTACT_WORDS[automation.judged_as]}): {state}",
                96,
                initial_indent="  ",
                subsequent_indent="    ",
            )
            critical = [
                f"{s.name} — {STATE_WORDS.get(s.status, s.answer or s.status)}"
                for s in automation.safeguards
                if s.critical
            ]
            for line in critical:
                lines += textwrap.wrap(
                    line, 92, initial_indent="      ", subsequent_indent="        "
                )
        return lines

    def _headline(self, result: ScoreResult) -> list[str]:
        """Adoption against safeguards and the verdict: the pessimistic end, then the range."""
        lines = []
        adoption = f"{result.adoption_phase}  {PHASE_NAMES[result.adoption_phase]}"
        if result.adoption_phase_high != result.adoption_phase:
            adoption += (
                f" (up to {result.adoption_phase_high} once the automation questions are answered)"
            )
        safeguard = f"{result.safeguard_phase}  {PHASE_NAMES[result.safeguard_phase]}"
        if result.safeguard_phase_high != result.safeguard_phase:
            safeguard += (
                f" (up to {result.safeguard_phase_high} if the open safeguards are in place)"
            )
        verdict = result.verdict
        if verdict.available:
            headline = self.style(
                verdict.headline.upper(), fg=SEVERITY_COLOURS[verdict.severity], bold=True
            )
            lines.append(f"  Verdict          {verdict.severity}  {headline}")
        else:
            lines.append("  Verdict          ?  " + self.style(verdict.headline, bold=True))
        lines += textwrap.wrap(verdict.explanation, 96, initial_indent="  ", subsequent_indent="  ")
        reach = percent_span(result.overall_percent, result.overall_percent_high)
        lines += textwrap.wrap(
            f"Safeguards in place: {reach} — {REACH_WORDS}",
            96,
            initial_indent="  ",
            subsequent_indent="  ",
        )
        lines.append(f"  Adoption phase   {adoption}")
        lines.append(f"  Safeguard phase  {safeguard}   (gap {result.gap.value:+d})")
        for reason in (result.why.adoption, result.why.safeguard):
            lines += textwrap.wrap(
                reason, 96, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False
            )
        for warning in result.warnings:
            lines += textwrap.wrap(
                warning,
                94,
                initial_indent="  " + self.style("! ", fg="yellow"),
                subsequent_indent="    ",
            )
        return lines
