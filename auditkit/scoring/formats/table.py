"""The score as a terminal summary: the verdict first, then the ladder, principles, actions."""

from __future__ import annotations

import textwrap

import click

from auditkit.rubric.model import PHASE_NAMES
from auditkit.scoring.formats.interface import ScoreFormat
from auditkit.scoring.model import ScoreResult

GAP_COLOURS = {"high": "red", "elevated": "yellow", "balanced": "green", "headroom": "green"}
TOP = 5


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


class TableFormat(ScoreFormat):
    def style(self, text: str, **styles: object) -> str:
        return click.style(text, **styles) if self.color else text

    def format(self, result: ScoreResult) -> str:
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
            coverage += " — a partial score"
        lines += [coverage, ""]

        gap = result.gap
        lines.append(
            f"  Adoption phase   {result.adoption_phase}  {PHASE_NAMES[result.adoption_phase]}"
        )
        lines.append(
            f"  Safeguard phase  {result.safeguard_phase}  {PHASE_NAMES[result.safeguard_phase]}"
        )
        verdict = self.style(gap.headline.upper(), fg=GAP_COLOURS[gap.level], bold=True)
        lines.append(f"  Gap             {gap.value:+d}  {verdict}")
        lines += textwrap.wrap(gap.explanation, 96, initial_indent="  ", subsequent_indent="  ")
        for warning in result.warnings:
            lines.append("  " + self.style(f"! {warning}", fg="yellow"))

        lines += ["", self.style("Phase ladder", bold=True)]
        lines.append(
            f"  {'PHASE':38} {'AUTOMATION IN USE':18} SAFEGUARD COVERAGE (needs {result.threshold:.0%})"
        )
        for phase in result.phases:
            in_use = f"{'yes' if phase.adopted else 'no'} ({phase.adoption_level:g})"
            met = "met" if phase.coverage_met else "not met"
            extra = (
                f", {phase.safeguards_unanswered} unanswered" if phase.safeguards_unanswered else ""
            )
            lines.append(
                f"  {f'{phase.phase} {phase.name}':38} {in_use:18} {percent(phase.coverage and phase.coverage * 100):>5}  {met}{extra}"
            )

        lines += ["", self.style("Principles", bold=True)]
        lines.append(f"  {'PRINCIPLE':40} {'POINTS':>7} {'MAX':>6} {'SCORE':>6}  UNANSWERED")
        for principle in result.principles:
            lines.append(
                f"  {principle.title:40} {principle.points:7.2f} {principle.maximum:6.1f} "
                f"{percent(principle.percent):>6}  {principle.unanswered or ''}"
            )
        lines.append(
            f"  {'Overall (weighted by principle)':40} {'':7} {'':6} {percent(result.overall_percent):>6}"
        )

        recommendations = result.recommendations[:TOP]
        lines += ["", self.style(f"Top {len(recommendations)} recommendations", bold=True)]
        if not recommendations:
            lines.append("  None: every answered safeguard is met.")
        for item in recommendations:
            tag = f"{item.principle_title} · phase {item.phase} · {item.status}"
            lines.append(f"  {item.rank}. [{tag}]")
            lines += textwrap.wrap(
                item.question, 94, initial_indent="     ", subsequent_indent="     "
            )
            answered = f"Answered: {item.answer}." if item.answer else "Not answered."
            lines += textwrap.wrap(
                answered + (" " + item.because if item.because else ""),
                94,
                initial_indent="     ",
                subsequent_indent="     ",
            )
            lines += textwrap.wrap(
                "→ " + item.text, 94, initial_indent="     ", subsequent_indent="       "
            )
        remaining = len(result.recommendations) - len(recommendations)
        if remaining > 0:
            lines.append(f"  … and {remaining} more (see --format json, or the report).")
        if result.evidence_files:
            lines += ["", "Bias evidence: " + ", ".join(result.evidence_files)]
        return "\n".join(line.rstrip() for line in lines) + "\n"
