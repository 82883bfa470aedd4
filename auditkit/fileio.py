"""Small file helpers shared by every stage that writes a file a user keeps."""

from __future__ import annotations

import glob
import hashlib
import os
import re
import stat
import sys
import tempfile
import time
from pathlib import Path


def _umask() -> int:
    """The process's umask (reading it means setting it; set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_to(path: Path | str, content: str | bytes) -> None:
    """Write ``content`` exactly where the user pointed, in the way that place needs.

    - ``-`` is standard output.
    - A regular file (or a new one) is replaced atomically: readers only ever see the old or
      the new file, and an interrupted write leaves the old one. An existing file keeps its
      permissions; a new one gets those an ordinary write would give (0666 less the umask).
    - A symlink is followed: its target is replaced atomically and the link is kept.
    - A character device, a FIFO, or a descriptor alias such as ``/dev/stdout`` is written in
      place: renaming a file over ``/dev/null`` would replace the machine's ``/dev/null``.
    - Anything else (a folder, a block device, a socket) is refused by ``check_target``,
      which the command line runs before any work.

    Every command writes through here, so the rule holds everywhere.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if str(path) == "-":
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
        return
    path = Path(path)
    if _written_in_place(path):
        with open(path, "wb") as stream:
            stream.write(data)
        return
    _replace_atomically(Path(os.path.realpath(path)), data)


def _written_in_place(path: Path) -> bool:
    """Devices, FIFOs and descriptor aliases are written through, never renamed over."""
    absolute = os.path.abspath(path)
    if absolute.startswith(DESCRIPTOR_ALIASES) or re.match(r"^/proc/\d+/fd/", absolute):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


DESCRIPTOR_ALIASES = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")


def check_target(path: Path | str) -> str | None:
    """Why ``path`` cannot receive a file, in words, or None when it can.

    Run when the command line is read, so a report that takes seconds to render does not fail
    at the end. A place whose folder cannot hold a file (a pseudo-filesystem such as /proc, a
    read-only mount) is found by creating and removing an empty temporary file there, the
    same kind of file the atomic write itself uses."""
    from auditkit.errors import fill
    from auditkit.i18n import _

    if str(path) == "-":
        return None
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        return fill(_("cannot be reached ({reason})"), reason=error.strerror)
    if mode is not None:
        if stat.S_ISDIR(mode):
            return _("is a folder: give a file name inside it")
        if _written_in_place(path):
            return None if os.access(path, os.W_OK) else _("cannot be written to")
        if not stat.S_ISREG(mode):
            return _("is not a file (a block device or a socket): choose a file name")
        if not os.access(path, os.W_OK):
            return _("cannot be overwritten: it is read-only")
    real = Path(os.path.realpath(path))
    folder = real.parent
    if not folder.is_dir():
        return fill(
            _(
                "is in the folder {folder}, which does not exist: create it first "
                "(mkdir -p {path}), or write somewhere else"
            ),
            folder=repr(str(folder)),
            path=folder,
        )
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        return fill(
            _("is in {folder}, which cannot hold a new file ({reason})"),
            folder=repr(str(folder)),
            reason=error.strerror,
        )
    os.close(handle)
    os.unlink(probe)
    return None


def _replace_atomically(path: Path, data: bytes) -> None:
    directory = path.parent
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=directory
    )
    try:
        os.fchmod(handle, mode)
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
    remove_stale_copies(path)


def remove_stale_copies(path: Path | str) -> list[Path]:
    """Remove the temporary copies that an interrupted save of ``path`` left (``kill -9``
    between writing the copy and renaming it), and return them.

    A copy's name carries the writer's process id: one whose writer still runs may be a save
    in progress (``serve`` and ``assess`` may write one file together) and is left alone.
    Copies named without a process id (auditkit 0.1) are taken as stale after a minute."""
    path = Path(os.path.realpath(path))
    removed = []
    for copy in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        middle = copy.name[len(path.name) + 2 : -len(".tmp")]
        writer = middle.split(".", 1)[0]
        try:
            if writer.isdigit() and "." in middle:
                if int(writer) == os.getpid() or _running(int(writer)):
                    continue
            elif time.time() - copy.stat().st_mtime < 60:
                continue
            copy.unlink()
        except OSError:
            continue
        removed.append(copy)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_text(path: Path | str, *, expected: str, missing_fix: str) -> str:
    """A text file's content, or an InputError that says what is wrong with the file.

    UTF-8 is expected; a byte-order mark is honoured (Windows editors save "Unicode" as
    UTF-16 with one), as YAML itself allows."""
    from auditkit.errors import InputError, fill
    from auditkit.i18n import _

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(str(path), _("file not found"), fix=missing_fix) from None
    except IsADirectoryError:
        raise InputError.single(
            str(path), fill(_("is a folder, expected {expected}"), expected=expected)
        ) from None
    except OSError as error:
        raise InputError.single(
            str(path), fill(_("cannot be read: {reason}"), reason=error.strerror)
        ) from None
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    if encoding == "utf-8-sig" and b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError.single(
            str(path),
            fill(
                _("holds a NUL byte: binary data, not text (expected {expected})"),
                expected=expected,
            ),
            line=line,
            fix=_(
                "check that this is the file you meant; if it is, delete the invisible "
                "character on that line (retype the line)"
            ),
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError.single(
            str(path),
            fill(
                _("is not {encoding} text (byte {byte}, line {line})"),
                encoding="UTF-16" if encoding == "utf-16" else "UTF-8",
                byte=error.start,
                line=line,
            ),
            line=line,
            fix=_("save the file as UTF-8 (in Excel or an editor: Save As, encoding UTF-8)"),
        ) from None


def read_json(path: Path | str, *, what: str, fix: str, missing_fix: str) -> object:
    """A JSON file's data, or an InputError at the line and column where it is not JSON
    (and for nesting deeper than any auditkit file, which would exhaust the stack)."""
    import json

    from auditkit.errors import InputError, fill
    from auditkit.i18n import _

    text = read_text(path, expected=fill(_("{what} in JSON"), what=what), missing_fix=missing_fix)
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError.single(
            str(path), fill(_("is nested far deeper than {what} is"), what=what), fix=fix
        ) from None
    except json.JSONDecodeError as error:
        raise InputError.single(
            str(path),
            fill(_("is not valid JSON: {reason}"), reason=error.msg),
            line=error.lineno,
            column=error.colno,
            fix=fix,
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
