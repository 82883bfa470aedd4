"""Where rubrics live: the shipped ones, and the user's own folders.

Users can name a rubric by id anywhere a rubric is taken, or point at a file. Ids are looked up
in the shipped rubrics (inside the installed package, or the repository's ``rubrics/`` folder
when running from a checkout), then in the folders listed in ``AUDITKIT_RUBRICS`` (separated
like PATH), then in ``$XDG_CONFIG_HOME/auditkit/rubrics`` (``~/.config/auditkit/rubrics``).
A user rubric with the same id as a shipped one is reported, not silently preferred.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_dir(name: str) -> Path:
    """A folder shipped with auditkit: inside the wheel, or at the top of a source checkout."""
    installed = PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


def user_rubric_dirs() -> list[Path]:
    dirs = [Path(p) for p in os.environ.get("AUDITKIT_RUBRICS", "").split(os.pathsep) if p]
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    dirs.append(config_home / "auditkit" / "rubrics")
    return dirs


@dataclass(frozen=True)
class Entry:
    """One rubric or overlay file found in a search folder, read only as far as its header."""

    file: Path
    kind: str  # "rubric" or "overlay"
    id: str
    shipped: bool
    extends: str | None = None
    title: str = ""
    version: str = ""
    description: str = ""


def _read_header(file: Path, shipped: bool) -> Entry | None:
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return Entry(file, "invalid", file.stem, shipped)
    if not isinstance(data, dict):
        return Entry(file, "invalid", file.stem, shipped)
    if "overlay" in data:
        return Entry(
            file,
            "overlay",
            str(data.get("overlay")),
            shipped,
            extends=str(data.get("extends")),
            title=str(data.get("title", "")),
            version=str(data.get("version", "")),
            description=" ".join(str(data.get("description", "")).split()),
        )
    if "id" in data and "questions" in data:
        return Entry(
            file,
            "rubric",
            str(data["id"]),
            shipped,
            title=str(data.get("title", "")),
            version=str(data.get("version", "")),
        )
    return None  # some other YAML file that happens to sit in the folder


@cache
def _scan(directory: Path, shipped: bool) -> tuple[Entry, ...]:
    if not directory.is_dir():
        return ()
    files = sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return tuple(entry for f in files if (entry := _read_header(f, shipped)) is not None)


def scan_folder(directory: Path) -> tuple[Entry, ...]:
    """Rubrics and overlays in one folder of the user's (for an overlay's siblings)."""
    return _scan(directory, False)


def entries() -> list[Entry]:
    """Every rubric and overlay that can be named by id, shipped ones first."""
    found = list(_scan(data_dir("rubrics"), True))
    for directory in user_rubric_dirs():
        found.extend(_scan(directory.resolve(), False))
    return found


def looks_like_path(reference: str) -> bool:
    return reference.endswith((".yaml", ".yml")) or os.sep in reference or "/" in reference
