"""Credentials in files: anything that looks like a key, token or password in any file accord
reads is an error at its line and column. Credentials come only from environment variables named
by an account's credentials_env. Messages never repeat the secret: a few leading characters at most.
"""
from __future__ import annotations

import re

from ..findings import Finding, Rule
from ..model import Org

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
# What every match of each kind holds, found cheaply before its pattern runs: any of some
# literals, then (if given) a pattern, in the text or, for the case-insensitive kinds, in the
# lowercased text. Lowercasing keeps every letter such a kind can match except these few, which
# match ASCII letters when ignoring case: a text holding one gets those kinds' full patterns.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f]")  # İ ı ſ (the Kelvin sign lowercases to k)
_NEEDS = [
    (False, ("PRIVATE KEY",), None),
    (False, ("AKIA", "ASIA", "ABIA", "ACCA"), None),
    (False, ("gh", "github_pat_"), re.compile("gh[pousr]_|github_pat_")),
    (False, ("xox", "hooks.slack.com/services/"), None),
    (False, ("A" * 15,), None),
    (False, ("://",), re.compile(r"://[^\s/:@'\"]+:[^\s/@'\"]+@")),
    (True, ("passw", "secret", "key", "token"), re.compile(r"(?:password|passwd|secret|key|token)[\"']?[ \t]*:")),
    (True, ("passw", "pwd", "secret", "key", "token"), re.compile("(?:password|passwd|pwd|secret|key|token)=")),
]
# Values that name where a secret comes from rather than being one.
_PLACEHOLDER = re.compile(r"^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^>]*>|\*+|[xX]+|\.+|[A-Z][A-Z0-9_]+"
                          r"|(?i:changeme|redacted|none|null|true|false|env:.*))$")

RULES = [Rule(rule, "error", f"No file accord reads holds {what}; credentials come only from the "
              f"environment variables named by an account's credentials_env.",
              "Nothing to configure: remove the value and rotate it; a false alarm in a post can be "
              "silenced there with a reason.")
         for rule, what in dict((rule, what) for rule, what, _ in _KINDS).items()]


def check(org: Org, ctx) -> list[Finding]:
    out: list[Finding] = []
    for rel in org.files:
        if not ctx.wants(rel):
            continue
        doc = org.docs.get(rel)
        if doc is not None:
            text = doc.text
        else:
            try:
                text = (org.root / rel).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
        out.extend(scan(rel, text))
    return out


def scan(rel: str, text: str) -> list[Finding]:
    """Findings for every credential-like value in `text`; each kind only where it can be."""
    low = None if _FOLDS_TO_ASCII.search(text) else text.lower()
    found = []
    for (rule, what, _), pattern, (lowered, literals, needed) in zip(_KINDS, _CASED, _NEEDS, strict=True):
        where = low if lowered else text
        if where is not None and (not any(literal in where for literal in literals)
                                  or (needed and not needed.search(where))):
            continue
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
