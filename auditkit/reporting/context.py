"""Everything the report template places, computed here: numbers, labels, colours, charts.

Templates hold layout only. This module turns a score, bias results and a brand into plain
strings, lists and chart markup, so an advisor who overrides a template never has to compute
anything, and the same inputs always give the same context (no clock: the date is passed in).
"""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from typing import Any

from auditkit import __version__
from auditkit.answers.voices import ANONYMITY_FLOOR
from auditkit.fileio import sha256_file
from auditkit.followup.model import Comparison
from auditkit.i18n import N_, _, ngettext
from auditkit.i18n import current as language
from auditkit.i18n.formatting import format_date, format_percent
from auditkit.reporting import charts, plain
from auditkit.reporting.automations import SEVERITY_CLASSES, automation_lines, step_groups
from auditkit.reporting.bias_context import (
    BiasInput,
    bias_section,
    fair_section,
    next_audit,
    no_bias_line,
    plain_source,
)
from auditkit.reporting.brand import LOGO_TYPES, Brand
from auditkit.reporting.followup_context import date_text, plan_context, since_context
from auditkit.reporting.rules_context import rules_context
from auditkit.rubric.model import PHASE_NAMES, PHASE_SAFEGUARDS
from auditkit.rubric.scales import owner_label
from auditkit.scoring.run import ScoredFile
from auditkit.scoring.verdict import REACH_WORDS, coverage_span, percent_span, phase_span

STATUS_LABELS = {
    "met": N_("Met"),
    "weak": N_("Weak"),
    "missing": N_("Missing"),
    "capped": N_("Not met (bias evidence)"),
    "not-applicable": N_("Not applicable"),
    "unanswered": N_("Unanswered"),
    "not-asked": N_("Not asked"),
    "unknown": N_("Don't know"),
}


BIAS_TERMS = (
    N_("Reference group"),
    N_("Ratio"),
    N_("Tolerance band"),
    N_("Disadvantaged"),
    N_("Within tolerance"),
    N_("Suppressed group"),
    N_("Proxy"),
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
                N_("Several voices"),
                _(
                    "The owner's answers merged with the staff's: a safeguard counts for the lower of "
                    "the owner's answer and the staff's middle answer."
                ),
            )
        )
    # Terms are English keys (N_) until here, so the bias filter works in any language.
    return [(_(term), text) for term, text in terms if bias or term not in BIAS_TERMS]


def _glossary_terms(figures: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (
            N_("Adoption phase"),
            _(
                "How far the business has automated: 0 manual, 1 back office, 2 customer-service augmentation, 3 self-service and personalisation. A phase counts when one of its automations is live, or two are in pilot."
            ),
        ),
        (
            N_("Safeguard"),
            _(
                "A human-centred or ethical practice the rubric asks about, required from a given phase on. A gating safeguard holds its phase when missing, whatever the others."
            ),
        ),
        (
            N_("Safeguard coverage"),
            _("The weighted share of the safeguards required up to a phase that are in place."),
        ),
        (
            N_("Safeguard phase"),
            _(
                "The highest phase whose coverage, and that of its own safeguards, reaches {threshold}, with every phase below reached too."
            ).format(**figures),
        ),
        (
            N_("Over-automation gap"),
            _(
                "Adoption phase minus safeguard phase. Positive: automation runs ahead of its safeguards."
            ),
        ),
        (
            N_("Handoff"),
            _(
                "Passing a customer from an automated channel to a person, with the context of the conversation."
            ),
        ),
        (
            N_("Reference group"),
            _(
                "The customer group others are compared with in a bias check; by default the largest, whose numbers are the most precise."
            ),
        ),
        (
            N_("Ratio"),
            _("A group's rate divided by the reference group's rate; 1 means equal treatment."),
        ),
        (
            N_("Tolerance band"),
            _("The range of ratios treated as equal treatment: {tolerance}.").format(**figures),
        ),
        (
            N_("Disadvantaged"),
            _(
                "A group worse off than the reference: significant after correcting for every comparison of the check, with the whole interval of the ratio beyond the tolerance band. 'Size uncertain' when the interval reaches into the band."
            ),
        ),
        (
            N_("Within tolerance"),
            _(
                "The whole interval of the ratio lies inside the tolerance band: a larger gap is ruled out. Thin data is 'inconclusive', never within tolerance."
            ),
        ),
        (
            N_("Suppressed group"),
            _(
                "A group too small to report without risking re-identification (under {floor}); its size is shown as '<{floor}' and no rates."
            ).format(**figures),
        ),
        (
            N_("Proxy"),
            _(
                "A column, such as a postcode, closely associated with a protected group, through which automation can discriminate."
            ),
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
        "threshold": format_percent(threshold),
        "tolerance": _("{tolerance} of the reference group").format(tolerance=tolerance),
        "floor": one("suppress_below", default.suppress_below),
        "min_group_size": one("min_group_size", default.min_group_size),
        "correction": {
            "holm": _("Holm: the chance of any false alarm stays at or under 5 %"),
            "bh": _("Benjamini–Hochberg: false alarms stay at or under 5 % of the findings"),
            "none": _("no correction"),
        }.get(correction, correction),
    }


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _date_text(day: date) -> str:
    return format_date(day)


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
        # In the report's language where the brand gives it ("footer::de").
        "contact": brand.text_in("contact", language()),
        "footer": brand.text_in("footer", language()),
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
    from auditkit.bias.codes import shown_labels

    # auditkit's guessed names in the report's language; the user's words as they gave them.
    words = {k: v for item in bias for k, v in shown_labels(item.data).items()}
    words.update(labels or {})
    answers = scored.reconciliation.answers
    business = answers.business
    name = business.get("name") or _("(business not named)")
    steps = {step.question_id: n for n, step in enumerate(result.first_steps, start=1)}
    principles = _principles(scored, steps)
    bias_sections = [
        bias_section(item, index, brand, words) for index, item in enumerate(bias, start=1)
    ]
    fair = [fair_section(item, index, words) for index, item in enumerate(bias, start=1)]
    inputs = [
        answers_path,
        *[Path(s) for s in rubric.sources],
        # A result from a DataFrame or an engine has no file to hash: its section names it.
        *[b.source for b in bias if b.source.is_file()],
        *brand.files,
        *(extra_inputs or []),
    ]
    because = {r.question_id: r.because for r in result.recommendations}
    first_steps = step_groups(result, because)
    others = sum(1 for r in result.recommendations if r.question_id not in steps)
    draft = not result.verdict.available
    figure_values = figures(rubric.threshold, bias)
    return {
        "meta": {
            "title": (
                _("DRAFT: Automation audit: {name}") if draft else _("Automation audit: {name}")
            ).format(name=name),
            "draft": draft,
            "draft_note": _("DRAFT: not enough answers for a verdict") if draft else "",
            "author": brand.name,
            "subject": _("Human-centred automation audit of {name}, {date}").format(
                name=name, date=_date_text(day)
            ),
            "keywords": _("automation, audit, human-centred, fairness, privacy")
            + (_(", draft") if draft else ""),
            "language": language(),
            "date_iso": day.isoformat(),
            "page_words": _page_words(),
            "generator": f"auditkit {__version__}",
        },
        "brand": brand_context(brand),
        "cover": {
            "business": name,
            "sector": (rubric.sector_title or business.get("sector") or "").strip(),
            "location": business.get("location", ""),
            "date_text": _date_text(day),
            "respondent": _answered_by(answers.respondent, scored.voices),
            "advisor": brand.name,
            "follow_up": _("Follow-up to the audit of {date}").format(
                date=date_text(comparison.before_date)
            )
            if comparison
            else "",
        },
        "since": since_context(comparison, brand.primary, charts.font_stack(brand.font_family))
        if comparison
        else None,
        "plan": plan_context(scored, day),
        "rules": rules_context(result),
        "summary": {
            "adoption_phase": phase_span(result.adoption_phase, result.adoption_phase_high),
            "adoption_name": _(PHASE_NAMES[result.adoption_phase]),
            "safeguard_phase": phase_span(result.safeguard_phase, result.safeguard_phase_high),
            "safeguard_name": _(PHASE_NAMES[result.safeguard_phase])
            + (
                ""
                if result.safeguard_phase == result.safeguard_phase_high
                else _(" on the answers given")
            ),
            "gap_value": f"{result.gap.value:+d}" if result.verdict.available else "?",
            "severity": _("{severity} of 4").format(severity=result.verdict.severity)
            if result.verdict.available
            else "?",
            "gap_headline": result.verdict.headline,
            "gap_level": SEVERITY_CLASSES[result.verdict.severity]
            if result.verdict.available
            else "undecided",
            "gap_explanation": result.verdict.explanation,
            "reach_words": _(REACH_WORDS),
            "automations": automation_lines(result),
            "completeness": result.completeness.sentence()
            + (
                ""
                if result.completeness.complete
                else _(" — a partial score: open safeguards count as missing")
            ),
            "overall": percent_span(result.overall_percent, result.overall_percent_high),
            "why_adoption": result.why.adoption,
            "why_safeguard": result.why.safeguard,
            "next_phase": None
            if result.next_phase is None
            else {
                "lead": result.next_phase.lead,
                # Inside a sentence: English lower-cases the phase's name; German keeps the
                # capitals its nouns need.
                "lead_inline": result.next_phase.lead.lower()
                if language() == "en"
                else result.next_phase.lead,
                "moves": [
                    {"principle": m.principle_title, "question": m.question, "state": m.state}
                    for m in result.next_phase.moves
                ],
            },
            "warnings": list(result.warnings),
            "first_steps": first_steps,
            "more_actions": ngettext(
                "{count} more recommendation follows in the principle sections, each under its "
                "principle, and in the action plan.",
                "{count} more recommendations follow in the principle sections, each under its "
                "principle, and in the action plan.",
                others,
            ).format(count=others)
            if others
            else "",
            "bias_lines": [
                plain.check_sentence(item.data, words, plain_source(item.data)) for item in bias
            ]
            or [no_bias_line(scored)],
            "next_audit": next_audit(result, bias, words),
        },
        "charts": {
            "ladder": charts.phase_ladder(
                result.adoption_phase,
                result.safeguard_phase,
                [p.coverage for p in result.phases],
                result.threshold,
                brand.primary,
                brand.accent,
                charts.font_stack(brand.font_family),
            ),
            "principles": charts.principle_bars(
                [(p.title, p.percent) for p in result.principles],
                result.threshold,
                brand.primary,
                charts.font_stack(brand.font_family),
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
                    else _("nothing applies"),
                }
                for p in result.principles
            ],
        },
        "phases": [
            {
                "phase": p.phase,
                "name": _(p.name),
                "in_use": _("yes")
                if p.adopted
                else (_("pilot only") if p.adoption_level else _("no")),
                "coverage": coverage_span(p.coverage, p.coverage_high),
                "own_coverage": coverage_span(p.own_coverage, p.own_coverage_high),
                "met": _("met")
                if p.coverage_met
                else (_("could be met") if p.could_be_met else _("not met"))
                + (_(" (gating safeguard missing)") if p.gating_missing else ""),
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
            "fallbacks": "",
            "rubric": f"{rubric.id} {rubric.version}",
            "rubric_title": rubric.title,
            "sector": rubric.sector or _("none"),
            "rubric_sha256": rubric.sha256,
            "threshold": format_percent(rubric.threshold),
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
            voices=scored.voices is not None and bool(scored.voices.staff_count),
        ),
    }


def _other_voices(scored: ScoredFile) -> list[dict[str, str]]:
    """The other respondents' files, hashed but not named: a file name may be a person's."""
    voices = scored.voices
    if voices is None:
        return []
    # Ordered by hash, not by file name (a name may be a person's): each file hashed once.
    others = sorted(
        [(sha256_file(r.path), r.role) for r in voices.respondents if r.path != scored.paths[0]]
        + [(sha256_file(path), "staff") for path in voices.staff_files]
    )
    return [
        {
            "file": (
                _("answers of an owner or manager ({index} of {total})")
                if role == "owner"
                else _("answers of a member of staff ({index} of {total})")
            ).format(index=index, total=len(others)),
            "sha256": digest,
        }
        for index, (digest, role) in enumerate(others, start=1)
    ]


def _voices(scored: ScoredFile, brand: Brand) -> dict[str, Any] | None:
    """ "Where views differ": the owner's answers against the staff's, largest gaps first, in
    words; staff only as counts, and only once enough of them answered (answers.voices)."""
    voices = scored.voices
    if voices is None or not voices.staff_count:
        return None
    titles = {p.id: p.title for p in scored.rubric.principles}
    return {
        "who": voices.who(),
        "counted": voices.staff_counted,
        "floor": voices.staff.floor if voices.staff else ANONYMITY_FLOOR,
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
        "not_known": [
            {
                "question": k.text,
                "principle": titles.get(k.principle, k.principle),
                "sentence": k.sentence(),
            }
            for k in voices.not_known
        ],
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
            _("The owner's view and the staff's, per principle"),
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
            charts.font_stack(brand.font_family),
            legend=(_("the owner"), _("the staff (mean)")),
            words=(_("by the owner"), _("by the staff")),
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
            return _("{path} (shipped with auditkit {version})").format(
                path=f"{kind}/{inside}", version=__version__
            )
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
                else _("Unanswered"),
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
                    "answer": owner_label(safeguard.answer) if safeguard.answer else "–",
                    "needed": _(PHASE_SAFEGUARDS[question.phase]),
                    "status": safeguard.status,
                    "status_label": _(STATUS_LABELS[safeguard.status]),
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
                "points": _("{points} of {maximum} points").format(
                    points=_number(score.points), maximum=_number(score.maximum)
                ),
                "unanswered": score.unanswered,
                "questions": questions,
            }
        )
    return sections


def _answered_by(respondent: dict, voices) -> str:
    """The cover's "Answers given by": the owner's name and role as given, then the staff
    count. Without a name or role (an older server, a file without them) it says "the
    owner" rather than "with 3 staff" alone; a lone file without a name shows no line."""
    named = ", ".join(v for v in (respondent.get("name", ""), respondent.get("role", "")) if v)
    staff = voices.staff_count if voices is not None else 0
    if not staff:
        return named
    return ngettext(
        "{named} with {count} member of staff", "{named} with {count} staff", staff
    ).format(named=named or _("the owner"), count=staff)


def _number(value: float) -> str:
    """A score's points as the reader writes numbers: "7.5" / "7,5" ("7" for a whole one)."""
    from auditkit.i18n.formatting import format_number

    return format_number(value)


def _page_words() -> dict[str, str]:
    """The PDF footer's "Page 3 of 12" in the report's language, cut around the two numbers
    that CSS counters fill in (one sentence for translators, not three fragments)."""
    before, _sep, rest = _("Page {page} of {pages}").partition("{page}")
    between, _sep, after = rest.partition("{pages}")
    return {"before": before, "between": between, "after": after}
