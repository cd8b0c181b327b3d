"""Credentials in files: anything that looks like a key, token or password in any file accord
reads is an error at its line and column. Credentials come only from environment variables named
by an account's credentials_env. Messages never repeat the secret: a few leading characters at most.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate, pairwise

from ..files import read_bytes
from ..findings import Finding, Rule
from ..model import Org
from . import Reach, Reads

_ADVICE = ("remove it, rotate it, and let the publisher read it from the environment "
           "(the account's credentials_env)")

# (rule id, what it is, pattern); the secret is the group named `s`.
_KINDS = [
    ("secrets.private-key", "a private key",
     r"(?P<s>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)"),
    ("secrets.aws-key", "an AWS access key id", r"(?<![A-Z0-9])(?P<s>(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Z0-9])"),
    ("secrets.github-token", "a GitHub token",
     r"(?<![A-Za-z0-9_])(?P<s>gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
    ("secrets.slack-token", "a Slack token",
     r"(?<![A-Za-z0-9])(?P<s>xox[abposr]-[A-Za-z0-9-]{10,}|hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+)"),
    ("secrets.x-bearer-token", "an X (Twitter) bearer token",
     r"(?<![A-Za-z0-9%])(?P<s>A{15,}[A-Za-z0-9%]{30,})"),
    ("secrets.url-password", "a password in a URL",
     r"\b[a-z][a-z0-9+.-]*://[^\s/:@'\"]+:(?P<s>[^\s/@'\"]+)@"),
    # `password: value` as a YAML key holding the whole value, or `api_key=value` inline (a query
    # string, a command line quoted in a post).
    ("secrets.assignment", "a credential",
     r"(?i)^[ \t]*(?:#[ \t]*)?(?:-[ \t]+)?[\"']?[\w.-]*(?:password|passwd|secret|api[_-]?key|apikey|access[_-]?key"
     r"|auth[_-]?token|access[_-]?token|bearer[_-]?token|private[_-]?key|client[_-]?secret)[\"']?[ \t]*:[ \t]+"
     r"[\"']?(?P<s>[^\s\"'#]{4,})[\"']?[ \t]*(?:#.*)?$"),
    ("secrets.assignment", "a credential",
     r"(?i)\b(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token)="
     r"[\"']?(?P<s>[^\s\"'#,&]{4,})"),
]
_CASED = [re.compile(p.replace("(?i)", ""), re.MULTILINE | (re.IGNORECASE if "(?i)" in p else 0))
          for _, _, p in _KINDS]
# What every match of each kind holds, found cheaply before its pattern runs: any of some literals
# or a match of a quicker pattern (neither ever holds a newline), in the text or, for the
# case-insensitive kinds, in the lowercased text; then, where given, a narrower pattern in that text.
# Lowercasing keeps every letter such a kind can match except these few, which match ASCII letters
# when ignoring case: a text holding one gets those kinds' full patterns.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f")  # İ ı ſ (the Kelvin sign lowercases to k)
_NEEDS = [
    (False, ("PRIVATE KEY",), None),
    (False, re.compile("A(?:KIA|SIA|BIA|CCA)"), None),
    (False, re.compile("gh[pousr]_|github_pat_"), None),
    (False, ("xox", "hooks.slack.com/services/"), None),
    (False, ("A" * 15,), None),
    (False, re.compile(r"://[^\s/:@'\"]+:[^\s/@'\"]+@"), None),
    # literals first: a pattern led by any of several letters is slow to run over everything
    (True, ("passw", "secret", "key", "token"), re.compile(r"(?:password|passwd|secret|key|token)[\"']?[ \t]*:")),
    (True, ("passw", "pwd", "secret", "key", "token"), re.compile("(?:password|passwd|pwd|secret|key|token)=")),
]
# Values that name where a secret comes from rather than being one.
_PLACEHOLDER = re.compile(r"^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^>]*>|\*+|[xX]+|\.+|[A-Z][A-Z0-9_]+"
                          r"|(?i:changeme|redacted|none|null|true|false|env:.*))$")

READS = frozenset({Reads.FILES})
REACH = Reach.FILE
WANTED_ONLY = True

RULES = [Rule(rule, "error", f"No file accord reads holds {what}; credentials come only from the "
              f"environment variables named by an account's credentials_env.",
              "Nothing to configure: remove the value and rotate it; a false alarm in a post can be "
              "silenced there with a reason.")
         for rule, what in dict((rule, what) for rule, what, _ in _KINDS).items()]


def check(org: Org, ctx) -> list[Finding]:
    work = job(org, ctx)
    _, swept = sweep(*work)
    return found(org, swept)


def job(org: Org, ctx) -> tuple[list[tuple[str, str]]]:
    """What `sweep` is given: the (relative path, text) of every file to scan."""
    files = []
    for rel in org.files:
        if not ctx.wants(rel):
            continue
        doc = org.docs.get(rel)
        if doc is not None:
            files.append((rel, doc.text))
        else:
            try:  # (what the loader refused to read is not read here either: see files.read_bytes)
                files.append((rel, read_bytes(org.root, rel).decode("utf-8", "replace")))
            except OSError:
                continue
    return (files,)


def sweep(files: list[tuple[str, str]]) -> Iterator:
    """Yields nothing for the parse cache (None: see rules.swept), then the findings in these
    files, as plain tuples (a forked child may do this)."""
    yield None
    out: list[Finding] = []
    for i, kinds in sorted(_screen([text for _, text in files]).items()):
        out.extend(scan(*files[i], kinds))
    yield [f.row() for f in out]


def found(org: Org, swept: list[tuple]) -> list[Finding]:
    return [Finding(*f) for f in swept]


def _screen(texts: list[str]) -> dict[int, list[int]]:
    """The kinds each text (by index) may hold. Each screen runs once over all texts joined by
    newlines: one search of one long string instead of one per kind and file."""
    joined = _Joined.of(texts)
    lowered = joined.lowered()
    unfolded = joined.holding(_FOLDS_TO_ASCII)
    kinds: dict[int, list[int]] = {}
    for kind, (lower, screen, narrow) in enumerate(_NEEDS):
        where = lowered if lower else joined
        held = where.holding(screen)
        if narrow is not None:
            held = {i for i in held if narrow.search(where.text, where.starts[i], where.starts[i + 1] - 1)}
        for i in held | unfolded if lower else held:
            kinds.setdefault(i, []).append(kind)
    return kinds


class _Joined:
    """Texts joined by newlines, searched as one string."""

    def __init__(self, text: str, starts: list[int]):
        self.text = text
        self.starts = starts  # where each text starts, and one past the end
        self.held: dict = {}  # needle -> the texts holding it (the two assignment kinds share literals)

    @classmethod
    def of(cls, texts: list[str]) -> _Joined:
        return cls("\n".join(texts), list(accumulate((len(t) + 1 for t in texts), initial=0)))

    def lowered(self) -> _Joined:
        """Each text lowercased (ASCII is lowercased letter by letter, so all texts in one go)."""
        if self.text.isascii():
            return _Joined(self.text.lower(), self.starts)
        return _Joined.of([self.text[a:b - 1].lower() for a, b in pairwise(self.starts)])

    def holding(self, screen: tuple | re.Pattern) -> set[int]:
        """The indexes of the texts holding any of the literals, or a match of the pattern."""
        found = set()
        for needle in screen if isinstance(screen, tuple) else (screen,):
            if needle not in self.held:
                self.held[needle] = held = set()
                at = self._next(needle, 0)
                while at >= 0:
                    i = bisect_right(self.starts, at) - 1
                    held.add(i)
                    at = self._next(needle, self.starts[i + 1])  # the rest of text i need not be searched
            found |= self.held[needle]
        return found

    def _next(self, needle: str | re.Pattern, start: int) -> int:
        if isinstance(needle, str):
            return self.text.find(needle, start)
        m = needle.search(self.text, start)
        return m.start() if m else -1


def scan(rel: str, text: str, kinds: list[int]) -> list[Finding]:
    """Findings for every credential-like value of these kinds in `text`."""
    found = []
    for kind in kinds:
        (rule, what, _), pattern = _KINDS[kind], _CASED[kind]
        for m in pattern.finditer(text):
            secret = m.group("s")
            if rule == "secrets.assignment" and _PLACEHOLDER.match(secret):
                continue
            start = m.start("s")
            line = text.count("\n", 0, start) + 1
            col = start - (text.rfind("\n", 0, start) + 1) + 1
            shown = "" if rule == "secrets.private-key" else f" ({_redact(secret)})"
            found.append(Finding(rel, line, col, "error", rule, f"this looks like {what}{shown}; {_ADVICE}"))
    return found


def _redact(secret: str) -> str:
    keep = 4 if len(secret) >= 16 else 0
    return (secret[:keep] + "…") if keep else "…"
