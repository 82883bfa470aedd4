"""The plan as people read it: Markdown and a phone-friendly HTML page to print or open, and
the schedule as CSV. The words are computed here; the HTML template only places them (a
sandboxed, autoescaped Jinja environment: nothing in a plan can inject markup)."""

from __future__ import annotations

import csv
import io

from auditkit.contacts.check import MIN_PAIRS
from auditkit.contacts.model import Plan

ETHICS = (
    "Test only your own business, or one whose owner agreed in writing (the consent line above).",
    "Never deceive or involve real customers: testers use the invented personas below, with "
    "reserved example addresses and numbers that reach nobody.",
    "Tell staff that test contacts happen during this period (not which ones), so that no one "
    "feels spied on; the results judge the automation, never a person.",
    "Keep to the weekly cap: test contacts take staff time away from real customers.",
    "Write no personal data in the sheet's notes; notes never reach a report.",
)
CUE_WORDS = {
    "language": "the language they write in",
    "name": "a name cue",
    "access": "an accessibility need",
    "age": "an age cue",
}


def summary_lines(plan: Plan) -> list[str]:
    """What the plan promises, in plain words and numbers with units."""
    variants = [p for p in plan.personas if p.cue != "reference"]
    per_variant = len(plan.pairs) // max(1, len(variants))
    weeks = len({_week(pair.date) for pair in plan.pairs})
    lines = [
        f"{len(plan.pairs)} pairs of test contacts ({2 * len(plan.pairs)} contacts) over {weeks} "
        f"week{'s' if weeks != 1 else ''}, at most {plan.max_per_week} contacts a week, "
        f"through {', '.join(plan.channels)}.",
        "Each pair: the reference persona and one persona who differs only in "
        + "; ".join(f"{CUE_WORDS[p.cue]} ({p.label})" for p in variants)
        + ". Same scenario, same day, in the order given, hours apart.",
    ]
    gap = f"{plan.gap:.2f}×"
    if plan.pairs_needed is not None:
        lines.append(
            f"To see a gap of {gap} (a persona told it is a bot, or reaching a person, "
            f"{plan.gap:.0%} as often as the reference, who does so {plan.reference_rate:.0%} "
            f"of the time) with {plan.power:.0%} power, each persona needs {plan.pairs_needed} "
            f"pairs (exact McNemar test, {plan.comparisons} comparisons corrected together)."
        )
    if plan.could_see is not None:
        lines.append(
            f"At the planned {per_variant} pairs a persona, the check would see a persona "
            f"getting the outcome {plan.could_see:.2f}× as often as the reference, or less, "
            f"with {plan.power:.0%} power; a smaller gap may go unseen, and 'no gap shown' is "
            "never proof of fair treatment."
        )
    else:
        lines.append(
            f"At the planned {per_variant} pairs a persona, not even a persona who never gets "
            "the outcome would be seen reliably: plan more pairs."
        )
    scenarios = {s.id: s.records for s in plan.scenarios}
    partial = []
    for outcome, words in (
        ("context_kept", "whether the person knew what was said"),
        ("answer_right", "whether the answer was right"),
        ("optout_offered", "whether an opt-out or a way to contest was offered"),
    ):
        counts = [
            sum(
                1
                for p in plan.pairs
                if p.variant == v.id and outcome in scenarios.get(p.scenario, ())
            )
            for v in variants
        ]
        if counts and min(counts) < MIN_PAIRS:
            partial.append(f"{words} (asked in {min(counts)} pairs a persona)")
    if partial:
        lines.append(
            "Some things are asked in some scenarios only, and a comparison needs "
            f"{MIN_PAIRS} pairs: with this plan the check cannot compare personas on "
            + "; ".join(partial)
            + ". Those contacts still count as evidence for the safeguard itself."
        )
    return lines


def _week(date: str) -> str:
    import datetime as dt

    return dt.date.fromisoformat(date).strftime("%G-%V")


def schedule_rows(plan: Plan) -> list[dict[str, str]]:
    scenarios = {s.id: s.title for s in plan.scenarios}
    rows = []
    for pair in plan.pairs:
        second = pair.variant if pair.first == plan.reference.id else plan.reference.id
        rows.append(
            {
                "pair": pair.pair,
                "date": pair.date,
                "first time": pair.first_time,
                "first persona": pair.first,
                "second time": pair.second_time,
                "second persona": second,
                "channel": pair.channel,
                "scenario": pair.scenario,
                "what": scenarios.get(pair.scenario, ""),
            }
        )
    return rows


def schedule_csv(plan: Plan) -> str:
    rows = schedule_rows(plan)
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(rows[0]) if rows else ["pair"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def plan_markdown(plan: Plan) -> str:
    out = [f"# Test-contact plan: {plan.business}", ""]
    out += [
        f"**Consent:** {plan.consent}  ",
        f"**Testers:** the {plan.tested_by}  ",
        f"**Starts:** {plan.start}",
        "",
    ]
    out += ["## What this plan does", ""] + [f"- {line}" for line in summary_lines(plan)] + [""]
    out += (
        ["## Rules for testers", ""] + [f"{i}. {rule}" for i, rule in enumerate(ETHICS, 1)] + [""]
    )
    out += [
        "## Personas (invented)",
        "",
        "| id | who | name | e-mail | phone |",
        "|---|---|---|---|---|",
    ]
    out += [f"| {p.id} | {p.label} | {p.name} | {p.email} | {p.phone} |" for p in plan.personas]
    out += ["", "## Scripts", ""]
    for scenario in plan.scenarios:
        out += [
            f"### {scenario.title} (`{scenario.id}`)",
            "",
            f"Channels: {', '.join(c for c in scenario.channels if c in plan.channels)}",
            "",
        ]
        out += [f"{i}. {step}" for i, step in enumerate(scenario.script, 1)] + [""]
    out += [
        "## Schedule",
        "",
        "| pair | date | first | then | channel | scenario |",
        "|---|---|---|---|---|---|",
    ]
    out += [
        f"| {r['pair']} | {r['date']} | {r['first time']} {r['first persona']} | {r['second time']} {r['second persona']} | {r['channel']} | {r['scenario']} |"
        for r in schedule_rows(plan)
    ]
    out += [
        "",
        "Record each contact on the sheet (contacts-template.csv or .xlsx, or `auditkit contacts record`), then run `auditkit contacts check`.",
        "",
    ]
    return "\n".join(out)


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Test-contact plan: {{ plan.business }}</title>
<style>
body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;max-width:50rem;padding:1rem;color:#1a1a1a}
h1{font-size:1.4rem}h3{font-size:1rem;margin-bottom:.3rem}h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}
.wrap{overflow-x:auto}.facts p{margin:.2rem 0}
@media print{body{max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
</style></head><body>
<h1>Test-contact plan: {{ plan.business }}</h1>
<div class="facts"><p><b>Consent:</b> {{ plan.consent }}</p><p><b>Testers:</b> the {{ plan.tested_by }}</p><p><b>Starts:</b> {{ plan.start }}</p></div>
<h2>What this plan does</h2><ul>{% for line in summary %}<li>{{ line }}</li>{% endfor %}</ul>
<h2>Rules for testers</h2><ol>{% for rule in ethics %}<li>{{ rule }}</li>{% endfor %}</ol>
<h2>Personas (invented)</h2><div class="wrap"><table><tr><th>id</th><th>who</th><th>name</th><th>e-mail</th><th>phone</th></tr>
{% for p in plan.personas %}<tr><td>{{ p.id }}</td><td>{{ p.label }}</td><td>{{ p.name }}</td><td>{{ p.email }}</td><td>{{ p.phone }}</td></tr>{% endfor %}</table></div>
<h2>Scripts</h2>{% for s in plan.scenarios %}<h3>{{ s.title }}</h3><ol>{% for step in s.script %}<li>{{ step }}</li>{% endfor %}</ol>{% endfor %}
<h2>Schedule</h2><div class="wrap"><table><tr><th>pair</th><th>date</th><th>first</th><th>then</th><th>channel</th><th>scenario</th></tr>
{% for r in rows %}<tr><td>{{ r["pair"] }}</td><td>{{ r["date"] }}</td><td>{{ r["first time"] }} {{ r["first persona"] }}</td><td>{{ r["second time"] }} {{ r["second persona"] }}</td><td>{{ r["channel"] }}</td><td>{{ r["scenario"] }}</td></tr>{% endfor %}</table></div>
</body></html>
"""


def plan_html(plan: Plan) -> str:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    environment = ImmutableSandboxedEnvironment(autoescape=True)
    return environment.from_string(_HTML).render(
        plan=plan, summary=summary_lines(plan), ethics=ETHICS, rows=schedule_rows(plan)
    )
