"""Every route of the practice server, as every kind of visitor, read from the route table
itself: a route added without a rule, or with the wrong one, fails here.

Visitors: nobody signed in; the respondent of audit 1 and the respondent of audit 2 (each
opened from their own link); the tester of audit 1's test contacts (from their link);
advisor A, whose clients these are; advisor B, who has none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditkit.server.permissions import Rule
from tests.serverweb import PASSWORD, Site, Visitor, answer_all

ALLOWED = "allowed"
SIGN_IN, FORBIDDEN, NOT_FOUND = "sign in", "forbidden", "not found"
EVERYONE = ("anonymous", "respondent 1", "respondent 2", "tester 1", "advisor A", "advisor B")
PLAN = Path(__file__).parents[1] / "examples" / "guest-house-contacts" / "plan" / "plan.yaml"

EXPECTED = {
    Rule.ANYONE: dict.fromkeys(EVERYONE, ALLOWED),
    Rule.ADVISOR: {
        "anonymous": SIGN_IN,
        "respondent 1": FORBIDDEN,
        "respondent 2": FORBIDDEN,
        "tester 1": FORBIDDEN,
        "advisor A": ALLOWED,
        "advisor B": ALLOWED,
    },
    Rule.RESPONDENT: {
        "anonymous": FORBIDDEN,
        "respondent 1": ALLOWED,
        "respondent 2": ALLOWED,
        "tester 1": FORBIDDEN,
        "advisor A": FORBIDDEN,
        "advisor B": FORBIDDEN,
    },
}
EXPECTED[Rule.TESTER] = {
    "anonymous": FORBIDDEN,
    "respondent 1": FORBIDDEN,
    "respondent 2": FORBIDDEN,
    "tester 1": ALLOWED,
    "advisor A": FORBIDDEN,
    "advisor B": FORBIDDEN,
}
for owned in (Rule.CLIENT, Rule.AUDIT, Rule.RESPONDENT_OF_AUDIT):
    EXPECTED[owned] = {
        "anonymous": SIGN_IN,
        "respondent 1": FORBIDDEN,
        "respondent 2": FORBIDDEN,
        "tester 1": FORBIDDEN,
        "advisor A": ALLOWED,
        "advisor B": NOT_FOUND,
    }


def outcome(response) -> str:
    if response.status_code == 303 and response.headers["location"] == "/login":
        return SIGN_IN
    if response.status_code == 403 and "This page is not open to you" in response.text:
        return FORBIDDEN
    if response.status_code == 404 and "There is no such page among your clients" in response.text:
        return NOT_FOUND
    assert response.status_code < 500, response.text
    return ALLOWED


@pytest.fixture
def quick_passwords(monkeypatch):
    """Argon2id at its lowest cost for this file: the matrix signs an advisor in afresh for
    every route (66 times a database), and at the production cost (0.25 s of CPU a check)
    that was half its time. Who may open what does not depend on the hash's cost; the
    production hash is checked in test_server_store.py and the sign-in's cost in
    test_server_signin_and_failures.py."""
    from argon2 import PasswordHasher

    from auditkit.server import identity

    quick = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(identity, "_hasher", lambda: quick)
    identity.dummy_hash.cache_clear()  # made at the production cost by another test, perhaps
    yield
    identity.dummy_hash.cache_clear()


@pytest.fixture
def world(location, quick_passwords):
    """Advisor A with two clients (audits 1 and 2, one owner each, who answered), advisor B."""
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor, add_audit, add_client, invite

    database, _ = open_database(location)
    ana = add_advisor(database, "ana@harbour.example", PASSWORD)
    add_advisor(database, "ben@other.example", PASSWORD)
    client = add_client(database, ana, "Value Inn", "hospitality")
    audit_one = add_audit(database, client, "human-centred-automation")
    audit_two = add_audit(
        database, add_client(database, ana, "Harbour Bakery"), "human-centred-automation"
    )
    from auditkit.server.contacts import attach_plan

    attach_plan(database, audit_one, "plan.yaml", PLAN.read_text(encoding="utf-8"), "test")
    tokens = {
        "respondent 1": invite(database, audit_one, "owner")[1],
        "respondent 2": invite(database, audit_two, "owner")[1],
        "tester 1": invite(database, audit_one, "tester")[1],
    }
    config = ServerConfig(database, {"testserver"})
    site = Site(create_app(config), database)
    for who, token in tokens.items():
        if who.startswith("tester"):
            continue
        respondent = site.visitor()
        respondent.follow(respondent.get(f"/i/{token}"))
        respondent.follow(respondent.post("/answer/begin"))
        answer_all(respondent, lambda q, values: values[0], limit=12)
    yield site, {"client": client, "audit": audit_one}, tokens
    config.reports.close()
    database.close()


def visitor_as(site: Site, who: str, tokens: dict) -> Visitor:
    visitor = site.visitor()
    if who.startswith("advisor"):
        email = "ana@harbour.example" if who == "advisor A" else "ben@other.example"
        visitor.get("/login")
        assert visitor.post("/login", {"email": email, "password": PASSWORD}).status_code == 303
        visitor.get("/")
    elif who.startswith(("respondent", "tester")):
        visitor.follow(visitor.get(f"/i/{tokens[who]}"))
    return visitor


def test_every_route_as_every_visitor(world):
    from auditkit.server.app import routes
    from auditkit.server.records import invite

    site, ids, tokens = world
    table = routes()
    app = site.app
    while not hasattr(app, "routes"):  # through the middleware (guard, language) to Starlette
        app = app.app
    mounted = [route.path for route in app.routes if hasattr(route, "endpoint")]
    assert mounted == [page.path for page in table]  # the app serves the table, all of it
    seen = {}
    for page in table:
        assert page.rule in EXPECTED, f"{page.path} has no expected outcome"
        for who in EVERYONE:
            # A fresh respondent for each try of a route that acts on one (revoke, delete).
            spare = invite(site.database, ids["audit"], "staff")[0]
            path = (
                page.path.replace("{client:int}", str(ids["client"]))
                .replace("{audit:int}", str(ids["audit"]))
                .replace("{respondent:int}", str(spare))
                .replace("{qid}", "adopt.back-office")
                .replace("{kind:report}", "html")
                .replace("{token}", "not-a-token")
            )
            assert "{" not in path, path
            visitor = visitor_as(site, who, tokens)
            for method in page.methods:
                if method == "GET":
                    response = visitor.get(path)
                else:
                    response = visitor.post(path, {"name": "X", "role": "staff", "language": "de"})
                seen[(method, page.path, who)] = outcome(response)
                assert seen[(method, page.path, who)] == EXPECTED[page.rule][who], (
                    f"{method} {path} as {who}: {response.status_code} {response.text[:300]}"
                )
    assert len(seen) >= len(table) * len(EVERYONE)


def test_the_question_ids_in_the_matrix_exist():
    """The matrix's question id must be one the questionnaire asks, or its GET tests nothing."""
    from auditkit.rubric import load_rubric

    rubric = load_rubric("human-centred-automation", "hospitality")
    assert "adopt.back-office" in [q.id for q in rubric.questions]
    assert re.fullmatch(r"[a-z.-]+", "adopt.back-office")
