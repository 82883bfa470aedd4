"""The tables, as SQLAlchemy 2 declarative models. The migrations in ``migrations/versions``
create exactly these; ``tests/test_server_store.py`` checks that they agree.

Secrets are never stored: a password only as its Argon2 hash, an invitation only as the
SHA-256 of its token. An invitation belongs to one respondent of one audit; a respondent's
answers are keyed by the respondent, never by the invitation, so that the link a person was
sent can be revoked or expire without touching what they answered.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Advisor(Base):
    __tablename__ = "advisor"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]

    clients: Mapped[list[Client]] = relationship(back_populates="advisor")


class Client(Base):
    """A business an advisor serves; its audits follow one another over the years."""

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("advisor.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]

    advisor: Mapped[Advisor] = relationship(back_populates="clients")
    audits: Mapped[list[Audit]] = relationship(back_populates="client", cascade="all, delete")


class Audit(Base):
    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    rubric: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]

    # The advisor ended staff answering: open staff links are withdrawn, and answers sent
    # since the last release, too few to show, are deleted unseen.
    staff_closed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The language its report, plan and owner's summary are made in ("de"), whatever the
    # language of the advisor's pages; none (an audit of schema 0006 or older): the server's
    # --lang. See server.report_language.
    report_language: Mapped[str | None] = mapped_column(String(16))

    client: Mapped[Client] = relationship(back_populates="audits")
    respondents: Mapped[list[Respondent]] = relationship(
        back_populates="audit", cascade="all, delete"
    )


class Respondent(Base):
    """One person answering one audit, in a role (owner, staff, other). No name is needed:
    ``label`` is what the advisor calls the invitation ("front desk, morning")."""

    __tablename__ = "respondent"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # A staff member's sent answers live on as a Submission that nothing links back here;
    # this row keeps only that they were sent (no time: times would pair the two).
    submitted: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The owner's name and role, as they gave them on the welcome page (the report's cover
    # names who answered). Never asked of staff or "someone else": their answers are counted.
    person_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    person_role: Mapped[str] = mapped_column(String(200), default="", server_default="")

    audit: Mapped[Audit] = relationship(back_populates="respondents")
    answers: Mapped[list[AnswerRow]] = relationship(
        back_populates="respondent", cascade="all, delete"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="respondent", cascade="all, delete"
    )


class Invitation(Base):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]

    respondent: Mapped[Respondent] = relationship(back_populates="invitations")


class AnswerColumns:
    """One answer, as the answers file holds it: the value on the scale, "n/a" or none
    (skipped), the note, the reason for "not applicable", and whether a staff note may be
    shown."""

    question_id: Mapped[str] = mapped_column(String(200))
    value: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str] = mapped_column(Text, default="")
    na_reason: Mapped[str] = mapped_column(Text, default="")
    skipped: Mapped[bool] = mapped_column(default=False)
    share_note: Mapped[bool] = mapped_column(default=False)


class AnswerRow(AnswerColumns, Base):
    """An answer of an invited respondent, while they answer (and for good, for an owner).

    A staff member's draft answer is ``sealed``: the answer (value, note, reason, whether the
    note may be shown) encrypted under a key derived from their link's token, which the
    server never stores (``server.sealing``); its plain columns stay empty. At send the
    drafts are counted into the audit's pending tally and deleted."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("respondent_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE"), index=True
    )
    answered_at: Mapped[datetime]
    sealed: Mapped[str | None] = mapped_column(Text)

    respondent: Mapped[Respondent] = relationship(back_populates="answers")


class StaffTally(Base):
    """An audit's staff answers, counted (``answers.staff.StaffTally`` as JSON): one row per
    audit and source (``links`` or ``files``), never one per person. ``pending`` holds what
    was sent since the last release; ``released`` what pages, files and reports may read,
    floored per question. Times: only the day of the latest release."""

    __tablename__ = "staff_tally"
    __table_args__ = (UniqueConstraint("audit_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    pending: Mapped[str] = mapped_column(Text, default="{}")
    released: Mapped[str] = mapped_column(Text, default="{}")
    released_on: Mapped[date | None]
    rounds: Mapped[int] = mapped_column(default=0)


class TrustedDevice(Base):
    """A browser an advisor signed in from: a random key in a long-lived cookie, stored as its
    SHA-256. The sign-in throttle lets a trusted device through while strangers are held back,
    so nobody can lock the advisor out by failing on purpose."""

    __tablename__ = "trusted_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("advisor.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]


class WebSession(Base):
    """A signed-in browser: an advisor's, or a respondent's opened from their link. The
    cookie holds a random key; only its SHA-256 is stored, with the form key (CSRF)."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    advisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisor.id", ondelete="CASCADE"), index=True
    )
    respondent_id: Mapped[int | None] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE"), index=True
    )
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class SignInFailure(Base):
    """A failed sign-in, by account ("account:EMAIL") and by address ("address:IP"): what the
    throttle counts. Old rows are deleted as new ones are written."""

    __tablename__ = "sign_in_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime]


class Evidence(Base):
    """Bias evidence for an audit: the bias JSON (counts and verdicts, never a log's rows)."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class AuditLogEntry(Base):
    """Who changed what: the advisor's actions and respondents' submissions, never a secret."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(300), default="")


class PlannedAction(Base):
    """One action of the audit's plan as the client filled it in: who, by when, the status.
    It travels in the owner's exported answers file (``actions:``), as ``plan import`` puts
    it there, so reports and follow-ups read it the same way."""

    __tablename__ = "planned_action"
    __table_args__ = (UniqueConstraint("audit_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[str] = mapped_column(String(10), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str] = mapped_column(Text, default="")


class ContactsPlan(Base):
    """An audit's test-contact plan (``auditkit contacts plan``'s plan.yaml, as uploaded and
    checked by its reader): what the tester's form offers and what the check pairs by. One
    per audit; a new upload replaces it (contacts already recorded stay)."""

    __tablename__ = "contacts_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class ContactRecord(Base):
    """One test contact as a tester recorded it: the recording sheet's fields, never its
    free-text notes. ``entry`` is the id the browser gave the contact, so that one sent
    again after a dropped connection is kept once. No tester is named: the plan records
    the role of whoever tests."""

    __tablename__ = "contact_record"
    __table_args__ = (UniqueConstraint("audit_id", "entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    entry: Mapped[str] = mapped_column(String(64))
    date: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
    persona: Mapped[str] = mapped_column(String(100))
    scenario: Mapped[str] = mapped_column(String(100), default="")
    pair: Mapped[str] = mapped_column(String(100))
    disclosed_first_turn: Mapped[str] = mapped_column(String(5), default="")
    turns_to_person: Mapped[str] = mapped_column(String(20), default="")
    minutes_to_person: Mapped[str] = mapped_column(String(20), default="")
    context_kept: Mapped[str] = mapped_column(String(5), default="")
    answer_right: Mapped[str] = mapped_column(String(5), default="")
    optout_offered: Mapped[str] = mapped_column(String(5), default="")
    created_at: Mapped[datetime]
