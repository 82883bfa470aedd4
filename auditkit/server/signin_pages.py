"""Signing in and out: the sign-in form, its throttle, trusted devices.

The form's CSRF key is a random value in a short cookie and in the form (no session exists
yet). The same work is done for a known and an unknown address (``records.sign_in``), and a
browser the advisor signed in from before is let through while a stranger's failures hold
the account for new devices (``access``).
"""

from __future__ import annotations

import secrets

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from auditkit.server import access
from auditkit.server.context import Context

LOGIN_COOKIE = "auditkit_login"
DEVICE_COOKIE = "auditkit_device"  # a browser the advisor signed in from (access.trust_device)


def _address(context: Context) -> str:
    client = context.request.client
    return client.host if client else "unknown"


async def login(context: Context) -> Response:
    """The sign-in form. Its CSRF key is a random value in a short cookie and in the form
    (no session exists yet). Attempts are throttled (``access``): per account and address,
    per address, per account; a browser the advisor signed in from before (its device
    cookie) only by its own failures, so a stranger cannot lock the advisor out."""
    request = context.request
    if context.visitor.advisor_id is not None:
        return RedirectResponse("/", 303)
    error, status, email = "", 200, ""
    if request.method == "POST":
        form = await request.form(max_part_size=16 * 1024)
        email = str(form.get("email", "")).strip()[:254]
        expected = request.cookies.get(LOGIN_COOKIE, "")
        device = request.cookies.get(DEVICE_COOKIE, "")[:100]
        if not expected or not secrets.compare_digest(str(form.get("csrf", "")), expected):
            error, status = "The sign-in form was stale: please try again.", 403
        else:
            response = await run_in_threadpool(
                _try_sign_in, context, email, str(form.get("password", "")), device
            )
            if isinstance(response, Response):
                return response
            error, status = response
    token = secrets.token_urlsafe(24)
    response = context.page(
        "login.html",
        status,
        login_csrf=token,
        error=error,
        email=email,
        signed_out=request.query_params.get("out") == "1",
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        secure=context.config.secure,
        samesite="strict",
        path="/login",
        max_age=3600,
    )
    return response


def _try_sign_in(context: Context, email: str, password: str, device: str):
    """(the error, its status), or the response that signs the advisor in. The same work
    (one throttle read, one Argon2 check, one write) for a known and an unknown address."""
    from auditkit.server.records import advisor_of, sign_in

    database, address = context.database, _address(context)
    trusted_for = access.trusted_advisor(database, device)
    trusted = trusted_for is not None and trusted_for == advisor_of(database, email)
    wait = access.throttled(database, email, address, device, trusted)
    if wait is not None:
        return (
            "Too many attempts to sign in. For your account's safety, try again in "
            f"{access.minutes(wait)} minutes. A browser you signed in from before is "
            "not held back by others' attempts.",
            429,
        )
    advisor_id = sign_in(database, email, password)
    if advisor_id is None:
        access.record_failure(database, email, address, device, trusted)
        return "That e-mail address and password do not match.", 400
    access.forget_failures(database, email, address, device)
    key = access.open_session(database, advisor_id=advisor_id)
    device_key = access.trust_device(database, advisor_id, device)
    response = RedirectResponse("/", 303)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    response.set_cookie(
        DEVICE_COOKIE,
        device_key,
        max_age=access.DEVICE_DAYS * 86400,
        httponly=True,
        secure=context.config.secure,
        samesite="strict",
        path="/login",
    )
    return context.set_session(response, key, lasting=True)


async def logout(context: Context) -> Response:
    await context.form()
    access.close_session(context.database, context.session_key)
    return context.clear_session(RedirectResponse("/login?out=1", 303))
