"""Staff answers on the practice server: counted at send, released in rounds, read only as
their floored aggregate (``answers.staff``).

* ``submit`` opens a staff member's sealed drafts with their link's key, counts them into the
  audit's pending tally and deletes them, in one transaction (an owner is only marked
  finished); then the database is scrubbed (``Database.scrub``).
* ``_release`` lets the pending tally out by ``answers.staff.release``: at least the floor of
  senders, each question's new answers only in groups of at least the floor.
* ``audit_staff`` is what pages, files and reports read: the released tally, floored.
* Staff answers from files are counted apart (source ``files``), never with links'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from auditkit.answers.model import ANONYMITY_FLOOR, AnswerSet
from auditkit.answers.staff import (
    StaffAggregate,
    StaffTally,
    checked_floor,
    publish,
    release,
    tally_one,
)
from auditkit.errors import InputError, fill
from auditkit.i18n import _
from auditkit.rubric.model import Rubric
from auditkit.server import identity
from auditkit.server.answering import rows_answers, rubric_named
from auditkit.server.database import Database, upsert_insert
from auditkit.server.records import log
from auditkit.server.schema import AnswerRow, Audit, Respondent
from auditkit.server.schema import StaffTally as TallyRow

STAFF_ROLES = ("staff", "other")  # every respondent but the owner and a tester of contacts


def submit(
    database: Database,
    respondent_id: int,
    key: bytes | None = None,
    floor: int = ANONYMITY_FLOOR,
) -> None:
    """The respondent has finished. An owner's answers stay where they are (marked finished).
    Anyone else's drafts are opened with their link's ``key``, counted into the audit's
    pending tally and deleted, with their browser sessions, in one transaction; the
    invitation keeps only that it was used (its opening time cut to the day). A release
    follows when enough have sent (``_release``). Two Sends at once are counted one after the
    other (``_tally_row``): neither overwrites the other's count."""
    from sqlalchemy import delete, select

    from auditkit.server.schema import Client, Invitation, WebSession

    with database.transaction(lock=True) as session:
        # Held until the send commits: a Save waits for it and then sees the answers sent
        # (``save_answer``), so no draft is written beside the tally or left after it.
        respondent = session.get(Respondent, respondent_id, with_for_update=True)
        if respondent is None or respondent.submitted:
            return
        audit_id = respondent.audit_id
        if respondent.role == "owner":
            respondent.finished_at = identity.now()
            log(session, f"respondent {respondent_id}", "answers finished", f"audit {audit_id}")
            return
        audit = session.get(Audit, audit_id)
        client = session.get(Client, audit.client_id)
        rubric = rubric_named(audit.rubric, client.sector)
        rows = list(
            session.scalars(select(AnswerRow).where(AnswerRow.respondent_id == respondent_id))
        )
        person = rows_answers(rows, rubric, (client.name, client.sector), respondent.role, key)
        row = _tally_row(session, audit_id, "links")
        pending = StaffTally.from_data(json.loads(row.pending)).plus(tally_one(rubric, person))
        row.pending = json.dumps(pending.to_data(), sort_keys=True)
        session.execute(delete(AnswerRow).where(AnswerRow.respondent_id == respondent_id))
        session.execute(delete(WebSession).where(WebSession.respondent_id == respondent_id))
        respondent.submitted = True
        respondent.started_at = None  # a time on the invitation would pair it with the answers
        for invitation in session.scalars(
            select(Invitation).where(Invitation.respondent_id == respondent_id)
        ):
            if invitation.used_at is not None:
                invitation.used_at = invitation.used_at.replace(hour=0, minute=0, second=0)
        _release(session, row, checked_floor(floor))
    database.scrub()


def _tally_row(session, audit_id: int, source: str) -> TallyRow:
    """The audit's tally row for ``source``, made when it is the first, and locked until the
    caller's transaction ends (opened with ``lock=True``): a concurrent Send waits for this
    one's write and then reads it, so nobody's answers are counted over. The row is made
    with ``ON CONFLICT DO NOTHING``: two first Sends at once both find it made."""
    from sqlalchemy import select

    session.execute(
        upsert_insert(session.get_bind().dialect.name)(TallyRow)
        .values(audit_id=audit_id, source=source, pending="{}", released="{}", rounds=0)
        .on_conflict_do_nothing(index_elements=["audit_id", "source"])
    )
    return session.scalar(
        select(TallyRow)
        .where(TallyRow.audit_id == audit_id, TallyRow.source == source)
        .with_for_update()
    )


def _release(session, row: TallyRow, floor: int, *, force_files: bool = False) -> bool:
    """Inside the caller's transaction: the pending tally released when the rule allows
    (``answers.staff.release``); whether it was. The log says a release happened, and its
    day, never who sent."""
    released = StaffTally.from_data(json.loads(row.released))
    pending = StaffTally.from_data(json.loads(row.pending))
    if force_files:  # the advisor's own files: nothing to hide from them; floored when shown
        after, left = released.plus(pending), StaffTally()
    else:
        after, left = release(released, pending, floor)
    if after.senders == released.senders:
        return False
    row.released = json.dumps(after.to_data(), sort_keys=True)
    row.pending = json.dumps(left.to_data(), sort_keys=True)
    row.released_on = identity.now().date()
    row.rounds += 1
    session.add(_day_entry(row, after.senders - released.senders))
    return True


def _day_entry(row: TallyRow, senders: int):
    from datetime import datetime

    from auditkit.server.schema import AuditLogEntry

    day = datetime.combine(identity.now().date(), datetime.min.time())
    what = "staff answers released" if row.source == "links" else "staff answers imported"
    return AuditLogEntry(
        at=day, actor="the server", action=what, target=f"audit {row.audit_id}: {senders} more"
    )


@dataclass(frozen=True)
class StaffState:
    """How an audit's staff answers stand, in numbers the advisor may see: how many are
    released, whether more are waiting (never how many), whether answering is closed."""

    released: int
    waiting: bool
    closed: bool
    source: str | None
    released_on: str


def staff_state(database: Database, audit_id: int) -> StaffState:
    from sqlalchemy import select

    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        rows = list(session.scalars(select(TallyRow).where(TallyRow.audit_id == audit_id)))
        closed = bool(audit and audit.staff_closed)
        released = waiting = 0
        source, day = None, ""
        for row in rows:
            count = StaffTally.from_data(json.loads(row.released)).senders
            if count or source is None:
                source = row.source
            released += count
            waiting += StaffTally.from_data(json.loads(row.pending)).senders
            if row.released_on:
                day = row.released_on.isoformat()
        return StaffState(released, waiting > 0, closed, source, day)


def close_staff(database: Database, audit_id: int, actor: str) -> None:
    """The advisor ends staff answering: open staff links are withdrawn, and answers sent
    since the last release, too few to release without showing them, are deleted unseen."""
    from sqlalchemy import select

    with database.transaction(lock=True) as session:
        audit = session.get(Audit, audit_id)
        audit.staff_closed = True
        moment = identity.now()
        for respondent in session.scalars(
            select(Respondent).where(
                Respondent.audit_id == audit_id, Respondent.role.in_(STAFF_ROLES)
            )
        ):
            for invitation in respondent.invitations:
                invitation.revoked_at = invitation.revoked_at or moment
        for row in session.scalars(
            select(TallyRow).where(TallyRow.audit_id == audit_id).with_for_update()
        ):
            row.pending = "{}"
        log(session, actor, "staff answering closed", f"audit {audit_id}")
    database.scrub()


def audit_staff(
    database: Database, audit_id: int, rubric: Rubric, floor: int = ANONYMITY_FLOOR
) -> StaffAggregate | None:
    """The audit's staff answers as they may leave: the released tally, floored per
    question; None when no staff answer was ever released."""
    from sqlalchemy import select

    from auditkit.server.schema import Client

    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        if audit is None:
            raise InputError.single(fill(_("audit {id}"), id=audit_id), _("is not on this server"))
        client = session.get(Client, audit.client_id)
        business = {"name": client.name, "sector": client.sector or ""}
        rows = list(session.scalars(select(TallyRow).where(TallyRow.audit_id == audit_id)))
    for row in sorted(rows, key=lambda r: r.source):
        released = StaffTally.from_data(json.loads(row.released))
        if released.senders:
            day = row.released_on.isoformat() if row.released_on else ""
            return publish(rubric, business, released, floor=floor, source=row.source, released=day)
    return None


def count_imported(session, audit_id: int, rubric: Rubric, answers: AnswerSet) -> None:
    """Inside the caller's transaction: a staff member's answers file, counted apart from
    answers sent through links (source ``files``) and shown at once, floored per question
    when it leaves. Refused in an audit that invited staff by link: the advisor's own files
    could otherwise make up the floor around one real person."""
    from sqlalchemy import select

    invited = session.scalar(
        select(Respondent.id).where(
            Respondent.audit_id == audit_id, Respondent.role.in_(STAFF_ROLES)
        )
    )
    if invited is not None:
        raise InputError.single(
            _("the staff answers file"),
            _("cannot join an audit whose staff answer through links"),
            expected=_("staff answers from links or from files in one audit, not both"),
            fix=_(
                "start another audit for answers collected as files, or invite the person "
                "with a link instead"
            ),
        )
    row = _tally_row(session, audit_id, "files")
    pending = StaffTally.from_data(json.loads(row.pending)).plus(tally_one(rubric, answers))
    row.pending = json.dumps(pending.to_data(), sort_keys=True)
    _release(session, row, ANONYMITY_FLOOR, force_files=True)
