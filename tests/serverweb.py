"""Helpers for the practice server's tests: a site over a real database, and visitors that
read each page's form key the way a browser submits it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.testclient import TestClient

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PASSWORD = "a long and private sentence"


@dataclass
class Site:
    app: object
    database: object

    def visitor(self, scheme: str = "http") -> Visitor:
        return Visitor(
            TestClient(self.app, base_url=f"{scheme}://testserver", follow_redirects=False)
        )


class Visitor:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def get(self, path: str, **options):
        return self._remember(self.client.get(path, **options))

    def post(self, path: str, data: dict | None = None, **options):
        fields = {"csrf": self.csrf, **(data or {})}
        return self._remember(self.client.post(path, data=fields, **options))

    def _remember(self, response):
        """Keep the page's form key, as the browser's next form would send it."""
        if "text/html" in response.headers.get("content-type", ""):
            found = CSRF.search(response.text)
            if found:
                self.csrf = found.group(1)
        return response

    def follow(self, response):
        """Follow a redirect, as a browser would."""
        while response.status_code in (302, 303):
            response = self.get(response.headers["location"])
        return response


@contextmanager
def one_advisor_site(database_file: Path) -> Iterator[Site]:
    """The server on one SQLite file with one advisor, ana@harbour.example (for tests whose
    subject is not storage; the server's own tests run every route on PostgreSQL too)."""
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(str(database_file))
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana of Harbour Advice")
    config = ServerConfig(database, {"testserver"})
    try:
        yield Site(create_app(config), database)
    finally:
        config.reports.close()
        database.close()


def sign_in(site: Site, email: str) -> Visitor:
    advisor = site.visitor()
    advisor.get("/login")
    response = advisor.post("/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/", response.text
    advisor.get("/")
    return advisor


def add_client(advisor: Visitor, name: str, sector: str = "hospitality") -> tuple[int, int]:
    """(client id, its first audit's id)."""
    response = advisor.post("/clients", {"name": name, "sector": sector})
    client_id = int(response.headers["location"].rsplit("/", 1)[1])
    page = advisor.get(f"/clients/{client_id}")
    audit_id = int(re.search(r'href="/audits/(\d+)"', page.text).group(1))
    advisor.get(f"/audits/{audit_id}")
    return client_id, audit_id


def invite(advisor: Visitor, audit_id: int, role: str, label: str = "") -> str:
    """The new link's path (/i/TOKEN), read from the page that shows it once."""
    page = advisor.post(f"/audits/{audit_id}/invite", {"role": role, "label": label})
    assert page.status_code == 200, page.text
    link = re.search(r'id="new-link" class="link-box" value="([^"]+)"', page.text).group(1)
    return link.removeprefix("http://testserver")


QUESTION = re.compile(r'action="/answer/q/([^"?]+)')
VERSION = re.compile(r'name="version" value="([^"]+)"')
VALUES = re.compile(r'name="value" value="([^"]+)"')


def open_link(site: Site, link: str) -> Visitor:
    respondent = site.visitor()
    response = respondent.get(link)
    assert response.status_code == 303 and response.headers["location"] == "/answer"
    page = respondent.follow(response)
    if "/answer/begin" in page.text:
        respondent.follow(respondent.post("/answer/begin"))
    return respondent


def answer_business(respondent: Visitor, page, markets=("EU",), size="small"):
    """The owner's two questions about the business (asked once, before the questions):
    answered when the page asks them, and the next page returned."""
    if 'action="/answer/business"' not in page.text:
        return page
    response = respondent.client.post(
        "/answer/business",
        data={"csrf": respondent.csrf, "business.markets": list(markets), "business.size": size},
    )
    assert response.status_code == 303, response.text
    return respondent.follow(response)


def answer_all(respondent: Visitor, choose, limit: int = 200) -> list[str]:
    """Answer question after question: ``choose(question_id, values)`` gives the value (or
    "skip"). Returns the ids answered, in order."""
    seen = []
    page = answer_business(respondent, respondent.follow(respondent.get("/answer")))
    for _ in range(limit):
        found = QUESTION.search(page.text)
        if found is None:
            break
        question_id = found.group(1)
        values = VALUES.findall(page.text)
        choice = choose(question_id, values)
        fields = {"version": VERSION.search(page.text).group(1)}
        if choice == "skip":
            fields["action"] = "skip"
        elif choice == "n/a":
            fields.update(action="save", value="n/a", na_reason="We have no staff rota")
        else:
            fields.update(action="save", value=choice)
        response = respondent.post(f"/answer/q/{question_id}", fields)
        assert response.status_code == 303, response.text
        seen.append(question_id)
        page = respondent.follow(response)
    return seen
