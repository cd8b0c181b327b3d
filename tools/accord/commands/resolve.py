"""`accord resolve`: a person's answer for a target whose outcome the publisher could not learn
(`unknown`): it went out (at this URL), or it did not. The one sanctioned hand change to the
ledger: committed by that person, through the publisher's git sync, and accepted by the check."""
from __future__ import annotations

import os
from datetime import datetime, timezone

import click

from .. import ledger
from ..gitsync import PushFailed, Sync, SyncError, person
from .common import fail, open_org, root_option


@click.command("resolve")
@click.argument("post_id", metavar="POST-ID")
@click.option("--account", required=True, metavar="ID", help="The target's account.")
@click.option("--posted", metavar="URL", default=None, help="It went out: its address on the network.")
@click.option("--not-posted", is_flag=True, help="It did not go out (due again once the post changes).")
@click.option("--reason", required=True, help="How you know; kept in the ledger with your name.")
@click.option("--no-push", is_flag=True, help="Commit the answer; do not push it.")
@root_option
def command(post_id, account, posted, not_posted, reason, no_push, root):
    """Record a person's answer for an unknown target: --posted URL or --not-posted.

    Exit 0: recorded (and pushed). 1: it could not be pushed. 2: usage or configuration error."""
    if bool(posted) == not_posted:
        fail("say --posted URL or --not-posted")
    if posted is not None and not posted.startswith(("https://", "http://", "file://")):
        fail(f"--posted: '{posted}' is not the post's address (https://...)")
    if not reason.strip():
        fail("--reason must say how you know")
    org = open_org(root)
    post = org.posts.get(post_id)
    if post is None:
        fail(f"no post {post_id} (content/{post_id}.yaml)")
    if account not in post.accounts:
        fail(f"--account: {post_id} is not for account '{account}' (its accounts: {', '.join(post.accounts)})")
    sync = Sync(org.root, org.settings, push=not no_push)
    try:
        sync.prepare()
        if sync.repo is None:
            raise SyncError("accord resolve commits the answer: run it in the content repository's git checkout")
        who = person(sync.repo, os.environ)
    except SyncError as exc:
        fail(str(exc))
    folder = ledger.folder(sync.base, org.settings.state_path)
    by = os.environ.get("GITHUB_ACTOR") or f"{who.name} <{who.email}>"
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    answer = f"posted {posted}" if posted else "not posted"

    def apply() -> bool:
        record = ledger.load(folder, post_id, sync.base)
        if record is None:
            raise ledger.Unresolvable(f"{post_id}@{account} has no record; only an unknown outcome is resolved")
        ledger.save(folder, ledger.resolve(record, account, url=posted, by=by, at=at, reason=reason.strip(),
                                           fingerprint=post.fingerprint()))
        return True

    try:
        sync.change(f"accord resolve {post_id}@{account}: {answer}\n\n{reason.strip()}", folder, apply, author=who)
    except (ledger.Unresolvable, ledger.LedgerError) as exc:
        fail(str(exc))
    except PushFailed as exc:
        fail(f"recorded and committed, but not pushed: {exc}", 1)
    pushed = "" if no_push or sync.unpushed else " and pushed"
    click.echo(f"{post_id}@{account}: {answer}, recorded by {by}; committed{pushed} "
               f"({ledger.file_of(folder, post_id).relative_to(sync.base).as_posix()}"
               f"{f' on branch {sync.branch}' if org.settings.state_branch else ''})")
    if sync.unpushed:
        fail(f"not pushed: {sync.unpushed}", 1)

