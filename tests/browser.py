"""A real Chromium for the tests that need a browser, driven by Playwright.

Playwright's own browser download is not reachable from these machines, so the tests drive
the system's Chromium (Debian: ``apt-get install chromium``) through its executable path. On a
laptop without it, the tests skip with the reason; ``.ci/run`` sets AUDITKIT_REQUIRE_BROWSER=1
so that in CI a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Flags for a headless Chromium in a sandboxed container with a closed network: no sandbox
# (root), no GPU, and none of the background connections that would be refused anyway.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium's path, or skip (fail in CI) with the reason."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    reason = "no Chromium on this machine (apt-get install chromium) — browser tests skipped"
    if os.environ.get("AUDITKIT_REQUIRE_BROWSER") == "1":
        pytest.fail(reason.replace("skipped", "required by AUDITKIT_REQUIRE_BROWSER=1"))
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.skip("playwright is not installed (pip install '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def on_first_screen(page, selector: str) -> bool:
    """Whether ``selector`` is wholly inside the viewport as the page opens (not scrolled)."""
    return page.evaluate(
        """(selector) => { window.scrollTo(0, 0); const box = document.querySelector(selector)
        .getBoundingClientRect(); return box.top >= 0 && box.bottom <= window.innerHeight
        && box.right <= window.innerWidth; }""",
        selector,
    )
