"""What every request to the practice server passes first, in one ASGI middleware.

* The Host header must be one the server was configured for (``--host-name``): a request for
  any other name (DNS rebinding, a stray virtual host) gets 400 and reaches no page.
* A POST whose Origin is not this server's gets 403 (the forms' CSRF keys are checked too).
* Every response carries headers that keep pages private: no caching of pages, no referrer
  (a link's token never travels in a Referer), no framing, a content security policy that
  allows this server's own styles and forms only.
* A request body is counted as it streams in and stopped past the limit (the largest
  upload, 20 MB, and a little): a chunked upload without a Content-Length is never read
  whole into memory first.
* The request log names the method, the path with any invitation token replaced by ``…``,
  and the status: never a query string, a cookie, a form or a token.
"""

from __future__ import annotations

import logging
import re
import time

LOG = logging.getLogger("auditkit.server")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make form posts Origin: null
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        # Scripts only from this server's own files (the Copy button), never inline.
        b"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
]
TOKEN_IN_PATH = re.compile(r"^/i/[^/]*")


def loggable(path: str) -> str:
    """A path as the log may show it: an invitation link's token never appears."""
    return TOKEN_IN_PATH.sub("/i/…", path)


class BodyTooLarge(Exception):
    """A request body went past the server's limit while it streamed in."""


class Guard:
    def __init__(self, app, *, hosts: set[str], secure: bool, max_body: int | None = None) -> None:
        self.max_body = max_body
        self.app = app
        self.hosts = {host.lower() for host in hosts}
        scheme = "https" if secure else "http"
        self.origins = {f"{scheme}://{host}" for host in self.hosts}
        self.secure = secure

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        status_seen = {"status": 0}

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                status_seen["status"] = message["status"]
                own = [k.lower() for k, _ in message.get("headers", [])]
                # A page may narrow or widen the policy for itself (the tester's form runs
                # its own script); every other page gets the server's, which allows none.
                extra = [
                    (k, v)
                    for k, v in SECURITY_HEADERS
                    if not (k == b"content-security-policy" and k in own)
                ]
                if not scope["path"].startswith("/static/"):
                    extra.append((b"cache-control", b"no-store"))
                if self.secure:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            if headers.get("host", "").lower() not in self.hosts:
                await _plain(send_with_headers, 400, "Bad request: unknown host name.")
                return
            origin = headers.get("origin")
            if scope["method"] == "POST" and origin is not None and origin not in self.origins:
                await _plain(send_with_headers, 403, "Forbidden: a form from another site.")
                return
            await self.app(scope, self._capped(receive, headers), send_with_headers)
        finally:
            LOG.info(
                "%s %s %s %.0fms",
                scope["method"],
                loggable(scope["path"]),
                status_seen["status"],
                (time.perf_counter() - started) * 1000,
            )

    def _capped(self, receive, headers: dict[str, str]):
        """``receive`` that counts the body as it streams in (with or without a
        Content-Length: chunked uploads too) and stops it past ``max_body``, before it is
        read whole. The page handler turns the stop into a 413 page."""
        limit = self.max_body
        if limit is None:
            return receive
        declared = headers.get("content-length", "")
        seen = {"bytes": 0}
        too_large = f"The request is larger than {limit // (1024 * 1024)} MB, the limit here."

        async def capped():
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge(too_large)
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > limit:
                    raise BodyTooLarge(too_large)
            return message

        return capped


async def _plain(send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})
