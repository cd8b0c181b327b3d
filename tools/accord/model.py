"""The content repository as typed objects, loaded once, each keeping its source file.

Everything else (checks, publisher, calendar, reports) reads an `Org`; nothing re-parses YAML.
Where files stand and what they are is layout.py.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import json
import marshal
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import import_module
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from . import alike, schemas, times
from .check import cache, forked
from .check.cache import Parsed
from .files import Refused, read_bytes, refusal
from .layout import POLICIES, TOPS, ConfigError, account_id, classify, discover, narrowed, post_id
from .findings import Finding, did_you_mean
from .yamldoc import Doc, YamlError, parse

PLATFORMS = ("outbox", "x", "mastodon", "bluesky", "linkedin")


@dataclass
class Settings:
    org: str
    timezone: str
    default_branch: str = "main"
    state_path: str = "state"
    state_branch: str | None = None
    look_ahead: timedelta = timedelta(minutes=15)
    max_lateness: timedelta = timedelta(hours=6)
    claim_timeout: timedelta = timedelta(minutes=10)
    outbox_dir: str = "outbox"
    utm_enabled: bool = True
    utm_source: str = "{platform}"
    utm_medium: str = "social"
    metrics_days: int = 30  # `accord metrics pull` reads targets published this many days ago or less
    business_path: str | None = None  # business metrics CSVs; None: <state_path>/business
    doc: Doc | None = None

    @property
    def business_dir(self) -> str:
        return self.business_path or f"{self.state_path}/business"


@dataclass
class Team:
    id: str
    name: str
    github_team: str
    members: list[str]
    region: str | None
    timezone: str
    doc: Doc


@dataclass
class Account:
    id: str
    team: str  # the owning team's id
    platform: str
    handle: str
    name: str | None
    contributors: list[str]
    timezone: str
    credentials_env: str | None
    api_base: str | None
    limits: dict
    doc: Doc
    author: str | None = None  # LinkedIn: the person or organization URN posts are made as

    def may_post(self, team: str) -> bool:
        return team == self.team or team in self.contributors


@dataclass
class Campaign:
    id: str  # <team>/<campaign>
    team: str
    name: str
    owner: str | None
    start: datetime | None
    end: datetime | None
    key_message: str | None
    hashtags: list[str]
    regions: list[str]
    utm_campaign: str
    objective: dict | None
    embargo: datetime | None
    tags: list[str]
    allow: list[dict]
    doc: Doc


@dataclass(slots=True)
class MediaRef:
    path: str  # as written, relative to the post file
    alt: str
    at: tuple  # data path of the media item, for positions

    def file(self, post_doc: Doc) -> Path:
        return post_doc.path.parent / self.path


def outside(path: Path, real_root: str) -> bool:
    """Whether a media file, links followed, is outside the repository (whose real path is
    `real_root`); a path that cannot name a file (a NUL in it) is not outside."""
    try:
        return not os.path.realpath(path).startswith(real_root + os.sep)
    except ValueError:
        return False


@dataclass(slots=True)
class PostPart:
    text: str
    media: list[MediaRef]
    at: tuple  # data path of the text, e.g. ("text",) or ("thread", 2, "text")


@dataclass(slots=True)
class Post:
    id: str  # path under content/ without the extension
    team: str
    campaign: str  # campaign id
    parts: list[PostPart]
    accounts: list[str]
    publish_at: str | None  # as written; each target resolves it in its account's zone
    on_merge: bool
    variants: dict
    link: str | None
    reply_to: str | None
    quote: str | None
    tags: list[str]
    embargo: datetime | None  # the post's own, else its campaign's
    status: str
    locale: str | None
    translation_of: dict | None
    allow: list[dict]
    doc: Doc
    targets: list[Target] = field(default_factory=list)

    @property
    def is_thread(self) -> bool:
        return "thread" in (self.doc.data or {})

    @property
    def text(self) -> str:
        """All parts' text, for duplicate and translation comparisons."""
        return joined(p.text for p in self.parts)

    def text_hash(self) -> str:
        """Short hash of the text; a translation records its source's (translation_of.source_hash)."""
        return hashlib.sha256(" ".join(self.text.split()).encode()).hexdigest()[:12]

    def fingerprint(self) -> str:
        """Hash of everything that shapes what goes out; the ledger keeps it at publish time so
        that editing a published post is caught."""
        d = self.doc.data
        keys = ("text", "thread", "variants", "media", "link", "reply_to", "quote", "accounts",
                "publish_at", "on_merge")
        blob = json.dumps({k: d.get(k) for k in keys}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(slots=True)
class Target:
    """One post to one account: published and recorded on its own."""

    post: Post
    account: Account
    publish_at: datetime | None  # None: on_merge

    @property
    def key(self) -> str:
        return f"{self.post.id}@{self.account.id}"


@dataclass
class Org:
    root: Path
    settings: Settings
    teams: dict[str, Team] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    policies: dict[str, Doc] = field(default_factory=dict)
    docs: dict[str, Doc] = field(default_factory=dict)  # every parsed file, by relative path
    findings: list[Finding] = field(default_factory=list)  # what loading found
    files: list[str] = field(default_factory=list)  # every file considered, valid or not
    # The post files a narrowed run reports on (`accord check PATHS`), None for the whole repository.
    # A narrowed Org holds only the posts (with their campaigns) and docs those files are checked
    # against (see load).
    focus: frozenset[str] | None = None
    # Writing the parse cache, when `load(..., save_later=True)` left it to the caller.
    unsaved: Callable[[], None] | None = None
    # The forked child that parsed half the files, waiting for more work, when `load(...,
    # helper=...)` kept it: the caller closes it.
    helper: forked.Forked | None = None
    # With that child, the posts were not sketched as they were parsed (see read_all): the
    # duplicates sweep puts their sketches here (by file) for the parse cache, which is then
    # written after it. None: nothing waits for them.
    sketches: dict[str, tuple] | None = None
    # The posts whose per-file findings that child makes (the `helper` work of load), None: none.
    split_posts: frozenset[str] | None = None

    def keep_sketches(self, by_post: dict[str, tuple]) -> None:
        """Keep the sketches the duplicates sweep made (by post id) for the parse cache, by the
        file each built post is read from (not its twin: x.yaml beside x.yml)."""
        if self.sketches is not None:
            for pid, sketch in by_post.items():
                self.sketches[self.posts[pid].doc.rel] = sketch

    def policy(self, name: str) -> dict:
        doc = self.policies.get(name)
        return doc.data if doc is not None and isinstance(doc.data, dict) else {}

    @property
    def targets(self) -> list[Target]:
        return [t for p in self.posts.values() for t in p.targets]


def read(root: Path, rel: str, kind: str | None) -> tuple[Doc | None, list[Finding], bytes | None]:
    """Parse and schema-check one file: its Doc (None when it cannot be used), its findings and
    the digest of its bytes (None when it cannot be read)."""
    path = root / rel
    try:
        raw = read_bytes(root, rel)
    except Refused as exc:
        return None, [Finding(rel, 1, 1, "error", exc.rule, exc.message)], None
    except OSError as exc:
        return None, [Finding(rel, 1, 1, "error", "yaml.read", f"cannot read file: {exc.strerror}")], None
    digest = cache.content_digest(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Finding(rel, line, col, "error", "yaml.encoding",
                              f"file is not UTF-8 text: line {line} has {exc.reason} at byte {exc.start}",
                              "save the file as UTF-8")], digest
    if "\r" in text:  # as open(path, encoding="utf-8").read() gives it
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        doc = parse(path, rel, text)
    except YamlError as exc:
        return None, [Finding(rel, exc.line, exc.col, "error", "yaml.syntax", exc.message)], digest
    found = [Finding(rel, line, col, "error", "yaml.duplicate-key",
                     f"key '{p[-1]}' appears twice; the second one would win silently")
             for p, line, col in doc.duplicates]
    if kind is not None:
        found.extend(schemas.validate(kind, doc))
    return doc, found, digest


def read_parsed(root: Path, rel: str, kind: str, sketch: bool = True) -> Parsed:
    """`read`, with the facts a narrowed run chooses posts by and the digest of the file's bytes.
    Without `sketch`, a post's facts hold SKETCH_PENDING for its sketch (see `_facts`)."""
    doc, found, digest = read(root, rel, kind)
    return Parsed(found, _facts(kind, doc, sketch), doc, digest=digest)


# Parsing is most of a load without the cache (about 0.15 ms a file): from this many files on,
# a second core parses half of them in a forked copy of this process.
def read_all(root: Path, files: list[tuple[str, str]], keep: list | None = None) -> list[Parsed]:
    """`read_parsed` of each (relative path, kind), in order. With many files and a second core,
    a forked child parses every other file and sends back what the parse cache keeps of each
    (cache.freeze), thawed here: the same findings and Docs in the same order, in little more
    than half the time when that core is free. Should the child fail in any way, its files are
    parsed here. `keep`: a list the child is added to with the files it was given, still running
    and waiting for more work (see forked.Forked), when it did its part; the caller closes it. That child is sent the
    duplicates sweep, which normalises every post's text anyway: the posts are not sketched here
    (SKETCH_PENDING in their facts, see `_facts`) but there, for a tenth of the parsing time."""
    if not forked.worth_it(len(files)):
        return [read_parsed(root, rel, kind) for rel, kind in files]
    theirs, sketch = files[1::2], keep is None
    child = forked.Forked(lambda: _parse_frozen(root, theirs, sketch), serve=keep is not None)
    out: list = [None] * len(files)
    try:
        out[0::2] = mine = [read_parsed(root, rel, kind, sketch) for rel, kind in files[0::2]]
        for p in mine:  # what the parse cache keeps of each, made while the child finishes its half
            p.freeze()
        sent = child.result()
    except BaseException:
        child.stop()
        raise
    out[1::2] = ([cache.thaw(root, rel, frozen) for (rel, _), frozen in zip(theirs, marshal.loads(sent), strict=True)]
                 if sent is not None else [read_parsed(root, rel, kind) for rel, kind in theirs])
    if child.serving:
        keep.append((child, files))
    return out


_PARSED: dict = {}  # in a child read_all forked to serve: what it parsed (by path), for model_of_parsed


def _parse_frozen(root: Path, files: list[tuple[str, str]], sketch: bool) -> bytes:
    parsed = [read_parsed(root, rel, kind, sketch) for rel, kind in files]
    _PARSED["parsed"] = {rel: p for (rel, _), p in zip(files, parsed, strict=True)}
    return marshal.dumps([cache.freeze(p) for p in parsed])


def model_of_parsed(root: str, files: list[str], sent: list[tuple[str, tuple]], module: str, function: str):
    """In the child read_all forked to serve: the model of the posts it parsed, with every file
    they are checked against (its own and `sent`, the others', frozen); then what `function` of
    `module` gives of it, which is sent back."""
    got = {rel: cache.thaw(Path(root), rel, frozen) for rel, frozen in sent}
    got.update(_PARSED.pop("parsed"))
    # the other posts are there (references to them hold) but not built here
    elsewhere = Parsed([Finding("", 1, 1, "error", "", "")], None)
    org = _load(Path(root), files, None, None, reader=lambda _, known: [got.get(rel, elsewhere) for rel, _ in known])
    return getattr(import_module(module), function)(org)


def _share_posts(root: Path, files: list[str], known: list[tuple[str, str]], results: list[Parsed],
               kept: list[tuple], work: tuple[str, str] | None) -> frozenset[str] | None:
    """Have the child that parsed every other file build the model of its posts and do `work`
    (module, function) with it (see model_of_parsed) while this process builds the whole model: the
    posts it has, or None. Only when it parsed every other file read (no parse cache helped)."""
    if not kept or work is None or kept[0][1] != known:
        return None
    sent = [(rel, cache.freeze(p)) for (rel, kind), p in zip(known[0::2], results[0::2], strict=True) if kind != "post"]
    if not kept[0][0].ask(__name__, "model_of_parsed", str(root), files, sent, *work):
        return None
    return frozenset(rel for rel, kind in known[1::2] if kind == "post")


_DAY = re.compile(r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]|\s*$)")


SKETCH_PENDING = ...  # in a post's facts: its sketch is made later, by the duplicates sweep (see read_all)


# Which posts a narrowed load builds: (the posts read, the files named, the policies, the accounts
# read) -> the posts, or None for all (see check/narrow.py).
Needed = Callable[[list[tuple[str, Parsed]], frozenset[str], dict[str, Doc], list[tuple[str, Parsed]]], list | None]


SOURCE, SKETCH = 3, 4  # in a post's facts: see _facts


def _facts(kind: str, doc: Doc | None, sketch: bool = True) -> tuple | None:
    """What a narrowed load tells a post by without decoding it (see check/narrow.py): its account ids, whether it is ready,
    the day (an ordinal) its publish_at is written on (None: not written so), the id of the
    post it translates (None: none) and the sketch duplicates screens its text by (None: no
    text to sketch)."""
    if kind != "post" or doc is None or not isinstance(doc.data, dict):
        return None
    d = doc.data
    text = text_of(d)
    accounts = d.get("accounts")
    # interned: marshal then stores each account id once in the cache, and loads it once
    accounts = tuple(sys.intern(a) for a in accounts if isinstance(a, str)) if isinstance(accounts, list) else ()
    raw = d.get("publish_at")
    written = _DAY.match(raw) if isinstance(raw, str) else None
    try:
        day = date.fromisoformat(written[1]).toordinal() if written else None
    except ValueError:
        day = None
    ref = d.get("translation_of")
    source = ref.get("post") if isinstance(ref, dict) else None
    return (accounts, d.get("status", "ready") == "ready", day, source if isinstance(source, str) else None,
            None if text is None else alike.sketch(text) if sketch else SKETCH_PENDING)


def _finish(sketches: dict[str, tuple], rel: str, facts, blob: bytes | None):
    """A post's facts as the parse cache keeps them: a sketch left for later (SKETCH_PENDING) is the one
    the duplicates sweep made (`sketches`, by file), else made now from the packed Doc."""
    if facts is None or facts[SKETCH] is not SKETCH_PENDING:
        return facts
    made = sketches.get(rel)
    if made is None:  # a post the sweep does not see (a draft), or no sweep ran
        made = alike.sketch(text_of(cache.unpack(blob)[1]))
    return facts[:SKETCH] + (made,)


def joined(parts) -> str:
    """A post's text: its parts' texts, stripped, a blank line apart."""
    return "\n\n".join(p.strip() for p in parts)


def text_of(d: dict) -> str | None:
    """A post's text as Post.text joins it, from its data; None when it has none to join."""
    if "text" in d:
        parts = [d["text"]]
    else:
        thread = d.get("thread")
        parts = [p.get("text") if isinstance(p, dict) else None for p in thread] if isinstance(thread, list) else []
    if not parts or not all(isinstance(p, str) for p in parts):
        return None
    return joined(parts)


def _without_gc(fn):
    """Loading builds a few hundred thousand small objects and frees almost none: the cyclic
    collector would walk them again and again (about 3x the load time at 10k posts)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            # The model lives as long as the command: keep later collections from walking it.
            gc.freeze()
            gc.enable()
    return wrapper


@_without_gc
def load(root: Path, use_cache: bool = True, focus: list[str] | None = None,
         seen: tuple[list[str], dict[str, tuple]] | None = None, save_later: bool = False,
         helper: tuple[str, str] | None = None, needed: Needed | None = None) -> Org:
    """Read the whole repository once. Raises ConfigError only when accord.yaml is unusable.

    Unchanged files come from the parse cache (see check/cache.py) unless use_cache is False. `focus`
    (relative paths) narrows the run to the posts it names (see `narrowed`): every file is still
    looked at, but only the posts `needed` chooses are built (see check/narrow.py; without it,
    every post is).
    `seen`: the files as `discover` finds them and each one's (size, mtime_ns, ctime_ns), from a
    walk the caller made already (the results cache's), so that they are not looked up twice.
    `save_later`: the parse cache is not written yet: the caller calls `org.unsaved()` when it
    has a moment (`accord check` does while a forked child runs rule families).
    `helper`: (module, function): should a forked child parse half the files, keep it as
    `org.helper` for the caller's later work (see forked.Forked; the caller closes it); and should
    it have parsed every other file read, have it build the model of its posts and do that
    function with it (see model_of_parsed): those posts are `org.split_posts`."""
    files = seen[0] if seen else discover(root)
    only = narrowed(root, files, focus or [])
    if "accord.yaml" not in files:
        raise ConfigError(f"no accord.yaml in {root}")
    kept: list[tuple] = []  # (child, the files it was given): see read_all
    reader = functools.partial(read_all, keep=kept) if helper is not None and only is None else read_all
    if not use_cache:
        schemas.keep_compiled(None)  # nor the compiled schemas of an earlier load in this process
        return _load_keeping(kept, None, helper, root, files, only, None, reader, needed=needed)
    parsed = cache.ParseCache(root, reader, every=only is None, stats=seen[1] if seen else None)
    sketches: dict[str, tuple] = {}
    save = functools.partial(_save, parsed, only is not None, sketches)
    try:
        org = _load_keeping(kept, sketches, helper, root, files, only, parsed, reader, needed=needed)
    except ConfigError:
        save()  # what was parsed holds for the next run, once accord.yaml is mended
        raise
    except BaseException:
        parsed.close()
        raise
    if save_later:
        org.unsaved = save
    else:
        save()
    return org


def _load_keeping(kept: list[tuple], sketches: dict | None, work: tuple[str, str] | None, *args,
                  needed: Needed | None = None) -> Org:
    """`_load`, with the helper the reader kept (if any) as `org.helper`, closed should loading
    fail; and then `sketches` as `org.sketches`, for the sweep to fill (see read_all)."""
    try:
        org = _load(*args, kept=kept, work=work, needed=needed)
    except BaseException:
        for child, _ in kept:
            child.close()
        raise
    if kept:
        org.helper, org.sketches = kept[0][0], sketches
    return org


def _save(parsed: cache.ParseCache, narrowed: bool, sketches: dict[str, tuple]) -> None:
    try:
        parsed.save(narrowed=narrowed, finish=functools.partial(_finish, sketches))
    finally:
        parsed.close()


def _load(root: Path, files: list[str], only: frozenset[str] | None, parsed: cache.ParseCache | None,
          reader=read_all, kept: list[tuple] = (), work: tuple[str, str] | None = None,
          needed: Needed | None = None) -> Org:
    """`load` once the files are known, reading them through the parse cache when there is one.
    `kept`, `work`: see `_share_posts`."""
    kinds = [(rel, classify(rel)) for rel in files]
    known = [(rel, kind) for rel, kind in kinds if kind is not None]
    read_all_ = parsed.read(known) if parsed else reader(root, known)
    split_posts = _share_posts(root, files, known, read_all_, kept, work)
    results = iter(read_all_)
    findings: list[Finding] = []
    read_: list[tuple[str, str, Parsed]] = []
    usable: dict[str, list[tuple[str, Parsed]]] = {}
    for top in TOPS:  # content/ or policies/ as a link that leads out: not walked (see discover)
        if (refused := refusal(root, top)) is not None:
            findings.append(Finding(top, 1, 1, "error", refused.rule, refused.message))
    for rel, kind in kinds:
        if kind is None:
            if (refused := refusal(root, rel)) is not None:  # (not read: the lstat tells)
                findings.append(Finding(rel, 1, 1, "error", refused.rule, refused.message))
                continue
            findings.append(Finding(rel, 1, 1, "warning", "schema.unknown-file",
                                    "accord does not read this file here: posts live in "
                                    "content/<team>/<campaign>/, accounts in content/<team>/accounts/"))
            continue
        p = next(results)
        read_.append((rel, kind, p))
        if p.found:
            findings.extend(p.found)
            if any(f.level == "error" for f in p.found):
                continue
        usable.setdefault(kind, []).append((rel, p))

    settings_doc = next((p.doc for r, p in usable.get("accord", [])), None)
    if settings_doc is None:
        bad = [f for f in findings if f.file == "accord.yaml"]
        raise ConfigError("accord.yaml cannot be used: " + "; ".join(
            f"line {f.line}: {f.message}" + (f" ({f.hint})" if f.hint else "") for f in bad))
    settings = _settings(settings_doc)
    policies: dict[str, Doc] = {}
    for name in POLICIES:
        for rel, p in usable.get(name, []):
            if name in policies:  # voice.yaml and voice.yml: the first one is read
                findings.append(_twice(rel, policies[name].rel, f"the {name} policy"))
            else:
                policies[name] = p.doc
    posts = None if only is None or needed is None else needed(usable.get("post", []), only, policies,
                                                               usable.get("account", []))
    parts = usable if posts is None else {**usable, "post": posts, "campaign": _campaigns_of(posts, usable)}
    org, built = _build(Org(root, settings, policies=policies, files=files, focus=only), parts)
    if parts is not usable and _unresolved(org):
        parts = usable
        org, built = _build(Org(root, settings, policies=policies, files=files, focus=only), parts)
    # A narrowed run decodes the files it builds or names, and no others.
    decoded = None if parts is usable else only | {rel for kind in ("post", "campaign") for rel, _ in parts[kind]}
    org.docs = {rel: p.doc for rel, kind, p in read_
                if (decoded is None or kind not in ("post", "campaign") or rel in decoded) and p.doc is not None}
    org.findings = findings + built
    org.split_posts = split_posts
    return org


def _build(org: Org, parts: dict[str, list[tuple[str, Parsed]]]) -> tuple[Org, list[Finding]]:
    b = _Builder(org)
    for kind in ("team", "account", "campaign", "post"):
        for rel, p in parts.get(kind, []):
            getattr(b, kind)(rel, p.doc)
    b.finish()
    return org, b.findings


def _campaigns_of(posts: list[tuple[str, Parsed]], usable: dict[str, list[tuple[str, Parsed]]]) -> list:
    """The campaigns of these posts: the rule families look at no other campaign for a post (its
    window, embargo, hashtags, UTM), and report on campaign files only in a full run."""
    folders = {"/".join(rel.split("/", 3)[:3]) for rel, _ in posts}
    return [(rel, p) for rel, p in usable.get("campaign", []) if rel.rsplit("/", 1)[0] in folders]


def _unresolved(org: Org) -> bool:
    """Whether a named post translates a post that was not built: translations then looks for
    the closest id among every post."""
    return any(p.translation_of and org.posts.get(p.translation_of.get("post")) is None
               for p in org.posts.values() if p.doc.rel in org.focus)


_BRANCH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/]*")


def _twice(rel: str, first: str, what: str) -> Finding:
    return Finding(rel, 1, 1, "error", "file.twice", f"{first} is {what} already; this file is not read: "
                   f"keep one of the two")


def _settings(doc: Doc) -> Settings:
    d = doc.data or {}
    pub, state, utm = d.get("publisher", {}), d.get("state", {}), d.get("utm", {})
    metrics = d.get("metrics", {})
    s = Settings(org=d["org"], timezone=d["timezone"], doc=doc,
                 default_branch=d.get("default_branch", "main"),
                 state_path=state.get("path", "state"), state_branch=state.get("branch"),
                 outbox_dir=pub.get("outbox_dir", "outbox"),
                 utm_enabled=utm.get("enabled", True), utm_source=utm.get("source", "{platform}"),
                 utm_medium=utm.get("medium", "social"), metrics_days=metrics.get("days", 30),
                 business_path=metrics.get("business"))

    def bad(at: tuple, message) -> None:
        raise ConfigError(f"accord.yaml line {doc.pos(at)[0]}: {message}")

    try:
        times.zone(s.timezone)
    except times.TimeError as exc:
        bad(("timezone",), exc)
    for key in ("look_ahead", "max_lateness", "claim_timeout"):
        if key in pub:
            try:
                setattr(s, key, times.duration(pub[key]))
            except times.TimeError as exc:
                bad(("publisher", key), f"publisher.{key}: {exc}")
    for key in ("source", "medium"):
        value = getattr(s, f"utm_{key}")
        try:
            value.format(platform="x", account="x")
        except (KeyError, IndexError, ValueError, AttributeError):
            bad(("utm", key), f"utm.{key}: '{value}' may fill in {{platform}} and {{account}} and nothing else "
                              f"(a brace of its own is written twice: {{{{ }}}})")
    for at, branch in ((("default_branch",), s.default_branch), (("state", "branch"), s.state_branch)):
        if branch is not None and (not isinstance(branch, str) or not _BRANCH.fullmatch(branch) or ".." in branch
                                   or branch.endswith((".lock", "/", "."))):
            bad(at, f"'{branch}' is not a branch name git takes (letters, digits, - _ . /, not starting with -)")
    # The ledger is committed with the content, so it lives in the repository; the outbox may be
    # any folder (another system may pick the posts up there).
    state = PurePosixPath(s.state_path)
    if state.is_absolute() or ".." in state.parts:
        bad(("state", "path"), f"'{s.state_path}' is not a folder inside the repository: write a relative "
                               f"path without '..'")
    for at, value in ((("state", "path"), s.state_path), (("publisher", "outbox_dir"), s.outbox_dir)):
        if not value.strip() or (doc.path.parent / value).is_file():
            bad(at, f"'{value}' is not a folder; accord keeps one there")
    return s


class _Builder:
    def __init__(self, org: Org):
        self.org = org
        self.findings: list[Finding] = []
        self._files = frozenset(org.files)

    def _find(self, doc: Doc, at: tuple, rule: str, message: str, level: str = "error",
              hint: str | None = None, key: bool = False) -> None:
        line, col = doc.pos(at, key=key)
        self.findings.append(Finding(doc.rel, line, col, level, rule, message, hint))

    def _zone(self, doc: Doc, at: tuple, name: str | None, fallback: str) -> str:
        if not name:
            return fallback
        try:
            times.zone(name)
            return name
        except times.TimeError as exc:
            self._find(doc, at, exc.rule, str(exc))
            return fallback

    def team(self, rel: str, doc: Doc) -> None:
        d = doc.data
        tid = rel.split("/")[1]
        if tid in self.org.teams:
            self.findings.append(_twice(rel, self.org.teams[tid].doc.rel, f"team {tid}"))
            return
        tz = self._zone(doc, ("timezone",), d.get("timezone"), self.org.settings.timezone)
        self.org.teams[tid] = Team(tid, d["name"], d["github_team"].lstrip("@"),
                                   d.get("members", []), d.get("region"), tz, doc)

    def account(self, rel: str, doc: Doc) -> None:
        d = doc.data
        tid = rel.split("/")[1]
        aid = account_id(rel)
        if aid in self.org.accounts:
            other = self.org.accounts[aid].doc.rel
            self._find(doc, (), "account.duplicate-id",
                       f"account id '{aid}' is already used by {other}; account ids are file "
                       f"names and must be unique across teams")
            return
        team = self.org.teams.get(tid)
        if team is None:
            self._find(doc, (), "account.no-team", f"content/{tid}/team.yaml is missing or invalid: "
                       f"every account belongs to a team")
            return
        tz = self._zone(doc, ("timezone",), d.get("timezone"), team.timezone)
        self.org.accounts[aid] = Account(aid, tid, d["platform"], d["handle"], d.get("name"),
                                         d.get("contributors", []), tz, d.get("credentials_env"),
                                         d.get("api_base"), d.get("limits", {}), doc,
                                         author=d.get("author"))

    def _instant(self, doc: Doc, at: tuple, raw, tz: str, end: bool = False, window: bool = False):
        if raw is None:
            return None
        try:
            if window:
                return times.day_or_instant(raw, tz, end)
            return times.instant(raw, tz, at[-1] if at else "time")
        except times.TimeError as exc:
            self._find(doc, at, exc.rule, str(exc))
            return None

    def campaign(self, rel: str, doc: Doc) -> None:
        d = doc.data
        tid, cname = rel.split("/")[1:3]
        if f"{tid}/{cname}" in self.org.campaigns:
            self.findings.append(_twice(rel, self.org.campaigns[f"{tid}/{cname}"].doc.rel, f"campaign {tid}/{cname}"))
            return
        tz = self.org.teams[tid].timezone if tid in self.org.teams else self.org.settings.timezone
        win = d.get("window", {})
        self.org.campaigns[f"{tid}/{cname}"] = Campaign(
            f"{tid}/{cname}", tid, d["name"], d.get("owner"),
            self._instant(doc, ("window", "start"), win.get("start"), tz, window=True),
            self._instant(doc, ("window", "end"), win.get("end"), tz, end=True, window=True),
            d.get("key_message"), d.get("hashtags", []), d.get("regions", []),
            d.get("utm_campaign", cname), d.get("objective"),
            self._instant(doc, ("embargo",), d.get("embargo"), tz),
            d.get("tags", []), d.get("allow", []), doc)
        made = self.org.campaigns[f"{tid}/{cname}"]
        if made.start and made.end and made.end < made.start:
            self._find(doc, ("window", "end"), "time.invalid",
                       f"the window ends ({win.get('end')}) before it starts ({win.get('start')}): no post fits in it")

    def post(self, rel: str, doc: Doc) -> None:
        d = doc.data
        parts_ = rel.split("/")
        tid, cid = parts_[1], f"{parts_[1]}/{parts_[2]}"
        pid = post_id(rel)
        if pid in self.org.posts:  # x.yaml and x.yml
            self.findings.append(_twice(rel, self.org.posts[pid].doc.rel, f"post {pid}"))
            return
        if ("text" in d) == ("thread" in d):
            self._find(doc, (), "post.text", "a post has either 'text' or 'thread' (a list of parts), "
                       "not both and not neither")
            return
        media = [MediaRef(m["path"], m["alt"], ("media", i)) for i, m in enumerate(d.get("media", []))]
        if "text" in d:
            parts = [PostPart(d["text"], media, ("text",))]
        else:
            parts = [PostPart(p["text"], ([*media] if i == 0 else []) + [
                MediaRef(m["path"], m["alt"], ("thread", i, "media", j)) for j, m in enumerate(p.get("media", []))
            ], ("thread", i, "text")) for i, p in enumerate(d["thread"])]
        status = d.get("status", "ready")
        if status == "ready" and "publish_at" not in d and not d.get("on_merge"):
            self._find(doc, (), "post.when", "a ready post needs 'publish_at' or 'on_merge: true'",
                       hint="add publish_at: 2026-03-03T09:00 (in the account's zone), or set status: draft")
        if "publish_at" in d and d.get("on_merge"):
            self._find(doc, ("on_merge",), "post.when", "a post has 'publish_at' or 'on_merge', not both", key=True)
        campaign = self.org.campaigns.get(cid)
        team = self.org.teams.get(tid)
        tz = team.timezone if team else self.org.settings.timezone
        embargo = self._instant(doc, ("embargo",), d.get("embargo"), tz) or (campaign.embargo if campaign else None)
        for key in ("reply_to", "quote"):  # a post id (team/campaign/post), else a URL or the network's id
            ref = d.get(key)
            if isinstance(ref, str) and "/" in ref and "://" not in ref and not any(
                    f"content/{ref}{ext}" in self._files for ext in (".yaml", ".yml")):
                self._find(doc, (key,), "post.unknown-reference", f"no post {ref} (content/{ref}.yaml) to {key.replace('_', ' ')}",
                           hint=did_you_mean(ref, [post_id(f) for f in self.org.files if classify(f) == "post"]))
        link = d.get("link")
        try:
            urlsplit(link or "")
        except ValueError as exc:  # http://[ : tagging it for the networks would fail
            self._find(doc, ("link",), "schema.format", f"'{link}' is not a web address ({exc})")
            link = None
        post = Post(pid, tid, cid, parts, d["accounts"], d.get("publish_at"), bool(d.get("on_merge")),
                    d.get("variants", {}), link, d.get("reply_to"), d.get("quote"),
                    d.get("tags", []), embargo, status, d.get("locale"), d.get("translation_of"),
                    d.get("allow", []), doc)
        seen_errors = set()
        for i, aid in enumerate(d["accounts"]):
            account = self.org.accounts.get(aid)
            if account is None:
                self._find(doc, ("accounts", i), "post.unknown-account", f"no account '{aid}' in content/*/accounts/",
                           hint=did_you_mean(aid, self.org.accounts))
                continue
            at = None
            if post.publish_at is not None:
                try:
                    at = times.instant(post.publish_at, account.timezone)
                except times.TimeError as exc:
                    if str(exc) not in seen_errors:
                        seen_errors.add(str(exc))
                        # a time without a zone of its own is read in the account's: say which account's
                        naive = exc.rule.startswith("time.dst") and times.zone_written(post.publish_at) is None
                        zone_note = f" (the zone of account {aid})" if naive else ""
                        self._find(doc, ("publish_at",), exc.rule, f"{exc}{zone_note}")
                    continue
            post.targets.append(Target(post, account, at))
        if isinstance(post.variants, dict) and all(a in self.org.accounts for a in post.accounts):
            platforms = {self.org.accounts[a].platform for a in post.accounts}
            for name in sorted(set(post.variants) - platforms):
                self._find(doc, ("variants", name), "post.unused-variant",
                           f"none of this post's accounts is on {name}: its variant is never posted",
                           level="warning", key=True)
        self.org.posts[pid] = post

    def finish(self) -> None:
        for post in self.org.posts.values():
            if post.campaign not in self.org.campaigns:
                self._find(post.doc, (), "post.no-campaign",
                           f"{post.campaign}/campaign.yaml is missing or invalid: every post belongs to a campaign")
        freeze = self.org.policies.get("freeze")
        for i, f in enumerate(self.org.policy("freeze").get("freezes") or []):
            for key, known in (("account", self.org.accounts), ("team", self.org.teams)):
                if key in f and f[key] not in known:
                    self._find(freeze, ("freezes", i, key), "freeze.unknown",
                               f"no {key} '{f[key]}': this freeze holds nothing back", hint=did_you_mean(f[key], known))
