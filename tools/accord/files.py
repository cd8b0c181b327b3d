"""Reading and writing the repository's files safely: what accord refuses to read (a link
leading out, a pipe or device, a file too large), read in one call; and a file written whole
through a rename, so a reader never sees half of it."""
from __future__ import annotations

import errno
import os
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG

# The most a file accord reads may hold: a post is a few kB, and a larger file is either a mistake or
# built to exhaust the parser (50 MB of YAML took 18 s and 1.4 GB). Media have the networks' own
# limits (rules/platform.py), checked from their size too.
YAML_LIMIT = 1 << 20
LEDGER_LIMIT = 1 << 20  # a ledger record (JSON): a few hundred bytes a target


class Refused(OSError):
    """A file accord does not read: `rule` and `message` are the finding at it. Nothing of what
    a link leading out of the repository points at is read, and nothing of it is said."""

    def __init__(self, rule: str, message: str):
        super().__init__(errno.EPERM, message)
        self.rule, self.message = rule, message


OUTSIDE = ("file.outside", "a symbolic link that leads outside the repository: accord reads nothing "
                           "through it; put the file itself in the repository")
SPECIAL = ("file.special", "not a regular file (a device, pipe or socket): accord reads only files")


def too_large(size: int, limit: int) -> Refused:
    return Refused("file.too-large", f"{size / (1 << 20):.1f} MiB: accord reads files of up to "
                                     f"{limit >> 20} MiB here; this file is not read")


def leads_outside(root: str | Path, rel: str) -> bool:
    """Whether `rel` (a link) names, links followed, something outside the repository `root`
    (or, dangling, nothing at all inside it)."""
    real = os.path.realpath(root)
    return not os.path.realpath(os.path.join(root, rel)).startswith(real + os.sep)


def refusal(root: str | Path, rel: str) -> Refused | None:
    """Why accord would not read `rel`, from its lstat alone (for a file that is not read, or a
    folder: content/ and policies/ as links), None when it would."""
    try:
        st = os.lstat(os.path.join(root, rel))
    except (OSError, ValueError):
        return None
    if S_ISLNK(st.st_mode):
        return Refused(*OUTSIDE) if leads_outside(root, rel) else None
    return None if S_ISREG(st.st_mode) or S_ISDIR(st.st_mode) else Refused(*SPECIAL)


_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # a pipe must not block the open
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def read_bytes(root: str | Path, rel: str, limit: int = YAML_LIMIT) -> bytes:
    """A file's bytes, in a third of the time pathlib's read_text takes for its text (its and io's
    layers were a tenth of a check without cache). Raises Refused for a file accord does not
    read: a link that leads outside the repository (the link itself is looked at, never what it
    points to), a pipe, device or socket (it would block or never end), or one larger than
    `limit` (known from its size, before a byte is read)."""
    path = os.path.join(root, rel)
    try:  # a link is not opened at first: the one extra call is made for links alone
        fd = os.open(path, _OPEN | _NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket cannot be opened at all
            raise Refused(*SPECIAL) from None
        if exc.errno != errno.ELOOP or not _NOFOLLOW:
            raise
        if leads_outside(root, rel):
            raise Refused(*OUTSIDE) from None
        fd = os.open(path, _OPEN)  # a link inside the repository reads as the file it names
    try:
        st = os.fstat(fd)
        if S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if not S_ISREG(st.st_mode):
            raise Refused(*SPECIAL)
        if st.st_size > limit:
            raise too_large(st.st_size, limit)
        # one read of a byte more than the file holds: a shorter answer is the whole file (a
        # regular file reads short only at its end), spared a second read to learn that
        data = os.read(fd, st.st_size + 1)
        if len(data) <= st.st_size:
            return data
        chunks, size = [data], len(data)  # it grew since: read on to its end, or to the limit
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise too_large(size, limit)
    finally:
        os.close(fd)
    return b"".join(chunks)


def replace(path: Path, chunks: list[bytes]) -> None:
    """Write `path` anew from these chunks through a temporary file and a rename, so a reader sees
    the old file or the new one, never half; a read-only or full disk only costs the next run
    speed, so it is not an error."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            _write_all(fd, chunks)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def _write_all(fd: int, chunks: list[bytes]) -> None:
    """Write the chunks in order, a thousand or so to a system call (one call per chunk costs a
    third more; joining them first copies the whole cache once more)."""
    views = [memoryview(c) for c in chunks if c]
    vectored = hasattr(os, "writev")
    if not vectored:  # pragma: no cover - Windows
        views = [memoryview(b"".join(views))] if views else []
    try:
        batch = max(os.sysconf("SC_IOV_MAX"), 16)
    except (AttributeError, ValueError, OSError):
        batch = 16
    i = 0
    while i < len(views):
        done = os.writev(fd, views[i:i + batch]) if vectored else os.write(fd, views[i])
        while i < len(views) and done >= len(views[i]):  # a short write stops inside a chunk
            done -= len(views[i])
            i += 1
        if done:
            views[i] = views[i][done:]
