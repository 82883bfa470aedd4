"""What the machine provides: library versions for bug reports, and a missing system library
explained in words instead of a traceback."""

from __future__ import annotations

import ctypes
import ctypes.util
from importlib import metadata

# The libraries whose versions can change a result: numbers (fairlearn, scikit-learn, scipy,
# pandas, DuckDB) or the PDF (WeasyPrint, Pango).
LIBRARIES = ("fairlearn", "scikit-learn", "scipy", "pandas", "duckdb", "weasyprint", "jinja2")


def pango_version() -> str:
    """Pango's version from the shared library itself, or why there is none."""
    name = ctypes.util.find_library("pango-1.0")
    if not name:
        return "not found (PDF output needs it; HTML works without it)"
    try:
        library = ctypes.CDLL(name)
        library.pango_version_string.restype = ctypes.c_char_p
        return library.pango_version_string().decode()
    except (OSError, AttributeError):
        return f"found ({name}), version unknown"


def library_versions() -> list[tuple[str, str]]:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, "not installed"))
    versions.append(("Pango", pango_version()))
    return versions


def missing_library(error: OSError) -> str | None:
    """A message for a system library that failed to load (WeasyPrint's Pango and friends),
    or None when ``error`` is something else."""
    text = str(error)
    if "cannot load library" not in text and "no library called" not in text:
        return None
    library = text.split("'")[1] if "'" in text else "a system library"
    return (
        f"auditkit: the system library {library} is missing: WeasyPrint needs Pango to make PDFs.\n"
        "  Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0\n"
        "  Fedora:        sudo dnf install pango\n"
        "  macOS:         brew install pango\n"
        "HTML output works without it: write the report with -o report.html."
    )
