"""Where the text of a PDF sits, read back with pypdf: the lines of each page with their height
on the page and their font size, so a test can see a heading stranded at a page's foot or a
page left mostly empty, as a reader leafing through the printout would."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pypdf

MARGIN = 70.0  # points: the running header and footer sit in the page's top and bottom 22 mm


@dataclass(frozen=True)
class Line:
    y: float  # from the bottom of the page, in points
    size: float  # font size as rendered, in points
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    height: float
    lines: tuple[Line, ...]  # body lines only (header and footer left out), top first

    @property
    def last(self) -> Line | None:
        return self.lines[-1] if self.lines else None

    @property
    def first(self) -> Line | None:
        return self.lines[0] if self.lines else None

    def fill(self) -> float:
        """How far down the body the text reaches, 0–1."""
        if not self.lines:
            return 0.0
        usable = self.height - 2 * MARGIN
        return min(1.0, (self.height - MARGIN - self.lines[-1].y) / usable)


def pages(path: Path | BinaryIO) -> list[Page]:
    reader = pypdf.PdfReader(path if hasattr(path, "read") else str(path))  # a file or its bytes
    result = []
    for number, page in enumerate(reader.pages, start=1):
        height = float(page.mediabox.height)
        pieces: dict[float, list[tuple[float, float, str]]] = {}

        def visit(text, cm, tm, font, size, pieces=pieces):
            if not text.strip():
                return
            scale = (tm[3] * cm[3]) or (tm[0] * cm[0]) or 1.0
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.setdefault(round(y, 0), []).append((x, abs(size * scale), text.strip()))

        page.extract_text(visitor_text=visit)
        lines = [
            Line(y, max(s for _, s, _ in chunks), " ".join(t for _, _, t in sorted(chunks)))
            for y, chunks in pieces.items()
            if MARGIN < y < height - MARGIN
        ]
        lines.sort(key=lambda line: -line.y)
        result.append(Page(number, height, tuple(lines)))
    return result
