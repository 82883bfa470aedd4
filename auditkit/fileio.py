"""Small file helpers shared by every stage that writes a file a user keeps."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    """The process's umask (reading it means setting it; set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, content: str | bytes) -> None:
    """Replace ``path`` with ``content`` so that readers only ever see the old or the new file.

    The file gets the permissions an ordinary write would give (0666 less the umask: 0644
    under the usual 022), not the 0600 of the temporary file it is renamed from: a report is
    meant to be shared, and a colleague or a web server must be able to read it.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    try:
        folder = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder)  # make the rename itself durable
    finally:
        os.close(folder)


def read_text(path: Path | str, *, expected: str, missing_fix: str) -> str:
    """A text file's content, or an InputError that says what is wrong with the file.

    UTF-8 is expected; a byte-order mark is honoured (Windows editors save "Unicode" as
    UTF-16 with one), as YAML itself allows."""
    from auditkit.errors import InputError

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(str(path), "file not found", fix=missing_fix) from None
    except IsADirectoryError:
        raise InputError.single(str(path), f"is a folder, expected {expected}") from None
    except OSError as error:
        raise InputError.single(str(path), f"cannot be read: {error.strerror}") from None
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    if encoding == "utf-8-sig" and b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError.single(
            str(path),
            f"holds a NUL byte: binary data, not text (expected {expected})",
            line=line,
            fix="check that this is the file you meant; if it is, delete the invisible "
            "character on that line (retype the line)",
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError.single(
            str(path),
            f"is not {'UTF-16' if encoding == 'utf-16' else 'UTF-8'} text "
            f"(byte {error.start}, line {line})",
            line=line,
            fix="save the file as UTF-8 (in Excel or an editor: Save As, encoding UTF-8)",
        ) from None


_digests: dict[tuple[Path, int, int], str] = {}


def sha256_file(path: Path | str) -> str:
    """SHA-256 of a file's bytes, read in blocks (logs can be large).

    Remembered per process by path, size and modification time: the bias check and the report
    both record a log's hash, and a large log should be read for it once.
    """
    stat = Path(path).stat()
    key = (Path(path).resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _digests:
        _digests[key] = _sha256(path)
    return _digests[key]


def _sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows but never runs: a leading =, +, -, @ (or tab, CR) would make
    Excel and LibreOffice read the cell as a formula, so it gets an apostrophe in front."""
    return "'" + text if text.startswith(FORMULA_LEAD) else text


def unsafe_cell(text: str) -> str:
    """The inverse of ``safe_cell``, for reading a plan back."""
    if text.startswith("'") and text[1:].startswith(FORMULA_LEAD):
        return text[1:]
    return text
