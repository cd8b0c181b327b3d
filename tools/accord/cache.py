"""Parse results kept between runs, so that a re-check reads only the files that changed.

One file, `.accord-cache/parsed-v1.marshal` in the repository root, read once per run, holds for every YAML file
what `model.read` returned: the data, the position of every key and value, scalar styles,
duplicate keys and the schema findings. An entry is used only when the file's size, mtime and
ctime are those recorded, and the whole cache only when it was written by the same accord, the
same schemas and the same Python. Anything unexpected (a missing, truncated or foreign cache, a
file changed so recently that its timestamp cannot be trusted) means the file is parsed again:
the cache can make a run slower, never wrong.

marshal, not pickle or JSON: the entries are plain dicts, lists, tuples and strings, which
marshal loads several times faster than either.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time
import zlib
from functools import cached_property
from pathlib import Path

from . import __version__
from .findings import Finding
from .yamldoc import Doc

DIR = ".accord-cache"
FILE = "parsed-v1.marshal"
MAGIC = b"accordP1"  # then the stamp, a CRC-32 of the body, and the body (marshal)
# A file modified this recently may be modified again within one timestamp tick without its
# mtime changing; such files are parsed every time until they are older (as git does).
RACY_NS = 2_000_000_000
# Sources whose behaviour shapes a cached entry: editing any of them empties the cache.
_SHAPERS = ("cache.py", "model.py", "yamldoc.py", "schemas.py", "findings.py")


class CachedDoc(Doc):
    """A Doc from the cache. Its absolute path (pathlib is slow) and its positions are built
    only when asked: most files of a run are never pointed at, and the positions are most of
    what the cache holds."""

    def __init__(self, root: Path, rel: str, text: str, data, positions: bytes):
        self._root, self._positions = root, positions
        self.rel, self.text, self.data = rel, text, data

    @cached_property
    def path(self) -> Path:
        return self._root / self.rel

    @cached_property
    def _unpacked(self) -> tuple:
        return marshal.loads(self._positions)

    @cached_property
    def values(self):
        return self._unpacked[0]

    @cached_property
    def keys(self):
        return self._unpacked[1]

    @cached_property
    def styles(self):
        return self._unpacked[2]

    @cached_property
    def duplicates(self):
        return self._unpacked[3]


def stamp() -> bytes:
    """What the whole cache depends on besides the files themselves."""
    h = hashlib.sha1(f"{__version__}\0{sys.version}\0".encode())
    here = Path(__file__).parent
    for name in sorted(os.listdir(here / "schemas")):
        h.update(name.encode() + (here / "schemas" / name).read_bytes())
    for name in _SHAPERS:
        h.update(name.encode() + (here / name).read_bytes())
    return h.digest()


class ParseCache:
    """Wraps `read(root, rel, kind)`; `save()` writes what this run learned."""

    def __init__(self, root: Path, read):
        self.root, self._read = root, read
        self.file = root / DIR / FILE
        self.now = time.time_ns()
        self.stamp = stamp()
        self.old = self._load()
        self.new: dict[str, tuple] = {}
        self.changed = False

    def _load(self) -> dict:
        try:
            with open(self.file, "rb") as fh:
                blob = fh.read()
        except OSError:
            return {}
        head = len(MAGIC) + len(self.stamp)
        if blob[:head] != MAGIC + self.stamp or len(blob) < head + 4:
            return {}  # another accord, other schemas, or not a cache at all
        body = memoryview(blob)[head + 4:]
        if zlib.crc32(body) != int.from_bytes(blob[head:head + 4], "big"):
            return {}  # damaged: marshal must never see it
        try:
            entries = marshal.loads(body)
        except Exception:
            return {}
        return entries if isinstance(entries, dict) else {}

    def read(self, rel: str, kind: str) -> tuple[Doc | None, list[Finding]]:
        try:
            st = os.stat(os.path.join(self.root, rel))
        except OSError:
            return self._read(self.root, rel, kind)
        key = (kind, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        entry = self.old.get(rel)
        if entry is not None and entry[0] == key:
            try:
                result = self._thaw(rel, entry[1])
                self.new[rel] = entry
                return result
            except Exception:  # a malformed entry: parse the file instead
                pass
        doc, found = self._read(self.root, rel, kind)
        if self.now - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
            self.new[rel] = (key, self._freeze(doc, found))
            self.changed = True
        return doc, found

    def _freeze(self, doc: Doc | None, found: list[Finding]) -> tuple:
        findings = tuple((f.file, f.line, f.col, f.level, f.rule, f.message, f.hint) for f in found)
        if doc is None:
            return (None, findings)
        positions = marshal.dumps((doc.values, doc.keys, doc.styles, doc.duplicates))
        return (doc.text, doc.data, positions, findings)

    def _thaw(self, rel: str, frozen: tuple) -> tuple[Doc | None, list[Finding]]:
        if frozen[0] is None:
            return None, [Finding(*f) for f in frozen[1]]
        text, data, positions, findings = frozen
        return (CachedDoc(self.root, rel, text, data, positions),
                [Finding(*f) for f in findings])

    def save(self) -> None:
        """Write the cache if anything changed; a read-only or full disk only costs speed."""
        if not self.changed and len(self.new) == len(self.old):
            return
        tmp = self.file.with_name(f"{FILE}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(exist_ok=True)
            body = marshal.dumps(self.new)
            with open(tmp, "wb") as fh:
                fh.write(MAGIC + self.stamp + zlib.crc32(body).to_bytes(4, "big") + body)
            os.replace(tmp, self.file)  # readers see the old cache or the new one, never half
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass
