"""The last full check's findings, replayed when nothing the check read has changed since.

A re-check of a large repository where nothing changed should not read every post again: the
parse cache (cache.py) saves parsing, but loading and running every rule family still visits every
post. This cache keeps the findings of the last full `accord check` under a key of everything
they came from, so a re-check costs one walk of the repository (a stat per file) and a compare.

The key, all of it hashed into one digest:
- accord itself: every source file and schema of the installed package, and the Python version;
- every file under content/ and policies/, accord.yaml, .github/CODEOWNERS, the ledger folder, the
  business metrics CSVs (state/business/, or accord.yaml metrics.business), and
  any media file a post names outside content/: relative path, size, mtime and ctime (a re-save, a touch, a new or
  deleted file all change it);
- git, which decides what is "new or changed": the commits HEAD, --base and the state branch
  resolve to, and the ignore files on the way from the work tree's top to the repository; the
  index itself is read after the run (a `git diff` may refresh it);
- the --base given.

And the clock: the families say when their findings may change as time passes (Context.turns_at)
and whether a finding's text reads the clock. Findings are replayed only for the same --now, or
for a clock between the nearest such instants before and after the one they were found at.
Nothing is replayed while a family reads the network (rules.Reads.NETWORK): no file moves when
a server's answer does.

Like the parse cache it can make a run slower, never wrong: a file changed within the last two
seconds (its mtime may not move on the next change), a git state that moved during the run, or
any doubt, and nothing is written; an unreadable or foreign cache is ignored.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path
from stat import S_ISDIR

from .. import __version__
from . import forked
from ..files import leads_outside, refusal, replace
from .cache import DIR, RACY_NS
from ..findings import Finding
from ..layout import classify
from .. import rules
from ..rules import Earlier

FILE = "results-v1.marshal"
MAGIC = b"accordR3"  # then the head, then the per-file part: each a CRC-32, a length and marshal
_HEAD = ("key", "replayable", "newest", "index", "state", "outside", "now", "after", "before", "reads_clock", "files",
         "findings")
_PER_FILE_KEYS = ("shared", "keys", "per_file")  # read only by a full run that cannot replay
_PACKAGE = Path(__file__).parent.parent
_IGNORES = (".gitignore", ".gitattributes")


class ResultCache:
    """`recall(now)` gives the findings of an unchanged repository; `remember(...)` after a full
    run stores them."""

    def __init__(self, root: Path, base: str | None):
        self.root, self.base = root, base
        self.file = root / DIR / FILE
        self.stored = self._load()
        state = self.stored.get("state")
        self.state = tuple(state) if state and len(state) == 3 else ("state", None, "state/business")
        self.started = time.time_ns()
        git = _git_start(root, base, self.state[1])  # git runs while the files are walked
        # Two walkers for a large repository (as many files as last time), and for a first run,
        # which cannot tell (a needless fork costs a few ms, once).
        size = self.stored["files"] // 4 if self.stored else forked.FROM
        self.files, self.newest, self.listing = _walk(root, self.state, self.stored.get("outside", ()),
                                                      split=forked.worth_it(size))
        self.git_dir, self.git_before = _git_end(root, git)
        self._key: bytes | None = None  # see `key`
        self._split_of: tuple | None = None
        self._outside: tuple | None = None  # (org, its media outside content/), made by prepare

    def recall(self, now: float) -> tuple[list[Finding], int] | None:
        """The stored findings and the number of files checked, if they still hold at `now`."""
        s = self.stored
        # the newest time of any file moved: something changed, and the digest need not say so
        # (nor when a family reads the network, as the run that stored them knew)
        if (not s.get("replayable") or s.get("newest") != self.newest or s.get("key") != self.key
                or s.get("index") != _stat(self.git_dir, "index")):
            return None
        if now != s["now"] and (s["reads_clock"] or not s["after"] < s["now"]
                                or not s["after"] < now < s["before"]):
            return None
        return [Finding(*f) for f in s["findings"]], s["files"]

    @property
    def key(self) -> bytes:
        """The digest of everything the findings came from but the clock (worked out when first
        asked: a run after an edit need not, as the newest time already tells it apart)."""
        if self._key is None:
            self._key = self._digest(self.listing, self.git_before)
        return self._key

    def seen(self) -> tuple[list[str], dict[str, tuple]]:
        """The YAML files accord reads and the size, mtime and ctime of every file walked: what
        model.load would otherwise look up again."""
        return self.files, {rel: (size, m, c) for rel, size, m, c in self.listing}

    def earlier(self, org) -> Earlier | None:
        """For a full run that cannot be replayed: the per-file findings still good, when no
        shared file changed since they were kept."""
        s = self._per_file()
        if s.get("shared") is None:
            return None  # a first run, or one that kept nothing per file, or damaged
        shared, posts = self._split(self.listing)
        if s["shared"] != shared:
            return None
        kept_keys = s["keys"]
        fresh = {rel for rel, key in posts.items() if kept_keys.get(rel) != key}
        fresh.update(rel for rel in kept_keys if rel not in posts)  # deleted since
        return Earlier(frozenset(fresh), {name: [Finding(*f) for f in found if f[0] not in fresh]
                                          for name, found in s["per_file"].items()})

    def remember(self, org, ctx, found: list[Finding], by_family: dict[str, list[Finding]]) -> None:
        """Keep the findings of a full run: per file always (but for files changed too recently
        to trust their timestamps), and the whole run's unless something the key cannot vouch
        for happened."""
        racy = self.started - RACY_NS  # a file changed after this may change again unseen
        state = (org.settings.state_path, org.settings.state_branch, org.settings.business_dir)
        outside = self._outside[1] if self._outside is not None and self._outside[0] is org else _outside_media(org)
        if state != self.state or outside != list(self.stored.get("outside", ())):
            # The first run after a change of these learns them now: walk again with them.
            _, self.newest, self.listing = _walk(self.root, state, outside)
            self.state, self._key = state, None
        git_dir, git_after = _git_end(self.root, _git_start(self.root, self.base, state[1]))
        whole = self.newest <= racy and git_after == self.git_before  # else: of which state?
        shared, posts = self._split(self.listing)
        if any(max(m, c) > racy for _, _, m, c in shared[2]):
            shared, posts = None, {}  # a shared file may change unseen: nothing per file holds
        head = marshal.dumps({
            "key": self.key if whole else None, "replayable": rules.replayable(), "newest": self.newest, "index": _stat(git_dir, "index"),
            "state": self.state,
            "outside": outside, "now": ctx.now.timestamp(), "after": ctx.holds_after,
            "before": ctx.holds_before, "reads_clock": ctx.reads_clock, "files": len(org.files),
            "findings": [f.row() for f in found]})
        per_file = marshal.dumps({
            "shared": shared, "keys": {rel: key for rel, key in posts.items() if key[1] <= racy and key[2] <= racy},
            "per_file": {name: [f.row() for f in by_family[name]] for name in rules.per_file()}})
        replace(self.file, [MAGIC, *_framed(head), *_framed(per_file)])

    def prepare(self, org) -> None:
        """Work out what `remember` needs besides the findings (`accord check` does while a forked
        child finishes rule families)."""
        self._outside = (org, _outside_media(org))
        self._split(self.listing)

    def _split(self, listing: list[tuple]) -> tuple[tuple, dict[str, tuple]]:
        """What the per-file families' findings on a post depend on besides the post: accord, and
        every file but the posts and the ledger; and each post file's size, mtime and ctime."""
        if self._split_of is not None and self._split_of[0] is listing:
            return self._split_of[1]
        posts = {rel for rel in self.files if classify(rel) == "post"}
        # (the business rule reads the business CSVs, no per-file family does)
        machine = (f"{self.state[0]}/ledger/", f"{self.state[2]}/")
        shared = [e for e in listing if e[0] not in posts and not e[0].startswith(machine)]
        split = ((_package_stamp(), sys.version, shared),
                 {rel: (size, m, c) for rel, size, m, c in listing if rel in posts})
        self._split_of = (listing, split)  # earlier() and remember() both ask
        return split

    def _load(self) -> dict:
        """The head: what a replay needs. The per-file part (most of the file in a large
        repository) is decoded only when a full run asks for it (see `earlier`)."""
        self._blob, self._rest = b"", 0
        try:
            self._blob = self.file.read_bytes()
        except OSError:
            return {}
        if not self._blob.startswith(MAGIC):
            return {}
        head, self._rest = _unframed(self._blob, len(MAGIC), _HEAD)
        return head

    def _per_file(self) -> dict:
        return _unframed(self._blob, self._rest, _PER_FILE_KEYS)[0] if self._rest else {}

    def _digest(self, listing: list[tuple], git: str) -> bytes:
        h = hashlib.sha1(f"{__version__}\0{sys.version}\0{self.base}\0{self.state}\0{git}\0".encode())
        h.update(_package_stamp())
        # marshal version 2 writes no back-references: the bytes do not depend on how many
        # references each object has when the digest is worked out (version 3's do)
        h.update(marshal.dumps(listing, 2))
        return h.digest()


def _framed(body: bytes) -> list[bytes]:
    return [zlib.crc32(body).to_bytes(4, "big") + len(body).to_bytes(8, "big"), body]


def _unframed(blob: bytes, at: int, keys: tuple) -> tuple[dict, int]:
    """The dict framed at `at` (and where the frame ends), or ({}, 0) when it is damaged or lacks
    one of `keys`: marshal never sees bytes whose CRC does not match."""
    view = memoryview(blob)
    top = view[at:at + 12]
    if len(top) < 12:
        return {}, 0
    crc, size = int.from_bytes(top[:4], "big"), int.from_bytes(top[4:], "big")
    body = view[at + 12:at + 12 + size]
    if len(body) != size or zlib.crc32(body) != crc:
        return {}, 0
    try:
        stored = marshal.loads(body)
    except Exception:
        return {}, 0
    ok = isinstance(stored, dict) and all(k in stored for k in keys)
    return (stored, at + 12 + size) if ok else ({}, 0)



def _walk(root: Path, state: tuple, outside, split: bool = False) -> tuple[list[str], int, list[tuple]]:
    """The YAML files accord reads (as layout.discover finds them), the newest mtime or ctime
    seen, and per file the check may read: path, size, mtime and ctime. `split`: a forked child
    walks every other team folder (a stat is a few µs: at 10k files this is most of a replayed
    run, and of `accord check FILE`)."""
    top = str(root)
    listing: list[tuple] = []
    for name in ("accord.yaml", ".github/CODEOWNERS", *outside):  # the ownership rule compares CODEOWNERS
        try:
            st = os.stat(os.path.join(top, name))
            listing.append((name, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        except OSError:
            listing.append((name, -1, 0, 0))
    yaml_files = ["accord.yaml"] if listing[0][1] >= 0 else []
    # (folder, read, hidden): read: whether its YAML files are accord's (True), not (False), or
    # only its own files are walked, not its folders (None); hidden: under a folder named .*
    folders = []
    for folder, read in (("content", True), ("policies", True), (f"{state[0]}/ledger", False), (state[2], False)):
        if refusal(top, folder) is None:
            folders.append((os.path.join(top, folder), read, False))
        else:  # a link leading out of the repository is not walked (see layout.discover): the link is
            st = os.lstat(os.path.join(top, folder))
            listing.append((folder, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    child = theirs = None
    if split and folders and folders[0][0] == os.path.join(top, "content"):
        try:
            teams = sorted((e.path, e.name.startswith(".")) for e in os.scandir(folders[0][0])
                           if e.is_dir(follow_symlinks=False))
        except OSError:
            teams = []
        theirs = [(path, True, hidden) for path, hidden in teams[1::2]]
        if theirs:
            child = forked.Forked(lambda: marshal.dumps(_walk_in(top, theirs, [], [])))
            folders[0] = (folders[0][0], None, False)
            folders.extend((path, True, hidden) for path, hidden in teams[0::2])
    try:
        _walk_in(top, folders, listing, yaml_files)
    except BaseException:
        if child is not None:
            child.stop()
        raise
    if child is not None:
        sent = child.result()
        if sent is None:  # the child failed: walk its folders here
            _walk_in(top, theirs, listing, yaml_files)
        else:
            more, yaml_more = marshal.loads(sent)
            listing.extend(more)
            yaml_files.extend(yaml_more)
    newest = max((max(m, c) for _, _, m, c in listing), default=0)
    yaml_files.sort()
    listing.sort()
    return yaml_files, newest, listing


def _walk_in(top: str, folders: list[tuple[str, bool | None, bool]], listing: list, yaml_files: list) -> tuple[list, list]:
    """Add what these (folder, read, hidden) hold to `listing` and `yaml_files` (see _walk)."""
    cut = len(top) + 1
    sep = os.sep
    add, accords = listing.append, yaml_files.append  # once per file: kept lean
    for start, read, under_hidden in folders:
        stack = [(start, under_hidden)]
        while stack:
            path, hidden = stack.pop()
            # A folder's files are looked up from the folder (fstatat), not each from / again: a
            # tenth of what the stats cost, where the system can.
            fd = _open_folder(path)
            try:
                entries = list(os.scandir(path if fd is None else fd))
            except OSError:
                entries = []
            try:
                ours = read is not False and not hidden  # whether its YAML files are accord's
                prefix = path[cut:].replace(sep, "/") + "/"
                for e in entries:
                    name = e.name
                    if e.is_dir(follow_symlinks=False):
                        if read is not None:
                            stack.append((path + sep + name, hidden or name.startswith(".")))
                        continue
                    rel = prefix + name
                    # a link leading out is a finding at the link, whatever it names (as
                    # layout.discover has it); is_symlink asks the walk's own entry: no call
                    away = ours and e.is_symlink() and leads_outside(top, rel)
                    try:
                        st = e.stat()
                    except OSError:  # a dangling link: the check says it cannot be read
                        add((rel, -1, 0, 0))
                        if away or ours and rel.endswith((".yaml", ".yml")):
                            accords(rel)
                        continue
                    add((rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
                    # a link to a folder is not read (as layout.discover has it)
                    if away or ours and rel.endswith((".yaml", ".yml")) and not S_ISDIR(st.st_mode):
                        accords(rel)
            finally:
                if fd is not None:
                    os.close(fd)
    return listing, yaml_files


_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def _open_folder(path: str) -> int | None:
    """A descriptor of the folder to list it through, or None to list it by path."""
    if not _BY_FD:
        return None
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None


def _git_start(root: Path, base: str | None, state_branch: str | None) -> subprocess.Popen | None:
    """Start asking git what the key needs (see _git_end); None when git cannot run."""
    revs = ["HEAD"] + ([f"{base}^{{commit}}"] if base else []) + (
        [f"origin/{state_branch}", state_branch] if state_branch else [])
    try:
        return subprocess.Popen(["git", "-C", str(root), "rev-parse", "--absolute-git-dir", "--show-toplevel",
                                 *revs, "--"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return None


def _git_end(root: Path, proc: subprocess.Popen | None) -> tuple[str | None, str]:
    """The git directory and what the key needs from git (the same text for the same state)."""
    if proc is None:
        return None, "no git"
    out, _ = proc.communicate()
    lines = out.splitlines()
    if len(lines) < 2 or not os.path.isdir(lines[0]):
        return None, f"not a repository: {proc.returncode}"
    git_dir, top = lines[0], Path(lines[1])
    ignores = [_stat(git_dir, "info/exclude")]
    folder = root
    while True:
        ignores.extend(_stat(str(folder), name) for name in _IGNORES)
        if folder == top or folder == folder.parent:
            break
        folder = folder.parent
    return git_dir, f"{out}{proc.returncode}\0{ignores}"


def _stat(folder: str | None, name: str) -> tuple | None:
    if folder is None:
        return None
    try:
        st = os.stat(os.path.join(folder, name))
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _outside_media(org) -> list[str]:
    """Media files posts name outside content/ (the platform rule reads their size), relative."""
    out = set()
    content = org.root / "content"
    for post in org.posts.values():
        for part in post.parts:
            for m in part.media:
                if not m.path.startswith(("/", "~")) and ".." not in m.path:
                    continue  # beside the post: under content/
                path = Path(os.path.normpath(m.file(post.doc)))
                if not path.is_relative_to(content):
                    try:
                        out.add(path.relative_to(org.root).as_posix())
                    except ValueError:
                        out.add(path.as_posix())
    return sorted(out)


_stamp: bytes | None = None


def _package_stamp() -> bytes:
    """Every source and schema file of accord: a changed rule must not replay old findings."""
    global _stamp
    if _stamp is None:
        h = hashlib.sha1()
        for dirpath, dirnames, filenames in os.walk(_PACKAGE):
            dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "templates"))
            for name in sorted(filenames):
                if name.endswith((".py", ".json")):
                    path = os.path.join(dirpath, name)
                    h.update(path[len(str(_PACKAGE)):].encode())
                    with open(path, "rb") as fh:
                        h.update(fh.read())
        _stamp = h.digest()
    return _stamp
