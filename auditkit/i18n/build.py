"""The translator's and the build's commands over the catalogs (Babel's pybabel, with
auditkit's paths filled in)::

    python -m auditkit.i18n.build extract    # strings in code and templates -> locale/auditkit.pot
    python -m auditkit.i18n.build update     # the .pot merged into every <lang>/…/auditkit.po
    python -m auditkit.i18n.build compile    # every .po -> .mo (the wheel's build does this too)
    python -m auditkit.i18n.build init fr    # start a new language from the .pot
    python -m auditkit.i18n.build status     # per language: translated, missing, unsure

Run from a source checkout (the folder with babel.cfg). ``status`` exits 1 when a shipped
language has a missing or unsure (fuzzy) string, or a translation whose placeholders or option
tokens differ from the English, so CI can hold a release on it.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from auditkit.i18n.catalogs import DOMAIN, LOCALE, compile_po

ROOT = Path(__file__).resolve().parents[2]
POT = LOCALE / f"{DOMAIN}.pot"
KEYWORDS = ["-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "N_"]


def _pybabel(*arguments: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *arguments])


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def extract() -> None:
    """Run from the checkout's root so the references read ``auditkit/serve/app.py:12`` (the
    same in every checkout: an absolute path would differ per machine and make every merge of
    the catalogs conflict)."""
    import os

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        _pybabel(
            "extract",
            "-F",
            "babel.cfg",
            *KEYWORDS,
            "--no-wrap",
            "--sort-by-file",
            "--project=auditkit",
            "--copyright-holder=The auditkit authors",
            "--msgid-bugs-address=https://github.com/auditkit/auditkit/issues",
            "-o",
            str(POT),
            ".",
        )
    finally:
        os.chdir(here)
    _drop_creation_date(POT)


def _drop_creation_date(path: Path) -> None:
    """The .pot changes only when a string does: no creation time in its header."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith('"POT-Creation-Date:')]
    path.write_text("".join(kept), encoding="utf-8")


def update() -> None:
    for language in languages():
        _pybabel(
            "update",
            "-i",
            str(POT),
            "-d",
            str(LOCALE),
            "-D",
            DOMAIN,
            "-l",
            language,
            "--no-wrap",
            "--ignore-pot-creation-date",
        )


def init(language: str) -> None:
    _pybabel("init", "-i", str(POT), "-d", str(LOCALE), "-D", DOMAIN, "-l", language, "--no-wrap")


def compile_all() -> list[Path]:
    written = []
    for language in languages():
        po = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written


# What a translation must keep exactly as the English has it: an error message's option tokens
# (``{{group language}}``, ``{{score {column}}}``: each interface renders them as its own flag,
# keyword or form field, see auditkit.wording), named placeholders (``{count}``, ``%(title)s``)
# and ``%%``. A translation may move them, never drop, rename, add or change one.
TOKEN = re.compile(r"\{\{[^{}]*(?:\{\w*\}[^{}]*)*\}\}")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%%")


def kept(text: str) -> Counter:
    """The tokens and placeholders of ``text``, each as often as it occurs."""
    tokens = TOKEN.findall(text)
    return Counter(tokens) + Counter(PLACEHOLDER.findall(TOKEN.sub(" ", text)))


def mismatches(catalog) -> list[tuple[str, str]]:
    """(English, translation) for every translated entry of a Babel catalog whose tokens or
    placeholders differ. A plural form is checked against the English plural (its singular
    may leave out the number: "one problem" / "{count} problems")."""
    found = []
    for message in catalog:
        if not message.id or not message.string or "fuzzy" in message.flags:
            continue
        if isinstance(message.id, str):
            if kept(message.string) != kept(message.id):
                found.append((message.id, message.string))
            continue
        singular, plural = message.id[0], message.id[-1]
        allowed = kept(singular) | kept(plural)
        for text in message.string:
            have = kept(text)
            if not text:
                continue
            tokens = Counter({k: v for k, v in have.items() if k.startswith("{{")})
            wanted = Counter({k: v for k, v in kept(plural).items() if k.startswith("{{")})
            if tokens != wanted or have - allowed:
                found.append((plural, text))
    return found


def status() -> int:
    """Print translated / missing / unsure per language, and every translation whose tokens
    or placeholders differ from the English; 1 if any language is not complete and right."""
    from babel.messages.pofile import read_po

    with POT.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    worst = 0
    for language in languages():
        with (LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
            catalog = read_po(handle)
        done = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
        unsure = {m.id for m in catalog if m.id and "fuzzy" in m.flags}
        missing = wanted - done - unsure
        print(
            f"{language}: {len(wanted & done)} translated, {len(missing)} missing, {len(unsure)} unsure"
        )
        for message in sorted(map(str, missing | unsure))[:20]:
            print(f"  {message[:90]}")
        wrong = mismatches(catalog)
        for english, translation in wrong:
            print(
                f"  placeholders or option tokens differ: {english[:70]!r} → {translation[:70]!r}"
            )
        worst = max(worst, 1 if missing or unsure or wrong else 0)
    return worst


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    if command == "extract":
        extract()
    elif command == "update":
        update()
    elif command == "compile":
        for path in compile_all():
            print(path.relative_to(ROOT))
    elif command == "init" and len(argv) == 2:
        init(argv[1])
    elif command == "status":
        return status()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
