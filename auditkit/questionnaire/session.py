"""The questionnaire's state: where the owner is, what they answered, saved after every change.

The session owns the question loop; front ends (a terminal UI, plain line prompts) only show a
question and report what the owner did. Every change is written to the answers file at once,
atomically, so stopping at any moment — Ctrl-C, a closed laptop, ``kill -9`` — loses at most
the answer being typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from auditkit import DEFAULT_RUBRIC
from auditkit.answers.check import Reconciliation, reconcile
from auditkit.answers.model import (
    NOT_APPLICABLE,
    NOTE_LIMIT,
    UNKNOWN,
    Answer,
    AnswerCounts,
    AnswerSet,
    applies,
    count_answers,
    questions_for,
    unknown_allowed,
)
from auditkit.answers.store import load_answers
from auditkit.i18n import N_, _, ngettext
from auditkit.i18n.formatting import format_integer
from auditkit.questionnaire.length import Length, length
from auditkit.questionnaire.store import AnswerStore, FileStore, StoreFailed, file_digest
from auditkit.rubric.model import Question, Rubric
from auditkit.rubric.scales import parse_answer


class AnswerError(ValueError):
    """What the owner gave is not an answer to this question; the message says what is."""


class SaveFailed(Exception):
    """The answers file could not be written; the message says why in an owner's words.
    Nothing changed: the session is as it was before the attempt."""


def save_failure(error: OSError) -> str:
    """Why a save failed, in words an owner can act on (both front ends show it)."""
    import errno

    reasons = {
        errno.ENOSPC: _("the disk is full"),
        errno.EDQUOT: _("the disk quota is used up"),
        errno.EACCES: _("the folder or the file may not be written to"),
        errno.EPERM: _("the folder or the file may not be written to"),
        errno.EROFS: _("the folder is on a read-only disk"),
    }
    why = reasons.get(error.errno, error.strerror or _("the file could not be written"))
    return _(
        "Your answer was NOT saved: {why}. What you typed is still here. Free some space or "
        "fix the folder, then save again."
    ).format(why=why)


def check_note(text: str, what: str = "note") -> None:
    if len(text) > NOTE_LIMIT:
        message = (
            _(
                "The note is {length} characters long; the limit is {limit}. Shorten it (keep "
                "the evidence itself in a document and name it here)."
            )
            if what == "note"
            else _(
                "The reason is {length} characters long; the limit is {limit}. Shorten it "
                "(keep the evidence itself in a document and name it here)."
            )
        )
        raise AnswerError(
            message.format(length=format_integer(len(text)), limit=format_integer(NOTE_LIMIT))
        )


def parse_typed(question: Question, text: str) -> str | None:
    """A typed answer: the scale's value or label in any case, 'y'/'n', or a digit. On a
    numbered scale (maturity 0–4) a digit is that level; elsewhere it is the row (1 = first)."""
    text = text.strip()
    value = parse_answer(question.scale, text)
    if value is None and text.isdigit():
        values = question.scale.values
        if 1 <= int(text) <= len(values) and not any(v.isdigit() for v in values):
            value = values[int(text) - 1]
    return value


def sectors_for(rubric_id: str, lang: str | None = None) -> list[tuple[str, str]]:
    """(overlay id, title) of the sector overlays that extend ``rubric_id``."""
    return [(sector_id, title) for sector_id, title, _ in sector_choices(rubric_id, lang)]


def sector_choices(rubric_id: str, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(overlay id, title, who it is for) of the sector overlays that extend ``rubric_id``:
    the first sentence of each overlay's description ("For hotels, guest houses, restaurants
    and venues."), so a bakery with a café can tell Retail from Hospitality. In ``lang``
    where the overlay has a current translation of its title and description."""
    from auditkit.rubric import registry
    from auditkit.rubric.translate import sector_words

    found = {}
    for entry in registry.entries():
        if entry.kind == "overlay" and entry.extends == rubric_id:
            title, description = sector_words(entry.file, entry.title, entry.description, lang)
            found[entry.id] = (title, description.split(". ")[0].rstrip(".") + ".")
    return [(key, title, who) for key, (title, who) in sorted(found.items())]


INVENTORY = N_(
    "Automation in use"
)  # what the adoption questions are called wherever they are asked


@dataclass(frozen=True)
class Progress:
    """Where a question sits, in words that hold still while answers change what is asked.

    The adoption inventory comes first and has a fixed length; its answers decide which
    safeguards are asked, so until it is complete the total is a range (``least`` to
    ``most``, questionnaire.length), shown as such ("26 to 66"), never a number that grows.
    Once the range closes the total holds still. Principles are numbered in the order they
    are shown, the inventory apart."""

    section: str  # "Automation in use" or the principle's title
    section_number: int | None  # None for the inventory
    section_total: int  # principles asked
    number: int  # the question's position among all asked now
    total: int  # questions asked on the answers so far
    about: bool  # the total can still change: the inventory is not complete
    inventory_number: int = 0  # position within the inventory
    inventory_total: int = 0
    least: int = 0  # the fewest and the most questions the open answers can lead to
    most: int = 0


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Session:
    rubric: Rubric
    answers: AnswerSet
    path: Path
    position: int = 0  # index into the questions asked now
    history: list[str] = field(default_factory=list)  # question ids visited, for 'back'
    changes: Reconciliation | None = None  # what changed since the file was started
    store: AnswerStore | None = None  # where answers are kept; the file at ``path`` by default
    _asked: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.store is None:
            self.store = FileStore(Path(self.path))

    # ------------------------------------------------------------------ one entry point
    @classmethod
    def existing(
        cls,
        path: Path,
        rubric: str | None = None,
        sector: str | None = None,
        lang: str | None = None,
    ) -> Session | None:
        """The session of an answers file that exists (resumed, with its own rubric and sector
        unless others are named), or None for a new file. ``lang`` is the language the
        questions are asked in; it may differ from the one the file was started in, since
        answers are kept by question id and level, never by their words."""
        from auditkit.answers.check import rubric_for

        path = Path(path)
        if not path.exists():
            return None
        answer_set, document = load_answers(path)
        if sector and answer_set.sector and sector != answer_set.sector:
            from auditkit.errors import InputError, fill

            # Continuing with another sector would silently change which questions count.
            raise InputError.single(
                str(path),
                fill(
                    _("this file was started for the sector {theirs}, not {ours}"),
                    theirs=repr(answer_set.sector),
                    ours=repr(sector),
                ),
                fix=fill(
                    _("leave out --sector to continue it, or start a new file with -o for {ours}"),
                    ours=repr(sector),
                ),
            )
        return cls.resume(
            _in_language(rubric_for(answer_set, path, rubric, sector), lang),
            path,
            loaded=(answer_set, document),
        )

    @classmethod
    def new(
        cls,
        path: Path,
        rubric: str | None,
        sector: str | None,
        business: dict[str, str],
        respondent: dict[str, str],
        lang: str | None = None,
    ) -> Session:
        """A new file: the sector chosen in the opening applies its overlay, and is stored both
        as the business's sector and as the rubric's, so every later command asks the same.
        ``lang``: the questions' language (the file stores ids and levels only)."""
        from auditkit.rubric import load_rubric

        chosen = sector or business.get("sector") or None
        sector_ids = {sid for sid, _ in sectors_for(base_rubric_id(rubric))}
        overlay = chosen if chosen in sector_ids or (sector and chosen == sector) else None
        the_rubric = _in_language(load_rubric(rubric or DEFAULT_RUBRIC, overlay), lang)
        business = {k: v.strip() for k, v in business.items() if v and v.strip()}
        if overlay:
            business["sector"] = overlay
        return cls.start(the_rubric, path, business, respondent)

    # ------------------------------------------------------------------ opening and resuming
    @classmethod
    def start(
        cls, rubric: Rubric, path: Path, business: dict[str, str], respondent: dict[str, str]
    ) -> Session:
        stamp = now()
        answers = AnswerSet(
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            rubric_sha256=rubric.sha256,
            sector=rubric.sector,
            rubric_file=_rubric_file(rubric, path),
            business=business,
            respondent=respondent,
            started=stamp,
            updated=stamp,
        )
        session = cls(rubric, answers, Path(path))
        session.save()
        return session

    @classmethod
    def resume(
        cls, rubric: Rubric, path: Path, loaded: tuple[AnswerSet, Any] | None = None
    ) -> Session:
        """Continue a file: migrate renamed questions, and start at the first unanswered one.
        ``loaded`` is the file as already read, so it is not read twice."""
        answer_set, document = loaded or load_answers(path)
        changes = reconcile(answer_set, rubric, document)
        answers = replace(
            changes.answers,
            rubric_version=rubric.version,
            rubric_sha256=rubric.sha256,
            sector=rubric.sector,
        )
        store = FileStore(Path(path), file_digest(path))
        session = cls(rubric, answers, Path(path), changes=changes, store=store)
        session.position = session.first_open()
        if changes.migrated or changes.removed:
            session.save()
        return session

    # ------------------------------------------------------------------ what is asked
    def questions(self) -> list[Question]:
        """The questions asked for the answers so far, in order (conditions re-evaluated),
        and of this respondent's role (the rubric's ``ask:``: staff are not asked about
        vendor contracts). One page asks this several times over the same answers, and
        evaluating every condition is most of a web page's work: the list is kept until the
        answers' values, the role or the rubric change (the answers are edited in place, so
        the key is their values, not the object; the rubric compares by identity first)."""
        key = (self.rubric, self.answers.speaks_as, tuple(self.answers.values().items()))
        if self._asked is None or self._asked[0] != key:
            self._asked = (key, questions_for(self.rubric, self.answers))
        return list(self._asked[1])

    def current(self) -> Question | None:
        asked = self.questions()
        return asked[self.position] if self.position < len(asked) else None

    def principle_position(
        self, question: Question, asked: list[Question] | None = None
    ) -> tuple[int, int]:
        """(k, n): the question's principle is the k-th of the n principles asked now, counting
        safeguards only (the adoption inventory is not a principle's first question).
        ``asked``: the questions asked now, when the caller already has them."""
        asked = self.questions() if asked is None else asked
        principles = list(dict.fromkeys(q.principle for q in asked if q.kind != "adoption"))
        if question.principle not in principles:
            return 0, len(principles)
        return principles.index(question.principle) + 1, len(principles)

    def progress(self, question: Question, asked: list[Question] | None = None) -> Progress:
        asked = self.questions() if asked is None else asked
        inventory = [q for q in asked if q.kind == "adoption"]
        number, total = self.principle_position(question, asked)
        span = self.length()
        if question.kind == "adoption":
            return Progress(
                _(INVENTORY),
                None,
                total,
                asked.index(question) + 1,
                len(asked),
                not span.exact,
                inventory.index(question) + 1,
                len(inventory),
                span.least,
                span.most,
            )
        title = self.rubric.principle(question.principle).title
        return Progress(
            title,
            number,
            total,
            asked.index(question) + 1,
            len(asked),
            not span.exact,
            least=span.least,
            most=span.most,
        )

    def length(self) -> Length:
        """How many questions this respondent is asked: a range until the answers that
        decide it are given, then one number that holds still (questionnaire.length)."""
        return length(self.rubric, self.answers.values(), self.answers.speaks_as)

    def allows_unknown(self, question: Question) -> bool:
        """Whether "don't know" is an answer here: every safeguard, and the inventory for
        staff and others (answers.model.unknown_allowed)."""
        return unknown_allowed(question, self.answers.speaks_as)

    def answer_of(self, question_id: str) -> Answer | None:
        return self.answers.answers.get(question_id)

    def is_open(self, question: Question) -> bool:
        answer = self.answer_of(question.id)
        return answer is None or answer.value is None

    def first_open(self) -> int:
        asked = self.questions()
        for index, question in enumerate(asked):
            if self.is_open(question):
                return index
        return len(asked)

    def open_questions(self) -> tuple[list[Question], list[Question]]:
        """(unanswered, skipped) among the questions asked now."""
        unanswered, skipped = [], []
        for question in self.questions():
            answer = self.answer_of(question.id)
            if answer is not None and answer.skipped and answer.value is None:
                skipped.append(question)
            elif self.is_open(question):
                unanswered.append(question)
        return unanswered, skipped

    def not_counted(self) -> list[str]:
        """Answers kept in the file for questions whose condition no longer holds."""
        values = self.answers.values()
        return [
            q.id
            for q in self.rubric.questions
            if q.id in self.answers.answers and not applies(q, self.rubric, values)
        ]

    def fingerprint(self, question_id: str) -> str:
        """What a form showed of one answer: a later edit from another tab or from the
        terminal changes it, so an edit made on the old page is refused, not applied."""
        import hashlib

        answer = self.answer_of(question_id) or Answer()
        text = "\x1f".join(
            [
                str(answer.value),
                answer.note,
                answer.na_reason,
                answer.answered_at,
                str(answer.skipped),
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def reload(self) -> bool:
        """Read the file again if someone else wrote it (another tab, ``auditkit assess``):
        True when it had changed."""
        fresh = self.store.reread()
        if fresh is None:
            return False
        answer_set, document = fresh
        current = self.current()
        self.answers = reconcile(answer_set, self.rubric, document).answers
        if current is not None:
            self.go_to(current.id, remember=False)
        return True

    def changes_in_words(self) -> list[str]:
        """What changed in the rubric since the file was started, for the resume screen."""
        changes = self.changes
        if changes is None or not changes.rubric_changed:
            return []
        lines = []
        if changes.new_questions:
            count = len(changes.new_questions)
            lines.append(
                ngettext(
                    "{count} new question to answer: {questions}",
                    "{count} new questions to answer: {questions}",
                    count,
                ).format(
                    count=count,
                    questions=", ".join(
                        self.rubric.question(q).text for q in changes.new_questions[:3]
                    )
                    + (" …" if count > 3 else ""),
                )
            )
        for old, new in changes.migrated:
            lines.append(
                _("A question was renamed ({old} → {new}); your answer carried over.").format(
                    old=old, new=new
                )
            )
        for old in changes.removed:
            lines.append(
                _("A question was removed ({old}); its answer no longer counts.").format(old=old)
            )
        return lines

    # ------------------------------------------------------------------ what the owner does
    def answer(self, value: str, note: str | None = None, share: bool | None = None) -> None:
        """Answer the current question. ``value`` must be on its scale (a label in any case
        is fine): anything else is refused here, so no front end can save what ``score``
        would later reject. The answer, its note and ``share`` (a staff member's "my note may
        be shown"; None: as before) are one change, saved at once."""
        question = self._require_current()
        check_note(note or "")
        canonical = parse_answer(question.scale, value)
        if canonical is None and self.allows_unknown(question) and is_unknown_word(value):
            canonical = UNKNOWN
        if canonical is None:
            raise AnswerError(
                _("{value} is not an answer to this question; choose one of {levels}").format(
                    value=repr(value),
                    levels=", ".join(level.label for level in question.scale.levels),
                )
            )
        previous = self.answer_of(question.id) or Answer()
        self._set(
            question,
            Answer(
                value=canonical,
                note=previous.note if note is None else note.strip(),
                answered_at=now(),
                share_note=previous.share_note if share is None else share,
            ),
        )
        self._advance(question)

    def dont_know(self, note: str | None = None) -> None:
        """Answer the current question "don't know / never measured": on a safeguard counted
        as not known (missing at the pessimistic end), never as "no"; on a staff member's
        inventory it asks none of that automation's follow-ups. Refused where not allowed."""
        self.answer(UNKNOWN, note)

    def not_applicable(
        self, reason: str, note: str | None = None, share: bool | None = None
    ) -> None:
        question = self._require_current()
        if not question.allow_na:
            raise AnswerError(_("This question cannot be 'not applicable'."))
        if not reason.strip():
            raise AnswerError(_("Say why the question does not apply: a reason is required."))
        check_note(note or "")
        check_note(reason, "reason")
        previous = self.answer_of(question.id) or Answer()
        self._set(
            question,
            Answer(
                value=NOT_APPLICABLE,
                na_reason=reason.strip(),
                note=previous.note if note is None else note,
                answered_at=now(),
                share_note=previous.share_note if share is None else share,
            ),
        )
        self._advance(question)

    def note(self, text: str, share: bool | None = None) -> None:
        """Keep a note at once, even before the question is answered; ``share`` is a staff
        member's "my note may be shown, without my name" (None: as before)."""
        question = self._require_current()
        check_note(text)
        previous = self.answer_of(question.id) or Answer()
        shared = previous.share_note if share is None else share
        self._set(question, replace(previous, note=text.strip(), share_note=shared))

    def share_note(self, share: bool) -> None:
        """Set whether the current question's note may be shown, without a name."""
        question = self._require_current()
        previous = self.answer_of(question.id) or Answer()
        self._set(question, replace(previous, share_note=share))

    def skip(self, note: str | None = None, share: bool | None = None) -> None:
        """Leave the current question for later, keeping a note typed before skipping (and
        ``share``): one change, saved at once, or none when nothing changed."""
        question = self._require_current()
        previous = self.answer_of(question.id) or Answer()
        if note is not None:
            check_note(note)
        changed = replace(
            previous,
            note=previous.note if note is None else note.strip(),
            share_note=previous.share_note if share is None else share,
            skipped=previous.skipped or previous.value is None,
        )
        if changed != previous:
            self._set(question, changed)
        self._advance(question)

    def back(self) -> bool:
        """The question answered before this one; after a resume (no history yet), the one
        before it in the rubric's order."""
        if self.history:
            return self.go_to(self.history.pop(), remember=False)
        asked = self.questions()
        current = self.current()
        index = asked.index(current) if current in asked else len(asked)
        return index > 0 and self.go_to(asked[index - 1].id, remember=False)

    def previous_of(self, question_id: str) -> Question | None:
        """The question asked before ``question_id`` now: the browser's Back, which must not
        depend on what another tab visited."""
        asked = self.questions()
        ids = [q.id for q in asked]
        index = ids.index(question_id) if question_id in ids else 0
        return asked[index - 1] if index > 0 else None

    def go_to(self, question_id: str, *, remember: bool = True) -> bool:
        ids = [q.id for q in self.questions()]
        if question_id not in ids:
            return False
        current = self.current()
        if remember and current is not None:
            self.history.append(current.id)
        self.position = ids.index(question_id)
        return True

    # ------------------------------------------------------------------ the business
    def profile_questions(self):
        """The opening's questions about the business (where it serves customers, its size)
        still to ask: only of the owner or a manager (staff are never asked), only those the
        rules use (``obligations.profile``), each once."""
        from auditkit.obligations.profile import crosswalk, profile_questions

        if self.answers.speaks_as == "staff" or crosswalk().rubric != self.rubric.id:
            return ()  # staff are never asked; another rubric's ids name no rule
        return tuple(
            q
            for q in profile_questions()
            if self.answer_of(q.id) is None or self.answer_of(q.id).value is None
        )

    def answer_profile(self, markets: list[str] | str, size: str | None = None) -> None:
        """Keep where the business serves customers (codes, names or 'elsewhere') and its size
        band, checked here so every front end refuses the same things; each is one saved
        answer by id (``business.markets``, ``business.size``)."""
        from auditkit.obligations.model import SIZE_BANDS
        from auditkit.obligations.profile import (
            MARKETS,
            SIZE,
            SIZE_UNKNOWN,
            parse_markets,
            profile_questions,
        )

        try:
            codes = parse_markets(markets)
        except ValueError as error:
            raise AnswerError(
                _(
                    "%(value)s is not a place on the list: choose the places where you serve "
                    "customers, or “Somewhere else”."
                )
                % {"value": repr(str(error))}
            ) from None
        if not codes:
            raise AnswerError(
                _(
                    "Choose at least one place where you serve customers (“Somewhere else” if "
                    "none of those listed)."
                )
            )
        asks_size = any(q.id == SIZE for q in profile_questions())
        if asks_size and size not in (*SIZE_BANDS, SIZE_UNKNOWN):
            raise AnswerError(_("Choose the size of your business (“I am not sure” is an answer)."))
        stamp = now()
        self._set_id(MARKETS, Answer(value=", ".join(codes), answered_at=stamp))
        if asks_size:
            self._set_id(SIZE, Answer(value=size, answered_at=stamp))

    # ------------------------------------------------------------------ saving
    def save(self, question_id: str | None = None) -> None:
        """Keep the answers (``question_id``: the one that changed); a failure is SaveFailed,
        with what is stored as it was."""
        self.answers.updated = now()
        self.answers.rubric_questions = tuple(q.id for q in self.rubric.questions)
        try:
            self.store.write(self.answers, question_id)
        except OSError as error:
            raise SaveFailed(save_failure(error)) from error
        except StoreFailed as failed:
            raise SaveFailed(str(failed)) from failed

    def _set(self, question: Question, answer: Answer) -> None:
        self._set_id(question.id, answer)

    def _set_id(self, question_id: str, answer: Answer) -> None:
        """Change one answer and save; when the save fails the answer is put back, so what
        the session holds is always what is stored."""
        previous = self.answers.answers.get(question_id)
        self.answers.answers[question_id] = answer
        try:
            self.save(question_id)
        except SaveFailed:
            if previous is None:
                del self.answers.answers[question_id]
            else:
                self.answers.answers[question_id] = previous
            raise

    def _advance(self, question: Question) -> None:
        # Conditions may have changed: find the answered question in the new list, move past it.
        self.history.append(question.id)
        ids = [q.id for q in self.questions()]
        self.position = ids.index(question.id) + 1 if question.id in ids else self.position

    def _require_current(self) -> Question:
        question = self.current()
        if question is None:
            raise IndexError("no current question")
        return question

    def summary(self) -> AnswerCounts:
        return count_answers(self.questions(), self.answers)


def _in_language(rubric: Rubric, lang: str | None) -> Rubric:
    if not lang:
        return rubric
    from auditkit.rubric.translate import localize

    return localize(rubric, lang)[0]


def base_rubric_id(rubric: str | None) -> str:
    """The id of the base rubric named by an id or a file (for its list of sectors)."""
    if rubric is None:
        return DEFAULT_RUBRIC
    from auditkit.rubric import load_rubric

    return load_rubric(rubric).id


def _rubric_file(rubric: Rubric, path: Path) -> str | None:
    """For a rubric given as a file (not shipped, not found by id), remember where it is."""
    from auditkit.rubric import registry

    source = Path(rubric.sources[0]).resolve() if rubric.sources else None
    if source is None:
        return None
    known = {entry.file.resolve() for entry in registry.entries()}
    if source in known:
        return None
    try:
        return str(source.relative_to(Path(path).resolve().parent))
    except ValueError:
        return str(source)


def is_unknown_word(value: str) -> bool:
    """ "unknown", "don't know", "dont know", "?" in any case: the owner does not know."""
    text = " ".join(str(value).strip().lower().replace("’", "'").split())
    return text in {UNKNOWN, "don't know", "dont know", "?", "not known", "never measured"}
