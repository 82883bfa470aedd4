"""What every page handler of the practice server gets: the deployment's configuration, the
request's visitor and page rendering (``Context``), and the one way to refuse (``Refused``).

Kept apart from the route table (``server.app``) so that the page modules import this, not
the application that imports them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from auditkit.answers.model import ANONYMITY_FLOOR, NOTE_LIMIT
from auditkit.i18n import N_, _
from auditkit.serve.forms import FORM_LIMIT
from auditkit.server import access
from auditkit.server.access import Visitor
from auditkit.server.database import Database
from auditkit.server.reports import ReportPool

ADVISOR_FOOTER = N_("auditkit practice server. Staff answers are counted, never shown one by one.")
UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes: a decision log of a few hundred thousand rows


@dataclass
class ServerConfig:
    """How one deployment runs: its database, the host names it answers to, whether its
    cookies are Secure (TLS, or a proxy in front that terminates it), the advisor's brand."""

    database: Database
    hosts: set[str]
    secure: bool = False
    brand: Path | None = None
    reports: ReportPool = field(default_factory=ReportPool)
    upload_limit: int = UPLOAD_LIMIT
    staff_floor: int = ANONYMITY_FLOOR  # staff shown together, at least; raised only
    language: str = "en"  # pages and reports when the browser proposes no shipped language

    @property
    def cookie(self) -> str:
        # The __Host- prefix makes browsers refuse the cookie unless it is Secure, for this
        # host only and for the whole path: no subdomain can set or read it.
        return "__Host-auditkit" if self.secure else "auditkit"


@dataclass
class Context:
    """What a handler gets: the request's visitor, the configuration, page rendering."""

    request: Request
    visitor: Visitor
    config: ServerConfig
    templates: Any

    @property
    def database(self) -> Database:
        return self.config.database

    def page(self, template: str, status: int = 200, /, **values: Any) -> HTMLResponse:
        values.setdefault("footer", _(ADVISOR_FOOTER))
        if self.visitor.advisor_id is not None:
            # The advisor's language: the pages', and the reports' they download (the pick is
            # kept in this browser); respondents pick theirs on their opening page.
            from auditkit.i18n.web import picker

            values.setdefault("languages", picker(self.request.url.path))
        html = self.templates.get_template(template).render(
            csrf=self.visitor.csrf,
            static_root="/static",
            note_limit=NOTE_LIMIT,
            signed_in=self.visitor.advisor_id is not None,
            **values,
        )
        return HTMLResponse(html, status_code=status)

    async def form(self, max_part_size: int = FORM_LIMIT):
        """The posted form, after its CSRF key is checked against the visitor's session."""
        form = await self.request.form(max_part_size=max_part_size)
        if not self.visitor.csrf or not secrets.compare_digest(
            str(form.get("csrf", "")), self.visitor.csrf
        ):
            raise Refused(
                403, _("The form's key is missing or stale: reload the page and try again.")
            )
        return form

    def set_session(self, response: Response, key: str, *, lasting: bool) -> Response:
        response.set_cookie(
            self.config.cookie,
            key,
            max_age=access.ADVISOR_HOURS * 3600 if lasting else None,
            httponly=True,
            secure=self.config.secure,
            samesite="lax",
            path="/",
        )
        return response

    def clear_session(self, response: Response) -> Response:
        response.delete_cookie(
            self.config.cookie, path="/", secure=self.config.secure, httponly=True
        )
        return response

    @property
    def session_key(self) -> str:
        """The session's own key, from the cookie (which may also carry a draft key)."""
        return access.split_cookie(self.request.cookies.get(self.config.cookie, ""))[0]


class Refused(Exception):
    """A request refused with a status and a sentence for the person who made it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
