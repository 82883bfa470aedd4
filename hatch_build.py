"""Build hook: compile every translation catalog (.po -> .mo) into the wheel.

The compiled ``.mo`` files are not kept in git (they are derived, and a stale one would hide a
translator's edit); every wheel is built with them, so an installed auditkit never needs Babel
to compile at run time. A source checkout compiles on first use instead (auditkit/i18n/
catalogs.py). Uses Babel only (declared as this hook's build dependency in pyproject.toml).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "auditkit" / "i18n" / "locale"
        self._folder = tempfile.TemporaryDirectory()
        for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle)
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            relative = po.relative_to(self.root).with_suffix(".mo")
            target = Path(self._folder.name) / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(buffer.getvalue())
            build_data["force_include"][str(target)] = relative.as_posix()

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            folder.cleanup()
