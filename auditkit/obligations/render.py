"""The crosswalk as text for people and as JSON for tools (``auditkit rules``).

Both always carry the disclaimer, the day the entries were last verified and each entry's
source; an unverified entry is marked as such, with what was found instead, never silently.
The text follows the run's language (``auditkit.i18n.use``); the JSON's field names and codes
stay as they are, its sentences (timing) follow the language like the entries' own texts.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap

from auditkit.i18n import _, ngettext
from auditkit.obligations.applies import format_date
from auditkit.obligations.model import Crosswalk, Obligation

FORMAT = "auditkit-rules/1"


def in_force(obligation: Obligation, day: dt.date) -> bool:
    """Whether ``obligation`` applies on ``day``: from ``applies_from``, until a sunset."""
    ends = obligation.applies_until
    return obligation.applies_from <= day and (ends is None or day < ends)


def timing(obligation: Obligation, day: dt.date) -> str:
    """'in force since 2 August 2026', 'applies from 1 January 2027 (in 25 days)', 'ended …'."""
    if obligation.applies_until is not None and day >= obligation.applies_until:
        return _("ended on {day}").format(day=format_date(obligation.applies_until))
    if obligation.applies_from <= day:
        if obligation.applies_until:
            return _("in force since {day}, until {end}").format(
                day=format_date(obligation.applies_from), end=format_date(obligation.applies_until)
            )
        return _("in force since {day}").format(day=format_date(obligation.applies_from))
    days = (obligation.applies_from - day).days
    return ngettext(
        "applies from {day} (in {count} day)", "applies from {day} (in {count} days)", days
    ).format(day=format_date(obligation.applies_from), count=days)


def render_table(
    crosswalk: Crosswalk, obligations: list[Obligation], day: dt.date, filters: str
) -> str:
    wrap = textwrap.TextWrapper(width=96, initial_indent="    ", subsequent_indent="    ")
    last = crosswalk.last_verified
    lines = [
        _("{title} · crosswalk {version}").format(title=crosswalk.title, version=crosswalk.version)
        + (f" + {', '.join(crosswalk.overlays)}" if crosswalk.overlays else ""),
        _(
            "{shown} of {total} rules{filters} · dates as of {day} · entries last verified "
            "{verified}"
        ).format(
            shown=len(obligations),
            total=len(crosswalk.obligations),
            filters=filters,
            day=format_date(day),
            verified=format_date(last) if last else "–",
        ),
        "",
    ]
    for obligation in obligations:
        mark = "" if obligation.verified else "  " + _("[UNVERIFIED]")
        lines.append(f"{obligation.id}{mark}")
        lines += wrap.wrap(
            f"{', '.join(obligation.jurisdictions)} · {obligation.instrument}, {obligation.article}"
        )
        lines += wrap.wrap(
            _("binds: {who} · {timing}").format(
                who=", ".join(obligation.binds), timing=timing(obligation, day)
            )
        )
        lines += wrap.wrap(obligation.owner_text)
        if obligation.only_if:
            lines += wrap.wrap(_("Only if {condition}.").format(condition=obligation.only_if))
        links = ", ".join(f"{link.question} ({link.relation})" for link in obligation.safeguards)
        if links:
            lines += wrap.wrap(_("Safeguards: {links}").format(links=links))
        lines.append("    " + _("Source: {source}").format(source=obligation.source))
        lines.append(
            "    " + _("Last verified {day}").format(day=format_date(obligation.last_verified))
        )
        if not obligation.verified:
            lines += wrap.wrap(_("Unverified: {note}").format(note=obligation.note))
        lines.append("")
    if not obligations:
        lines += [_("No rule matches these filters."), ""]
    lines += textwrap.wrap(crosswalk.disclaimer, 96)
    return "\n".join(lines) + "\n"


def render_json(
    crosswalk: Crosswalk, obligations: list[Obligation], day: dt.date, filters: dict
) -> str:
    last = crosswalk.last_verified
    document = {
        "format": FORMAT,
        "crosswalk": crosswalk.id,
        "version": crosswalk.version,
        "rubric": crosswalk.rubric,
        "overlays": list(crosswalk.overlays),
        "as_of": day.isoformat(),
        "filters": filters,
        "last_verified": last.isoformat() if last else None,
        "disclaimer": crosswalk.disclaimer,
        "obligations": [
            {
                "id": o.id,
                "title": o.title,
                "jurisdictions": list(o.jurisdictions),
                "instrument": o.instrument,
                "article": o.article,
                "binds": list(o.binds),
                "applies_from": o.applies_from.isoformat(),
                "applies_until": o.applies_until.isoformat() if o.applies_until else None,
                "in_force": in_force(o, day),
                "timing": timing(o, day),
                "automations": list(o.automations),
                "sizes": list(o.sizes),
                "only_if": o.only_if or None,
                "safeguards": [
                    {"question": link.question, "relation": link.relation} for link in o.safeguards
                ],
                "evidence": [{"check": e.check, "metric": e.metric or None} for e in o.evidence],
                "owner_text": o.owner_text,
                "source": o.source,
                "last_verified": o.last_verified.isoformat(),
                "verified": o.verified,
                "checked": list(o.checked),
                "note": o.note or None,
            }
            for o in obligations
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
