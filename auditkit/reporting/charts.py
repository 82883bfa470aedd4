"""Small SVG charts for the report, built from numbers without a plotting library.

Each chart carries a <title> and a <desc> that say in words what it shows, uses text labels as
well as colour (so it reads in greyscale), and comes back as markup that is safe to place:
every piece of user text is escaped here.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from markupsafe import Markup

from auditkit.i18n import _, ngettext
from auditkit.i18n.formatting import format_decimal, format_percent

FONT_FAMILY = "DejaVu Sans, sans-serif"


def font_stack(family: str | None) -> str:
    """Charts use the brand's font too: one family fewer to embed, one look."""
    return f"{family}, {FONT_FAMILY}" if family else FONT_FAMILY


INK = "#222222"
MUTED = "#6b6b6b"


def _room(labels, size: float, minimum: int, *, bold: bool = False) -> int:
    """Room for right-aligned row labels left of a plot: ``minimum`` (the English layout), or
    more when a label is longer (a longer language), so that no label is cut at the edge."""
    widest = max((_width(label, size) for label in labels), default=0) * (1.1 if bold else 1)
    return max(minimum, round(widest + 14))


def _width(text: str, size: float) -> float:
    """A generous estimate of a line's width in the chart's sans-serif font (0.6 em a
    character), to keep labels inside the chart in every language."""
    return len(text) * size * 0.6


def _broken(text: str, size: float, room: float) -> list[str]:
    """``text`` broken between words into lines no wider than ``room`` (a word longer than
    the room keeps a line of its own)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = 11,
    weight: str = "normal",
    fill: str = INK,
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(text)}</text>'
    )


def _clear_of(x: float, text: str, size: int, line: float) -> float:
    """Where a value label starting at ``x`` goes so that it never sits on the dashed line at
    ``line``: past the line when it would cross it (a "66" printed over the 70 % line reads
    as "6⁊"). Widths as DejaVu Sans draws digits (0.64 em), with a 2 px margin."""
    width = len(text) * size * 0.64
    if x - 2 <= line <= x + width + 2:
        return line + 4
    return x


def _svg(
    width: int, height: int, title: str, description: str, body: list[str], ident: str, font: str
) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{escape(font, {chr(34): "&quot;"})}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" class="chart">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
        '<defs><pattern id="'
        + ident
        + '-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#555555" stroke-width="2"/></pattern></defs>'
    )
    return Markup(head + "".join(body) + "</svg>")


def phase_ladder(
    adoption: int,
    safeguard: int,
    coverage: list[float | None],
    threshold: float,
    primary: str,
    accent: str,
    font: str = FONT_FAMILY,
) -> Markup:
    """Adoption phase against safeguard phase on one 0–3 scale, the gap between them marked."""
    heads = (
        _("Automation"),
        _("Safeguards"),
    )
    # The row labels' room grows with a longer language; the plot keeps its size.
    left, right, height = _room(heads, 11, 170, bold=True), 70, 200
    span = 640 - 170 - right
    width = left + span + right
    x = lambda phase: left + span * phase / 3  # noqa: E731
    body = []
    names = [
        _("0 Manual"),
        _("1 Back office"),
        _("2 Customer service"),
        _("3 Self-service"),
    ]  # short: they sit under the axis
    for phase in range(4):
        body.append(
            f'<line x1="{x(phase):.1f}" y1="24" x2="{x(phase):.1f}" y2="126" stroke="#d0d0d0"/>'
        )
        body.append(_text(x(phase), 142, names[phase], anchor="middle", size=10, fill=MUTED))
    body.append(_text(left - 10, 52, heads[0], anchor="end", weight="bold"))
    body.append(
        f'<rect x="{left}" y="36" width="{max(2, x(adoption) - left):.1f}" height="26" fill="{primary}"/>'
    )
    body.append(_text(left - 10, 100, heads[1], anchor="end", weight="bold"))
    body.append(
        f'<rect x="{left}" y="84" width="{max(2, x(safeguard) - left):.1f}" height="26" '
        f'fill="url(#ladder-hatch)" stroke="#555555"/>'
    )
    gap = adoption - safeguard
    if gap > 0:
        body.append(
            f'<rect x="{x(safeguard):.1f}" y="84" width="{x(adoption) - x(safeguard):.1f}" height="26" '
            f'fill="{accent}" fill-opacity="0.25" stroke="{accent}" stroke-dasharray="5 3" stroke-width="2"/>'
        )
        body.append(
            _text(
                (x(safeguard) + x(adoption)) / 2,
                101,
                ngettext("{gap} phase ahead", "{gap} phases ahead", gap).format(gap=gap),
                anchor="middle",
                weight="bold",
                fill=INK,
            )
        )
    coverage_text = " · ".join(
        "{name} {coverage}".format(
            name=names[i][2:], coverage="–" if c is None else format_percent(c)
        )
        for i, c in enumerate(coverage, start=1)
    )
    needed = format_percent(threshold)
    line = _("Safeguards in place per phase ({needed} needed): {coverage}").format(
        needed=needed, coverage=coverage_text
    )
    # Under the bars when it fits (English, German); a longer language starts it at the
    # chart's edge, and one longer still is broken between words onto the next lines: an SVG
    # line cannot wrap, and what runs past the chart would be cut off.
    if left + _width(line, 10) <= width - 8:
        start, lines = left, [line]
    else:
        start, lines = 8, _broken(line, 10, width - 16)
    for number, part in enumerate(lines):
        body.append(_text(start, 168 + 14 * number, part, size=10, fill=MUTED))
    height = max(height, 168 + 14 * len(lines) + 4)
    description = _(
        "Automation reaches phase {adoption} of 3; safeguards reach phase {safeguard}. "
        "Safeguard coverage by phase: {coverage}; a phase needs {needed}."
    ).format(adoption=adoption, safeguard=safeguard, coverage=coverage_text, needed=needed)
    return _svg(
        width,
        height,
        _("Automation phase against safeguard phase"),
        description,
        body,
        "ladder",
        font,
    )


def principle_bars(
    rows: list[tuple[str, float | None]], threshold: float, primary: str, font: str = FONT_FAMILY
) -> Markup:
    """Principle scores 0–100 as horizontal bars, with the threshold marked."""
    bar, gap = 16, 8
    left = _room([label for label, _value in rows], 10, 250)
    span = 640 - 250 - 60
    width = left + span + 60
    height = 30 + len(rows) * (bar + gap)
    body = []
    for tick in (0, 25, 50, 75, 100):
        tx = left + span * tick / 100
        body.append(
            f'<line x1="{tx:.1f}" y1="14" x2="{tx:.1f}" y2="{height - 12}" stroke="#e3e3e3"/>'
        )
        body.append(_text(tx, 10, f"{tick}", anchor="middle", size=9, fill=MUTED))
    limit = left + span * threshold
    body.append(
        f'<line x1="{limit:.1f}" y1="14" x2="{limit:.1f}" y2="{height - 12}" stroke="{INK}" stroke-dasharray="4 3"/>'
    )
    for index, (label, value) in enumerate(rows):
        y = 18 + index * (bar + gap)
        body.append(_text(left - 8, y + bar - 4, label, anchor="end", size=10))
        if value is None:
            body.append(_text(left + 4, y + bar - 4, _("not scored"), size=10, fill=MUTED))
            continue
        body.append(
            f'<rect x="{left}" y="{y}" width="{max(1.5, span * value / 100):.1f}" height="{bar}" fill="{primary}"/>'
        )
        label_x = _clear_of(left + span * value / 100 + 5, f"{value:.0f}", 10, limit)
        body.append(_text(label_x, y + bar - 4, f"{value:.0f}", size=10, weight="bold"))
    description = "; ".join(
        "{label}: {value}".format(
            label=label,
            value=_("not scored") if v is None else _("{score} of 100").format(score=f"{v:.0f}"),
        )
        for label, v in rows
    )
    return _svg(
        width,
        height,
        _("Principle scores (0–100)"),
        _("{description}. The dashed line marks {needed}.").format(
            description=description, needed=format_percent(threshold)
        ),
        body,
        "principles",
        font,
    )


def before_after(
    ident: str,
    title: str,
    rows: list[tuple[str, float | None, float | None]],
    threshold: float,
    primary: str,
    font: str = FONT_FAMILY,
    legend: tuple[str, str] | None = None,
    words: tuple[str, str] | None = None,
) -> Markup:
    """Two bars per row, 0–100, each with its number: the first (the last audit; the owner's
    view) hatched, the second (this audit; the staff's) solid, the threshold dashed.

    Hatching and the words of ``words`` in the description carry the difference, so it
    reads in greyscale and to a screen reader."""
    legend = legend or (_("last audit"), _("this audit"))
    words = words or (_("before"), _("now"))
    bar, gap = 9, 10
    left = _room([label for label, _before, _now in rows], 10, 250)
    span = 640 - 250 - 60
    width = left + span + 60
    height = 34 + len(rows) * (2 * bar + gap)
    body = [
        f'<rect x="{left}" y="2" width="10" height="8" fill="url(#{ident}-hatch)" stroke="{INK}" stroke-width="0.5"/>',
        _text(left + 14, 10, legend[0], size=9, fill=MUTED),
        f'<rect x="{left + 110}" y="2" width="10" height="8" fill="{primary}"/>',
        _text(left + 124, 10, legend[1], size=9, fill=MUTED),
    ]
    for tick in (0, 50, 100):
        tx = left + span * tick / 100
        body.append(
            f'<line x1="{tx:.1f}" y1="18" x2="{tx:.1f}" y2="{height - 10}" stroke="#e3e3e3"/>'
        )
    limit = left + span * threshold
    body.append(
        f'<line x1="{limit:.1f}" y1="18" x2="{limit:.1f}" y2="{height - 10}" stroke="{INK}" stroke-dasharray="4 3"/>'
    )
    for index, (label, before, now) in enumerate(rows):
        y = 22 + index * (2 * bar + gap)
        body.append(_text(left - 8, y + bar + 4, label, anchor="end", size=10))
        for offset, value, fill in ((0, before, f"url(#{ident}-hatch)"), (bar, now, primary)):
            if value is None:
                continue
            body.append(
                f'<rect x="{left}" y="{y + offset}" width="{max(1.5, span * value / 100):.1f}" '
                f'height="{bar - 1}" fill="{fill}" stroke="{INK}" stroke-width="0.5"/>'
            )
        # Both bars carry their number, equal or not: a hatched bar without one reads as empty.
        for offset, value, weight in ((0, before, "normal"), (bar, now, "bold")):
            if value is not None:
                label_x = _clear_of(left + span * value / 100 + 5, f"{value:.0f}", 7, limit)
                body.append(
                    _text(label_x, y + offset + bar - 1, f"{value:.0f}", size=7, weight=weight)
                )
    description = "; ".join(
        f"{label}: {'–' if b is None else f'{b:.0f}'} {words[0]}, "
        f"{'–' if n is None else f'{n:.0f}'} {words[1]}"
        for label, b, n in rows
    )
    return _svg(
        width,
        height,
        title,
        _("{description}. The dashed line marks {needed}.").format(
            description=description, needed=format_percent(threshold)
        ),
        body,
        ident,
        font,
    )


def _ticks(maximum: float, percent: bool) -> list[float]:
    """Four or five round ticks from 0 to ``maximum`` for a value axis."""
    if percent:
        return [0.0, 0.25, 0.5, 0.75, 1.0]
    raw = maximum / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks, value = [], 0.0
    while value <= maximum + 1e-9:
        ticks.append(value)
        value += step
    return ticks


def group_rates(
    ident: str,
    title: str,
    rows: list[dict],
    band: tuple[float, float] | None,
    reference: float | None,
    maximum: float,
    percent: bool,
    primary: str,
    accent: str,
    font: str = FONT_FAMILY,
) -> Markup:
    """One metric per group: the value with its interval, the reference and the tolerance band,
    over a value axis with ticks. The legend sits under the axis, and notes for groups without
    a value sit in the value column, so no label ever crosses the band or another label.

    ``rows`` hold label, value, ci (low, high) or None, verdict; suppressed rows have no value.
    """
    bar, gap = 14, 10
    left = _room([row["label"] for row in rows], 10, 150)
    span = 640 - 150 - 150
    width = left + span + 150
    plot_bottom = 10 + len(rows) * (bar + gap)
    height = plot_bottom + 48
    scale = lambda v: left + span * min(v, maximum) / maximum if maximum else left  # noqa: E731
    fmt = (lambda v: format_percent(v)) if percent else (lambda v: format_decimal(v, 2))
    tick_text = (lambda v: format_percent(v)) if percent else (lambda v: f"{v:g}")
    body = []
    if band is not None:
        body.append(
            f'<rect x="{scale(band[0]):.1f}" y="4" width="{scale(band[1]) - scale(band[0]):.1f}" '
            f'height="{plot_bottom - 4}" fill="#e9e9e9" stroke="#bdbdbd" stroke-dasharray="2 2"/>'
        )
    if reference is not None:
        rx = scale(reference)
        body.append(
            f'<line x1="{rx:.1f}" y1="4" x2="{rx:.1f}" y2="{plot_bottom}" stroke="{INK}" stroke-width="1.5"/>'
        )
    # The value axis: a baseline with ticks and their values.
    body.append(
        f'<line x1="{left}" y1="{plot_bottom}" x2="{left + span}" y2="{plot_bottom}" stroke="{INK}" stroke-width="0.8"/>'
    )
    for tick in _ticks(maximum, percent):
        tx = scale(tick)
        body.append(
            f'<line x1="{tx:.1f}" y1="{plot_bottom}" x2="{tx:.1f}" y2="{plot_bottom + 4}" stroke="{INK}" stroke-width="0.8"/>'
        )
        body.append(
            _text(tx, plot_bottom + 15, tick_text(tick), anchor="middle", size=9, fill=MUTED)
        )
    # The legend, under the axis.
    legend_y = plot_bottom + 36
    if reference is not None:
        body.append(
            f'<line x1="{left}" y1="{legend_y - 9}" x2="{left}" y2="{legend_y + 1}" stroke="{INK}" stroke-width="1.5"/>'
        )
        body.append(_text(left + 5, legend_y, _("reference group"), size=9, fill=MUTED))
    if band is not None:
        body.append(
            f'<rect x="{left + 110}" y="{legend_y - 9}" width="14" height="10" fill="#e9e9e9" stroke="#bdbdbd" stroke-dasharray="2 2"/>'
        )
        body.append(_text(left + 129, legend_y, _("tolerance band"), size=9, fill=MUTED))
    for index, row in enumerate(rows):
        y = 10 + index * (bar + gap)
        body.append(_text(left - 8, y + bar - 3, row["label"], anchor="end", size=10))
        if row["value"] is None:
            body.append(_text(left + span + 10, y + bar - 3, row["note"], size=9, fill=MUTED))
            continue
        disparity = row["verdict"] == "disadvantaged"
        colour = accent if disparity else primary
        cx = scale(row["value"])
        if row["ci"] is not None:
            low, high = scale(row["ci"][0]), scale(row["ci"][1])
            mid = y + bar / 2
            body.append(
                f'<line x1="{low:.1f}" y1="{mid:.1f}" x2="{high:.1f}" y2="{mid:.1f}" stroke="{INK}" stroke-width="1.5"/>'
            )
            for end in (low, high):
                body.append(
                    f'<line x1="{end:.1f}" y1="{mid - 5:.1f}" x2="{end:.1f}" y2="{mid + 5:.1f}" stroke="{INK}" stroke-width="1.5"/>'
                )
        shape = (
            f'<rect x="{cx - 6:.1f}" y="{y + 1}" width="12" height="12" fill="{colour}" stroke="{INK}"/>'
            if disparity
            else f'<circle cx="{cx:.1f}" cy="{y + bar / 2:.1f}" r="6" fill="{colour}" stroke="{INK}"/>'
        )
        body.append(shape)
        label = fmt(row["value"]) + ("  " + _("disadvantaged") if disparity else "")
        body.append(
            _text(
                left + span + 10,
                y + bar - 3,
                label,
                size=10,
                weight="bold" if disparity else "normal",
            )
        )
    description = "; ".join(
        f"{r['label']}: {r['note'] if r['value'] is None else fmt(r['value'])} "
        f"({r.get('words', r['verdict'])})"
        for r in rows
    )
    return _svg(width, height, title, description, body, ident, font)
