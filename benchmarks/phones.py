"""A phone for the server benchmark: HTTP/1.1 over asyncio streams, as little as a browser
needs for the practice server's pages (cookies, forms, redirects, keep-alive).

Why not httpx: on the 2-core machine the benchmark shares with the server, the load
generator's own CPU is taken from the server and its queue counted as the server's latency.
httpx spent about 5.5 ms of CPU per answer (two requests), half of what the server spent;
this client spends a fraction of that, so what is timed is closer to what a person waits for
on their own phone. It speaks only to the server under test, on loopback.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

# A phone lets its connection go after 60 s idle, before the server's end (75 s,
# auditkit.server.run.KEEP_ALIVE_S): a person reading a question keeps their connection.
IDLE_S = 60.0


@dataclass
class Reply:
    status_code: int
    headers: dict[str, str]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


class Phone:
    """One respondent's browser: one connection at a time, its cookies, its redirects."""

    def __init__(self, base: str, follow_redirects: bool = False) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.authority = parts.netloc
        self.follow = follow_redirects
        self.cookies: dict[str, str] = {}
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._last = 0.0

    async def get(self, path: str, follow_redirects: bool | None = None) -> Reply:
        return await self._request("GET", path, b"", follow_redirects)

    async def post(self, path: str, data: dict, follow_redirects: bool | None = None) -> Reply:
        return await self._request(
            "POST", path, urlencode(data, doseq=True).encode(), follow_redirects
        )

    async def __aenter__(self) -> Phone:
        return self

    async def __aexit__(self, *_exception) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None

    async def _request(self, method: str, path: str, body: bytes, follow: bool | None) -> Reply:
        reply = await self._exchange(method, path, body)
        if (self.follow if follow is None else follow) and reply.status_code in (302, 303):
            return await self.get(reply.headers["location"], follow)
        return reply

    async def _exchange(self, method: str, path: str, body: bytes) -> Reply:
        if self._streams is not None and time.monotonic() - self._last > IDLE_S:
            await self.aclose()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.authority}"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            head += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        message = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):  # a kept connection the server just closed: once more, afresh
            if self._streams is None:
                self._streams = await asyncio.open_connection(self.host, self.port)
            reader, writer = self._streams
            try:
                writer.write(message)
                reply = await self._read(reader)
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.aclose()
                if attempt == 2:
                    raise
        self._last = time.monotonic()
        if reply.headers.get("connection", "").lower() == "close":
            await self.aclose()
        return reply

    async def _read(self, reader: asyncio.StreamReader) -> Reply:
        lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                self._keep_cookie(value)
            headers[name] = value
        if headers.get("transfer-encoding", "").lower() == "chunked":
            content = b""
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                content += await reader.readexactly(size + 2)
                content = content[:-2]
            await reader.readuntil(b"\r\n")
        else:
            content = await reader.readexactly(int(headers.get("content-length", "0")))
        return Reply(status, headers, content)

    def _keep_cookie(self, value: str) -> None:
        pair, *attributes = value.split(";")
        name, _, content = pair.strip().partition("=")
        gone = any(a.strip().lower() in ("max-age=0", "max-age=-1") for a in attributes)
        if gone or not content or content == '""':
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = content
