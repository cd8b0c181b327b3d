"""Render a CheckResult: text, json, GitHub workflow annotations, SARIF 2.1.0.

Each reporter takes the result and `catalogue`, which returns what `accord explain` knows of every
rule; it imports every rule family, so a reporter calls it only when it names rules (SARIF)."""
from __future__ import annotations

import json
import os
from collections.abc import Callable

from .findings import CheckResult, Rule

# GitHub shows at most 10 annotations of each level per step (50 per job); the rest would be
# dropped silently, so they go to the step summary instead.
GITHUB_CAP = 10


def text(result: CheckResult, catalogue: Callable[[], dict[str, Rule]]) -> str:
    lines = []
    for f in result.findings:
        line = f"{f.file}:{f.line}:{f.col}: {f.level}[{f.rule}] {f.message}"
        if f.hint:
            line += f" ({f.hint})"
        lines.append(line)
    c = result.counts()
    if result.findings:
        lines.append(f"{c['error']} error(s), {c['warning']} warning(s), {c['notice']} notice(s) "
                     f"in {result.files_checked} file(s)")
    else:
        lines.append(f"{result.files_checked} file(s) checked, no problems")
    return "\n".join(lines)


def as_json(result: CheckResult, catalogue: Callable[[], dict[str, Rule]]) -> str:
    return json.dumps({"files_checked": result.files_checked, "counts": result.counts(),
                       "findings": [f.as_dict() for f in result.findings]}, indent=2, sort_keys=True)


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github(result: CheckResult, catalogue: Callable[[], dict[str, Rule]]) -> str:
    kinds = {"error": "error", "warning": "warning", "notice": "notice"}
    shown = dict.fromkeys(kinds, 0)
    lines = []
    for f in result.findings:
        if shown[f.level] >= GITHUB_CAP:
            continue
        shown[f.level] += 1
        msg = f.message + (f" ({f.hint})" if f.hint else "")
        lines.append(f"::{kinds[f.level]} file={_escape(f.file, True)},line={f.line},col={f.col},"
                     f"title={_escape(f.rule, True)}::{_escape(msg)}")
    hidden = len(result.findings) - sum(shown.values())
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(markdown(result, catalogue) + "\n")
    if hidden:
        lines.append(f"{hidden} more finding(s) are listed in the step summary")
    lines.append(text(result, catalogue).splitlines()[-1])
    return "\n".join(lines)


def markdown(result: CheckResult, catalogue: Callable[[], dict[str, Rule]]) -> str:
    c = result.counts()
    out = [f"### accord check: {c['error']} error(s), {c['warning']} warning(s), {c['notice']} notice(s)", ""]
    if result.findings:
        out += ["| file | line | level | rule | message |", "|---|---|---|---|---|"]
        for f in result.findings:
            msg = (f.message + (f" ({f.hint})" if f.hint else "")).replace("|", "\\|")
            out.append(f"| `{f.file}` | {f.line}:{f.col} | {f.level} | `{f.rule}` | {msg} |")
    else:
        out.append(f"{result.files_checked} file(s) checked, no problems.")
    return "\n".join(out)


def sarif(result: CheckResult, catalogue: Callable[[], dict[str, Rule]]) -> str:
    used = sorted({f.rule for f in result.findings})
    rules = catalogue() if used else {}  # imports every family: only when a finding needs its rule
    index = {rid: i for i, rid in enumerate(used)}
    level = {"error": "error", "warning": "warning", "notice": "note"}
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "accord",
                "rules": [{"id": rid, "shortDescription": {"text": rules[rid].summary if rid in rules else rid},
                           "defaultConfiguration": {"level": level[rules[rid].level] if rid in rules else "error"}}
                          for rid in used]}},
            "results": [{
                "ruleId": f.rule, "ruleIndex": index[f.rule], "level": level[f.level],
                "message": {"text": f.message + (f" ({f.hint})" if f.hint else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.line, "startColumn": f.col}}}],
            } for f in result.findings],
        }],
    }
    return json.dumps(doc, indent=2, sort_keys=True)


REPORTERS = {"text": text, "json": as_json, "github": github, "sarif": sarif}
