"""The practice server as docs/deploy.md puts it on the internet: behind nginx with TLS, with
``--behind-proxy`` and ``--host-name``. A real nginx (Debian's nginx-light) on loopback with
a self-signed certificate; the server behind it on loopback too."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO
from tests.engines import unavailable
from tests.servers import start_practice_server
from tests.serverweb import CSRF, PASSWORD


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _advisor_database(tmp_path) -> str:
    """A server database with one advisor, Ana."""
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    location = str(tmp_path / "server.db")
    database, _ = open_database(location)
    add_advisor(database, "ana@harbour.example", PASSWORD)
    database.close()
    return location


def _certificate(tmp_path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost: (certificate, key)."""
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [*command.split(), "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True
    )
    return cert, key


def _sign_in_through(base: str) -> None:
    """Sign in through the proxy at ``base``; its session cookie must be Secure."""
    with httpx.Client(base_url=base, verify=False, follow_redirects=False, timeout=30) as browser:
        login = None
        for _ in range(200):
            try:
                login = browser.get("/login")
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        assert login is not None and login.status_code == 200
        assert login.headers["strict-transport-security"].startswith("max-age=")
        csrf = CSRF.search(login.text).group(1)
        signed = browser.post(
            "/login",
            data={"csrf": csrf, "email": "ana@harbour.example", "password": PASSWORD},
            headers={"origin": base},
        )
        assert signed.status_code == 303, signed.text
        cookie = next(c for c in signed.headers.get_list("set-cookie") if "__Host-" in c)
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert browser.get("/").status_code == 200
        # Another name reaches no page: nginx passes it on and the server refuses it (400);
        # Caddy matches no site and answers with an empty page of its own.
        other = browser.get("/login", headers={"host": "evil.example"})
        assert other.status_code == 400 or "Sign in" not in other.text


@pytest.fixture
def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    if not found:
        unavailable("no nginx on this machine (apt-get install nginx-light)")
    return found


def test_behind_nginx_with_tls_cookies_are_secure_and_only_the_public_name_is_answered(
    tmp_path, nginx_binary
):
    location = _advisor_database(tmp_path)
    cert, key = _certificate(tmp_path)
    public = _free_port()
    server, inner = start_practice_server(
        location,
        tmp_path / "server.log",
        "--behind-proxy",
        "127.0.0.1",
        "--host-name",
        f"localhost:{public}",
    )
    inner_port = inner.rsplit(":", 1)[1]
    (tmp_path / "nginx.conf").write_text(
        f"""
        {"user root;" if os.geteuid() == 0 else ""}
        daemon off;
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/nginx-error.log;
        events {{}}
        http {{
            access_log off;
            client_body_temp_path {tmp_path}/body;
            proxy_temp_path {tmp_path}/proxy;
            fastcgi_temp_path {tmp_path}/fastcgi;
            uwsgi_temp_path {tmp_path}/uwsgi;
            scgi_temp_path {tmp_path}/scgi;
            server {{
                listen 127.0.0.1:{public} ssl;
                server_name localhost;
                ssl_certificate {cert};
                ssl_certificate_key {key};
                client_max_body_size 21m;
                location / {{
                    proxy_pass http://127.0.0.1:{inner_port};
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto https;
                }}
            }}
        }}
        """
    )
    nginx = subprocess.Popen(
        [nginx_binary, "-c", str(tmp_path / "nginx.conf")], stderr=subprocess.PIPE
    )
    try:
        _sign_in_through(f"https://localhost:{public}")
        # Straight to the server, past the proxy, with the server's own address: refused.
        assert httpx.get(f"{inner}/login").status_code == 400
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)


def test_with_its_own_certificate_the_server_speaks_only_tls(tmp_path):
    cert, key = _certificate(tmp_path)
    server, base = start_practice_server(
        _advisor_database(tmp_path),
        tmp_path / "server.log",
        "--tls-cert",
        str(cert),
        "--tls-key",
        str(key),
    )
    try:
        assert base.startswith("https://127.0.0.1:")
        login = httpx.get(f"{base}/login", verify=False)
        assert login.status_code == 200
        assert login.headers["strict-transport-security"].startswith("max-age=")
        form_cookie = login.headers["set-cookie"]  # the sign-in form's key
        assert form_cookie.startswith("auditkit_login=") and "Secure" in form_cookie
        with pytest.raises(httpx.HTTPError):
            httpx.get(base.replace("https://", "http://") + "/login", timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_behind_caddy_with_its_own_certificate_authority(tmp_path):
    """As deploy/Caddyfile puts it, with Caddy's internal CA in place of a public one."""
    caddy = shutil.which("caddy")
    if not caddy:
        unavailable("no Caddy on this machine (apt-get install caddy)")
    public = _free_port()
    server, inner = start_practice_server(
        _advisor_database(tmp_path),
        tmp_path / "server.log",
        "--behind-proxy",
        "127.0.0.1",
        "--host-name",
        f"localhost:{public}",
    )
    (tmp_path / "Caddyfile").write_text(
        f"""
        {{
            admin off
            auto_https disable_redirects
            skip_install_trust
            storage file_system {tmp_path}/caddy
        }}
        https://localhost:{public} {{
            tls internal
            reverse_proxy 127.0.0.1:{inner.rsplit(":", 1)[1]}
            request_body {{
                max_size 21MB
            }}
        }}
        """
    )
    proxy = subprocess.Popen(
        [caddy, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "caddy.log").open("w"),
        env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)},
    )
    try:
        _sign_in_through(f"https://localhost:{public}")
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)


def test_the_systemd_unit_verifies_and_its_command_line_starts_the_server(tmp_path):
    """deploy/auditkit-server.service, checked by systemd's own verifier, and its ExecStart
    run as written (paths moved into a scratch folder, the port made free)."""
    import shlex
    import sys

    analyze = shutil.which("systemd-analyze")
    if not analyze:
        unavailable("no systemd-analyze on this machine (apt-get install systemd)")
    from tests.conftest import REPO

    unit = (REPO / "deploy" / "auditkit-server.service").read_text()
    auditkit = shutil.which("auditkit") or str(Path(sys.executable).with_name("auditkit"))
    local = (
        unit.replace("/opt/auditkit/bin/auditkit", auditkit)
        .replace("User=auditkit", "User=root")
        .replace("Group=auditkit", "Group=root")
    )
    (tmp_path / "auditkit-server.service").write_text(local)
    checked = subprocess.run(
        [analyze, "verify", str(tmp_path / "auditkit-server.service")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0 and "Unknown" not in checked.stderr, checked.stderr
    command = " ".join(
        line.strip().rstrip("\\")
        for line in local.split("ExecStart=", 1)[1].split("Restart=", 1)[0].splitlines()
    )
    arguments = shlex.split(command)[1:]  # after the program: 'server run …'
    assert arguments[:2] == ["server", "run"]
    arguments = [
        {
            "/var/lib/auditkit/server.db": str(tmp_path / "server.db"),
            "/var/lib/auditkit/brand/brand.yaml": str(REPO / "examples" / "brand" / "brand.yaml"),
            "8040": "0",
        }.get(word, word)
        for word in arguments[2:]
    ]
    database = arguments[arguments.index("--db") + 1]
    rest = arguments[:]
    del rest[rest.index("--db") : rest.index("--db") + 2]
    server, base = start_practice_server(database, tmp_path / "server.log", *rest)
    try:
        assert httpx.get(f"{base}/login").status_code == 400  # only audit.example.org is answered
        named = httpx.get(f"{base}/login", headers={"host": "audit.example.org"})
        assert named.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_deploy_nginx_logs_no_link_token_when_the_server_is_down(tmp_path, nginx_binary):
    """deploy/nginx.conf's locations in a real nginx whose server is not running: the
    request for a link fails (502), and nginx's error log, which names the request line of
    every failed request, holds no token."""
    deployed = (REPO / "deploy" / "nginx.conf").read_text()
    locations = deployed.split("# locations", 1)[1].split("# end of locations", 1)[0]
    locations = locations.split("\n", 1)[1]  # past the comment's own line
    dead = _free_port()  # nothing listens here
    locations = locations.replace("127.0.0.1:8040", f"127.0.0.1:{dead}")
    public = _free_port()
    (tmp_path / "nginx.conf").write_text(
        f"""
        {"user root;" if os.geteuid() == 0 else ""}
        daemon off;
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/nginx-error.log;
        events {{}}
        http {{
            access_log off;
            client_body_temp_path {tmp_path}/body;
            proxy_temp_path {tmp_path}/proxy;
            fastcgi_temp_path {tmp_path}/fastcgi;
            uwsgi_temp_path {tmp_path}/uwsgi;
            scgi_temp_path {tmp_path}/scgi;
            server {{
                listen 127.0.0.1:{public};
                server_name localhost;
                {locations}
            }}
        }}
        """
    )
    nginx = subprocess.Popen(
        [nginx_binary, "-c", str(tmp_path / "nginx.conf")], stderr=subprocess.PIPE
    )
    try:
        token = "SecretToken" + "x" * 30
        for _ in range(50):
            try:
                failed = httpx.get(f"http://127.0.0.1:{public}/i/{token}", timeout=5)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert failed.status_code == 502
        other = httpx.get(f"http://127.0.0.1:{public}/login", timeout=5)
        assert other.status_code == 502
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
    log = (tmp_path / "nginx-error.log").read_text()
    assert "GET /login" in log  # the log works, and names failed requests …
    assert token not in log  # … but never a link's


def test_the_deploy_caddy_logs_no_link_token_when_the_server_is_down(tmp_path):
    """deploy/Caddyfile's log block in a real Caddy whose server is not running: Caddy's
    error log names the URI of the failed request, with a link's token cut out."""
    caddy = shutil.which("caddy")
    if not caddy:
        unavailable("no Caddy on this machine (apt-get install caddy)")
    deployed = (REPO / "deploy" / "Caddyfile").read_text()
    block = deployed.split("# log (", 1)[1].split("# end of log", 1)[0].split("\n", 1)[1]
    public, dead = _free_port(), _free_port()
    (tmp_path / "Caddyfile").write_text(
        f"""
        {{
            admin off
            auto_https off
            storage file_system {tmp_path}/caddy
            {block}
        }}
        http://127.0.0.1:{public} {{
            reverse_proxy 127.0.0.1:{dead}
        }}
        """
    )
    proxy = subprocess.Popen(
        [caddy, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "caddy.log").open("w"),
        env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)},
    )
    token = "SecretToken" + "y" * 30
    try:
        for _ in range(50):
            try:
                failed = httpx.get(f"http://127.0.0.1:{public}/i/{token}", timeout=5)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert failed.status_code == 502
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
    log = (tmp_path / "caddy.log").read_text()
    assert '"uri":"/i/…"' in log  # the failure is logged …
    assert token not in log  # … without the link's token
