"""What the advisor's pages show, read from the records: clients with their latest verdict
(its severity) and trend; per audit, who was invited and how far each has got.

Scores are computed the way ``auditkit score FOLDER`` computes them, from the audit exported
to files (``reports.audit_files``): the server has no second scoring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from auditkit.answers.model import ANONYMITY_FLOOR
from auditkit.i18n import N_, _, ngettext
from auditkit.server.database import Database

AUDIT_EVERY = timedelta(days=365)  # the report's "next audit, in about a year"


@dataclass(frozen=True)
class Standing:
    """An audit's headline as the owner summary gives it; None fields before any answer."""

    audit_id: int
    created: date
    headline: str | None
    severity: int | None  # the verdict's severity, 0 safeguards keep pace … 4 (docs/scoring.md)
    level: str | None  # its colour: balanced, elevated, high
    percent: float | None
    state: str = ""  # in words when there is no headline yet: who is still to answer
    rules: str = ""  # "2 obligations overdue · 1 due within 90 days", against the day asked


@dataclass(frozen=True)
class PlanState:
    """How the audit's action plan stands: actions planned, done, and past their due date."""

    planned: int
    done: int
    overdue: int

    def words(self) -> str:
        if not self.planned:
            return _("no plan yet")
        if self.overdue:
            return _("%(done)s of %(planned)s actions done, %(overdue)s overdue") % {
                "done": self.done,
                "planned": self.planned,
                "overdue": self.overdue,
            }
        return _("%(done)s of %(planned)s actions done") % {
            "done": self.done,
            "planned": self.planned,
        }


def plan_state(session, audit_id: int, today: date) -> PlanState:
    """Inside the caller's transaction. Due dates are ISO dates (``plan import`` writes
    them so); an action past its date is overdue until it is done or dropped."""
    from sqlalchemy import select

    from auditkit.server.schema import PlannedAction

    rows = list(session.scalars(select(PlannedAction).where(PlannedAction.audit_id == audit_id)))
    finished = ("done", "dropped")
    return PlanState(
        len(rows),
        sum(1 for row in rows if row.status == "done"),
        sum(
            1
            for row in rows
            if row.due and row.due < today.isoformat() and row.status not in finished
        ),
    )


@dataclass(frozen=True)
class ClientRow:
    client_id: int
    name: str
    sector: str
    audits: int
    latest: Standing | None
    trend: str  # "severity fell from 4 to 2", "first audit", ""
    progress: str  # "3 of 5 finished"
    next_due: date | None
    overdue: bool  # the next audit is due
    plan: PlanState | None = None  # the latest audit's action plan


# A respondent's status, marked for translation; shown with ``RespondentRow.words``.
STATUS_WORDS = {
    word: word
    for word in (
        N_("sent (counted with the others)"),
        N_("finished"),
        N_("link withdrawn"),
        N_("link expired"),
        N_("started"),
        N_("not opened yet"),
    )
}


@dataclass(frozen=True)
class RespondentRow:
    respondent_id: int
    role: str
    label: str
    status: str  # in English, a key: "not opened yet", "started", "sent", "finished", …
    live: bool  # the link still opens (not revoked, not expired, not sent)
    opened: bool = True  # the link was opened (or the answers came another way)

    @property
    def words(self) -> str:
        """The status in the page's language (``status`` stays English: code tests it)."""
        return _(STATUS_WORDS[self.status]) if self.status in STATUS_WORDS else self.status

    @property
    def done(self) -> bool:
        return self.status.startswith(("sent", "finished"))

    @property
    def reissuable(self) -> bool:
        """A live link nobody has opened: a new one can replace it, since nobody has begun
        to answer with it (a started staff member's drafts are sealed under their link)."""
        return self.live and not self.opened


def progress_words(people: list[RespondentRow]) -> str:
    """How many of those invited have finished, counting only those who opened their link:
    a link never opened (lost, not sent yet, or withdrawn unopened) says nothing about the
    person, so "4 of 5 finished" would blame the audit for the advisor's lost link. It is
    named beside instead: "4 of 4 who opened their link finished; 1 link not opened yet".
    Only counts of the statuses the advisor already sees per invitation, nothing more."""
    if not people:
        return _("nobody invited yet")
    opened = [p for p in people if p.opened]
    waiting = sum(1 for p in people if not p.opened and p.live)
    lapsed = sum(1 for p in people if not p.opened and not p.live)
    parts = []
    if opened:
        finished = sum(1 for p in opened if p.done)
        counts = {"count": finished, "total": len(opened)}
        if waiting or lapsed:
            parts.append(_("%(count)s of %(total)s who opened their link finished") % counts)
        else:
            parts.append(_("%(count)s of %(total)s finished") % counts)
    if waiting:
        parts.append(
            ngettext("%(count)s link not opened yet", "%(count)s links not opened yet", waiting)
            % {"count": waiting}
        )
    if lapsed:
        parts.append(
            ngettext(
                "%(count)s link withdrawn or expired unopened",
                "%(count)s links withdrawn or expired unopened",
                lapsed,
            )
            % {"count": lapsed}
        )
    return "; ".join(parts)


def standing(
    database: Database,
    audit_id: int,
    created: datetime,
    floor: int = ANONYMITY_FLOOR,
    today: date | None = None,
) -> Standing:
    """The audit's headline, or in words why there is none yet. Whatever order people
    answer in (staff before the owner, the owner never, files only), this answers."""
    from auditkit.server.reports import audit_files, score_audit
    from auditkit.server.staff_answers import staff_state

    with audit_files(database, audit_id, floor) as files:
        if files.empty:
            staff = staff_state(database, audit_id)
            if staff.released:
                words = _("waiting for the owner's answers (%(count)s staff answered)") % {
                    "count": staff.released
                }
            elif staff.waiting:
                words = _("waiting for the owner's answers (staff answers not released yet)")
            else:
                words = _("no answers yet")
            return Standing(audit_id, created.date(), None, None, None, None, words)
        result = score_audit(files, as_of=today).result
    return Standing(
        audit_id,
        created.date(),
        result.verdict.headline,
        result.verdict.severity if result.verdict.available else None,
        ("balanced", "balanced", "elevated", "high", "high")[result.verdict.severity]
        if result.verdict.available
        else "undecided",
        result.overall_percent,
        rules=rules_words(result),
    )


def rules_words(result) -> str:
    """'2 obligations overdue · 1 obligation starting later' for the advisor's client page; ''
    when none is either."""
    obligations = result.obligations
    if obligations is None:
        return ""
    if obligations.markets is None:
        return _("where the business serves customers not given: no rule named")
    parts = []
    if obligations.overdue:
        parts.append(
            ngettext(
                "%(count)s obligation overdue",
                "%(count)s obligations overdue",
                obligations.overdue,
            )
            % {"count": obligations.overdue}
        )
    if obligations.due:
        parts.append(
            ngettext(
                "%(count)s obligation starting later",
                "%(count)s obligations starting later",
                obligations.due,
            )
            % {"count": obligations.due}
        )
    return " · ".join(parts)


def _trend(latest: Standing | None, earlier: Standing | None) -> str:
    if latest is None or latest.severity is None:
        return ""
    if earlier is None or earlier.severity is None:
        return _("first audit")
    counts = {"before": earlier.severity, "now": latest.severity}
    if latest.severity < earlier.severity:
        return _("severity fell from %(before)s to %(now)s") % counts
    if latest.severity > earlier.severity:
        return _("severity rose from %(before)s to %(now)s") % counts
    return _("severity unchanged at %(now)s") % counts


def clients(
    database: Database, advisor_id: int, today: date, floor: int = ANONYMITY_FLOOR
) -> list[ClientRow]:
    from sqlalchemy import select

    from auditkit.server.schema import Client

    with database.transaction() as session:
        found = [
            (
                client.id,
                client.name,
                client.sector or "",
                sorted((audit.created_at, audit.id) for audit in client.audits),
            )
            for client in session.scalars(
                select(Client).where(Client.advisor_id == advisor_id).order_by(Client.name)
            )
        ]
    rows = []
    for client_id, name, sector, audits in found:
        scored = [standing(database, audit_id, created, floor) for created, audit_id in audits[-2:]]
        latest = scored[-1] if scored else None
        earlier = scored[-2] if len(scored) > 1 else None
        people = respondents(database, audits[-1][1]) if audits else []
        due = (audits[-1][0] + AUDIT_EVERY).date() if audits else None
        plan = None
        if audits:
            with database.transaction() as session:
                plan = plan_state(session, audits[-1][1], today)
        rows.append(
            ClientRow(
                client_id,
                name,
                sector,
                len(audits),
                latest,
                _trend(latest, earlier),
                progress_words(people),
                due,
                due is not None and due < today,
                plan,
            )
        )
    return rows


def respondents(database: Database, audit_id: int) -> list[RespondentRow]:
    from sqlalchemy import select

    from auditkit.server.identity import now
    from auditkit.server.schema import Respondent

    moment = now()
    rows = []
    with database.transaction() as session:
        for respondent in session.scalars(
            select(Respondent).where(Respondent.audit_id == audit_id).order_by(Respondent.id)
        ):
            invitations = respondent.invitations
            revoked = bool(invitations) and all(i.revoked_at is not None for i in invitations)
            expired = bool(invitations) and all(i.expires_at <= moment for i in invitations)
            opened = any(i.used_at is not None for i in invitations)
            # Never a count of answers: how many a person gave depends on their own answers
            # (a chatbot asks more), and would tie their sent answers to this invitation.
            if respondent.submitted:
                status = "sent (counted with the others)"
            elif respondent.finished_at is not None:
                status = "finished"
            elif revoked:
                status = "link withdrawn"
            elif expired:
                status = "link expired"
            elif opened:
                status = "started"
            else:
                status = "not opened yet"
            live = not (respondent.submitted or revoked or expired)
            done = respondent.submitted or respondent.finished_at is not None
            rows.append(
                RespondentRow(
                    respondent.id,
                    respondent.role,
                    respondent.label,
                    status,
                    live,
                    opened or done or not invitations,
                )
            )
    return rows


def earlier_audit(database: Database, audit_id: int) -> int | None:
    """The client's audit before this one that has answers: what a report compares with."""
    from sqlalchemy import select

    from auditkit.server.schema import Audit

    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        before = list(
            session.scalars(
                select(Audit.id)
                .where(Audit.client_id == audit.client_id, Audit.created_at < audit.created_at)
                .order_by(Audit.created_at.desc())
            )
        )
    return before[0] if before else None
