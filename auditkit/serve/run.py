"""Start the server: a socket on 127.0.0.1, the printed address, the browser, Ctrl-C."""

from __future__ import annotations

import contextlib
import socket
import sys
import webbrowser
from pathlib import Path

from auditkit.serve.app import ServeState, create_app


def serve_forever(
    path: Path,
    *,
    rubric: str | None,
    sector: str | None,
    brand: Path | None,
    port: int,
    open_browser: bool,
    language: str = "en",
) -> None:
    import uvicorn

    state = ServeState(Path(path), rubric=rubric, sector=sector, brand=brand, language=language)
    state.load()  # a broken answers file is exit 2 here, before anything listens
    if brand is not None:
        from auditkit.reporting.brand import load_brand

        load_brand(brand)  # and so is a broken brand
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: a response's headers and body leave at once instead
    # of waiting ~40 ms for the browser's delayed ACK (Nagle's algorithm).
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        listener.bind(("127.0.0.1", port))  # this machine only
        listener.listen(128)  # connections wait from now on, even before uvicorn is up
    except OSError as error:
        from auditkit.errors import InputError, fill
        from auditkit.i18n import _

        raise InputError.single(
            "--port",
            fill(
                _("cannot listen on 127.0.0.1:{port} ({reason})"), port=port, reason=error.strerror
            ),
            fix=_("choose another --port, or leave it out to take a free one"),
        ) from None
    state.port = listener.getsockname()[1]
    address = state.keys.link(state.port)
    print(f"auditkit serve: answers are saved to {state.path}", flush=True)
    print(
        "Open this address in your browser. It works on this computer only, and once: the "
        f"browser that opens it keeps a key of its own.\n  {address}",
        flush=True,
    )
    print(
        "Press Ctrl-C to stop. To continue later, run the same command again: it prints a new "
        "address that opens the saved answers.",
        flush=True,
    )
    if open_browser:
        webbrowser.open(address)
    config = uvicorn.Config(
        create_app(state), log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[listener])
    print(f"\nStopped. Every answer is in {state.path}.", file=sys.stderr)
