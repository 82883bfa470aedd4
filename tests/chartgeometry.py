"""Where a chart's labels sit, read from the SVG the report context builds: each <text> as a
box (DejaVu Sans, the charts' font, draws digits and most letters within 0.64 em), each drawn
line as a segment, so a test can find a label printed on the dashed 70 % line ("6⁊") or on
another label, as a reader of the printout would."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

# Grid lines are pale and sit behind the text by design; every other stroke is a mark.
BACKGROUND = {"#e3e3e3", "#d0d0d0", "#e9e9e9", "#bdbdbd"}
# Advance widths of DejaVu Sans, in em: the charts' fallback font (and near enough for a brand's).
WIDTHS = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        (
            0.613,
            0.635,
            0.550,
            0.635,
            0.615,
            0.352,
            0.635,
            0.634,
            0.278,
            0.278,
            0.579,
            0.278,
            0.974,
            0.634,
            0.612,
            0.635,
            0.635,
            0.411,
            0.521,
            0.392,
            0.634,
            0.592,
            0.818,
            0.592,
            0.592,
            0.525,
        ),
        strict=True,
    )
) | {
    " ": 0.318,
    "·": 0.318,
    ".": 0.318,
    ",": 0.318,
    ":": 0.337,
    "(": 0.390,
    ")": 0.390,
    "%": 0.950,
    "–": 0.500,
    "-": 0.361,
    "+": 0.838,
}


def width(text: str, size: float) -> float:
    """Digits are 0.636 em, capitals at most 0.77; anything else counted as a capital."""
    return size * sum(
        0.636 if ch.isdigit() else WIDTHS.get(ch, 0.77 if not ch.islower() else 0.65) for ch in text
    )


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float
    text: str

    def meets(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def crosses(self, x1: float, y1: float, x2: float, y2: float) -> bool:
        """Whether a vertical or horizontal segment passes through the box."""
        if x1 == x2:
            return (
                self.left < x1 < self.right and min(y1, y2) < self.bottom and max(y1, y2) > self.top
            )
        if y1 == y2:
            return (
                self.top < y1 < self.bottom and min(x1, x2) < self.right and max(x1, x2) > self.left
            )
        return False


def _attributes(tag: str) -> dict[str, str]:
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def charts(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


def boxes(svg: str) -> list[Box]:
    found = []
    for tag, text in re.findall(r"<text\b([^>]*)>(.*?)</text>", svg, re.S):
        a = _attributes(tag)
        text = unescape(text)
        x, y, size = float(a["x"]), float(a["y"]), float(a.get("font-size", 11))
        wide = width(text, size)
        left = {"start": x, "middle": x - wide / 2, "end": x - wide}[a.get("text-anchor", "start")]
        # Digits and capitals rise 0.73 em above the baseline; no descent in digits.
        found.append(Box(left, y - 0.73 * size, left + wide, y, text))
    return found


def marks(svg: str) -> list[tuple[float, float, float, float]]:
    lines = []
    for tag in re.findall(r"<line\b([^>]*)/?>", svg):
        a = _attributes(tag)
        if a.get("stroke", "").lower() in BACKGROUND or "x1" not in a:
            continue
        lines.append(tuple(float(a[k]) for k in ("x1", "y1", "x2", "y2")))
    return lines


def collisions(svg: str) -> list[str]:
    """Every label that sits on a drawn line or on another label, or runs off the chart."""
    found = []
    labels = boxes(svg)
    chart = float(_attributes(re.match(r"<svg\b([^>]*)>", svg).group(1))["width"])
    found += [f"{b.text!r} runs off the chart" for b in labels if b.left < 0 or b.right > chart]
    for box in labels:
        for line in marks(svg):
            if box.crosses(*line):
                found.append(f"{box.text!r} on a line at x={line[0]:.0f}")
    for index, box in enumerate(labels):
        for other in labels[index + 1 :]:
            if box.meets(other):
                found.append(f"{box.text!r} on {other.text!r}")
    return found
