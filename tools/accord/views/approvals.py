"""What a change needs approved (and, with a pull request's reviews, what is met): data from the
approvals engine, then text for a terminal or markdown for a step summary or a comment."""
from __future__ import annotations

from ..approvals import Needs, PullRequest, Requirement, Verdict
from ..change import short
from ..model import Org


def data(org: Org, need: Needs, verdicts: list[Verdict] | None = None, pr: PullRequest | None = None) -> dict:
    change = need.change

    def who(q: Requirement) -> dict:
        return {"count": q.count,
                "teams": [{"id": t, "github_team": _github_team(org, need, t)} for t in q.approvers.teams],
                "users": list(q.approvers.users)}

    files = [{"path": f.path, "kind": f.kind, "id": f.id, "change": f.how,
              "rules": [{"rule": m.rule.name, "why": list(m.why), "required": m.rule.required}
                        for m in need.matches.get(f.path, [])]}
             for f in change.files]
    requirements = []
    for i, q in enumerate(need.requirements):
        row = {"rule": q.rule.name, "description": q.rule.description, "files": q.paths,
               "invalidate_on_push": q.rule.invalidate_on_push, "requires": who(q)}
        if verdicts is not None:  # judged in the same order
            verdict = verdicts[i]
            row.update(met=verdict.met, approved_by=verdict.approved_by,
                       not_counted=[{"login": u.login, "reason": u.reason} for u in verdict.uncounted])
        requirements.append(row)
    out = {"base": change.base, "since": change.since, "rules_from": need.source, "files": files,
           "requirements": requirements}
    if pr is not None:
        out["pull_request"] = {"number": pr.number, "author": pr.author, "head": pr.head}
        out["met"] = all(r["met"] for r in requirements)
    return out


def _github_team(org: Org, need: Needs, team: str) -> str | None:
    found = org.teams.get(team) or need.change.before.teams.get(team)
    return found.github_team if found else None


def asks(row: dict) -> str:
    """'1 approval from team brand (@kestrel/brand) or @maya'."""
    req = row["requires"]
    names = [f"team {t['id']}" + (f" (@{t['github_team']})" if t["github_team"] else "") for t in req["teams"]]
    names += [f"@{u}" for u in req["users"]]
    return f"{req['count']} approval{'s' if req['count'] != 1 else ''} from {' or '.join(names)}"


def _state(row: dict) -> str:
    if "met" not in row:
        return ""
    if row["met"]:
        return "met by " + ", ".join(f"@{u}" for u in row["approved_by"])
    missing = row["requires"]["count"] - len(row["approved_by"])
    got = f" (so far {', '.join('@' + u for u in row['approved_by'])})" if row["approved_by"] else ""
    return f"missing {missing}{got}"


def text(view: dict) -> str:
    lines = [_heading(view)]
    for f in view["files"]:
        lines.append(f"{f['path']} ({f['kind']}, {f['change']})")
        for m in f["rules"]:
            lines.append(f"  {m['rule']}{'' if m['required'] else ' (not in policy.approval)'}: {'; '.join(m['why'])}")
        if not f["rules"]:
            lines.append("  no rule covers it")
    lines.append("")
    if not view["requirements"]:
        lines.append("Needs no approval under policies/approvals.yaml.")
    else:
        lines.append("Needs:")
    for row in view["requirements"]:
        state = _state(row)
        lines.append(f"  {asks(row)} [{row['rule']}] for {_files(row['files'])}" + (f": {state}" if state else ""))
        for u in row.get("not_counted", []):
            lines.append(f"    @{u['login']} does not count: {u['reason']}")
    if "met" in view:
        lines.append("")
        lines.append("All approvals are met." if view["met"] else "Not all approvals are met yet.")
    return "\n".join(lines) + "\n"


def markdown(view: dict, heading: str = "##") -> str:
    lines = [f"{heading} Approvals", "", _heading(view), ""]
    if not view["requirements"]:
        lines.append("Needs no approval under `policies/approvals.yaml`.")
    else:
        lines += ["| needs | rule | for | state |", "|---|---|---|---|"]
        for row in view["requirements"]:
            state = _state(row) or "–"
            for u in row.get("not_counted", []):
                state += f"<br>@{u['login']} does not count: {_cell(u['reason'])}"
            lines.append(f"| {_cell(asks(row))} | {_cell(row['rule'])} | "
                         f"{'<br>'.join(f'`{_cell(p)}`' for p in row['files'])} | {state} |")
    covered = [f for f in view["files"] if f["rules"]]
    if covered:
        lines += ["", "<details><summary>Why each rule applies</summary>", ""]
        for f in covered:
            for m in f["rules"]:
                lines.append(f"- `{f['path']}` ({f['change']}): **{_cell(m['rule'])}**: {_cell('; '.join(m['why']))}")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _heading(view: dict) -> str:
    n = len(view["files"])
    pr = view.get("pull_request")
    what = f"Pull request #{pr['number']} by @{pr['author']} at {short(pr['head'])}: " if pr else ""
    return (f"{what}{n} file{'s' if n != 1 else ''} changed since {view['base']} ({short(view['since'])}); "
            f"rules from {view['rules_from']}.")


def _files(paths: list[str]) -> str:
    return paths[0] if len(paths) == 1 else f"{len(paths)} files"


def _cell(text: str) -> str:
    """Text as a markdown table cell shows it: no pipe ends the cell, no tag opens."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")
