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
from auditkit.errors import InputError, fill
from auditkit.i18n import _

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


def persona_problems(persona: Persona) -> list[tuple[str, str, str, str]]:
    """(field, message, expected, fix) for an address or number that could reach a real person."""
    problems = []
    if not is_reserved_email(persona.email):
        problems.append(
            (
                "email",
                fill(
                    _(
                        "persona {persona} has the e-mail address {address}, which could belong "
                        "to a real person"
                    ),
                    persona=repr(persona.id),
                    address=repr(persona.email),
                ),
                _(
                    "an address at a domain reserved for examples: example.com, example.net, "
                    "example.org, or *.test"
                ),
                _(
                    "use e.g. zofia.nowak@example.org; to read replies, forward them from an "
                    "alias you own"
                ),
            )
        )
    if not is_reserved_phone(persona.phone):
        problems.append(
            (
                "phone",
                fill(
                    _(
                        "persona {persona} has the phone number {number}, which could ring a "
                        "real person"
                    ),
                    persona=repr(persona.id),
                    number=repr(persona.phone),
                ),
                _(
                    "a number reserved for fiction: 07700 900000–07700 900999 (UK) or "
                    "555-0100–555-0199 (US)"
                ),
                _("use e.g. 07700 900123; call from a test line, never a customer's number"),
            )
        )
    return problems


def check_persona(persona: Persona, where: str) -> None:
    """Refuse an address or number that could reach a real person."""
    problems = persona_problems(persona)
    if problems:
        from auditkit.errors import Problem

        raise InputError([Problem(where, m, expected=e, fix=f) for _field, m, e, f in problems])


def read_personas(path) -> tuple[Persona, ...]:
    """Personas from a YAML file (``--personas``): a list under ``personas:``, exactly one with
    ``cue: reference`` and at most one per other cue; every address and number reserved.
    Each problem names its line and column."""
    from auditkit.errors import Problem
    from auditkit.fileio import read_text
    from auditkit.yamlsource import parse_yaml

    document = parse_yaml(
        read_text(
            path, expected=_("personas (YAML)"), missing_fix=_("check the path of --personas")
        ),
        str(path),
    )
    items = document.data.get("personas") if isinstance(document.data, dict) else None
    if not isinstance(items, list) or not items:
        raise InputError.single(
            str(path),
            _("has no list under 'personas:'"),
            expected=_(
                "personas: followed by a list of personas (id, cue, label, name, email, phone)"
            ),
            fix=_("start from the personas of a plan.yaml that 'auditkit contacts plan' wrote"),
        )
    problems: list[Problem] = []
    people: list[Persona] = []
    cues_seen: dict[str, str] = {}
    for index, item in enumerate(items):
        where = ("personas", index)
        if not isinstance(item, dict):
            problems.append(
                document.problem(
                    where, _("a persona must be a mapping of id, cue, label, name, email, phone")
                )
            )
            continue
        missing = [
            k
            for k in ("id", "cue", "label", "name", "email", "phone")
            if not str(item.get(k, "")).strip()
        ]
        if missing:
            problems.append(
                document.problem(
                    where, fill(_("this persona lacks {keys}"), keys=", ".join(missing))
                )
            )
            continue
        cue = str(item["cue"])
        if cue not in ("reference", *CUES):
            problems.append(
                document.problem(
                    (*where, "cue"),
                    fill(_("unknown cue {cue}"), cue=repr(cue)),
                    expected="reference, " + ", ".join(CUES),
                )
            )
            continue
        if cue in cues_seen:
            problems.append(
                document.problem(
                    (*where, "cue"),
                    fill(
                        _("a second persona with cue {cue} (the first is {first})"),
                        cue=repr(cue),
                        first=repr(cues_seen[cue]),
                    ),
                    fix=_("each persona changes one cue, and each cue has one persona"),
                )
            )
            continue
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,20}", str(item["id"])) or str(item["id"]) in {
            p.id for p in people
        }:
            problems.append(
                document.problem(
                    (*where, "id"),
                    fill(
                        _("the id {id} must be unique, up to 20 letters, digits, - or _"),
                        id=repr(item["id"]),
                    ),
                )
            )
            continue
        cues_seen[cue] = str(item["id"])
        persona = Persona(
            id=str(item["id"]),
            label=str(item["label"])[:60],
            cue=cue,
            value=str(item.get("value", "")),
            name=str(item["name"]),
            email=str(item["email"]),
            phone=str(item["phone"]),
            language=str(item.get("language", "English")),
        )
        for field_name, message, expected, fix in persona_problems(persona):
            problems.append(
                document.problem((*where, field_name), message, expected=expected, fix=fix)
            )
        people.append(persona)
    if not problems and "reference" not in cues_seen:
        problems.append(
            document.problem(
                ("personas",),
                _("no persona has cue: reference"),
                fix=_("mark the persona the others are compared with as cue: reference"),
            )
        )
    if not problems and len(people) < 2:
        problems.append(
            document.problem(
                ("personas",),
                _("only the reference persona"),
                fix=_("add a persona that changes one cue"),
            )
        )
    if problems:
        raise InputError(problems)
    people.sort(key=lambda p: p.cue != "reference")
    return tuple(people)


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
