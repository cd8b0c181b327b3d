"""Parse results kept between runs, so that a re-check reads only the files that changed.

One file, `.accord-cache/parsed-v1.marshal` in the repository root, holds for every YAML file
what reading it gave (see `Parsed`): the schema findings, a few facts by which a narrowed run
chooses the posts it needs (see model.load), and, packed into one blob, the data, the position of
every key and value, scalar styles and duplicate keys. An entry is used when the file's size,
mtime and ctime are those recorded, or, when only its times differ (a fresh clone, a cache
restored in CI), when a digest of its bytes is the one recorded; and the whole cache only when it
was written by the same accord, the same schemas and the same Python. Anything unexpected (a missing, truncated or
foreign cache, a file changed so recently that its timestamp cannot be trusted) means the file is
parsed again: the cache can make a run slower, never wrong.

The index (paths, stamps, findings, facts and where each blob lies) comes first and is read
whole; a blob is read and decoded only when its Doc is asked for: `accord check FILE` needs a
few hundred files of ten thousand, and reading and decoding every blob was most of what loading
the cache cost. The index and each blob carry a CRC-32, so marshal never sees damaged bytes.

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
from contextlib import contextmanager
from functools import cached_property, partial
from pathlib import Path

from .. import __version__, schemas
from ..files import read_bytes, replace
from ..findings import Finding
from ..yamldoc import Doc

DIR = ".accord-cache"
FILE = "parsed-v1.marshal"
SCHEMAS = "schemas-v1.marshal"  # the schemas compiled (see schemas.keep_compiled)
MAGIC = b"accordP1"  # then the stamp, the index's CRC-32 and length, the index, the blobs
# A file modified this recently may be modified again within one timestamp tick without its
# mtime changing; such files are parsed every time until they are older (as git does).
RACY_NS = 2_000_000_000
# Sources whose behaviour shapes a cached entry: editing any of them empties the cache.
# (alike.py: the sketch of a post's text, in its facts)
_SHAPERS = ("check/cache.py", "model.py", "yamldoc.py", "schemas.py", "findings.py", "alike.py")
# A narrowed run that parsed fewer files than this leaves the cache as it is: rewriting all of
# it (tens of MB at 10k posts) costs more than parsing those few files again next time.
NARROW_SAVE = 200


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


class Parsed:
    """What reading one file gave: its findings and facts at once, and its Doc (None when the file
    cannot be used), made when first asked for when it comes frozen (then the frozen form is kept,
    so that the cache stores it as it came)."""

    __slots__ = ("found", "facts", "_doc", "_make", "_frozen", "digest")

    def __init__(self, found: list[Finding], facts, doc: Doc | None = None, make=None, frozen=None,
                 digest: bytes | None = None):
        self.found, self.facts, self._doc, self._make, self._frozen = found, facts, doc, make, frozen
        self.digest = digest  # of the file's bytes (see content_digest); None: not known

    @property
    def doc(self) -> Doc | None:
        if self._make is not None:
            self._doc, self._make = self._make(), None
        return self._doc

    def freeze(self) -> None:
        """Make (and keep) the frozen form now: see `freeze`."""
        self._frozen = freeze(self)


def freeze(parsed: Parsed) -> tuple:
    """(findings, facts, blob, digest) as marshal stores them; the blob (the Doc packed) is None
    when there is no Doc."""
    if parsed._frozen is not None:
        return parsed._frozen
    found = tuple(f.row() for f in parsed.found)
    doc = parsed.doc
    if doc is None:
        return found, parsed.facts, None, parsed.digest
    positions = marshal.dumps((doc.values, doc.keys, doc.styles, doc.duplicates))
    return found, parsed.facts, marshal.dumps((doc.text, doc.data, positions)), parsed.digest


def thaw(root: Path, rel: str, frozen: tuple) -> Parsed:
    """The inverse of `freeze`; the Doc is decoded when first asked for."""
    found, facts, blob, digest = frozen
    return Parsed(_findings(found), facts, make=None if blob is None else partial(_decode, root, rel, blob),
                  frozen=frozen, digest=digest)


def content_digest(data: bytes) -> bytes:
    """What an entry is known by when a file's timestamps changed but not its bytes (a fresh
    clone, a checkout back and forth, a cache restored in CI)."""
    return hashlib.blake2b(data, digest_size=16).digest()


def _content_of(root: Path, rel: str) -> bytes | None:
    try:
        return content_digest(read_bytes(root, rel))
    except OSError:
        return None


def _findings(frozen: tuple) -> list[Finding]:
    return [Finding(*f) for f in frozen] if frozen else []


def unpack(blob: bytes) -> tuple:
    """(text, data, packed positions) of a frozen Doc."""
    return marshal.loads(blob)


def _decode(root: Path, rel: str, blob: bytes) -> CachedDoc:
    return CachedDoc(root, rel, *unpack(blob))


def stamp() -> bytes:
    """What the whole cache depends on besides the files themselves."""
    h = hashlib.sha1(f"{__version__}\0{sys.version}\0".encode())
    here = Path(__file__).parent.parent  # the package
    for name in sorted(os.listdir(here / "schemas")):
        h.update(name.encode() + (here / "schemas" / name).read_bytes())
    for name in _SHAPERS:
        h.update(name.encode() + (here / name).read_bytes())
    return h.digest()


class ParseCache:
    """`read(files)` gives each file's Parsed, from the cache when the file is unchanged, else
    from `parse(root, files)` (a Parsed per (rel, kind), in order); `save()` writes what this run
    learned. `every`: the run will want every Doc (a full run), so all blobs are read at once
    rather than each when wanted."""

    def __init__(self, root: Path, parse, every: bool = True, stats: dict[str, tuple] | None = None):
        self.root, self._parse, self._every = root, parse, every
        self._stats = stats or {}  # (size, mtime_ns, ctime_ns) by path, when the caller has them
        self.file = root / DIR / FILE
        self.now = time.time_ns()
        self.stamp = stamp()
        schemas.keep_compiled(root / DIR / SCHEMAS, self.stamp)
        self._all: memoryview | None = None  # every blob, when read at once
        self._fh = None  # else the cache file, open while blobs may be wanted
        self._blobs = 0  # where they start in it
        self.old = self._load()  # rel -> (key, findings, facts, (offset, size, crc) or None)
        self.new: dict[str, tuple] = {}  # the same, or with the blob itself for a file parsed now
        self.parsed = 0  # files parsed this run that the cache keeps from now on

    def _load(self) -> dict:
        head = len(MAGIC) + len(self.stamp) + 12
        try:
            fh = open(self.file, "rb")  # noqa: SIM115 - kept open for the blobs
        except OSError:
            return {}
        try:
            top = fh.read(head)
            if len(top) < head or top[:head - 12] != MAGIC + self.stamp:
                return {}  # another accord, other schemas, or not a cache at all
            crc, size = int.from_bytes(top[-12:-8], "big"), int.from_bytes(top[-8:], "big")
            index = fh.read(size)
            if len(index) != size or zlib.crc32(index) != crc:
                return {}  # damaged: marshal must never see it
            entries = marshal.loads(index)
        except Exception:
            fh.close()
            return {}
        if not isinstance(entries, dict):
            fh.close()
            return {}
        if self._every:
            self._all = memoryview(fh.read())
            fh.close()
        else:
            self._fh, self._blobs = fh, head + size
        return entries

    def _blob(self, where: tuple) -> bytes | None:
        """A blob of the cache file as written, or None when it is not (a shorter file, changed bytes)."""
        offset, size, crc = where
        if self._all is not None:
            blob = self._all[offset:offset + size]
        elif self._fh is not None:
            try:
                blob = os.pread(self._fh.fileno(), size, self._blobs + offset)
            except OSError:
                return None
        else:
            return None
        return blob if len(blob) == size and zlib.crc32(blob) == crc else None

    def _doc(self, rel: str, kind: str, where: tuple) -> Doc | None:
        blob = self._blob(where)
        if blob is None:  # the cache file went bad since it was opened: parse the file instead
            return self._parse(self.root, [(rel, kind)])[0].doc
        return _decode(self.root, rel, blob)

    def read(self, files: list[tuple[str, str]]) -> list[Parsed]:
        """A Parsed per (relative path, kind), in order."""
        out: list[Parsed | None] = []
        missed = []  # (where in out, key) of the files to parse
        old, new, doc, known = self.old, self.new, self._doc, self._stats.get
        with _stat_in(self.root) as stat:
            for rel, kind in files:  # once per file of the repository: kept lean
                seen = known(rel)
                if seen is not None:
                    key = (kind, *seen)
                else:
                    try:
                        st = stat(rel)
                        key = (kind, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
                    except OSError:
                        key = None  # reading it will say why
                entry = old.get(rel)
                if entry is not None and entry[0] != key and key is not None and entry[0][:2] == key[:2] \
                        and entry[4] is not None and _content_of(self.root, rel) == entry[4]:
                    # new timestamps, the same bytes: kept under the new ones (once they can be trusted)
                    entry = (key, *entry[1:]) if self.now - max(key[2], key[3]) > RACY_NS else entry
                    self.parsed += entry[0] == key  # the cache changed: save it
                    key = entry[0]
                if entry is not None and entry[0] == key:
                    _, found, facts, where, digest = entry
                    new[rel] = entry
                    out.append(Parsed(_findings(found), facts,
                                      make=None if where is None else partial(doc, rel, kind, where), digest=digest))
                else:
                    missed.append((len(out), key))
                    out.append(None)
        parsed = self._parse(self.root, [files[i] for i, _ in missed]) if missed else []
        for (i, key), p in zip(missed, parsed, strict=True):
            out[i] = p
            if key is not None and self.now - max(key[2], key[3]) > RACY_NS:
                new[files[i][0]] = (key, *freeze(p))
                self.parsed += 1
        return out

    def save(self, narrowed: bool = False, finish=None) -> None:
        """Write the cache if anything changed; a read-only or full disk only costs speed.
        `finish(rel, facts, blob)`: the facts to keep of a file parsed in this run, should the
        parse have left some to be made later (model.read_all)."""
        if not self.parsed and len(self.new) == len(self.old):
            return
        if narrowed and self.parsed < NARROW_SAVE:
            return
        index, blobs, offset = {}, [], 0
        for rel, (key, found, facts, blob, digest) in self.new.items():
            where = None
            if isinstance(blob, tuple):  # kept from the old cache: where it lies there
                crc = blob[2]
                blob = self._blob(blob)
                if blob is None:
                    continue  # the old cache went bad since it was read: forget the file
                where = (offset, len(blob), crc)
            else:
                if finish is not None:
                    facts = finish(rel, facts, blob)
                if blob is not None:
                    where = (offset, len(blob), zlib.crc32(blob))
            if blob is not None:
                blobs.append(blob)
                offset += len(blob)
            index[rel] = (key, found, facts, where, digest)
        body = marshal.dumps(index)
        replace(self.file, [MAGIC + self.stamp + zlib.crc32(body).to_bytes(4, "big") + len(body).to_bytes(8, "big"),
                            body, *blobs])

    def close(self) -> None:
        """Let go of the cache file; a Doc asked for after this is parsed from its file."""
        self._all = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None


@contextmanager
def _stat_in(root: Path):
    """os.stat of paths relative to `root`, through a descriptor of it where the system allows:
    at 10k files, walking each path from / again is a fifth of what the stats cost."""
    fd = None
    if os.stat in os.supports_dir_fd:
        try:
            fd = os.open(root, os.O_RDONLY)
        except OSError:
            pass
    try:
        yield partial(os.stat, dir_fd=fd) if fd is not None else (lambda rel: os.stat(os.path.join(root, rel)))
    finally:
        if fd is not None:
            os.close(fd)
