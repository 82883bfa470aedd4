"""The bias parts of the report's context: the owner's "Fair treatment" in words, and the
auditor's annex with intervals, ratios and verdicts, each from a bias result's JSON.

Kept apart from ``context.py`` (one job each); the sentences themselves are built in
``plain.py``, shared with the results page and the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditkit.bias.catalog import CHECKS
from auditkit.bias.model import OVERALL_WITHHELD
from auditkit.bias.words import VERDICT_WORDS, figure, signed, verdict_words  # noqa: F401 (shared)
from auditkit.i18n import ENGLISH, _, current, ngettext
from auditkit.i18n.formatting import format_date, format_decimal, format_integer
from auditkit.reporting import charts, plain
from auditkit.reporting.brand import Brand
from auditkit.rubric.model import named_phase
from auditkit.scoring.model import ScoreResult
from auditkit.scoring.run import ScoredFile


@dataclass(frozen=True)
class BiasInput:
    """A bias result (as its JSON data) and the file it came from."""

    data: dict[str, Any]
    source: Path


def _fmt(value: float | None, kind: str) -> str:
    return figure(value, kind)


def _signed(value: float, digits: int) -> str:
    return signed(value, digits)


def _verdict_tag(verdict: str) -> str:
    """CSS class of a verdict's badge: the harm stands out, uncertainty is dashed."""
    if verdict.startswith("disadvantaged"):
        return "disparity" if verdict == "disadvantaged" else "inconclusive"
    return verdict.split(" ")[0]


def plain_source(data: dict[str, Any]) -> str:
    """What a check counted, for an owner: "chatbot log" rather than a file name."""
    check = CHECKS.get(data["check"])
    return _lowered(_(check.title)) if check else _("decision log")


def _lowered(title: str) -> str:
    """A check's title inside a sentence: "chatbot log" in English; German keeps its nouns'
    capitals ("Chatbot-Protokoll")."""
    from auditkit.i18n import ENGLISH, current

    return title.lower() if current() == ENGLISH else title


def no_bias_line(scored: ScoredFile) -> str:
    """What stands in for a bias check that was not run: the logs of the systems the owner
    says are in use (never a chatbot log for a business without a chatbot), and test
    contacts for safeguards no such log can show."""
    from auditkit.answers.model import questions_for
    from auditkit.scoring.next_step import checks_in_use, unchecked_by_logs

    answers = scored.reconciliation.answers
    checks = [c for c in checks_in_use(scored.rubric, answers.values()) if c in CHECKS]
    if checks:
        logs = _(" or ").join(_lowered(_(CHECKS[c].title)) for c in checks)
        return _(
            "No decision log was checked for unequal treatment. Your answers say whether "
            "customers are treated alike; checking your {logs} would show it, group by group."
        ).format(logs=logs)
    if unchecked_by_logs(questions_for(scored.rubric, answers), checks):
        return _(
            "No decision log was checked for unequal treatment, and none of the systems you "
            "use keeps one that would show it. Test contacts would: a few planned calls or "
            "chats as different customers, recorded side by side (auditkit contacts)."
        )
    return _("No decision log was checked for unequal treatment.")


def next_audit(result: ScoreResult, bias: list[BiasInput], words: dict[str, str]) -> str:
    """What the follow-up will look at: the first steps, the phase they aim at, the logs."""
    parts = []
    steps = len(result.first_steps)
    if steps:
        parts.append(
            ngettext(
                "whether the {count} first step above is in place",
                "whether the {count} first steps above are in place",
                steps,
            ).format(count=steps)
        )
    if result.next_phase is not None:
        parts.append(
            _("whether your safeguards reach {phase}").format(
                phase=named_phase(result.next_phase.target)
            )
        )
    worse = sorted(
        {
            plain.group_name(f["group"], words)
            for item in bias
            for f in item.data.get("findings", [])
            if f["side"] == "disadvantaged"
        }
    )
    if worse:
        again = (
            _("a new round of test contacts")
            if all(item.data["check"] == "contacts" for item in bias)
            else _("a new log")
        )
        parts.append(
            _("whether {groups} are still worse off in {again}").format(
                groups=_and(worse), again=again
            )
        )
    elif bias:
        parts.append(_("a new decision log, to see that no group falls behind"))
    if not parts:
        return _("The next audit, in about a year, checks that everything stays in place.")
    listed = "; ".join(parts)
    return _("The next audit, in about a year, checks {listed}.").format(listed=listed)


def _and(items: list[str]) -> str:
    if len(items) > 1:
        return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])
    return "".join(items)


def fair_section(item: BiasInput, index: int, words: dict[str, str]) -> dict[str, Any]:
    data = item.data
    check = CHECKS.get(data["check"])
    rows = data["source"]["rows"]
    what = _(check.rows) if check else _("rows")
    thin = plain.thin_groups(data, words)
    unsure = plain.undecided(data, words)
    table = plain.table(data, words)
    return {
        "tested": tested_sentence(data),
        "anchor": f"fair-{index}",
        "title": "{title}: {rows} {what}".format(
            title=_(check.title) if check else _("Decision log"),
            rows=format_integer(rows),
            what=what,
        ),
        "sentences": plain.finding_sentences(data, words),
        "worse_off": plain.worse_off(data, words),
        "thin": " ".join(
            part
            for part in (
                _("Too few {what} to tell anything for {groups}.").format(
                    what=what, groups=_and(thin)
                )
                if thin
                else "",
                (
                    _(
                        "The test contacts cannot yet tell either way for {groups}: more pairs will."
                    ).format(groups=_and(unsure))
                    if data.get("contacts")
                    else _(
                        "The log cannot yet tell either way for {groups}: a longer log will."
                    ).format(groups=_and(unsure))
                )
                if unsure
                else "",
            )
            if part
        ),
        "table": table,
        "marked": any(c["worse"] for r in table["rows"] for c in r["cells"]),
        "floor": data["thresholds"]["suppress_below"],
    }


def tested_sentence(data: dict[str, Any]) -> str:
    """Test contacts: what was tested, how many contacts, by whom (the role) and when; empty
    for a log check. Built from the result's ``contacts`` block, which holds no free text."""
    block = data.get("contacts")
    if not block:
        return ""
    import datetime as dt

    from auditkit.contacts.scenarios import SHORT

    def day(text: str | None) -> str:
        if not text:
            return "?"
        return format_date(dt.date.fromisoformat(text))

    cues = [p["label"] for p in block["personas"] if p["cue"] != "reference"]
    reference = next((p["label"] for p in block["personas"] if p["cue"] == "reference"), "")
    left = len(block["left_out"])
    return _(
        "{recorded} test contacts by the business's {tested_by} between {first} and {last}, "
        "through {channels}: {pairs} pairs of {planned} planned, each comparing {reference} "
        "with {cues} in the same scenario, one of: {scenarios}."
    ).format(
        recorded=block["recorded"],
        tested_by=block["tested_by"],
        first=day(block["first_contact"]),
        last=day(block["last_contact"]),
        channels=_and(block["channels"]),
        pairs=block["pairs"],
        planned=block["planned_pairs"],
        reference=reference,
        cues=_and(cues),
        scenarios=_and([SHORT.get(s, s) for s in block["scenarios"]]),
    ) + (
        " "
        + ngettext(
            "{count} contact could not be paired and is not counted in the comparisons.",
            "{count} contacts could not be paired and are not counted in the comparisons.",
            left,
        ).format(count=left)
        if left
        else ""
    )


def bias_section(
    item: BiasInput, index: int, brand: Brand, words: dict[str, str] | None = None
) -> dict[str, Any]:
    data = item.data
    source = data["source"]
    check = CHECKS.get(data["check"])
    if "engine" in source:  # counted on an engine: the table, or the query, named
        name = (
            _("table {table}").format(table=source["table"])
            if source.get("table")
            else _("a query")
        )
        origin = _("counted on {engine} ({location})").format(
            engine=source["engine"], location=source["location"]
        )
    else:
        name, origin = Path(source["file"]).name, ""
    if data.get("contacts"):
        origin = "· " + tested_sentence(data)
    title = f"{_(check.title) if check else _('Decision log')}: {name}"
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
                        _("{part} of {whole}").format(
                            part=format_integer(group["denominator"]),
                            whole=format_integer(group["n"]),
                        )
                        if group["denominator"] is not None and group["denominator"] != group["n"]
                        else format_integer(group["n"])
                    ),
                    "value": _fmt(group["value"], kind),
                    "ci": "–"
                    if group["ci"] is None
                    else f"{_fmt(group['ci'][0], kind)} – {_fmt(group['ci'][1], kind)}",
                    "ratio": "–" if group["ratio"] is None else format_decimal(group["ratio"], 2),
                    "difference": "–"
                    if group["difference"] is None
                    else (
                        _signed(group["difference"] * 100, 1) + " pp"
                        if kind not in ("mean", "auc")
                        else _signed(group["difference"], 2)
                    ),
                    "verdict": verdict_words(group["verdict"]),
                    "tag": _verdict_tag(group["verdict"]),
                    "p_adjusted": "–"
                    if group["p_adjusted"] is None
                    else f"{group['p_adjusted']:.2g}",
                    "detectable": ""
                    if group["detectable"] is None
                    else _("could see {factor}×").format(
                        factor=format_decimal(group["detectable"], 2)
                    ),
                }
            )
            chart_rows.append(
                {
                    "label": group["group"],
                    "value": group["value"],
                    "ci": group["ci"],
                    "verdict": group["verdict"],
                    "words": verdict_words(group["verdict"]),
                    "note": _("<{floor}: suppressed").format(floor=floor)
                    if suppressed
                    else (group["reason"] or _("no value")),
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
                "label": _(metric["label"]),
                "reference": metric["reference_group"],
                "overall": _fmt(metric["overall"], kind)
                if metric["overall"] is not None or kind == "summary"
                else _(OVERALL_WITHHELD),
                "missing": metric["missing"],
                "rows": rows,
                "chart": charts.group_rates(
                    f"bias{index}-{number}",
                    _("{label} by group").format(label=_(metric["label"])),
                    chart_rows,
                    band,
                    reference_value,
                    maximum,
                    kind != "mean",
                    brand.primary,
                    brand.accent,
                    charts.font_stack(brand.font_family),
                ),
            }
        )
    # The check's own summary is text kept in its JSON, in the language it was run in
    # (files from before that was recorded are English). In another language the report
    # says the same finding in the owner's words, built from the numbers.
    summary = (
        data["summary"]["text"]
        if current() == data["summary"].get("language", ENGLISH)
        else plain.check_sentence(data, words or {}, plain_source(data))
    )
    return {
        "anchor": f"bias-{index}",
        "title": title,
        "check": data["check"],
        "rows": format_integer(source["rows"]),
        "origin": origin,
        "groups": " × ".join(data["groups"]),
        "tolerance": f"{low:g}–{high:g}",
        "min_group_size": data["thresholds"]["min_group_size"],
        "correction": {
            "holm": _("Holm correction over {n} comparisons (chance of any false alarm ≤ 5 %)"),
            "bh": _("Benjamini–Hochberg correction over {n} comparisons (false discoveries ≤ 5 %)"),
            "none": _("no correction over {n} comparisons"),
        }[data["thresholds"]["correction"]].format(n=data["thresholds"]["comparisons"]),
        "floor": floor,
        "summary": summary,
        "summary_line": f"{title}: {summary}",
        "metrics": metrics,
        "proxies": [
            {
                "column": p["column"],
                "protected": p["protected"],
                "v": "–" if p["cramers_v"] is None else format_decimal(p["cramers_v"], 2),
                "ci": "–"
                if p["v_ci"] is None
                else f"{format_decimal(p['v_ci'][0], 2)}–{format_decimal(p['v_ci'][1], 2)}",
                "values": p["values"],
                "rows": format_integer(p["rows"]),
                "verdict": verdict_words(p["verdict"]),
            }
            for p in data.get("proxies", [])
        ],
        "notes": data.get("notes", []),
    }
