"""Everything the report template places, computed here: numbers, labels, colours, charts.

Templates hold layout only. This module turns a score, bias results and a brand into plain
strings, lists and chart markup, so an advisor who overrides a template never has to compute
anything, and the same inputs always give the same context (no clock: the date is passed in).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from auditkit import __version__
from auditkit.answers.voices import ANONYMITY_FLOOR
from auditkit.bias.catalog import CHECKS
from auditkit.bias.model import OVERALL_WITHHELD
from auditkit.fileio import sha256_file
from auditkit.followup.model import Comparison
from auditkit.reporting import charts, plain
from auditkit.reporting.brand import LOGO_TYPES, Brand
from auditkit.reporting.followup_context import date_text, plan_context, since_context
from auditkit.rubric.model import PHASE_NAMES
from auditkit.scoring.run import ScoredFile
from auditkit.scoring.verdict import coverage_span, percent_span, phase_span

STATUS_LABELS = {
    "met": "Met",
    "weak": "Weak",
    "missing": "Missing",
    "capped": "Not met (bias evidence)",
    "not-applicable": "Not applicable",
    "unanswered": "Unanswered",
    "not-asked": "Not asked",
}


BIAS_TERMS = (
    "Reference group",
    "Ratio",
    "Tolerance band",
    "Disadvantaged",
    "Within tolerance",
    "Suppressed group",
    "Proxy",
)


def glossary(
    figures: dict[str, str], *, bias: bool = True, voices: bool = False
) -> list[tuple[str, str]]:
    """The glossary, with the figures this report actually used (one place for each), and
    only the terms the report uses: no reference groups in a report without a bias check."""
    terms = _glossary_terms(figures)
    if voices:
        terms.append(
            (
                "Several voices",
                "The owner's answers merged with the staff's: a safeguard counts for the lower of "
                "the owner's answer and the staff's middle answer.",
            )
        )
    return [term for term in terms if bias or term[0] not in BIAS_TERMS]


def _glossary_terms(figures: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (
            "Adoption phase",
            "How far the business has automated: 0 manual, 1 back office, 2 customer-service augmentation, 3 self-service and personalisation. A phase counts when one of its automations is live, or two are in pilot.",
        ),
        (
            "Safeguard",
            "A human-centred or ethical practice the rubric asks about, required from a given phase on. A gating safeguard holds its phase when missing, whatever the others.",
        ),
        (
            "Safeguard coverage",
            "The weighted share of the safeguards required up to a phase that are in place.",
        ),
        (
            "Safeguard phase",
            f"The highest phase whose coverage, and that of its own safeguards, reaches {figures['threshold']}, with every phase below reached too.",
        ),
        (
            "Over-automation gap",
            "Adoption phase minus safeguard phase. Positive: automation runs ahead of its safeguards.",
        ),
        (
            "Moment of truth",
            "A point in the customer journey where the relationship is won or lost: a complaint, a mistake, a worry.",
        ),
        (
            "Handoff",
            "Passing a customer from an automated channel to a person, with the context of the conversation.",
        ),
        (
            "Reference group",
            "The customer group others are compared with in a bias check; by default the largest, whose numbers are the most precise.",
        ),
        ("Ratio", "A group's rate divided by the reference group's rate; 1 means equal treatment."),
        (
            "Tolerance band",
            f"The range of ratios treated as equal treatment: {figures['tolerance']}.",
        ),
        (
            "Disadvantaged",
            "A group worse off than the reference: significant after correcting for every comparison of the check, with the whole interval of the ratio beyond the tolerance band. 'Size uncertain' when the interval reaches into the band.",
        ),
        (
            "Within tolerance",
            "The whole interval of the ratio lies inside the tolerance band: a larger gap is ruled out. Thin data is 'inconclusive', never within tolerance.",
        ),
        (
            "Suppressed group",
            f"A group too small to report without risking re-identification (under {figures['floor']}); its size is shown as '<{figures['floor']}' and no rates.",
        ),
        (
            "Proxy",
            "A column, such as a postcode, closely associated with a protected group, through which automation can discriminate.",
        ),
    ]


def figures(threshold: float, bias: list[BiasInput]) -> dict[str, str]:
    """The figures several sections state, from the one place each comes from: the rubric's
    threshold, and the bias checks' own thresholds (the defaults when no check was run)."""
    from auditkit.bias.spec import Thresholds

    default = Thresholds()
    used = [item.data["thresholds"] for item in bias]
    first = used[0] if used else None

    def one(key: str, fallback: object) -> str:
        values = sorted({str(t[key]) for t in used}) if used else [str(fallback)]
        return " / ".join(values)

    tolerance = (
        " / ".join(sorted({f"{t['tolerance'][0]:g}–{t['tolerance'][1]:g}" for t in used}))
        if first
        else f"{default.tolerance_low:g}–{default.tolerance_high:g}"
    )
    correction = one("correction", default.correction)
    return {
        "threshold": f"{threshold:.0%}",
        "tolerance": tolerance + " of the reference group",
        "floor": one("suppress_below", default.suppress_below),
        "min_group_size": one("min_group_size", default.min_group_size),
        "correction": {
            "holm": "Holm: the chance of any false alarm stays at or under 5 %",
            "bh": "Benjamini–Hochberg: false alarms stay at or under 5 % of the findings",
            "none": "no correction",
        }.get(correction, correction),
    }


@dataclass(frozen=True)
class BiasInput:
    """A bias result (as its JSON data) and the file it came from."""

    data: dict[str, Any]
    source: Path


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _chart_font(brand: Brand) -> str:
    """Charts use the brand's font too: one family fewer to embed, one look."""
    return f"{brand.font_family}, {charts.FONT_FAMILY}" if brand.font_family else charts.FONT_FAMILY


def _date_text(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def brand_context(brand: Brand) -> dict[str, Any]:
    fonts = [
        {
            "family": font.family,
            "url": _data_uri(font.file, f"font/{font.file.suffix.lstrip('.').lower()}"),
            "format": font.format,
            "weight": font.weight,
            "style": font.style,
        }
        for font in brand.fonts
    ]
    return {
        "name": brand.name,
        "primary": brand.primary,
        "accent": brand.accent,
        "logo_url": _data_uri(brand.logo, LOGO_TYPES[brand.logo.suffix.lower()])
        if brand.logo
        else None,
        "font_faces": fonts,
        "font_family": brand.font_family,
        "page_size": brand.page_size,
        "page_height": brand.page_height,
        "contact": brand.contact,
        "footer": brand.footer,
    }


def build_context(
    scored: ScoredFile,
    answers_path: Path,
    bias: list[BiasInput],
    brand: Brand,
    day: date,
    extra_inputs: list[Path] | None = None,
    comparison: Comparison | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    result, rubric = scored.result, scored.rubric
    words = {k: v for item in bias for k, v in (item.data.get("labels") or {}).items()}
    words.update(labels or {})
    answers = scored.reconciliation.answers
    business = answers.business
    name = business.get("name") or "(business not named)"
    steps = {step.question_id: n for n, step in enumerate(result.first_steps, start=1)}
    principles = _principles(scored, steps)
    bias_sections = [
        _bias_section(item, index, brand, words) for index, item in enumerate(bias, start=1)
    ]
    fair = [_fair_section(item, index, words) for index, item in enumerate(bias, start=1)]
    inputs = [
        answers_path,
        *[Path(s) for s in rubric.sources],
        # A result from a DataFrame or an engine has no file to hash: its section names it.
        *[b.source for b in bias if b.source.is_file()],
        *brand.files,
        *(extra_inputs or []),
    ]
    because = {r.question_id: r.because for r in result.recommendations}
    first_steps = [
        {
            "number": number,
            "action": step.action,
            "recommendation": step.recommendation,
            "principle": step.principle_title,
            "state": step.state,
            "lifts": step.lifts_phase,
            "because": because.get(step.question_id, ""),
        }
        for number, step in enumerate(result.first_steps, start=1)
    ]
    others = sum(1 for r in result.recommendations if r.question_id not in steps)
    draft = not result.verdict.available
    figure_values = figures(rubric.threshold, bias)
    return {
        "meta": {
            "title": f"{'DRAFT: ' if draft else ''}Automation audit: {name}",
            "draft": draft,
            "draft_note": "DRAFT: not enough answers for a verdict" if draft else "",
            "author": brand.name,
            "subject": f"Human-centred automation audit of {name}, {_date_text(day)}",
            "keywords": "automation, audit, human-centred, fairness, privacy"
            + (", draft" if draft else ""),
            "language": "en",
            "date_iso": day.isoformat(),
            "generator": f"auditkit {__version__}",
        },
        "brand": brand_context(brand),
        "cover": {
            "business": name,
            "sector": (rubric.sector_title or business.get("sector") or "").strip(),
            "location": business.get("location", ""),
            "date_text": _date_text(day),
            "respondent": ", ".join(
                v
                for v in (answers.respondent.get("name", ""), answers.respondent.get("role", ""))
                if v
            )
            + (
                f" with {len(scored.voices.staff)} staff"
                if scored.voices is not None and scored.voices.staff
                else ""
            ),
            "advisor": brand.name,
            "follow_up": f"Follow-up to the audit of {date_text(comparison.before_date)}"
            if comparison
            else "",
        },
        "since": since_context(comparison, brand.primary, _chart_font(brand))
        if comparison
        else None,
        "plan": plan_context(scored, day),
        "summary": {
            "adoption_phase": phase_span(result.adoption_phase, result.adoption_phase_high),
            "adoption_name": PHASE_NAMES[result.adoption_phase],
            "safeguard_phase": phase_span(result.safeguard_phase, result.safeguard_phase_high),
            "safeguard_name": PHASE_NAMES[result.safeguard_phase]
            + (
                ""
                if result.safeguard_phase == result.safeguard_phase_high
                else " on the answers given"
            ),
            "gap_value": f"{result.gap.value:+d}" if result.verdict.available else "?",
            "gap_headline": result.verdict.headline,
            "gap_level": result.gap.level if result.verdict.available else "undecided",
            "gap_explanation": result.verdict.explanation,
            "completeness": result.completeness.sentence()
            + (
                ""
                if result.completeness.complete
                else " — a partial score: open safeguards count as missing"
            ),
            "overall": percent_span(result.overall_percent, result.overall_percent_high),
            "why_adoption": result.why.adoption,
            "why_safeguard": result.why.safeguard,
            "next_phase": None
            if result.next_phase is None
            else {
                "lead": result.next_phase.lead,
                "moves": [
                    {"principle": m.principle_title, "question": m.question, "state": m.state}
                    for m in result.next_phase.moves
                ],
            },
            "warnings": list(result.warnings),
            "first_steps": first_steps,
            "more_actions": (
                f"{others} more recommendation{'s' if others != 1 else ''} follow in the "
                "principle sections, each under its principle, and in the action plan."
            )
            if others
            else "",
            "bias_lines": [
                plain.check_sentence(item.data, words, _plain_source(item.data)) for item in bias
            ]
            or [_no_bias_line(scored)],
            "next_audit": _next_audit(result, bias, words),
        },
        "charts": {
            "ladder": charts.phase_ladder(
                result.adoption_phase,
                result.safeguard_phase,
                [p.coverage for p in result.phases],
                result.threshold,
                brand.primary,
                brand.accent,
                _chart_font(brand),
            ),
            "principles": charts.principle_bars(
                [(p.title, p.percent) for p in result.principles],
                result.threshold,
                brand.primary,
                _chart_font(brand),
            ),
        },
        # The same scores as plain bars (width in %), for a page that must read on a phone.
        "bars": {
            "threshold": round(result.threshold * 100),
            "principles": [
                {
                    "title": p.title,
                    "width": 0 if p.percent is None else round(p.percent),
                    "text": percent_span(p.percent, p.percent_high)
                    if p.percent is not None
                    else "nothing applies",
                }
                for p in result.principles
            ],
        },
        "phases": [
            {
                "phase": p.phase,
                "name": p.name,
                "in_use": "yes" if p.adopted else ("pilot only" if p.adoption_level else "no"),
                "coverage": coverage_span(p.coverage, p.coverage_high),
                "own_coverage": coverage_span(p.own_coverage, p.own_coverage_high),
                "met": "met"
                if p.coverage_met
                else ("could be met" if p.could_be_met else "not met")
                + (" (gating safeguard missing)" if p.gating_missing else ""),
                "unanswered": p.safeguards_unanswered,
            }
            for p in result.phases
        ],
        "adoption": _adoption(scored),
        "voices": _voices(scored, brand),
        "principles": principles,
        "bias": bias_sections,
        "fair": fair,
        "methodology": {
            "rubric": f"{rubric.id} {rubric.version}",
            "rubric_title": rubric.title,
            "sector": rubric.sector or "none",
            "rubric_sha256": rubric.sha256,
            "threshold": f"{rubric.threshold:.0%}",
            "version": __version__,
            "date": day.isoformat(),
            "inputs": [
                {
                    "file": _display_path(path, Path(answers_path).parent),
                    "sha256": sha256_file(path),
                }
                for path in dict.fromkeys(inputs)
            ]
            + _other_voices(scored),
        },
        "figures": figure_values,
        "glossary": glossary(
            figure_values,
            bias=bool(bias),
            voices=scored.voices is not None and bool(scored.voices.staff),
        ),
    }


def _other_voices(scored: ScoredFile) -> list[dict[str, str]]:
    """The other respondents' files, hashed but not named: a file name may be a person's."""
    voices = scored.voices
    if voices is None:
        return []
    # Ordered by hash, not by file name (a name may be a person's): each file hashed once.
    others = sorted(
        (sha256_file(r.path), r.role) for r in voices.respondents if r.path != scored.paths[0]
    )
    return [
        {
            "file": f"answers of {'an owner or manager' if role == 'owner' else 'a member of staff'} "
            f"({index} of {len(others)})",
            "sha256": digest,
        }
        for index, (digest, role) in enumerate(others, start=1)
    ]


def _voices(scored: ScoredFile, brand: Brand) -> dict[str, Any] | None:
    """ "Where views differ": the owner's answers against the staff's, largest gaps first, in
    words; staff only as counts, and only once enough of them answered (answers.voices)."""
    voices = scored.voices
    if voices is None or not voices.staff:
        return None
    titles = {p.id: p.title for p in scored.rubric.principles}
    return {
        "who": voices.who(),
        "counted": voices.staff_counted,
        "floor": ANONYMITY_FLOOR,
        "notes": list(voices.notes),
        "differences": [
            {
                "question": d.text,
                "principle": titles.get(d.principle, d.principle),
                "sentence": d.sentence(),
                "notes": list(d.notes),
            }
            for d in voices.differences[:8]
        ],
        "more": max(0, len(voices.differences) - 8),
        "bars": [
            {
                "title": titles.get(principle, principle),
                "owner": None if owner is None else round(owner * 100),
                "staff": None if staff is None else round(staff * 100),
            }
            for principle, owner, staff in voices.by_principle
        ],
        "chart": charts.before_after(
            "views",
            "The owner's view and the staff's, per principle",
            [
                (
                    titles.get(principle, principle),
                    None if owner is None else owner * 100,
                    None if staff is None else staff * 100,
                )
                for principle, owner, staff in voices.by_principle
            ],
            scored.rubric.threshold,
            brand.primary,
            _chart_font(brand),
            legend=("the owner", "the staff (mean)"),
            words=("by the owner", "by the staff"),
        )
        if voices.by_principle
        else None,
    }


def _display_path(path: Path, answers_folder: Path) -> str:
    """An input's name as a client can read it, never the advisor's disk: relative to the
    answers file's folder when inside it; a shipped file (rubric, example) by its name and
    "shipped with auditkit"; anything else by its file name (the SHA-256 beside it identifies
    it exactly)."""
    from auditkit.rubric.registry import data_dir

    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(answers_folder.resolve()))
    except ValueError:
        pass
    for kind in ("rubrics", "examples", "templates"):
        try:
            inside = resolved.relative_to(data_dir(kind).resolve())
            return f"{kind}/{inside} (shipped with auditkit {__version__})"
        except ValueError:
            continue
    return resolved.name


def _adoption(scored: ScoredFile) -> list[dict[str, str]]:
    rubric, answers = scored.rubric, scored.reconciliation.answers
    rows = []
    for question in rubric.adoption_questions:
        answer = answers.answers.get(question.id)
        rows.append(
            {
                "phase": str(question.phase),
                "question": question.text,
                "answer": question.scale.level(answer.value).label
                if answer and answer.is_given
                else "Unanswered",
                "note": answer.note if answer else "",
            }
        )
    return rows


BRIEF = ("met", "not-applicable", "not-asked")  # listed on one line in a principle's section


def _principles(scored: ScoredFile, steps: dict[str, int]) -> list[dict[str, Any]]:
    result, rubric = scored.result, scored.rubric
    answers = scored.reconciliation.answers
    by_question = {s.question_id: s for s in result.safeguards}
    sections = []
    for number, score in enumerate(result.principles, start=1):
        principle = rubric.principle(score.id)
        questions = []
        for question in rubric.questions_of(score.id):
            if question.kind != "safeguard":
                continue
            safeguard = by_question[question.id]
            answer = answers.answers.get(question.id)
            questions.append(
                {
                    "id": question.id,
                    "text": question.text,
                    "phase": question.phase,
                    "answer": safeguard.answer or "–",
                    "status": safeguard.status,
                    "status_label": STATUS_LABELS[safeguard.status],
                    "note": answer.note if answer else "",
                    "na_reason": answer.na_reason if answer else "",
                    "recommendation": question.recommendation
                    if safeguard.status in ("missing", "weak", "capped")
                    else "",
                    "evidence": " ".join(cap.detail for cap in safeguard.caps),
                    "brief": safeguard.status in BRIEF and not safeguard.caps,
                    "step": steps.get(question.id),
                }
            )
        sections.append(
            {
                "anchor": f"principle-{score.id}",
                "number": number,
                "title": principle.title,
                "why": principle.why,
                "score": percent_span(score.percent, score.percent_high),
                "points": f"{score.points:g} of {score.maximum:g} points",
                "unanswered": score.unanswered,
                "questions": questions,
            }
        )
    return sections


def _fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "auc":
        return f"{value:.3f}"
    return f"{value:.1%}" if kind != "mean" else f"{value:.2f}"


def _verdict_tag(verdict: str) -> str:
    """CSS class of a verdict's badge: the harm stands out, uncertainty is dashed."""
    if verdict.startswith("disadvantaged"):
        return "disparity" if verdict == "disadvantaged" else "inconclusive"
    return verdict.split(" ")[0]


def _plain_source(data: dict[str, Any]) -> str:
    """What a check counted, for an owner: "chatbot log" rather than a file name."""
    check = CHECKS.get(data["check"])
    return f"{check.title.lower()}" if check else "decision log"


def _no_bias_line(scored: ScoredFile) -> str:
    checks = sorted({link.check for q in scored.rubric.safeguards for link in q.evidence})
    if not checks:
        return "No decision log was checked for unequal treatment."
    logs = " or ".join(f"{CHECKS[c].title.lower()}" for c in checks if c in CHECKS)
    return (
        "No decision log was checked for unequal treatment. Your answers say whether customers "
        f"are treated alike; checking your {logs} would show it, group by group."
    )


def _next_audit(result: Any, bias: list[BiasInput], words: dict[str, str]) -> str:
    """What the follow-up will look at: the first steps, the phase they aim at, the logs."""
    parts = []
    steps = len(result.first_steps)
    if steps:
        parts.append(
            f"whether the {steps} first step{'s' if steps != 1 else ''} above are in place"
        )
    if result.next_phase is not None:
        parts.append(f"whether your safeguards reach phase {result.next_phase.target}")
    worse = sorted(
        {
            plain.group_name(f["group"], words)
            for item in bias
            for f in item.data.get("findings", [])
            if f["side"] == "disadvantaged"
        }
    )
    if worse:
        parts.append(f"whether {_and(worse)} are still worse off in a new log")
    elif bias:
        parts.append("a new decision log, to see that no group falls behind")
    if not parts:
        return "The next audit, in about a year, checks that everything stays in place."
    listed = "; ".join(parts)
    return f"The next audit, in about a year, checks {listed}."


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _fair_section(item: BiasInput, index: int, words: dict[str, str]) -> dict[str, Any]:
    data = item.data
    check = CHECKS.get(data["check"])
    rows = data["source"]["rows"]
    what = check.rows if check else "rows"
    thin = plain.thin_groups(data, words)
    unsure = plain.undecided(data, words)
    table = plain.table(data, words)
    return {
        "anchor": f"fair-{index}",
        "title": f"{check.title if check else 'Decision log'}: {rows:,} {what}",
        "sentences": plain.finding_sentences(data, words),
        "thin": " ".join(
            part
            for part in (
                f"Too few {what} to tell anything for {_and(thin)}." if thin else "",
                f"The log cannot yet tell either way for {_and(unsure)}: a longer log will."
                if unsure
                else "",
            )
            if part
        ),
        "table": table,
        "marked": any(c["worse"] for r in table["rows"] for c in r["cells"]),
        "floor": data["thresholds"]["suppress_below"],
    }


def _bias_section(
    item: BiasInput, index: int, brand: Brand, words: dict[str, str] | None = None
) -> dict[str, Any]:
    data = item.data
    source = data["source"]
    check = CHECKS.get(data["check"])
    if "engine" in source:  # counted on an engine: the table, or the query, named
        name = f"table {source['table']}" if source.get("table") else "a query"
        origin = f"counted on {source['engine']} ({source['location']})"
    else:
        name, origin = Path(source["file"]).name, ""
    title = f"{check.title if check else 'Decision log'}: {name}"
    floor = data["thresholds"]["suppress_below"]
    low, high = data["thresholds"]["tolerance"]
    metrics = []
    for number, metric in enumerate(data["metrics"], start=1):
        kind = metric["kind"]
        reference = next((g for g in metric["groups"] if g["verdict"] == "reference"), None)
        reference_value = reference["value"] if reference else None
        rows = []
        chart_rows = []
        for group in metric["groups"]:
            suppressed = isinstance(group["n"], str)
            named = (words or {}).get(group["group"])
            rows.append(
                {
                    "group": f"{group['group']} ({named})" if named else group["group"],
                    "n": group["n"]
                    if suppressed
                    else (
                        f"{group['denominator']:,} of {group['n']:,}"
                        if group["denominator"] is not None and group["denominator"] != group["n"]
                        else f"{group['n']:,}"
                    ),
                    "value": _fmt(group["value"], kind),
                    "ci": "–"
                    if group["ci"] is None
                    else f"{_fmt(group['ci'][0], kind)} – {_fmt(group['ci'][1], kind)}",
                    "ratio": "–" if group["ratio"] is None else f"{group['ratio']:.2f}",
                    "difference": "–"
                    if group["difference"] is None
                    else (
                        f"{group['difference'] * 100:+.1f} pp"
                        if kind not in ("mean", "auc")
                        else f"{group['difference']:+.2f}"
                    ),
                    "verdict": group["verdict"],
                    "tag": _verdict_tag(group["verdict"]),
                    "p_adjusted": "–"
                    if group["p_adjusted"] is None
                    else f"{group['p_adjusted']:.2g}",
                    "detectable": ""
                    if group["detectable"] is None
                    else f"could see {group['detectable']:.2f}×",
                }
            )
            chart_rows.append(
                {
                    "label": group["group"],
                    "value": group["value"],
                    "ci": group["ci"],
                    "verdict": group["verdict"],
                    "note": f"<{floor}: suppressed"
                    if suppressed
                    else (group["reason"] or "no value"),
                }
            )
        values = [
            v for g in metric["groups"] for v in [g["value"], *(g["ci"] or [])] if v is not None
        ]
        maximum = 1.0 if kind != "mean" else max([*values, 1.0]) * 1.1
        # The band is drawn on the ratio scale; a metric judged on the difference has none here.
        band = (
            (reference_value * low, reference_value * high)
            if reference_value and metric["judged_on"] != "difference" and kind != "calibration"
            else None
        )
        metrics.append(
            {
                "label": metric["label"],
                "reference": metric["reference_group"],
                "overall": _fmt(metric["overall"], kind)
                if metric["overall"] is not None or kind == "summary"
                else OVERALL_WITHHELD,
                "missing": metric["missing"],
                "rows": rows,
                "chart": charts.group_rates(
                    f"bias{index}-{number}",
                    f"{metric['label']} by group",
                    chart_rows,
                    band,
                    reference_value,
                    maximum,
                    kind != "mean",
                    brand.primary,
                    brand.accent,
                    _chart_font(brand),
                ),
            }
        )
    summary = data["summary"]["text"]
    return {
        "anchor": f"bias-{index}",
        "title": title,
        "check": data["check"],
        "rows": f"{source['rows']:,}",
        "origin": origin,
        "groups": " × ".join(data["groups"]),
        "tolerance": f"{low:g}–{high:g}",
        "min_group_size": data["thresholds"]["min_group_size"],
        "correction": {
            "holm": "Holm correction over {n} comparisons (chance of any false alarm ≤ 5 %)",
            "bh": "Benjamini–Hochberg correction over {n} comparisons (false discoveries ≤ 5 %)",
            "none": "no correction over {n} comparisons",
        }[data["thresholds"]["correction"]].format(n=data["thresholds"]["comparisons"]),
        "floor": floor,
        "summary": summary,
        "summary_line": f"{title}: {summary}",
        "metrics": metrics,
        "proxies": [
            {
                "column": p["column"],
                "protected": p["protected"],
                "v": "–" if p["cramers_v"] is None else f"{p['cramers_v']:.2f}",
                "ci": "–" if p["v_ci"] is None else f"{p['v_ci'][0]:.2f}–{p['v_ci'][1]:.2f}",
                "values": p["values"],
                "rows": f"{p['rows']:,}",
                "verdict": p["verdict"],
            }
            for p in data.get("proxies", [])
        ],
        "notes": data.get("notes", []),
    }
