"""Turn a rubric reference (id or file) and an optional sector into one checked Rubric.

A sector overlay extends a base rubric (or another overlay) without copying it: it can change
principle and question fields (weights, help text…), add questions and remove them. Overlays are
applied from the base outwards; cross-references are checked once, on the result, so an error
introduced by an overlay is reported at the overlay's own line and column.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from auditkit.errors import InputError, Problem, did_you_mean, fill, quoted_list
from auditkit.i18n import _
from auditkit.rubric import registry
from auditkit.rubric.inventory import check_inventory
from auditkit.rubric.model import Condition, EvidenceLink, Principle, Question, Rubric
from auditkit.rubric.parse import (
    DraftPrinciple,
    DraftQuestion,
    Located,
    OverlayDraft,
    RubricDraft,
    is_overlay,
    parse_overlay,
    parse_rubric,
)
from auditkit.rubric.scales import SCALES, normalise_answer, with_level_descriptions
from auditkit.yamlsource import YamlDocument, load_yaml


def load_rubric(
    reference: str | Path, sector: str | None = None, lang: str | None = None
) -> Rubric:
    """Load the rubric named by id or file, with the sector overlay ``sector`` applied.

    ``sector`` is an overlay id (``hospitality``) or an overlay file. ``lang`` (``de``) gives
    its texts in that language where translated, English elsewhere; ids, levels and the content
    hash do not change (``rubric.translate.localize`` also says what fell back). Raises
    InputError with every problem found in every file involved.
    """
    rubric = _load(reference, sector)
    if lang:
        from auditkit.rubric.translate import localize

        rubric, _fallbacks = localize(rubric, lang)
    return rubric


def _load(reference: str | Path, sector: str | None) -> Rubric:
    top = _locate(str(reference))
    if sector:
        overlay_document = _locate(sector, want="overlay")
        if not is_overlay(overlay_document):
            raise InputError.single(
                overlay_document.file,
                fill(_("{sector} is a rubric, not a sector overlay"), sector=repr(sector)),
                fix=_("pass a sector overlay with --sector (see 'auditkit rubric list')"),
            )
        chain = _chain(overlay_document)
        given = _chain(top)
        base_id = _document_id(chain[0])
        wanted_id = _document_id(given[0])
        if base_id != wanted_id:
            raise InputError.single(
                overlay_document.file,
                fill(
                    _("sector overlay {sector} extends rubric {base}, not {wanted}"),
                    sector=repr(sector),
                    base=repr(base_id),
                    wanted=repr(wanted_id),
                ),
                fix=fill(
                    _("choose a sector made for {wanted}, or drop --sector"), wanted=repr(wanted_id)
                ),
            )
        # The overlay applies to the rubric the user named (their edited copy of the base,
        # say), not to the shipped file that happens to have the same id.
        chain = [*given, *chain[1:]]
    else:
        chain = _chain(top)
    return _build(chain)


def load_file_strict(path: Path) -> Rubric:
    """Load one rubric or overlay file as ``rubric validate`` does."""
    return _build(_chain(load_yaml(path)))


def _document_id(document: YamlDocument) -> str:
    data = document.data if isinstance(document.data, dict) else {}
    return str(data.get("overlay") or data.get("id") or "")


def _locate(reference: str, want: str = "rubric") -> YamlDocument:
    if registry.looks_like_path(reference) or Path(reference).is_file():
        return load_yaml(reference)
    found = [e for e in registry.entries() if e.id == reference and e.kind in ("rubric", "overlay")]
    if not found:
        known = sorted({e.id for e in registry.entries() if e.kind == (want if want else "rubric")})
        guess = did_you_mean(reference, known)
        raise InputError.single(
            reference,
            _("no sector overlay with this id")
            if want == "overlay"
            else _("no rubric with this id"),
            expected=fill(
                _("one of {choices}, or a path to a YAML file"), choices=quoted_list(known)
            ),
            found=repr(reference),
            fix=fill(_("did you mean {guess}?"), guess=repr(guess))
            if guess
            else _("run 'auditkit rubric list' to see what is available"),
        )
    if len({e.file for e in found}) > 1 and not all(e.shipped for e in found):
        files = ", ".join(str(e.file) for e in found)
        raise InputError.single(
            reference,
            _("more than one rubric has this id"),
            found=files,
            fix=_("pass the file path instead of the id, or give your own rubric a different id"),
        )
    return load_yaml(found[0].file)


def _chain(top: YamlDocument) -> list[YamlDocument]:
    """The documents from the base rubric up to ``top``, following each overlay's ``extends``."""
    chain = [top]
    seen = {Path(top.file).resolve()}
    while is_overlay(chain[0]):
        overlay = chain[0]
        extends = overlay.data.get("extends")
        if not isinstance(extends, str) or not extends:
            break  # parse_overlay reports the missing or mistyped key
        if registry.looks_like_path(extends):
            try:
                parent = load_yaml(Path(overlay.file).parent / extends)
            except InputError as error:  # say which overlay sent us to that file
                raise InputError(
                    [
                        *error.problems,
                        overlay.problem(
                            ("extends",),
                            _("the overlay's 'extends' points at that file"),
                            fix=_(
                                "point 'extends' at a rubric or overlay file, or name a rubric id"
                            ),
                        ),
                    ]
                ) from None
        else:
            parent = _locate_parent(overlay, extends)
        if not isinstance(parent.data, dict):
            raise InputError(
                [
                    Problem(
                        parent.file, _("is not a rubric or an overlay (its content is not shown)")
                    ),
                    overlay.problem(
                        ("extends",),
                        _("the overlay's 'extends' points at that file"),
                        fix=_("point 'extends' at a rubric or overlay file, or name a rubric id"),
                    ),
                ]
            )
        parent_file = Path(parent.file).resolve()
        if parent_file in seen:
            names = " → ".join(_document_id(d) for d in (*reversed(chain), parent))
            raise InputError(
                [
                    overlay.problem(
                        ("extends",),
                        _("sector overlays extend each other in a cycle"),
                        expected=_("a chain of overlays that ends at a base rubric"),
                        found=names,
                        fix=_("make one of these overlays extend the base rubric instead"),
                    )
                ]
            )
        seen.add(parent_file)
        chain.insert(0, parent)
    return chain


def _locate_parent(overlay: YamlDocument, extends: str) -> YamlDocument:
    """The document an overlay extends by id: a sibling file first, then the search folders."""
    folder = Path(overlay.file).resolve().parent
    for entry in registry.scan_folder(folder):
        if entry.id == extends and entry.kind in ("rubric", "overlay"):
            return load_yaml(entry.file)
    try:
        return _locate(extends)
    except InputError as error:
        located = overlay.problem(
            ("extends",),
            fill(_("the overlay extends {extends}, which is not found"), extends=repr(extends)),
            expected=error.problems[0].expected,
            found=repr(extends),
            fix=error.problems[0].fix,
        )
        raise InputError([located]) from None


def _build(chain: list[YamlDocument]) -> Rubric:
    problems: list[Problem] = []
    base_document, overlay_documents = chain[0], chain[1:]
    if is_overlay(base_document):
        # The chain stopped at an overlay whose 'extends' is missing: report it and stop.
        parse_overlay(base_document, problems)
        raise InputError(problems)
    draft = parse_rubric(base_document, problems)
    overlays = [parse_overlay(document, problems) for document in overlay_documents]
    for overlay in overlays:
        _apply_overlay(draft, overlay, problems)
    principle_drafts, question_drafts = _check_references(draft, problems)
    if problems:
        raise InputError(problems)
    principles = tuple(_principle(p) for p in principle_drafts)
    asked_by = {p.id: p.ask for p in principles}
    questions = tuple(_question(q, asked_by) for q in question_drafts)
    top = overlays[-1] if overlays else None
    rubric = Rubric(
        id=draft.id,
        version=draft.version,
        title=draft.title,
        description=draft.description,
        principles=principles,
        questions=questions,
        threshold=draft.threshold,
        migrations={old: loc.value for old, loc in draft.migrations.items()},
        sector=top.id if top else None,
        sector_title=top.title if top else None,
        sources=tuple(document.file for document in chain),
        origins=_origins(draft, overlays, principle_drafts, question_drafts),
    )
    return _with_hash(rubric)


TEXT_FIELDS = {
    "principle": ("title", "why"),
    "question": ("text", "help", "look_for", "short", "recommendation"),
}


def _origins(
    draft: RubricDraft,
    overlays: list[OverlayDraft],
    principles: list[DraftPrinciple],
    questions: list[DraftQuestion],
) -> dict[tuple[str, str, str], tuple[str, tuple]]:
    """Where each readable text came from: the base file, or the overlay that changed it."""
    found: dict[tuple[str, str, str], tuple[str, tuple]] = {}
    for name in ("title", "description"):
        if draft.document.value_at((name,)):
            found[("rubric", "", name)] = (draft.document.file, (name,))
    if overlays:
        for name in ("title", "description"):
            if overlays[-1].document.value_at((name,)):
                found[("sector", "", name)] = (overlays[-1].document.file, (name,))
    for kind, drafts in (("principle", principles), ("question", questions)):
        for item in drafts:
            for name in TEXT_FIELDS[kind]:
                where = item.fields.get(name)
                if where is not None and where.value:
                    found[(kind, item.value("id"), name)] = (where.document.file, where.path)
            levels = item.fields.get("levels")
            if kind == "question" and levels is not None:
                raw = levels.document.value_at(levels.path) or {}
                for raw_key in raw:
                    value = normalise_answer(raw_key)
                    if value in levels.value:
                        path = (*levels.path, raw_key)
                        found[(kind, item.value("id"), f"levels.{value}")] = (
                            levels.document.file,
                            path,
                        )
    return found


def _with_hash(rubric: Rubric) -> Rubric:
    """Fill in the content hash: of what the rubric says, not of how its files are formatted."""
    content = asdict(rubric)
    for name in ("sources", "sha256", "origins", "lang"):  # where and in which language, not what
        content.pop(name)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return Rubric(**{**rubric.__dict__, "sha256": digest})


def _apply_overlay(draft: RubricDraft, overlay: OverlayDraft, problems: list[Problem]) -> None:
    principles = {p.value("id"): p for p in draft.principles}
    for principle_id, (where, change) in overlay.principle_changes.items():
        if principle_id not in principles:
            problems.append(_unknown(where, "principle", principle_id, principles))
            continue
        principles[principle_id].fields.update(change.fields)
    questions = {q.value("id"): q for q in draft.questions}
    for question_id, (where, change) in overlay.question_changes.items():
        if question_id not in questions:
            problems.append(_unknown(where, "question", question_id, questions))
            continue
        questions[question_id].fields.update(change.fields)
    for where in overlay.removed:
        if where.value not in questions:
            problems.append(_unknown(where, "question", str(where.value), questions, key=False))
            continue
        draft.questions.remove(questions.pop(where.value))
    draft.questions.extend(overlay.added)


def _unknown(where: Located, kind: str, name: str, known: dict, *, key: bool = True) -> Problem:
    guess = did_you_mean(name, [k for k in known if k])
    question = kind == "question"
    return where.problem(
        fill(
            _("the overlay changes question {name}, which the rubric it extends does not have")
            if question
            else _(
                "the overlay changes principle {name}, which the rubric it extends does not have"
            ),
            name=repr(name),
        ),
        key=key,
        expected=_("the id of an existing question")
        if question
        else _("the id of an existing principle"),
        found=repr(name),
        fix=fill(_("did you mean {guess}?"), guess=repr(guess))
        if guess
        else _("to add a new question, list it under 'add:'")
        if question
        else _("to add a new principle, list it under 'add:'"),
    )


def _check_references(
    draft: RubricDraft, problems: list[Problem]
) -> tuple[list[DraftPrinciple], list[DraftQuestion]]:
    """Check ids and cross-references; return principles and questions in asking order."""
    principles = _unique(draft.principles, "principle", problems)
    questions = _unique(draft.questions, "question", problems)
    order = {pid: index for index, pid in enumerate(principles)}
    for question in questions.values():
        where = question.fields.get("principle")
        if where and where.value not in principles:
            guess = did_you_mean(where.value, principles)
            problems.append(
                where.problem(
                    fill(
                        _("question {question} belongs to an unknown principle"),
                        question=repr(question.value("id")),
                    ),
                    expected=fill(_("one of {choices}"), choices=quoted_list(principles)),
                    found=repr(where.value),
                    fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                    if guess
                    else _("add the principle under 'principles:'"),
                )
            )
    # Asking order: the adoption inventory first (safeguards depend on it), then principle by
    # principle. A 'when:' may only look back in this order, which also rules out cycles.
    ordered = sorted(
        questions.values(),
        key=lambda q: (q.value("kind") != "adoption", order.get(q.value("principle"), len(order))),
    )
    position = {q.value("id"): index for index, q in enumerate(ordered)}
    for question in ordered:
        _check_when(question, questions, position, problems)
    _check_migrations(draft, questions, problems)
    check_inventory(questions, problems)
    return list(principles.values()), ordered


def _unique(drafts: list, kind: str, problems: list[Problem]) -> dict:
    result: dict[str, DraftPrinciple | DraftQuestion] = {}
    for draft in drafts:
        where = draft.fields.get("id")
        if where is None or not where.value:
            continue
        if where.value in result:
            first = result[where.value].fields["id"]
            problems.append(
                where.problem(
                    fill(
                        _("duplicate question id {id}")
                        if kind == "question"
                        else _("duplicate principle id {id}"),
                        id=repr(where.value),
                    ),
                    expected=_("each question id once")
                    if kind == "question"
                    else _("each principle id once"),
                    found=fill(
                        _("{id} again; first in {file} at line {line}"),
                        id=repr(where.value),
                        file=first.document.file,
                        line=first.document.mark(first.path).line,
                    ),
                    fix=_(
                        "rename one of them; to change the existing question from an overlay, "
                        "list it under 'questions:' instead of adding it"
                    )
                    if kind == "question"
                    else _(
                        "rename one of them; to change the existing principle from an overlay, "
                        "list it under 'principles:' instead of adding it"
                    ),
                )
            )
            continue
        result[where.value] = draft
    return result


def _check_when(
    question: DraftQuestion, questions: dict, position: dict, problems: list[Problem]
) -> None:
    where = question.fields.get("when")
    if where is None:
        return
    own = position[question.value("id")]
    for index, alternative in enumerate(where.value):
        for target_id, answers in alternative.items():
            path = (
                (*where.path, index, target_id)
                if isinstance(where.document.value_at(where.path), list)
                else (*where.path, target_id)
            )
            at = Located(target_id, where.document, path)
            if target_id not in questions:
                guess = did_you_mean(target_id, questions)
                problems.append(
                    at.problem(
                        fill(
                            _("'when' of question {question} refers to an unknown question"),
                            question=repr(question.value("id")),
                        ),
                        key=True,
                        expected=_("the id of a question asked earlier"),
                        found=repr(target_id),
                        fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                        if guess
                        else _("check the question id"),
                    )
                )
                continue
            if position[target_id] >= own:
                problems.append(
                    at.problem(
                        fill(
                            _(
                                "'when' of question {question} depends on {target}, which is "
                                "asked later (or is the question itself)"
                            ),
                            question=repr(question.value("id")),
                            target=repr(target_id),
                        ),
                        key=True,
                        expected=_(
                            "a condition on an adoption question, or on a question of an "
                            "earlier principle"
                        ),
                        found=repr(target_id),
                        fix=_(
                            "condition on an earlier question, or move this question to a "
                            "later principle"
                        ),
                    )
                )
                continue
            scale = SCALES[questions[target_id].value("scale")]
            for answer in answers:
                if answer not in scale.values:
                    problems.append(
                        at.problem(
                            fill(
                                _(
                                    "'when' of question {question} waits for an answer {target} "
                                    "cannot have"
                                ),
                                question=repr(question.value("id")),
                                target=repr(target_id),
                            ),
                            expected=fill(
                                _("answers on the {scale} scale: {values}"),
                                scale=scale.id,
                                values=quoted_list(scale.values),
                            ),
                            found=repr(answer),
                        )
                    )


def _check_migrations(draft: RubricDraft, questions: dict, problems: list[Problem]) -> None:
    for old_id, where in draft.migrations.items():
        if old_id in questions:
            problems.append(
                where.problem(
                    fill(
                        _("migration from {old}, but the rubric still has a question with that id"),
                        old=repr(old_id),
                    ),
                    key=True,
                    fix=_("remove the migration, or rename the question"),
                )
            )
        if where.value is not None and where.value not in questions:
            guess = did_you_mean(where.value, questions)
            problems.append(
                where.problem(
                    fill(_("migration of {old} points at an unknown question"), old=repr(old_id)),
                    expected=_("the id of a question in this rubric, or nothing if it was removed"),
                    found=repr(where.value),
                    fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                    if guess
                    else _("check the new question id"),
                )
            )


def _principle(draft: DraftPrinciple) -> Principle:
    return Principle(
        id=draft.value("id"),
        title=draft.value("title", ""),
        why=draft.value("why", ""),
        weight=draft.value("weight", 1.0),
        ask=draft.value("ask") or ("owner",),
    )


def _question(draft: DraftQuestion, asked_by: dict[str, tuple[str, ...]]) -> Question:
    scale = SCALES[draft.value("scale")]
    if draft.value("levels"):
        scale = with_level_descriptions(scale, draft.value("levels"))
    return Question(
        id=draft.value("id"),
        principle=draft.value("principle"),
        kind=draft.value("kind"),
        phase=draft.value("phase") or 1,
        text=draft.value("text", ""),
        help=draft.value("help", ""),
        scale=scale,
        look_for=draft.value("look_for", ""),
        short=draft.value("short", ""),
        weight=draft.value("weight", 1.0),
        allow_na=draft.value("allow_na", False),
        recommendation=draft.value("recommendation", ""),
        when=tuple(Condition(tuple(alt.items())) for alt in draft.value("when", [])),
        evidence=tuple(EvidenceLink(**link) for link in draft.value("evidence", [])),
        gating=draft.value("gating", False),
        ask=draft.value("ask") or asked_by.get(draft.value("principle"), ("owner",)),
        customers=draft.value("customers") or "none",
        critical=tuple(draft.value("critical") or ()),
        safeguards=tuple(draft.value("safeguards") or ()),
        staffed_alternative=draft.value("staffed_alternative") or "",
    )
