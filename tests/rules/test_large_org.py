"""A large org: some families run in a second process (rules.swept()) and report as they do in one."""
from __future__ import annotations

import json
import os
import shutil
import time
from datetime import datetime, timedelta, timezone

from accord import rules

from .conftest import text_for
from .test_voice import VOICE

GHP = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
TEXT = "Kestrel 3.0 resumes a failed pipeline from the step that failed, with a warm cache. Try it today."
NEAR = "Kestrel 3.0 resumes a failed pipeline from the step that failed, with a warm cache. Try it now!"
A = "content/brand/launch/a.yaml"
B = "content/brand/launch/b.yaml"
S = "content/brand/launch/secret.yaml"
M = "content/brand/launch/merge.yaml"
THEIRS = "content/marketing/summit/m.yaml"  # another team's post
MINE = ("duplicates.", "secrets.")  # (the filler posts break the daily cap: not asserted)


def many_posts(org, n: int) -> None:
    start = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
    for i in range(n):
        rel = f"content/brand/launch/p{i:04d}.yaml"
        when = (start + timedelta(hours=2 * i)).isoformat()
        org.write(rel, f"text: Post {i}. {text_for(rel)} #TestLaunch\naccounts: [brand-outbox]\npublish_at: {when}\n")


def test_findings_of_the_families_apart_come_back(org):
    assert "duplicates" in rules.swept()
    many_posts(org, 600)
    org.write(A, f"text: {TEXT}\naccounts: [brand-outbox]\npublish_at: 2026-12-09T10:00:00+00:00\n")
    org.write(B, f"text: {NEAR}\naccounts: [brand-outbox]\npublish_at: 2026-12-10T10:00:00+00:00\n")
    org.write(S, f"text: Deploy with {GHP} #TestLaunch\naccounts: [brand-outbox]\n"
                 "publish_at: 2026-12-11T10:00:00+00:00\n")
    code, found = org.check()
    assert code == 1
    assert sorted((f["file"], f["rule"], f["line"]) for f in found if f["rule"].startswith(MINE)) == [
        (B, "duplicates.same-account", 1), (S, "secrets.github-token", 1)]


def test_a_large_org_with_findings_everywhere_matches_the_same_run_narrowed(org):
    """A narrowed run stays in one process: naming every post must find what the full run finds."""
    many_posts(org, 600)
    org.write(A, f"text: {TEXT}\naccounts: [brand-outbox]\npublish_at: 2026-12-01T10:00:00+00:00\n")
    org.write(M, f"text: {NEAR}\naccounts: [brand-outbox]\non_merge: true\n")
    org.write(S, "text: 'Try https://api.example.com/v1?api_key=abcd1234efgh5678'\naccounts: [brand-outbox]\n"
                 "publish_at: 2026-12-11T10:00:00+00:00\n")
    full = org.check()
    posts = sorted(str(p.relative_to(org.root)) for p in (org.root / "content/brand/launch").glob("*.yaml")
                   if p.name != "campaign.yaml")
    assert full == org.check(*posts)
    assert {f["rule"] for f in full[1]} >= {"duplicates.same-account", "secrets.assignment"}


def test_a_re_check_after_an_edit_finds_new_findings_and_keeps_the_rest(org):
    """The families apart run on the changed files against what the last check kept."""
    many_posts(org, 600)
    org.write(S, f"text: Deploy with {GHP} #TestLaunch\naccounts: [brand-outbox]\n"
                 "publish_at: 2026-12-11T10:00:00+00:00\n")
    time.sleep(2.1)  # the results of a check that read a file changed in the last two seconds are not kept
    first = org.check()
    org.write(A, f"text: {TEXT}\naccounts: [brand-outbox]\npublish_at: 2026-12-09T10:00:00+00:00\n")
    org.write(B, f"text: {NEAR} password=hunter22\naccounts: [brand-outbox]\npublish_at: 2026-12-10T10:00:00+00:00\n")
    code, found = org.check()
    assert sorted((f["file"], f["rule"]) for f in found if f["rule"].startswith(MINE)) == [
        (B, "duplicates.same-account"), (B, "secrets.assignment"), (S, "secrets.github-token")]
    assert [f for f in first[1] if f["file"] == S] == [f for f in found if f["file"] == S]


def test_the_child_that_parsed_sweeps_and_no_second_fork_is_made(org, monkeypatch):
    """Cold: the child that parsed half the files is sent the duplicates sweep, and the process
    holding the whole model is never forked (that would cost both copies a page fault for every
    page either one then writes)."""
    from accord.check import forked

    many_posts(org, 600)
    org.write(A, f"text: {TEXT}\naccounts: [brand-outbox]\npublish_at: 2026-12-09T10:00:00+00:00\n")
    org.write(B, f"text: {NEAR}\naccounts: [brand-outbox]\npublish_at: 2026-12-10T10:00:00+00:00\n")
    made, init = [], forked.Forked.__init__

    def counted(self, work, serve=False):
        made.append(serve)
        init(self, work, serve)

    monkeypatch.setattr(forked.Forked, "__init__", counted)
    code, found = org.check()
    assert made == [True]  # one child: the parser, kept to serve
    assert [(f["file"], f["rule"]) for f in found if f["rule"].startswith("duplicates.")] == [
        (B, "duplicates.same-account")]


def test_a_sweep_that_fails_in_the_child_is_done_here(org, monkeypatch):
    from accord.rules import duplicates

    many_posts(org, 600)
    org.write(A, f"text: {TEXT}\naccounts: [brand-outbox]\npublish_at: 2026-12-09T10:00:00+00:00\n")
    org.write(B, f"text: {NEAR}\naccounts: [brand-outbox]\npublish_at: 2026-12-10T10:00:00+00:00\n")
    reference = org.check("--no-cache")
    parent, sweep = os.getpid(), duplicates.sweep

    def broken(*args):
        if os.getpid() != parent:
            raise MemoryError("the child runs out of memory")
        return sweep(*args)

    monkeypatch.setattr(duplicates, "sweep", broken)
    assert org.check("--no-cache") == reference
    assert (B, "duplicates.same-account") in [(f["file"], f["rule"]) for f in reference[1]]


def test_a_narrowed_run_after_a_cold_check_finds_the_post_it_repeats(shared):
    """`accord check FILE` picks the posts to compare by what the cold check cached of each: here
    by the sketch of its text alone (another team, another account)."""
    many_posts(shared, 600)
    shared.write("content/brand/accounts/brand-li.yaml", "platform: linkedin\nhandle: t\ncontributors: [marketing]\n")
    shared.write(A, f"text: {TEXT}\naccounts: [brand-outbox]\npublish_at: 2026-12-09T10:00:00+00:00\n")
    time.sleep(2.1)  # the parse cache keeps files older than two seconds
    shared.check()
    shared.write(THEIRS, f"text: {NEAR}\naccounts: [brand-li]\npublish_at: 2026-12-10T10:00:00+00:00\n")
    code, found = shared.check(THEIRS)
    assert [(f["file"], f["rule"]) for f in found if f["rule"].startswith("duplicates.")] == [
        (THEIRS, "duplicates.cross-team")]
    assert "brand/launch/a" in next(f["message"] for f in found if f["rule"] == "duplicates.cross-team")


def test_the_posts_checked_in_the_child_that_parsed_them_report_as_in_one_process(org, monkeypatch):
    """Cold, the child that parsed every other file checks voice on its own posts while this
    process builds the whole model: the report is the one process's, and so is what the results
    cache keeps of it for the next run."""
    from accord.check import forked

    many_posts(org, 600)
    org.write("policies/voice.yaml", VOICE)
    for i in range(0, 600, 37):  # posts of both halves
        org.write(f"content/brand/launch/v{i:04d}.yaml", f"text: Deploy from Github, it is FAST. #TestLaunch\n"
                  f"accounts: [brand-outbox]\npublish_at: 2026-12-{1 + i % 28:02}T09:00:00+00:00\n")
    org.write(S, f"text: Deploy with {GHP} #TestLaunch\naccounts: [brand-outbox]\n"
                 "publish_at: 2026-12-11T10:00:00+00:00\n")
    time.sleep(2.1)  # the caches keep what they learn of files older than two seconds
    two = org.run("check", "--format", "json", "--now", "2026-11-23T12:00:00+00:00")
    rules_found = {f["rule"] for f in json.loads(two.output)["findings"]}
    assert {"voice.product-names", "voice.shouting", "secrets.github-token"} <= rules_found
    (org.root / ".accord-cache/parsed-v1.marshal").unlink()  # the next run: results cache, no parse cache
    org.write("content/brand/launch/v0000.yaml", "text: Deploy from Github, it is FAST. #TestLaunch\n"
              "accounts: [brand-outbox]\npublish_at: 2026-12-01T09:00:00+00:00\n")  # rewritten: checked again
    assert org.run("check", "--format", "json", "--now", "2026-11-23T12:00:00+00:00").output == two.output
    monkeypatch.setattr(forked, "FROM", 10**9)  # one process
    one = org.run("check", "--no-cache", "--format", "json", "--now", "2026-11-23T12:00:00+00:00")
    assert one.output == two.output


def test_a_child_that_fails_to_check_its_posts_leaves_them_to_this_process(org, monkeypatch):
    from accord import rules

    many_posts(org, 600)
    org.write("policies/voice.yaml", VOICE)
    for i in range(0, 600, 37):
        org.write(f"content/brand/launch/v{i:04d}.yaml", f"text: Deploy from Github #TestLaunch\n"
                  f"accounts: [brand-outbox]\npublish_at: 2026-12-{1 + i % 28:02}T09:00:00+00:00\n")
    reference = org.check("--no-cache")
    parent = os.getpid()

    def broken(*args):
        raise MemoryError("the child runs out of memory")

    assert os.getpid() == parent
    monkeypatch.setattr(rules, "on_parsed_posts", broken)  # only the child calls it
    assert org.check("--no-cache") == reference
    assert len([f for f in reference[1] if f["rule"] == "voice.product-names"]) == len(range(0, 600, 37))


def test_a_post_in_two_files_is_reported_as_in_one_process(org, monkeypatch):
    """x.yaml beside x.yml: the whole model builds one and reports the other as not read. The
    child may hold the other one among its posts: what it finds there is not reported, and the
    parse cache keeps each file's own facts."""
    from accord import model
    from accord.check import cache, forked

    many_posts(org, 600)
    org.write("policies/voice.yaml", VOICE)
    for name in ("t1", "t1x", "t2"):  # t1x shifts t2's pair to the other half
        org.write(f"content/brand/launch/{name}.yaml", f"text: Deploy it, {name}. #TestLaunch\n"
                  "accounts: [brand-outbox]\npublish_at: 2026-12-02T09:00:00+00:00\n")
    for name in ("t1", "t2"):
        org.write(f"content/brand/launch/{name}.yml", f"text: Deploy from Github, {name}. #TestLaunch\n"
                  "accounts: [brand-outbox]\npublish_at: 2026-12-03T09:00:00+00:00\n")
    time.sleep(2.1)  # the parse cache keeps files older than two seconds
    args = ("check", "--format", "json", "--now", "2026-11-23T12:00:00+00:00")
    two = org.run(*args)
    facts = {rel: entry[2] for rel, entry in cache.ParseCache(org.root, model.read_all).old.items()}
    monkeypatch.setattr(forked, "FROM", 10**9)  # one process
    shutil.rmtree(org.root / ".accord-cache")
    assert org.run(*args).output == two.output
    assert {rel: entry[2] for rel, entry in cache.ParseCache(org.root, model.read_all).old.items()} == facts
    found = json.loads(two.output)["findings"]
    assert sorted(f["file"] for f in found if f["rule"] == "file.twice") == [
        "content/brand/launch/t1.yml", "content/brand/launch/t2.yml"]
    assert not [f for f in found if f["rule"] == "voice.product-names"]
