"""Findings are data: rules produce them, reporters render them."""
from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("error", "warning", "notice")


@dataclass(frozen=True, order=True)
class Finding:
    file: str  # relative to the repository root
    line: int
    col: int
    level: str
    rule: str
    message: str
    hint: str | None = None

    def as_dict(self) -> dict:
        out = {"file": self.file, "line": self.line, "col": self.col, "level": self.level,
               "rule": self.rule, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        return out

    def row(self) -> tuple:
        """The fields as plain data (marshal's, for the caches and forked children); Finding(*row)
        makes it again."""
        return (self.file, self.line, self.col, self.level, self.rule, self.message, self.hint)


@dataclass(frozen=True)
class Rule:
    """What `accord explain` says of a rule id."""

    id: str
    level: str
    summary: str
    config: str = ""
    refused: bool = False  # the network refuses what this rule finds: no `allow` can silence it


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(LEVELS, 0)
        for f in self.findings:
            out[f.level] += 1
        return out

    @property
    def has_errors(self) -> bool:
        return any(f.level == "error" for f in self.findings)


def did_you_mean(word: str, choices) -> str | None:
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
