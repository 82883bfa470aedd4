"""The score as a terminal summary: the verdict first, then the ladder, principles, actions.

In the language of the run (``auditkit.i18n.use``); the column widths are measured on the
translated words, so a longer language widens a column instead of running into the next."""

from __future__ import annotations

import textwrap

from auditkit.i18n import _, ngettext
from auditkit.rubric.model import CONTACT_WORDS, PHASE_NAMES
from auditkit.scoring.formats.interface import ScoreFormat
from auditkit.scoring.formats.rules import HEADING, rules_lines, step_rules
from auditkit.scoring.model import ScoreResult
from auditkit.scoring.severity import AUTOMATION_WORDS
from auditkit.scoring.verdict import REACH_WORDS, STATE_WORDS, coverage_span, percent_span
from auditkit.terminal import Styler

SEVERITY_COLOURS = {0: "green", 1: "green", 2: "yellow", 3: "red", 4: "red"}
TOP = 5


def _phase_width() -> int:
    return max(len(f"{number} {_(name)}") for number, name in PHASE_NAMES.items())


class TableFormat(ScoreFormat):
    def style(self, text: str, **styles: object) -> str:
        return self.styler.style(text, **styles)

    def format(self, result: ScoreResult) -> str:
        self.styler = Styler(self.color)
        lines: list[str] = []
        name = result.business.get("name") or _("(business not named)")
        where = f" · {result.sector}" if result.sector else ""
        lines.append(
            self.style(name, bold=True) + f"{where} · {result.rubric_id} {result.rubric_version}"
        )
        done = result.completeness
        coverage = done.sentence()
        if done.not_applicable:
            coverage += " " + _("({count} not applicable)").format(count=done.not_applicable)
        if not done.complete:
            coverage += " — " + _(
                "open safeguards count as missing; ranges show what they could change"
            )
        lines += [coverage]
        voices = self.voices
        if voices is not None and voices.several:
            lines.append(
                _("Answers from {who}, merged (docs/scoring.md: several voices)").format(
                    who=voices.who()
                )
            )
            lines += [_("note: {note}").format(note=note) for note in voices.notes]
        lines.append("")
        lines += self._headline(result)
        lines += self._automations(result)
        if voices is not None and voices.differences:
            lines += ["", self.style(_("Where views differ"), bold=True)]
            for difference in voices.differences[:TOP]:
                lines += textwrap.wrap(
                    difference.text, 94, initial_indent="  - ", subsequent_indent="    "
                )
                lines += textwrap.wrap(
                    difference.sentence(), 92, initial_indent="    ", subsequent_indent="    "
                )

        from auditkit.i18n.formatting import format_decimal, format_number, format_percent

        width = _phase_width()
        phase_title, coverage_title, own_title = _("PHASE"), _("COVERAGE"), _("OWN")
        in_use_title = _("AUTOMATION IN USE")
        in_use_width = max(18, len(in_use_title))
        lines += ["", self.style(_("Phase ladder"), bold=True)]
        lines.append(
            f"  {phase_title:{width}} {in_use_title:{in_use_width}} {coverage_title:>9} "
            f"{own_title:>9}  "
            + _("(both need {share})").format(share=format_percent(result.threshold))
        )
        for phase in result.phases:
            use = _("yes") if phase.adopted else (_("pilot") if phase.exposed else _("no"))
            in_use = f"{use} ({format_number(phase.adoption_level)})"
            met = (
                _("met")
                if phase.coverage_met
                else (_("could be met") if phase.could_be_met else _("not met"))
            )
            if phase.safeguards_unanswered:
                met += ", " + _("{count} open").format(count=phase.safeguards_unanswered)
            if phase.gating_missing:
                met += ", " + _("held by a gating safeguard")
            lines.append(
                f"  {f'{phase.phase} {_(PHASE_NAMES[phase.phase])}':{width}} {in_use:{in_use_width}} "
                f"{coverage_span(phase.coverage, phase.coverage_high):>9} "
                f"{coverage_span(phase.own_coverage, phase.own_coverage_high):>9}  {met}"
            )

        lines += ["", self.style(_("Principles"), bold=True)]
        overall_title = _("Safeguards in place (all principles)")
        titles = [_("PRINCIPLE"), _("POINTS"), _("MAX"), _("SCORE"), _("OPEN")]
        title_width = max(40, len(overall_title), *(len(p.title) for p in result.principles))
        lines.append(
            f"  {titles[0]:{title_width}} {titles[1]:>7} {titles[2]:>6} {titles[3]:>8}  {titles[4]}"
        )
        for principle in result.principles:
            score = percent_span(principle.percent, principle.percent_high)
            lines.append(
                f"  {principle.title:{title_width}} {format_decimal(principle.points, 2):>7} "
                f"{format_decimal(principle.maximum, 1):>6} {score:>8}  "
                f"{principle.unanswered or ''}"
            )
        overall = percent_span(result.overall_percent, result.overall_percent_high)
        lines.append(f"  {overall_title:{title_width}} {'':7} {'':6} {overall:>8}")

        lines += ["", self.style(_("What to do first"), bold=True)]
        if result.next_phase:
            lines += textwrap.wrap(
                result.next_phase.lead + ":", 96, initial_indent="  ", subsequent_indent="  "
            )
        if not result.first_steps:
            lines.append(
                "  " + _("Nothing: every answered safeguard is met.")
                if result.completeness.complete
                else "  " + _("Nothing among the answers given; the open questions may add some.")
            )
        group = None
        for number, step in enumerate(result.first_steps, start=1):
            heading = step.automation if step.critical else ""
            if heading != group:
                group = heading
                lines.append(
                    f"  {heading[0].upper()}{heading[1:]}:" if heading else "  " + _("Then:")
                )
            tag = _("{principle} · now: {state}").format(
                principle=step.principle_title, state=step.state
            )
            if step.lifts_phase:
                tag += " · " + _("needed for the next safeguard phase")
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
                "  "
                + ngettext(
                    "… and {count} more recommendation (see --format json, or the report).",
                    "… and {count} more recommendations (see --format json, or the report).",
                    remaining,
                ).format(count=remaining)
            )
        lines += [
            self.style(line, bold=True) if line == _(HEADING) else line
            for line in rules_lines(result)
        ]
        if result.evidence_files:
            lines += [
                "",
                _("Bias evidence: {files}").format(files=", ".join(result.evidence_files)),
            ]
        return self.styler.finish("\n".join(line.rstrip() for line in lines) + "\n")

    def _automations(self, result: ScoreResult) -> list[str]:
        """Each automation in use, whether it keeps pace, and its critical safeguards."""
        if not result.automations:
            return []
        lines = ["", self.style(_("Your automations and their safeguards"), bold=True)]
        for automation in result.automations:
            state = _(AUTOMATION_WORDS[automation.severity])
            if automation.in_use == "open":
                state = _("not answered yet (counted as in use)")
            name = automation.name[0].upper() + automation.name[1:]
            lines += textwrap.wrap(
                f"- {name} ({_(CONTACT_WORDS[automation.judged_as])}): {state}",
                96,
                initial_indent="  ",
                subsequent_indent="    ",
            )
            critical = [
                f"{s.name} — {_(STATE_WORDS[s.status]) if s.status in STATE_WORDS else s.answer or s.status}"
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
        adoption = f"{result.adoption_phase}  {_(PHASE_NAMES[result.adoption_phase])}"
        if result.adoption_phase_high != result.adoption_phase:
            adoption += " " + _(
                "(up to {phase} once the automation questions are answered)"
            ).format(phase=result.adoption_phase_high)
        safeguard = f"{result.safeguard_phase}  {_(PHASE_NAMES[result.safeguard_phase])}"
        if result.safeguard_phase_high != result.safeguard_phase:
            safeguard += " " + _("(up to {phase} if the open safeguards are in place)").format(
                phase=result.safeguard_phase_high
            )
        labels = [_("Verdict"), _("Adoption phase"), _("Safeguard phase")]
        label_width = max(16, *(len(label) for label in labels))
        verdict = result.verdict
        if verdict.available:
            headline = self.style(
                verdict.headline.upper(), fg=SEVERITY_COLOURS[verdict.severity], bold=True
            )
            lines.append(f"  {labels[0]:{label_width}} {verdict.severity}  {headline}")
        else:
            lines.append(
                f"  {labels[0]:{label_width}} ?  " + self.style(verdict.headline, bold=True)
            )
        lines += textwrap.wrap(verdict.explanation, 96, initial_indent="  ", subsequent_indent="  ")
        reach = percent_span(result.overall_percent, result.overall_percent_high)
        lines += textwrap.wrap(
            _("Safeguards in place: {share} — {meaning}").format(
                share=reach, meaning=_(REACH_WORDS)
            ),
            96,
            initial_indent="  ",
            subsequent_indent="  ",
        )
        lines.append(f"  {labels[1]:{label_width}} {adoption}")
        gap = _("(gap {gap})").format(gap=f"{result.gap.value:+d}")
        lines.append(f"  {labels[2]:{label_width}} {safeguard}   {gap}")
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
