"""Invented personas that differ from the reference in one cue, and the guard that keeps real
people's addresses and numbers out of them.

Paired testing compares two testers who match in everything but one trait (the method of
housing and hiring discrimination audits), so each variant persona changes exactly one cue of
the reference: its language, a name cue, an accessibility need or an age cue. Their e-mail
addresses use the domains reserved for examples (RFC 2606: example.com/.net/.org, and the
.test/.example/.invalid top-level domains) and their phone numbers the ranges reserved for
fiction (Ofcom's 07700 900000–900999 in the UK, 555-0100–0199 in North America), so a test
can never write to or call a real person.
"""

from __future__ import annotations

import re

from auditkit.contacts.model import Persona
from auditkit.errors import InputError

RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = (".test", ".example", ".invalid")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+)$")
_UK_DRAMA = re.compile(r"^(\+44\s?7700|07700)\s?900\s?\d{3}$")
_NANP_FICTION = re.compile(r"^(\+1[\s-]?)?(\(?\d{3}\)?[\s-]?)?555[\s-]?01\d\d$")

CUES = ("language", "name", "access", "age")

# cue → (persona id, label, value, name, language)
VARIANTS: dict[str, tuple[str, str, str, str, str]] = {
    "language": ("pl", "Polish-speaking customers", "writes in Polish", "Zofia Nowak", "Polish"),
    "name": (
        "name",
        "customers with a name read as foreign",
        "a name cue",
        "Amina Haddad",
        "English",
    ),
    "access": (
        "access",
        "customers who use a screen reader",
        "needs plain text, no images",
        "Sam Carter",
        "English",
    ),
    "age": (
        "age",
        "customers who mention being 78",
        "says they are 78",
        "Margaret Ellis",
        "English",
    ),
}


def is_reserved_email(address: str) -> bool:
    match = _EMAIL.match(address.strip())
    if not match:
        return False
    domain = match.group(1).lower()
    return domain in RESERVED_DOMAINS or domain.endswith(
        tuple("." + d for d in RESERVED_DOMAINS) + RESERVED_TLDS
    )


def is_reserved_phone(number: str) -> bool:
    number = number.strip()
    return bool(_UK_DRAMA.match(number) or _NANP_FICTION.match(number))


def check_persona(persona: Persona, where: str) -> None:
    """Refuse an address or number that could reach a real person."""
    if not is_reserved_email(persona.email):
        raise InputError.single(
            where,
            f"persona {persona.id!r} has the e-mail address {persona.email!r}, which could belong to a real person",
            expected="an address at a domain reserved for examples: example.com, example.net, example.org, or *.test",
            fix="use e.g. zofia.nowak@example.org; reply-tracking works with a forwarding alias you own",
        )
    if not is_reserved_phone(persona.phone):
        raise InputError.single(
            where,
            f"persona {persona.id!r} has the phone number {persona.phone!r}, which could ring a real person",
            expected="a number reserved for fiction: 07700 900000–07700 900999 (UK) or 555-0100–555-0199 (US)",
            fix="use e.g. 07700 900123; call from a test line, never a customer's number",
        )


def personas_for(cues: tuple[str, ...], reference_language: str = "English") -> tuple[Persona, ...]:
    """The reference persona and one variant per cue, each changing only that cue."""
    people = [
        Persona(
            id="ref",
            label=f"{reference_language}-speaking customers",
            cue="reference",
            value="",
            name="Anna Berg",
            email="anna.berg@example.org",
            phone="07700 900101",
            language=reference_language,
        )
    ]
    for number, cue in enumerate(cues, start=2):
        persona_id, label, value, name, language = VARIANTS[cue]
        first, last = name.lower().split()
        people.append(
            Persona(
                id=persona_id,
                label=label,
                cue=cue,
                value=value,
                name=name if cue in ("language", "name") else "Anna Berg",
                email=f"{first}.{last}@example.org"
                if cue in ("language", "name")
                else f"anna.berg{number}@example.org",
                phone=f"07700 900{100 + number:03d}",
                language=language if cue == "language" else reference_language,
            )
        )
    for persona in people:
        check_persona(persona, "the built-in personas")
    return tuple(people)
