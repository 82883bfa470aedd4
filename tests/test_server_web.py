"""The practice server as its users meet it, on SQLite and on a real PostgreSQL 15: an advisor
signs in, adds a client and invites people by link; they answer on their own devices; the
advisor sees progress and results and downloads the files, which ``auditkit`` reads."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest

from auditkit.answers.store import load_answers
from tests.serverweb import (
    PASSWORD,
    Site,
    add_client,
    answer_all,
    answer_business,
    invite,
    open_link,
    sign_in,
)


@pytest.fixture
def site(location):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(location)
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana of Harbour Advice")
    add_advisor(database, "ben@other.example", PASSWORD, "Ben")
    config = ServerConfig(database, {"testserver"})
    yield Site(create_app(config), database)
    config.reports.close()
    database.close()


def first(question_id: str, values: list[str]) -> str:
    return values[0]


def test_owner_and_three_staff_answer_by_link_and_the_advisor_gets_results_and_files(site):
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    owner = open_link(site, invite(ana, audit, "owner"))
    assert "Value Inn" in owner.get("/answer/review").text
    answered = answer_all(owner, first)
    assert len(answered) > 40
    assert owner.follow(owner.post("/answer/send")).status_code == 200
    for number in range(3):
        staff = site.visitor()
        welcome = staff.follow(staff.get(invite(ana, audit, "staff", f"front desk {number}")))
        # The rule is stated before the first question, so people know before they answer.
        assert "only where at least 3 staff answered that question" in welcome.text
        assert "a key that only your link gives" in welcome.text
        staff.follow(staff.post("/answer/begin"))
        # Staff say customers often cannot reach a person: the last value ("no").
        answer_all(staff, lambda q, values: values[-1])
        sent = staff.post("/answer/send")
        assert sent.status_code == 200 and "nobody can tell which answers were yours" in sent.text
        assert staff.client.get("/answer").status_code == 403  # the session ended with it
    page = ana.get(f"/audits/{audit}").text
    assert page.count("sent (counted with the others") == 3
    assert "Staff answers shown: 3 people" in page
    assert "front desk 0" in page  # the advisor's label stays on the invitation …
    archive = zipfile.ZipFile(io.BytesIO(ana.get(f"/audits/{audit}/download/answers.zip").content))
    names = sorted(archive.namelist())
    assert names == ["answers/owner.yaml", "answers/staff.yaml"]  # never one per person
    for name in names:
        text = archive.read(name).decode()
        assert "front desk" not in text  # … and never reaches the answers
    results = ana.get(f"/audits/{audit}/results")
    assert results.status_code == 200 and "What to do first" in results.text
    # The advisor's page around the owner's summary: their navigation, not serve's footer.
    assert 'action="/logout"' in results.text and "on this computer" not in results.text
    assert "Where views differ" in results.text or "staff" in results.text.lower()
    plan = ana.get(f"/audits/{audit}/download/plan.csv")
    assert plan.status_code == 200 and plan.text.lstrip("\ufeff").startswith("priority,")
    overview = ana.get("/").text
    assert "Value Inn" in overview and "4 of 4 finished" in overview


def test_the_exported_files_validate_and_score_like_the_server(site, tmp_path):
    from tests.conftest import run_cli

    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    owner = open_link(site, invite(ana, audit, "owner"))
    answer_all(owner, first)
    content = ana.get(f"/audits/{audit}/download/answers.zip").content
    zipfile.ZipFile(io.BytesIO(content)).extractall(tmp_path)
    owner_file = tmp_path / "answers" / "owner.yaml"
    assert run_cli("answers", "validate", str(owner_file)).returncode == 0
    assert load_answers(owner_file)[0].business["name"] == "Value Inn"
    scored = run_cli("score", str(tmp_path / "answers"), "--format", "json")
    assert scored.returncode == 0
    numbers = json.loads(scored.stdout)
    results = ana.get(f"/audits/{audit}/results").text
    shown = [int(n) for n in re.findall(r'<p class="big">(\d)</p>', results)]
    assert shown == [numbers["adoption_phase"], numbers["safeguard_phase"]]


def test_a_revoked_or_expired_link_opens_nothing_and_ends_its_session(site):
    from sqlalchemy import update

    from auditkit.server.identity import now
    from auditkit.server.schema import Invitation

    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    link = invite(ana, audit, "staff")
    staff = open_link(site, link)
    assert staff.client.get("/answer").status_code in (200, 303)
    page = ana.get(f"/audits/{audit}").text
    revoke = re.search(r'action="(/audits/\d+/respondents/\d+/revoke)"', page).group(1)
    assert ana.post(revoke).status_code == 303
    assert staff.client.get("/answer").status_code == 403
    assert site.visitor().get(link).status_code == 404
    later = invite(ana, audit, "staff")
    other = open_link(site, later)
    with site.database.transaction() as session:
        session.execute(update(Invitation).values(expires_at=now() - timedelta(seconds=1)))
    assert other.client.get("/answer").status_code == 403
    assert site.visitor().get(later).status_code == 404


def test_a_respondent_cannot_reach_another_audits_answers_by_changing_forms(site):
    from auditkit.rubric import load_rubric
    from auditkit.server.answering import audit_voices

    ana = sign_in(site, "ana@harbour.example")
    _, audit_one = add_client(ana, "Value Inn")
    _, audit_two = add_client(ana, "Harbour Bakery")
    one = open_link(site, invite(ana, audit_one, "owner"))
    two = open_link(site, invite(ana, audit_two, "owner"))
    page = answer_business(two, two.follow(two.get("/answer")))
    question = re.search(r'action="/answer/q/([^"?]+)', page.text).group(1)
    version = re.search(r'name="version" value="([^"]+)"', page.text).group(1)
    # Extra fields naming the other audit or respondent are ignored: the session decides.
    fields = {"version": version, "action": "save", "value": "live"}
    forged = two.post(
        f"/answer/q/{question}", {**fields, "respondent": "1", "audit": str(audit_one)}
    )
    assert forged.status_code == 303
    rubric = load_rubric("human-centred-automation", "hospitality")
    assert audit_voices(site.database, audit_one, rubric) == []
    assert [v.answers.business["name"] for v in audit_voices(site.database, audit_two, rubric)] == [
        "Harbour Bakery"
    ]
    assert one.follow(one.get("/answer")).status_code == 200


def test_sign_in_is_throttled_per_account_and_address_and_per_address(site):
    from auditkit.server import access

    visitor = site.visitor()
    visitor.get("/login")
    for _ in range(access.PAIR_LIMIT):
        wrong = visitor.post(
            "/login", {"email": "ana@harbour.example", "password": "not it at all"}
        )
        assert wrong.status_code == 400 and "do not match" in wrong.text
    right = visitor.post("/login", {"email": "ana@harbour.example", "password": PASSWORD})
    assert right.status_code == 429 and "try again in 15 minutes" in right.text
    # Ben's account is not locked by guesses at Ana's; the address is, after ADDRESS_LIMIT.
    assert sign_in(site, "ben@other.example")
    for number in range(access.ADDRESS_LIMIT - access.PAIR_LIMIT):
        visitor.post("/login", {"email": f"guess{number}@x.example", "password": "wrong wrong"})
    blocked = visitor.post("/login", {"email": "ben@other.example", "password": PASSWORD})
    assert blocked.status_code == 429


def test_forms_need_their_key_and_this_servers_origin_and_host(site):
    ana = sign_in(site, "ana@harbour.example")
    stale = ana.client.post("/clients", data={"name": "X", "csrf": "guessed"})
    assert stale.status_code == 403
    foreign = ana.client.post(
        "/clients", data={"name": "X", "csrf": ana.csrf}, headers={"origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert ana.client.get("/", headers={"host": "evil.example"}).status_code == 400
    login = site.visitor()
    login.get("/login")
    assert (
        login.client.post(
            "/login", data={"email": "ana@harbour.example", "password": PASSWORD, "csrf": "x"}
        ).status_code
        == 403
    )


def test_cookies_are_httponly_lax_and_secure_behind_tls(tmp_path):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(str(tmp_path / "server.db"))
    add_advisor(database, "ana@harbour.example", PASSWORD)
    site = Site(create_app(ServerConfig(database, {"testserver"}, secure=True)), database)
    visitor = site.visitor("https")
    visitor.get("/login")
    response = visitor.post("/login", {"email": "ana@harbour.example", "password": PASSWORD})
    (cookie,) = [c for c in response.headers.get_list("set-cookie") if "__Host-" in c]
    assert cookie.startswith("__Host-auditkit=") and "HttpOnly" in cookie
    assert "Secure" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    page = visitor.get("/")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["strict-transport-security"].startswith("max-age=")
    database.close()


def test_an_upload_is_read_like_the_command_line_and_only_counts_are_kept(site):
    from sqlalchemy import select

    from auditkit.server.schema import Evidence
    from tests.conftest import REPO

    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    log = (REPO / "examples" / "logs" / "chatbot.csv").read_bytes()
    bad = ana.client.post(
        f"/audits/{audit}/evidence",
        data={"csrf": ana.csrf, "check": ""},
        files={"file": ("chatbot.csv", log, "text/csv")},
    )
    assert bad.status_code == 400 and "the check to run on it was not chosen" in bad.text
    torn = ana.client.post(
        f"/audits/{audit}/evidence",
        data={"csrf": ana.csrf, "check": "chatbot"},
        files={"file": ("broken.csv", b"language,handoff\nen,yes\n\x00\x00", "text/csv")},
    )
    assert torn.status_code == 400 and "broken.csv" in torn.text and "Traceback" not in torn.text
    good = ana.client.post(
        f"/audits/{audit}/evidence",
        data={"csrf": ana.csrf, "check": "chatbot", "groups": "language"},
        files={"file": ("chatbot.csv", log, "text/csv")},
    )
    assert good.status_code == 303, good.text
    with site.database.transaction() as session:
        kept = session.scalars(select(Evidence.data)).one()
    first_row = log.decode().splitlines()[1]
    assert first_row not in kept and '"findings"' in kept
    huge = ana.client.post(
        f"/audits/{audit}/evidence",
        data={"csrf": ana.csrf, "check": "chatbot"},
        files={"file": ("big.csv", b"x" * (21 * 1024 * 1024), "text/csv")},
    )
    assert huge.status_code == 413


def test_a_filled_in_plan_comes_back_shows_what_is_overdue_and_reaches_the_report(site):
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    owner = open_link(site, invite(ana, audit, "owner"))
    answer_all(owner, first)
    plan = ana.get(f"/audits/{audit}/download/plan.csv").text.lstrip("\ufeff")
    header, first_row, second_row, *rest = plan.splitlines()
    columns = header.split(",")
    assert columns[-3:] == ["owner", "due", "status"] or "owner" in columns

    def filled(row: str, owner_name: str, due: str, status: str) -> str:
        import csv

        cells = next(csv.reader([row]))
        values = dict(zip(columns, cells, strict=True))
        values.update(owner=owner_name, due=due, status=status)
        out = io.StringIO()
        csv.writer(out).writerow([values[c] for c in columns])
        return out.getvalue().strip()

    edited = "\n".join(
        [
            header,
            filled(first_row, "Mia", "2020-01-31", "open"),
            filled(second_row, "Sam", "2099-01-01", "done"),
            *rest,
        ]
    )
    bad = ana.client.post(
        f"/audits/{audit}/plan",
        data={"csrf": ana.csrf},
        files={"file": ("plan.csv", edited.replace("2020-01-31", "31st of Jan"), "text/csv")},
    )
    assert bad.status_code == 400 and "plan.csv" in bad.text and "row 2" in bad.text
    good = ana.client.post(
        f"/audits/{audit}/plan",
        data={"csrf": ana.csrf},
        files={"file": ("plan.csv", edited, "text/csv")},
    )
    assert good.status_code == 303, good.text
    assert "1 of 2 actions done, 1 overdue" in ana.get("/").text
    assert "1 overdue" in ana.get(f"/audits/{audit}").text
    exported = zipfile.ZipFile(io.BytesIO(ana.get(f"/audits/{audit}/download/answers.zip").content))
    owner_file = exported.read("answers/owner.yaml").decode()
    assert "actions:" in owner_file and "Mia" in owner_file and "2020-01-31" in owner_file
    report = ana.get(f"/audits/{audit}/download/report.html").text
    assert "Mia" in report and "Sam" in report


def test_a_shared_browser_never_shows_one_persons_answers_to_the_next(site):
    """Two members of staff on the front desk's one tablet: the second opens their own link
    (or the first pressed "Stop here"), and sees none of the first one's answers."""
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    first_link, second_link = invite(ana, audit, "staff"), invite(ana, audit, "staff")
    tablet = open_link(site, first_link)
    page = tablet.follow(tablet.get("/answer"))
    question = re.search(r'action="/answer/q/([^"?]+)', page.text).group(1)
    version = re.search(r'name="version" value="([^"]+)"', page.text).group(1)
    tablet.post(
        f"/answer/q/{question}",
        {"version": version, "action": "save", "value": "live", "note": "Mia's private remark"},
    )
    assert "Mia&#39;s private remark" in tablet.get("/answer/review").text
    tablet.follow(tablet.get(second_link))  # the next person's link, same browser
    tablet.follow(tablet.post("/answer/begin"))
    review = tablet.get("/answer/review").text
    assert "private remark" not in review and "Not answered" in review
    stopped = tablet.post("/answer/leave")
    assert stopped.status_code == 200 and "Stopped on this device" in stopped.text
    assert tablet.client.get("/answer/review").status_code == 403
    assert tablet.client.get("/answer/q/" + question).status_code == 403


def test_expired_sessions_sign_nobody_in_and_are_cleared_away(site):
    from sqlalchemy import func, select, update

    from auditkit.server.identity import now
    from auditkit.server.schema import WebSession

    ana = sign_in(site, "ana@harbour.example")
    with site.database.transaction() as session:
        session.execute(update(WebSession).values(expires_at=now() - timedelta(seconds=1)))
    assert ana.client.get("/").headers["location"] == "/login"
    sign_in(site, "ben@other.example")  # a new session clears the expired ones
    with site.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(WebSession)) == 1
