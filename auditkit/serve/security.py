"""What keeps a local web app private on a shared machine, in one ASGI middleware.

- The Host header must name this server (127.0.0.1 or localhost, with its port): a page on
  another site that rebinds its DNS name to 127.0.0.1 gets 400 and never reads the answers.
- Every page lives under a path of its own (``/k3Jx…/``), different for each running
  instance. Browsers keep cookies per host, not per port, so a cookie scoped to ``Path=/``
  would reach every other server on 127.0.0.1 and be overwritten by a second ``serve``; scoped
  to this instance's path and named for this instance, it reaches only this one.
- The printed link holds a one-time token. Its first use sets an HttpOnly, SameSite=Strict
  cookie holding a different key and drops the token from the address bar; from then on the
  token (visible in ``ps`` when the link opened a browser) opens nothing.
- A POST from a foreign Origin gets 403; each form also carries a CSRF token, checked by the
  handlers (``check_csrf``) when they read the form.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qs

# What an owner who opens an old or already used link reads. Coming back another day is
# running the same command again; the page says that without naming a command.
AGAIN = (
    "To continue, start the questionnaire again the way you started it this time (or ask the "
    "person who set it up to): it shows a new link that opens your saved answers. Nothing you "
    "answered is lost."
)


@dataclass
class Keys:
    """One instance's secrets: its path, its cookie's name and value, the link's token."""

    root: str = field(default_factory=lambda: "/" + secrets.token_urlsafe(9))
    cookie: str = field(default_factory=lambda: "auditkit_" + secrets.token_hex(8))
    key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    token_used: bool = False

    def link(self, port: int) -> str:
        return f"http://127.0.0.1:{port}{self.root}/?token={self.token}"


class Guard:
    def __init__(self, app, *, keys: Keys, port: int) -> None:
        self.app = app
        self.keys = keys
        self.port = port

    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        keys = self.keys
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.allowed_hosts():
            await _plain(send, 400, "Bad request: this server answers to 127.0.0.1 only.")
            return
        path = scope["path"]
        if path != keys.root and not path.startswith(keys.root + "/"):
            await _page(send, 404, "This link is from an earlier session", AGAIN)
            return
        signed_in = hmac.compare_digest(_cookie(headers.get("cookie", ""), keys.cookie), keys.key)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [""])[0]
        if given:
            fresh = not keys.token_used and hmac.compare_digest(given, keys.token)
            if fresh:
                keys.token_used = True  # the link opens one browser, once
            if fresh or signed_in:
                await _redirect_home(send, keys, set_cookie=fresh)
                return
            await _page(
                send,
                403,
                "This link was already used",
                "For your privacy a link opens the questionnaire once, in one browser. " + AGAIN,
            )
            return
        if not signed_in:
            await _page(
                send,
                403,
                "Open the questionnaire with its link",
                "This page opens only from the link shown when the questionnaire was started. "
                + AGAIN,
            )
            return
        origin = headers.get("origin")
        if (
            scope["method"] == "POST"
            and origin is not None
            and origin not in {f"http://{host}" for host in self.allowed_hosts()}
        ):
            await _plain(send, 403, "Forbidden: a form from another site.")
            return
        # Routes are written without the instance's path; Starlette strips root_path.
        await self.app({**scope, "root_path": keys.root}, receive, send)


async def _redirect_home(send, keys: Keys, *, set_cookie: bool) -> None:
    headers = [(b"location", f"{keys.root}/".encode())]
    if set_cookie:
        cookie = f"{keys.cookie}={keys.key}; HttpOnly; SameSite=Strict; Path={keys.root}"
        headers.append((b"set-cookie", cookie.encode()))
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


async def _plain(send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


async def _page(send, status: int, title: str, text: str) -> None:
    """A small page an owner can read (no styles: it is served before any key is known)."""
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · auditkit</title></head>"
        f'<body style="font:1.1rem/1.5 system-ui,sans-serif;max-width:38rem;margin:2rem auto;'
        f'padding:0 1rem"><main><h1>{escape(title)}</h1><p>{escape(text)}</p></main></body></html>'
    )
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/html; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


def check_csrf(form, expected: str) -> bool:
    return hmac.compare_digest(str(form.get("csrf", "")), expected)
