"""Choosing the language of a web page: the respondent's pick, else the browser's proposal.

Order: ``?lang=xx`` on any page (the picker's links; remembered in a cookie scoped to the
respondent's own path, so on the practice server each respondent keeps their own choice and
staff may answer in another language than the owner), then that cookie, then the browser's
``Accept-Language`` (the best shipped match by its q-weights), then the app's default (the
``--lang`` it was started with). The page is rendered inside ``i18n.use(language)``; nothing
about the language is ever written to an answers file.
"""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from auditkit.i18n import PSEUDO, SHIPPED, normalize, use

COOKIE = "auditkit_lang"


def negotiate(accept_language: str, default: str) -> str:
    """The shipped language the browser prefers most ("de-DE,de;q=0.9,en;q=0.8" → "de"); the
    default when it names none of them (or sends nothing)."""
    best, best_weight = default, 0.0
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        language = normalize(tag) if tag and tag != "*" else ""
        # Earlier entries win ties: the list is in the browser's order.
        if language in SHIPPED and weight > best_weight and weight > 0:
            best, best_weight = language, weight - position * 1e-6
    return best


def chosen(scope: dict, default: str) -> tuple[str, str | None]:
    """The language of this request, and the value to remember when the query chose it."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    asked = normalize((query.get("lang") or [""])[0]) if query.get("lang") else ""
    if asked in SHIPPED or asked == PSEUDO:
        return asked, asked
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header: as if none was sent
        cookie = SimpleCookie()
    kept = normalize(cookie[COOKIE].value) if COOKIE in cookie else ""
    if kept in SHIPPED or kept == PSEUDO:
        return kept, None
    return negotiate(headers.get("accept-language", ""), default), None


class LanguageMiddleware:
    """Runs every HTTP request in its chosen language; remembers a picked one in a cookie
    whose path is ``cookie_path(scope)`` (the respondent's own link on the practice server)."""

    def __init__(self, app, default: str, cookie_path: Callable[[dict], str] | None = None):
        self.app = app
        self.default = default
        self.cookie_path = cookie_path or (lambda scope: "/")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language, remember = chosen(scope, self.default)
        path = self.cookie_path(scope)

        async def send_with_cookie(message):
            if remember and message["type"] == "http.response.start":
                value = (
                    f"{COOKIE}={remember}; Path={path}; SameSite=Lax; HttpOnly; Max-Age=31536000"
                )
                message = dict(message)
                message["headers"] = [*message.get("headers", []), (b"set-cookie", value.encode())]
            await send(message)

        with use(language):
            await self.app(scope, receive, send_with_cookie)


def picker(current_path: str) -> list[dict[str, str | bool]]:
    """The language picker's links for a page: one per shipped language, in its own name."""
    from auditkit.i18n import NATIVE_NAMES, current

    return [
        {
            "code": code,
            "name": NATIVE_NAMES[code],
            "href": f"{current_path}?lang={code}",
            "current": code == current(),
        }
        for code in SHIPPED
    ]
