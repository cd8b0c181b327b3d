"""Business metrics no network reports (sign-ups, trials, applications, leads, sales): CSV exports
of web analytics or a CRM under state/business/ (accord.yaml `metrics.business`).

Columns (schemas/business.schema.json): date, metric, value, and any of campaign, platform, post,
utm_campaign, utm_source, utm_content. A row lands on a campaign named outright, else on the one
whose utm_campaign it carries; with utm_content (what accord writes: the post's path under its
campaign, see compose.content_tag) on that post, and with utm_source on the post's target there.
Reading is plain data; the `business` rule family turns the problems into findings.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .model import Org, Post, Target

REQUIRED = ("date", "metric", "value")
OPTIONAL = ("campaign", "platform", "post", "utm_campaign", "utm_source", "utm_content")
COLUMNS = REQUIRED + OPTIONAL


@dataclass(slots=True)
class Row:
    """One figure of a business CSV, as written (the tags are empty where the file has none)."""

    file: str  # relative to the repository
    line: int
    day: date
    metric: str
    value: float
    tags: dict  # column -> value, of OPTIONAL columns with a value


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    col: int
    rule: str
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class Attribution:
    """Where a row lands: its campaign id, and the post and target when the tags say so."""

    campaign: str | None
    post: str | None = None
    target: str | None = None  # the target's key


# An export of a year of daily figures per campaign, source and post is a few MiB; a larger file is
# not one (and would cost the check its memory).
BUSINESS_LIMIT = 16 << 20


def files(root: Path, folder: str) -> list[str]:
    """The CSV files under `folder` (relative paths), links among them: `read` refuses those that
    lead outside the repository. None when the folder itself leads outside (the check's walk says
    so at the folder)."""
    from .files import leads_outside

    top = root / folder
    if not top.is_dir() or leads_outside(root, folder):
        return []
    return [path.relative_to(root).as_posix() for path in sorted(top.rglob("*.csv"))]


def read(root: Path, folder: str) -> tuple[list[Row], list[Problem]]:
    """Every row that reads, and a problem at each file or line that does not: a file accord does
    not read (cache.read_bytes: a link leading out of the repository, a pipe or device, more than
    BUSINESS_LIMIT) is one problem at it, and nothing of it is read."""
    from .files import Refused, read_bytes

    rows: list[Row] = []
    problems: list[Problem] = []
    for rel in files(root, folder):
        try:
            text = read_bytes(root, rel, BUSINESS_LIMIT).decode("utf-8-sig")
        except Refused as exc:
            problems.append(Problem(rel, 1, 1, exc.rule, exc.message))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(rel, 1, 1, "business.unreadable", f"cannot be read as UTF-8 text "
                                    f"({type(exc).__name__}); export the CSV as UTF-8"))
            continue
        _parse(rel, text, rows, problems)
    return rows, problems


def _parse(rel: str, text: str, rows: list[Row], problems: list[Problem]) -> None:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(Problem(rel, 1, 1, "business.csv", f"is not CSV: {exc}"))
        return
    if header is None:
        return
    header = [h.strip().lower() for h in header]
    for i, name in enumerate(header):
        if name not in COLUMNS:
            from .findings import did_you_mean

            problems.append(Problem(rel, 1, _col(header, i), "business.column", f"unknown column '{name}'",
                                    did_you_mean(name, COLUMNS) or f"columns: {', '.join(COLUMNS)}"))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(Problem(rel, 1, 1, "business.column", f"the header has no {', '.join(missing)} column: "
                                f"every row needs {', '.join(REQUIRED)}"))
        return
    at = {name: header.index(name) for name in COLUMNS if name in header}
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(rel, reader.line_num, 1, "business.csv", f"is not CSV here: {exc}"))
            return
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        cell = {name: fields[i].strip() if i < len(fields) else "" for name, i in at.items()}
        try:
            day = date.fromisoformat(cell["date"])
            if len(cell["date"]) != 10:
                raise ValueError
        except ValueError:
            problems.append(Problem(rel, line, _col(fields, at["date"]), "business.date",
                                    f"'{cell['date']}' is not a date", "write it as YYYY-MM-DD, e.g. 2026-12-01"))
            continue
        try:
            value = float(cell["value"])
            if not math.isfinite(value) or "_" in cell["value"]:  # float() takes 1_000, nan and inf
                raise ValueError
        except ValueError:
            problems.append(Problem(rel, line, _col(fields, at["value"]), "business.value",
                                    f"'{cell['value']}' is not a number", "a plain number: 12 or 12.5, no unit or thousands separator"))
            continue
        if not cell["metric"]:
            problems.append(Problem(rel, line, _col(fields, at["metric"]), "business.metric", "the metric is empty"))
            continue
        rows.append(Row(rel, line, day, cell["metric"], value,
                        {name: cell[name] for name in OPTIONAL if cell.get(name)}))


def _col(fields: list[str], index: int) -> int:
    """The column (from 1) where field `index` starts, as the line is written unquoted."""
    return 1 + sum(len(f) + 1 for f in fields[:index])


class Attributor:
    """Maps rows to campaigns, posts and targets through the model (built once per org)."""

    def __init__(self, org: Org):
        from .compose import content_tag

        self.org = org
        self.by_utm: dict[str, list[str]] = {}
        for c in sorted(org.campaigns.values(), key=lambda c: c.id):
            self.by_utm.setdefault(c.utm_campaign, []).append(c.id)
        self.posts = {(post.campaign, content_tag(post)): post for post in org.posts.values()}
        self._seen: dict[tuple, Attribution] = {}  # rows of one export repeat their tags

    def candidates(self, row: Row) -> list[str]:
        """The campaigns the row may be about: the one it names, else those with its
        utm_campaign (more than one when campaigns share a utm_campaign), narrowed by its
        utm_content to those with such a post."""
        name = row.tags.get("campaign")
        if name:
            return [name] if name in self.org.campaigns else []
        found = self.by_utm.get(row.tags.get("utm_campaign", ""), [])
        content = row.tags.get("utm_content")
        if len(found) > 1 and content:
            found = [c for c in found if (c, content) in self.posts] or found
        return found

    def campaign_of(self, row: Row) -> str | None:
        found = self.candidates(row)
        return found[0] if len(found) == 1 else None

    def __call__(self, row: Row) -> Attribution:
        key = tuple(row.tags.items())
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = self._attribute(row)
        return found

    def _attribute(self, row: Row) -> Attribution:
        tags = row.tags
        post = self.org.posts.get(tags.get("post", ""))
        campaign = post.campaign if post is not None else self.campaign_of(row)
        if post is None and campaign is not None and tags.get("utm_content"):
            post = self.posts.get((campaign, tags["utm_content"]))
        if post is None:
            return Attribution(campaign)
        target = self._target(post, tags)
        return Attribution(post.campaign, post.id, target.key if target is not None else None)

    def _target(self, post: Post, tags: dict) -> Target | None:
        """The post's target the platform or utm_source names, when exactly one fits."""
        s = self.org.settings
        platform, source = tags.get("platform"), tags.get("utm_source")
        fits = [t for t in post.targets
                if (platform is None or t.account.platform == platform)
                and (source is None or s.utm_source.format(platform=t.account.platform, account=t.account.id) == source)]
        if platform is None and source is None:
            fits = post.targets
        return fits[0] if len(fits) == 1 else None
