"""Read rubric and overlay files into drafts, checking every field where it stands.

Parsing is split from resolving (``resolve.py``): here each file is checked on its own (keys,
types, scales, ``when:`` syntax), and every value keeps the file and path it came from, so that
a cross-reference found wrong later (an unknown principle, a ``when:`` on an unknown question)
is still reported at its own line and column, even when it came from a sector overlay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auditkit.bias.catalog import EVIDENCE_METRICS  # the checks and metrics evidence may name
from auditkit.errors import Problem, fill
from auditkit.fields import Fields, describe
from auditkit.i18n import _
from auditkit.rubric.model import CUSTOMER_CONTACT, ROLES
from auditkit.rubric.scales import MATURITY, SCALES, normalise_answer
from auditkit.yamlsource import PathKey, YamlDocument

QUESTION_KEYS = {
    "id": "stable id, e.g. handoff.reach-person",
    "principle": "id of the principle the question belongs to",
    "kind": "adoption or safeguard",
    "phase": "1–3",
    "text": "the question",
    "help": "what the question means and why it matters",
    "look_for": "what evidence would support the answer",
    "short": "a few words naming it in a sentence, e.g. 'self-service kiosks or portals'",
    "scale": "yes-partly-no, maturity or adoption",
    "levels": "descriptions of the maturity levels 0–4",
    "allow_na": "whether 'not applicable' is allowed",
    "weight": "how much the safeguard counts",
    "recommendation": "what to do when the safeguard is missing or weak",
    "when": "conditions on earlier answers",
    "evidence": "bias-check metrics that can prove the safeguard unmet",
    "gating": "true when a missing answer holds the safeguard's phase, whatever the average",
    "ask": "who is asked: a list of owner, staff, other (default: the principle's, else owner)",
    "customers": "adoption: how customers meet it (none, receive, beside, instead, decides)",
    "critical": "adoption: the safeguard ids it calls for that nothing makes up for",
    "safeguards": "adoption: the other safeguard ids it calls for",
    "staffed_alternative": "adoption: the safeguard that keeps a 'beside' channel beside staff",
}
ADOPTION_ONLY_KEYS = ("customers", "critical", "safeguards", "staffed_alternative")
CHANGEABLE_QUESTION_KEYS = (
    "text",
    "help",
    "look_for",
    "short",
    "weight",
    "recommendation",
    "allow_na",
    "levels",
    "phase",
    "gating",
    "ask",
    "customers",
    "critical",
    "safeguards",
    "staffed_alternative",
)
PRINCIPLE_KEYS = ("id", "title", "why", "weight", "ask")
CHANGEABLE_PRINCIPLE_KEYS = ("title", "why", "weight", "ask")
RUBRIC_KEYS = (
    "id",
    "version",
    "title",
    "description",
    "scoring",
    "principles",
    "questions",
    "migrations",
)
OVERLAY_KEYS = (
    "overlay",
    "extends",
    "title",
    "description",
    "version",
    "principles",
    "questions",
    "add",
    "remove",
)


@dataclass
class Located:
    """A value together with the file and path it was read from."""

    value: Any
    document: YamlDocument
    path: PathKey

    def problem(self, message: str, *, key: bool = False, **details: Any) -> Problem:
        return self.document.problem(self.path, message, key=key, **details)


@dataclass
class Draft:
    """A principle's or question's checked fields, each remembering where it was written."""

    fields: dict[str, Located] = field(default_factory=dict)
    where: Located | None = None

    def value(self, key: str, default: Any = None) -> Any:
        return self.fields[key].value if key in self.fields else default


DraftQuestion = Draft
DraftPrinciple = Draft


@dataclass
class RubricDraft:
    document: YamlDocument
    id: str
    version: str
    title: str
    description: str
    threshold: float
    principles: list[DraftPrinciple]
    questions: list[DraftQuestion]
    migrations: dict[str, Located]


@dataclass
class OverlayDraft:
    document: YamlDocument
    id: str
    extends: Located
    title: str
    description: str
    version: str
    principle_changes: dict[str, tuple[Located, DraftPrinciple]]
    question_changes: dict[str, tuple[Located, DraftQuestion]]
    added: list[DraftQuestion]
    removed: list[Located]


def is_overlay(document: YamlDocument) -> bool:
    return isinstance(document.data, dict) and "overlay" in document.data


def parse_rubric(document: YamlDocument, problems: list[Problem]) -> RubricDraft:
    top = Fields(document, (), problems, _("the rubric"))
    top.check_keys(RUBRIC_KEYS, required=("id", "version", "title", "principles", "questions"))
    threshold = 0.7
    if "scoring" in top.data:
        scoring = Fields(document, ("scoring",), problems, "'scoring'")
        scoring.check_keys(("threshold",))
        threshold = scoring.number("threshold", 0.7, low=0.0, high=1.0, low_open=True)
    return RubricDraft(
        document=document,
        id=top.identifier("id"),
        version=_version(top),
        title=top.text("title"),
        description=top.text("description"),
        threshold=threshold,
        principles=[
            _parse_principle(document, ("principles", i), problems, full=True)
            for i in _list_indexes(top, "principles")
        ],
        questions=[
            _parse_question(document, ("questions", i), problems, full=True)
            for i in _list_indexes(top, "questions")
        ],
        migrations=_parse_migrations(top),
    )


def parse_overlay(document: YamlDocument, problems: list[Problem]) -> OverlayDraft:
    top = Fields(document, (), problems, _("the sector overlay"))
    top.check_keys(OVERLAY_KEYS, required=("overlay", "extends", "title"))
    return OverlayDraft(
        document=document,
        id=top.identifier("overlay"),
        extends=Located(top.get("extends", str, ""), document, ("extends",)),
        title=top.text("title"),
        description=top.text("description"),
        version=_version(top, required=False),
        principle_changes={
            key: (
                Located(key, document, ("principles", key)),
                _parse_principle(document, ("principles", key), problems, full=False),
            )
            for key in _mapping_keys(top, "principles")
        },
        question_changes={
            key: (
                Located(key, document, ("questions", key)),
                _parse_question(document, ("questions", key), problems, full=False),
            )
            for key in _mapping_keys(top, "questions")
        },
        added=[
            _parse_question(document, ("add", i), problems, full=True)
            for i in _list_indexes(top, "add")
        ],
        removed=[
            Located(value, document, ("remove", i))
            for i, value in enumerate(top.get("remove", list, []))
        ],
    )


def _version(top: Fields, required: bool = True) -> str:
    value = top.get("version", (str, int, float), "")
    return str(value) if value != "" or not required else ""


def _list_indexes(top: Fields, key: str) -> range:
    return range(len(top.get(key, list, [])))


def _mapping_keys(top: Fields, key: str) -> list[str]:
    mapping = top.get(key, dict, {})
    return [str(k) for k in mapping]


def _parse_migrations(top: Fields) -> dict[str, Located]:
    mapping = top.get("migrations", dict, {})
    migrations = {}
    for old_id, new_id in mapping.items():
        path = ("migrations", old_id)
        if new_id is not None and not isinstance(new_id, str):
            top.problem(
                path,
                fill(
                    _("migration of {old} must name the new question id, or be empty if removed"),
                    old=repr(old_id),
                ),
                expected=_("a question id or nothing (null)"),
                found=describe(new_id),
            )
            continue
        migrations[str(old_id)] = Located(new_id, top.document, (*top.path, *path))
    return migrations


def _parse_principle(
    document: YamlDocument, path: PathKey, problems: list[Problem], *, full: bool
) -> DraftPrinciple:
    what = (
        fill(_("principle {id}"), id=repr(document.value_at((*path, "id")) or path[-1]))
        if full
        else fill(_("the change to principle {id}"), id=repr(path[-1]))
    )
    f = Fields(document, path, problems, what)
    draft = DraftPrinciple(where=Located(None, document, path))
    if not f.ok:
        return draft
    if full:
        f.check_keys(PRINCIPLE_KEYS, required=("id", "title", "why"))
    else:
        f.check_keys(CHANGEABLE_PRINCIPLE_KEYS)
    readers = {
        "id": lambda: f.identifier("id"),
        "title": lambda: f.text("title"),
        "why": lambda: f.text("why"),
        "weight": lambda: f.number("weight", 1.0, low=0.0, high=100.0, low_open=True),
        "ask": lambda: _parse_ask(f),
    }
    for key, read in readers.items():
        if key in f.data and (full or key in CHANGEABLE_PRINCIPLE_KEYS):
            draft.fields[key] = Located(read(), document, (*path, key))
    return draft


def _parse_question(
    document: YamlDocument, path: PathKey, problems: list[Problem], *, full: bool
) -> DraftQuestion:
    question_id = document.value_at((*path, "id")) if full else path[-1]
    what = (
        fill(_("question {id}"), id=repr(question_id))
        if question_id
        else fill(_("question number {number}"), number=path[-1] + 1)
    )
    if not full:
        what = fill(_("the change to question {id}"), id=repr(question_id))
    f = Fields(document, path, problems, what)
    draft = DraftQuestion(where=Located(question_id, document, path))
    if not f.ok:
        return draft
    allowed = QUESTION_KEYS if full else CHANGEABLE_QUESTION_KEYS
    f.check_keys(
        allowed, required=("id", "principle", "kind", "phase", "text", "help") if full else ()
    )

    def keep(key: str, value: Any) -> None:
        if key in f.data:
            draft.fields[key] = Located(value, document, (*path, key))

    keep("id", f.identifier("id") if full else None)
    keep("principle", f.get("principle", str, ""))
    kind = f.choice("kind", ("adoption", "safeguard")) if full else None
    keep("kind", kind)
    keep("phase", f.integer("phase", low=1, high=3))
    for key in ("text", "help", "look_for", "short", "recommendation"):
        keep(key, f.text(key))
    keep("allow_na", f.boolean("allow_na", False))
    keep("gating", f.boolean("gating", False))
    keep("weight", f.number("weight", 1.0, low=0.0, high=100.0, low_open=True))
    keep("ask", _parse_ask(f))
    keep("customers", f.choice("customers", CUSTOMER_CONTACT))
    for key in ("critical", "safeguards"):
        keep(key, _parse_ids(f, key))
    keep("staffed_alternative", f.get("staffed_alternative", str, ""))
    scale_id = f.choice("scale", tuple(SCALES)) if full else None
    if full:
        default_scale = "adoption" if kind == "adoption" else "yes-partly-no"
        draft.fields["scale"] = Located(scale_id or default_scale, document, (*path, "scale"))
    keep("levels", _parse_levels(f))
    if full:
        keep("when", _parse_when(f))
        keep("evidence", _parse_evidence(f))
        _check_kind_rules(f, draft, kind)
    return draft


def _parse_ids(f: Fields, key: str) -> tuple[str, ...]:
    """A list of question ids (``critical:``, ``safeguards:``); checked against the rubric later."""
    raw = f.get(key, list, [])
    ids = []
    for index, value in enumerate(raw):
        if not isinstance(value, str) or not value:
            f.problem(
                (key, index),
                fill(_("{key} of {what} lists safeguard ids"), key=repr(key), what=f.what),
                expected=_("a safeguard id, e.g. handoff.reach-person"),
                found=describe(value),
            )
            continue
        ids.append(value)
    return tuple(ids)


def _parse_ask(f: Fields) -> tuple[str, ...] | None:
    """``ask: [owner, staff]``: who is put the question (a role or a list of roles)."""
    raw = f.get("ask", (list, str), None)
    if raw is None:
        return None
    roles = [raw] if isinstance(raw, str) else raw
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        f.problem(
            ("ask",),
            fill(_("'ask' of {what} names who is asked"), what=f.what),
            expected=fill(_("a list of {roles}"), roles=", ".join(ROLES)),
            found=describe(unknown[0] if unknown else raw),
            fix=_("for example  ask: [owner, staff]"),
        )
        return None
    return tuple(role for role in ROLES if role in roles)


def _parse_levels(f: Fields) -> dict[str, str]:
    levels = f.get("levels", dict, {})
    result = {}
    for raw_value, description in levels.items():
        value = normalise_answer(raw_value)
        if value not in MATURITY.values:
            f.problem(
                ("levels", raw_value),
                fill(
                    _("'levels' of {what} names a level that the maturity scale does not have"),
                    what=f.what,
                ),
                key=True,
                expected=_("levels 0, 1, 2, 3 and 4"),
                found=describe(raw_value),
            )
        elif not isinstance(description, str) or not description.strip():
            f.problem(
                ("levels", raw_value),
                fill(
                    _("level {level} of {what} needs a short description"), level=value, what=f.what
                ),
                found=describe(description),
            )
        else:
            result[value] = description.strip()
    return result


def _parse_when(f: Fields) -> list[dict[str, tuple[str, ...]]]:
    """``when:`` is a mapping {question id: allowed answers} or a list of such mappings (any)."""
    raw = f.get("when", (dict, list), None)
    if raw is None:
        return []
    alternatives = raw if isinstance(raw, list) else [raw]
    conditions = []
    for index, alternative in enumerate(alternatives):
        at = ("when", index) if isinstance(raw, list) else ("when",)
        if not isinstance(alternative, dict) or not alternative:
            f.problem(
                at,
                fill(
                    _(
                        "'when' of {what} must map earlier question ids to the answers that "
                        "make it apply"
                    ),
                    what=f.what,
                ),
                expected=_("for example  when: {adopt.chatbot: [live, pilot]}"),
                found=describe(alternative),
            )
            continue
        condition = {}
        for question_id, answers in alternative.items():
            values = answers if isinstance(answers, list) else [answers]
            if not values:
                f.problem(
                    (*at, question_id),
                    fill(
                        _("'when' of {what} lists no answers for {question}"),
                        what=f.what,
                        question=repr(question_id),
                    ),
                )
            condition[str(question_id)] = tuple(normalise_answer(v) for v in values)
        conditions.append(condition)
    return conditions


def _parse_evidence(f: Fields) -> list[dict[str, str]]:
    raw = f.get("evidence", list, [])
    links = []
    for index in range(len(raw)):
        sub = Fields(
            f.document,
            (*f.path, "evidence", index),
            f.problems,
            fill(_("evidence {number} of {what}"), number=index + 1, what=f.what),
        )
        if not sub.ok:
            continue
        sub.check_keys(("check", "metric"), required=("check", "metric"))
        check = sub.choice("check", (*EVIDENCE_METRICS, "check"))
        metric = sub.get("metric", str, "")
        known = EVIDENCE_METRICS.get(check or "", ())
        if check in EVIDENCE_METRICS and metric and metric not in known:
            sub.choice("metric", known)
        links.append({"check": check or "", "metric": metric})
    return links


def _check_kind_rules(f: Fields, draft: DraftQuestion, kind: str | None) -> None:
    scale = draft.value("scale")
    if kind == "adoption":
        if scale != "adoption":
            f.problem(
                ("scale",),
                fill(
                    _("{what} is an adoption question, which is answered on the adoption scale"),
                    what=f.what,
                ),
                expected=_("scale: adoption (or no scale key)"),
                found=repr(scale),
            )
        for key in ("weight", "recommendation", "evidence", "gating"):
            if key in f.data:
                f.problem(
                    (key,),
                    fill(
                        _("{key} belongs to safeguards; {what} is an adoption question"),
                        key=repr(key),
                        what=f.what,
                    ),
                    key=True,
                    fix=fill(
                        _("remove {key}, or make the question kind: safeguard"), key=repr(key)
                    ),
                )
    elif kind == "safeguard":
        for key in ADOPTION_ONLY_KEYS:
            if key in f.data:
                f.problem(
                    (key,),
                    fill(
                        _("{key} belongs to adoption entries; {what} is a safeguard"),
                        key=repr(key),
                        what=f.what,
                    ),
                    key=True,
                    fix=fill(
                        _("remove {key}, or list this safeguard under an adoption entry"),
                        key=repr(key),
                    ),
                )
        if scale == "adoption":
            f.problem(
                ("scale",),
                fill(
                    _(
                        "{what} is a safeguard, which is answered yes-partly-no or on the "
                        "maturity scale"
                    ),
                    what=f.what,
                ),
                expected=_("scale: yes-partly-no or scale: maturity"),
                found="'adoption'",
            )
        if "recommendation" not in f.data:
            f.problem(
                (),
                fill(_("{what} is a safeguard and needs a recommendation"), what=f.what),
                expected=_(
                    "recommendation: what the business should do when the safeguard is missing "
                    "or weak"
                ),
                found=_("no 'recommendation' key"),
                fix=_("add 'recommendation:' with one or two sentences of advice"),
            )
    if "levels" in f.data and scale != "maturity":
        f.problem(
            ("levels",),
            fill(
                _("'levels' describes maturity levels, but {what} uses the {scale} scale"),
                what=f.what,
                scale=repr(scale),
            ),
            key=True,
            fix=_("remove 'levels', or set scale: maturity"),
        )
