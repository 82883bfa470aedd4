"""The only way the PDF renderer reads anything: local files inside allowed folders.

WeasyPrint fetches images, stylesheets, fonts and attachments through one URL fetcher. This one
serves ``data:`` URIs and ``file:`` URLs inside the allowed roots (the templates folders, the
brand folder, auditkit's own assets) and refuses everything else — http, https, ftp, a file
outside the roots, a path that climbs out with ``..`` or a symlink — without touching the
network. Refusals are recorded so the command can warn about them; rendering goes on.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class SafeFetcher(URLFetcher):
    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = [Path(root).resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)  # decoded in memory, nothing is read
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    path.as_uri(), path.read_bytes(), {"Content-Type": mime}, 200
                )
        self.refused.append(url)
        raise ValueError(
            f"auditkit does not fetch {url!r}: only files inside the templates and brand folders"
        )
