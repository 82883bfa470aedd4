"""Test contacts on the practice server: what ``auditkit contacts`` does on one computer,
for an audit and a tester on a phone (docs/contacts.md, docs/server.md).

The advisor attaches the audit's plan (the plan.yaml ``auditkit contacts plan`` writes, read
by its own reader) and invites a tester by link (a respondent with the role ``tester``: the
link opens only this audit's recording form, never the questionnaire). Each contact the
tester saves is one row, written in one transaction; the browser's id for it (``entry``)
keeps a contact sent twice, after a dropped connection, once. Free-text notes are never
taken. The advisor downloads the sheet (the recording template's columns, so ``auditkit
contacts check`` reads it as it is) or runs the check here, which stores the result as the
audit's contacts evidence, as a bias JSON upload is stored.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from auditkit.contacts.model import Plan
from auditkit.contacts.record import FIELDS
from auditkit.errors import InputError
from auditkit.i18n import _
from auditkit.server import identity
from auditkit.server.database import Database
from auditkit.server.records import log
from auditkit.server.schema import ContactRecord, ContactsPlan, Evidence

TESTER = "tester"
EVIDENCE_NAME = "test contacts (checked here)"
COLUMNS = [f for f in FIELDS if f != "notes"]


def plan_from_text(text: str, name: str) -> Plan:
    """The plan the text holds, read by ``contacts plan``'s own reader (located errors name
    ``name``, the file the advisor uploaded)."""
    from auditkit.contacts.model import read_plan

    with tempfile.TemporaryDirectory(prefix="auditkit-plan-") as folder:
        path = Path(folder) / "plan.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return read_plan(path)
        except InputError as problem:
            from dataclasses import replace

            named = [replace(p, file=name) if p.file == str(path) else p for p in problem.problems]
            raise InputError(named) from None


def attach_plan(database: Database, audit_id: int, name: str, text: str, actor: str) -> None:
    """The audit's plan, replacing an earlier one (its recorded contacts stay)."""
    from sqlalchemy import select

    with database.transaction() as session:
        row = session.scalar(select(ContactsPlan).where(ContactsPlan.audit_id == audit_id))
        if row is None:
            row = ContactsPlan(audit_id=audit_id)
            session.add(row)
        row.name, row.text, row.created_at = name[:200], text, identity.now()
        log(session, actor, "contacts plan attached", f"audit {audit_id}")


def audit_plan(database: Database, audit_id: int) -> tuple[Plan, str, str] | None:
    """(the audit's plan, the uploaded file's name, its text), or None when none is
    attached."""
    from sqlalchemy import select

    with database.transaction() as session:
        row = session.scalar(select(ContactsPlan).where(ContactsPlan.audit_id == audit_id))
        if row is None:
            return None
        text, name = row.text, row.name
    return plan_from_text(text, name), name, text


def save_contact(
    database: Database, audit_id: int, respondent_id: int, entry: str, row: list[str]
) -> tuple[int, bool]:
    """One contact, in one transaction: (how many the audit holds now, whether this one was
    new). A contact whose ``entry`` the audit holds already is not written again."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import IntegrityError

    values = dict(zip(COLUMNS, row, strict=False))
    try:
        with database.transaction() as session:
            known = session.scalar(
                select(ContactRecord.id).where(
                    ContactRecord.audit_id == audit_id, ContactRecord.entry == entry
                )
            )
            if known is None:
                session.add(
                    ContactRecord(
                        audit_id=audit_id, entry=entry, created_at=identity.now(), **values
                    )
                )
                session.flush()
                log(
                    session,
                    f"respondent {respondent_id}",
                    "test contact saved",
                    f"audit {audit_id}",
                )
            count = session.scalar(select(func.count()).where(ContactRecord.audit_id == audit_id))
            return count, known is None
    except IntegrityError:  # the same entry, sent twice at once: the other one kept it
        return save_contact(database, audit_id, respondent_id, entry, row)


def contacts_count(database: Database, audit_id: int) -> int:
    from sqlalchemy import func, select

    with database.transaction() as session:
        return session.scalar(select(func.count()).where(ContactRecord.audit_id == audit_id))


def sheet_csv(database: Database, audit_id: int) -> str:
    """The recorded contacts as the recording sheet (CSV, the template's header, ``notes``
    empty), in the order they were saved."""
    from sqlalchemy import select

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    with database.transaction() as session:
        for record in session.scalars(
            select(ContactRecord)
            .where(ContactRecord.audit_id == audit_id)
            .order_by(ContactRecord.id)
        ):
            writer.writerow([getattr(record, name) for name in COLUMNS] + [""])
    return buffer.getvalue()


def run_check(database: Database, audit_id: int, actor: str) -> str:
    """Check the recorded contacts against the plan (``contacts check``'s defaults) and keep
    the result as the audit's contacts evidence, replacing an earlier run's; its summary."""
    from sqlalchemy import delete

    from auditkit.bias.formats import FORMATS
    from auditkit.contacts.check import check_contacts
    from auditkit.contacts.record import read_contacts

    found = audit_plan(database, audit_id)
    if found is None:
        raise InputError.single(_("the contacts check"), _("needs the audit's contacts plan first"))
    plan, plan_name, plan_text = found
    text = sheet_csv(database, audit_id)
    with tempfile.TemporaryDirectory(prefix="auditkit-contacts-") as folder:
        sheet, plan_path = Path(folder) / "contacts.csv", Path(folder) / "plan.yaml"
        sheet.write_text(text, encoding="utf-8")
        plan_path.write_text(plan_text, encoding="utf-8")
        recorded, incomplete = read_contacts(sheet)
        if not recorded:
            raise InputError.single(
                _("the contacts check"),
                _("has no recorded contact to check yet"),
                fix=_("let the tester record the plan's contacts first"),
            )
        result = check_contacts(recorded, incomplete, plan, source=sheet, plan_path=plan_path)
        data = json.loads(FORMATS["json"]().format(result))
    data = _without_folder(data, folder, plan_name)
    with database.transaction() as session:
        session.execute(
            delete(Evidence).where(Evidence.audit_id == audit_id, Evidence.name == EVIDENCE_NAME)
        )
        session.add(
            Evidence(
                audit_id=audit_id,
                name=EVIDENCE_NAME,
                data=json.dumps(data, sort_keys=True),
                created_at=identity.now(),
            )
        )
        log(session, actor, "contacts checked", f"audit {audit_id}")
    return result.summary()


def _without_folder(data, folder: str, plan_name: str):
    """The result with the server's temporary paths replaced by the files' own names."""
    if isinstance(data, dict):
        return {k: _without_folder(v, folder, plan_name) for k, v in data.items()}
    if isinstance(data, list):
        return [_without_folder(v, folder, plan_name) for v in data]
    if isinstance(data, str) and folder in data:
        return data.replace(str(Path(folder) / "plan.yaml"), plan_name).replace(
            str(Path(folder)) + "/", ""
        )
    return data
