"""What keeps a local web app private on a shared machine, in one ASGI middleware.

- The Host header must name this server (127.0.0.1 or localhost, with its port): a page on
  another site that rebinds its DNS name to 127.0.0.1 gets 400 and never reads the answers.
- A random token in the printed URL sets an HttpOnly, SameSite=Strict cookie; a request
  without it gets 403.
- A POST from a foreign Origin gets 403; each form also carries a CSRF token, checked by the
  handlers (``check_csrf``) when they read the form.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

COOKIE = "auditkit_session"


class Guard:
    def __init__(self, app, *, token: str, port: int) -> None:
        self.app = app
        self.token = token
        self.port = port

    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.allowed_hosts():
            await _plain(send, 400, "Bad request: this server answers to 127.0.0.1 only.")
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [""])[0]
        if given and hmac.compare_digest(given, self.token):
            # The printed link: set the cookie, then drop the token from the address bar.
            cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [(b"location", b"/"), (b"set-cookie", cookie.encode())],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if not hmac.compare_digest(_cookie(headers.get("cookie", "")), self.token):
            await _plain(
                send,
                403,
                "Forbidden: open the link that 'auditkit serve' printed (it holds this "
                "session's key).",
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
        await self.app(scope, receive, send)


def _cookie(header: str) -> str:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
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


def check_csrf(form, expected: str) -> bool:
    return hmac.compare_digest(str(form.get("csrf", "")), expected)
