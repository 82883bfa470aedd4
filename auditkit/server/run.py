"""Start the practice server: check how it is exposed, open the database, listen.

Without TLS the server listens on loopback only, for a trial on one's own computer or for a
reverse proxy on the same machine. Any other address needs TLS (``--tls-cert``/``--tls-key``)
or ``--behind-proxy ADDRESS``, which trusts forwarded headers from that proxy alone. Either
way the host names it answers to are given (``--host-name``); a request for any other is
refused.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import socket
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from auditkit.answers.model import ANONYMITY_FLOOR
from auditkit.errors import InputError, fill
from auditkit.i18n import _
from auditkit.server.reports import REPORT_WORKERS


@dataclass(frozen=True)
class Exposure:
    host: str
    port: int
    host_names: tuple[str, ...]
    tls_cert: Path | None
    tls_key: Path | None
    behind_proxy: str | None

    @property
    def loopback(self) -> bool:
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return self.host == "localhost"

    @property
    def secure(self) -> bool:
        return self.tls_cert is not None or self.behind_proxy is not None

    def check(self) -> None:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise InputError.single(
                "--tls-cert/--tls-key",
                _("are given together or not at all"),
                fix=_("give both the certificate and its key"),
            )
        if not self.loopback and not self.secure:
            raise InputError.single(
                "--host",
                fill(
                    _(
                        "{host} is reachable from other machines, and without TLS every "
                        "password and answer would cross the network in clear text"
                    ),
                    host=self.host,
                ),
                fix=_(
                    "give --tls-cert and --tls-key, or run behind a reverse proxy with TLS "
                    "and give --behind-proxy ADDRESS (the proxy's address)"
                ),
            )
        if not self.loopback and not self.host_names:
            raise InputError.single(
                "--host-name",
                _("is needed when the server is reachable from other machines"),
                fix=_("give the name people type, for example --host-name audit.example.org"),
            )

    def allowed_hosts(self) -> set[str]:
        """Host header values accepted: each name as typed, and with the port."""
        names = set(self.host_names) or {"127.0.0.1", "localhost"}
        allowed = set()
        for name in names:
            allowed.add(name)
            if ":" not in name:
                allowed.add(f"{name}:{self.port}")
        return allowed

    def address(self) -> str:
        """Where the socket listens."""
        scheme = "https" if self.tls_cert else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"


WORKER_SETTINGS = "AUDITKIT_SERVER_WORKER"  # how the parent tells spawned workers what to serve
# How long an idle connection is kept open. A person reads a question for longer than
# uvicorn's 5 s default, and then their answer waited for a new connection (and, where the
# server speaks TLS itself, a new handshake). 75 s is nginx's own default for the same
# wait; an idle connection costs the server a few kilobytes.
KEEP_ALIVE_S = 75


def run_server(
    location: str,
    exposure: Exposure,
    brand: Path | None,
    workers: int = 1,
    staff_floor: int = ANONYMITY_FLOOR,
    language: str = "en",
) -> None:
    """Check, migrate, listen, serve. ``language``: the pages' and reports' language when a
    browser proposes none of the shipped ones (each visitor may pick another). With ``workers`` > 1, uvicorn's supervisor starts that
    many processes on the one listening socket; each opens the already migrated database."""
    import uvicorn

    from auditkit.server.database import _without_password, open_database

    exposure.check()
    if brand is not None:
        from auditkit.reporting.brand import load_brand

        load_brand(brand)  # a broken brand is exit 2 here, before anything listens
    database, migration = open_database(location)
    database.close()
    _log_to_stderr()
    listener = _listen(exposure)
    exposure = replace(exposure, port=listener.getsockname()[1])  # the port taken, for 0
    os.environ[WORKER_SETTINGS] = json.dumps(
        {
            "db": location,
            "hosts": sorted(exposure.allowed_hosts()),
            "secure": exposure.secure,
            "brand": str(brand) if brand else None,
            "report_workers": REPORT_WORKERS if workers == 1 else 1,
            "staff_floor": staff_floor,
            "language": language,
        }
    )
    print(f"auditkit server: {_without_password(location)}: {migration.sentence()}.", flush=True)
    print(
        f"Listening on {exposure.address()} with {workers} worker"
        f"{'s' if workers != 1 else ''}"
        + (f", for {', '.join(exposure.host_names)}" if exposure.host_names else "")
        + "  (Ctrl-C stops it)",
        flush=True,
    )
    config = uvicorn.Config(
        "auditkit.server.run:worker_app",
        factory=True,
        workers=workers,
        log_level="warning",
        access_log=False,  # our own log never shows a link's token (guard.loggable)
        lifespan="off",
        proxy_headers=exposure.behind_proxy is not None,
        forwarded_allow_ips=exposure.behind_proxy or "",
        ssl_certfile=str(exposure.tls_cert) if exposure.tls_cert else None,
        ssl_keyfile=str(exposure.tls_key) if exposure.tls_key else None,
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    server = uvicorn.Server(config)
    try:
        if workers > 1:
            from uvicorn.supervisors import Multiprocess

            Multiprocess(config, sockets=[listener]).run()
        else:
            server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass


def worker_app():
    """The application of one worker process, from the settings its parent left."""
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import Database, database_url
    from auditkit.server.reports import ReportPool

    settings = json.loads(os.environ[WORKER_SETTINGS])
    _log_to_stderr()
    config = ServerConfig(
        Database(database_url(settings["db"])),
        set(settings["hosts"]),
        settings["secure"],
        Path(settings["brand"]) if settings["brand"] else None,
        reports=ReportPool(settings["report_workers"]),
        staff_floor=settings.get("staff_floor", ANONYMITY_FLOOR),
        language=settings.get("language", "en"),
    )
    return create_app(config)


def _log_to_stderr() -> None:
    logger = logging.getLogger("auditkit.server")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _listen(exposure: Exposure) -> socket.socket:
    family = socket.AF_INET6 if ":" in exposure.host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        listener.bind((exposure.host, exposure.port))
        listener.listen(512)
    except OSError as error:
        listener.close()
        raise InputError.single(
            "--port",
            fill(
                _("cannot listen on {host}:{port} ({reason})"),
                host=exposure.host,
                port=exposure.port,
                reason=error.strerror,
            ),
            fix=_("choose another --port (0 takes a free one)"),
        ) from None
    return listener
