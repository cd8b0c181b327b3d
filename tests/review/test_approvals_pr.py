"""`accord approvals --pr N` against an imitation GitHub: reviews, teams, pushes and pages."""
from __future__ import annotations

import json

import pytest

from imitation_github import OWNER, REPO, ImitationGitHub
from .conftest import commit, git, post

LAUNCH = "content/marketing/spring/launch-day.yaml"
WEBINAR = "content/marketing/spring/webinar.yaml"


@pytest.fixture
def github():
    with ImitationGitHub(token="secret-token-123") as gh:
        gh.member("testorg/brand", "bob")
        gh.member("testorg/comms", "erin")
        gh.member("testorg/marketing", "dave")
        gh.member("testorg/brand", "pending-pat", state="pending")
        yield gh


@pytest.fixture
def pr(review_org, github):
    """Carol (marketing) proposes a launch-day announcement on brand's X account, then edits her
    webinar post in a second commit."""
    base = git(review_org, "rev-parse", "main").strip()
    review_org.write(LAUNCH, post("Launch day: the release is out. #TestLaunch", "brand-x",
                                  "2026-12-10T13:00:00+00:00", "tags: [announcement]\n"))
    first = commit(review_org, "launch day")
    review_org.write(WEBINAR, post("Join our webinar on Tuesday.", "marketing-outbox", "2026-12-15T14:00:00+00:00"))
    second = commit(review_org, "webinar wording")
    github.pull(7, author="carol", head=second, base=base,
                commits=[(first, "carol", [LAUNCH]), (second, "carol", [WEBINAR])])
    return {"base": base, "first": first, "second": second}


def judge(org, github, *args):
    env = {"GITHUB_TOKEN": github.token, "GITHUB_API_URL": github.base, "GITHUB_REPOSITORY": f"{OWNER}/{REPO}"}
    result = org.run("approvals", "--pr", "7", *args, env=env)
    return result


def verdicts(result) -> dict:
    return {r["rule"]: r for r in json.loads(result.output)["requirements"]}


def test_met_when_the_right_teams_approved_the_head_and_a_status_says_so(review_org, github, pr):
    github.review(7, "bob", "APPROVED", pr["second"])
    github.review(7, "erin", "APPROVED", pr["second"])
    result = judge(review_org, github, "--format", "json")
    assert result.exit_code == 0, result.output
    got = verdicts(result)
    assert {r: (v["met"], v["approved_by"]) for r, v in got.items()} == {
        "brand accounts need brand": (True, ["bob"]), "announcements need comms": (True, ["erin"]),
        "another team's account needs its owner": (True, ["bob"])}
    assert [(s["sha"], s["state"], s["context"]) for s in github.statuses] == [(pr["second"], "success", "accord/approvals")]
    text = judge(review_org, github).output
    assert "1 approval from team comms (@testorg/comms) [announcements need comms] for " \
           f"{LAUNCH}: met by @erin" in text
    assert "All approvals are met." in text


def test_missing_approvals_fail_and_say_whose_review_did_not_count(review_org, github, pr):
    github.review(7, "dave", "APPROVED", pr["second"])  # in marketing, not brand
    github.review(7, "pending-pat", "APPROVED", pr["second"])  # invited to brand, not yet a member
    github.review(7, "erin", "APPROVED", pr["second"])
    result = judge(review_org, github, "--format", "json")
    assert result.exit_code == 1
    brand = verdicts(result)["brand accounts need brand"]
    assert brand["met"] is False and brand["approved_by"] == []
    assert {u["login"]: u["reason"] for u in brand["not_counted"]} == {
        "dave": "not in team brand (@testorg/brand)", "erin": "not in team brand (@testorg/brand)",
        "pending-pat": "not in team brand (@testorg/brand)"}
    assert github.statuses[-1]["state"] == "failure"
    assert github.statuses[-1]["description"].startswith("needs 1 approval from team brand (@testorg/brand)")
    assert "Not all approvals are met yet." in judge(review_org, github).output


def test_a_review_before_the_last_push_to_its_files_does_not_count(review_org, github, pr):
    # Erin approved the first commit; the second touched only the webinar, which comms does not
    # cover: her approval of the launch-day post stands.
    github.review(7, "bob", "APPROVED", pr["second"])
    github.review(7, "erin", "APPROVED", pr["first"])
    assert judge(review_org, github).exit_code == 0
    # A third commit edits the launch-day post: her approval was given before it.
    review_org.write(LAUNCH, post("Launch day: it is out. #TestLaunch", "brand-x", "2026-12-10T13:00:00+00:00",
                                  "tags: [announcement]\n"))
    third = commit(review_org, "shorter")
    github.pull(7, author="carol", head=third, base=pr["base"],
                commits=[(pr["first"], "carol", [LAUNCH]), (pr["second"], "carol", [WEBINAR]), (third, "carol", [LAUNCH])])
    github.review(7, "bob", "APPROVED", third)
    result = judge(review_org, github, "--format", "json")
    assert result.exit_code == 1
    comms = verdicts(result)["announcements need comms"]
    assert comms["not_counted"] == [
        {"login": "bob", "reason": "not in team comms (@testorg/comms)"},
        {"login": "erin", "reason": f"approved {pr['first'][:7]}, before the last push to these files ({third[:7]})"}]


def test_dismissed_reviews_changes_requested_and_the_authors_own_do_not_count(review_org, github, pr):
    github.pull(7, author="carol", head=pr["second"], base=pr["base"],  # bob wrote the launch-day commit
                commits=[(pr["first"], "bob", [LAUNCH]), (pr["second"], "carol", [WEBINAR])])
    github.review(7, "bob", "APPROVED", pr["second"])
    github.review(7, "erin", "APPROVED", pr["second"])
    github.review(7, "erin", "DISMISSED", pr["second"])
    result = judge(review_org, github, "--format", "json")
    assert result.exit_code == 1
    got = verdicts(result)
    assert got["brand accounts need brand"]["not_counted"] == [
        {"login": "bob", "reason": "wrote the change: an author never approves their own post"}]
    assert {"login": "erin", "reason": "the review was dismissed"} in got["announcements need comms"]["not_counted"]
    # The latest review stands: changes asked for after an approval undo it; a comment does not.
    github.pull(7, author="carol", head=pr["second"], base=pr["base"],
                commits=[(pr["first"], "carol", [LAUNCH]), (pr["second"], "carol", [WEBINAR])])
    github.review(7, "erin", "APPROVED", pr["second"])
    github.review(7, "erin", "COMMENTED", pr["second"])
    github.review(7, "bob", "CHANGES_REQUESTED", pr["second"])
    got = verdicts(judge(review_org, github, "--format", "json"))
    assert got["announcements need comms"]["met"] is True
    assert {"login": "bob", "reason": "asked for changes"} in got["brand accounts need brand"]["not_counted"]


def test_every_page_of_reviews_and_files_is_read(review_org, github, pr):
    names = [f"content/marketing/spring/extra-{i:03d}.yaml" for i in range(101)]
    for i, name in enumerate(names):
        review_org.write(name, post(f"Extra post number {i}.", "marketing-outbox", f"2026-12-{16 + i % 10}T{8 + i // 10:02d}:00:00+00:00"))
    extra = commit(review_org, "many posts")
    github.pull(7, author="carol", head=extra, base=pr["base"],
                commits=[(pr["first"], "carol", [LAUNCH]), (pr["second"], "carol", [WEBINAR]), (extra, "carol", names)])
    for i in range(120):
        github.review(7, f"reader-{i}", "COMMENTED", extra)
    github.review(7, "bob", "APPROVED", extra)
    github.review(7, "erin", "APPROVED", extra)
    result = judge(review_org, github)
    assert result.exit_code == 0, result.output
    assert len(github.requested("GET", "/repos/testorg/content/pulls/7/reviews")) == 2
    assert len(github.requested("GET", "/repos/testorg/content/pulls/7/files")) == 2


def test_a_secondary_rate_limit_is_waited_out(review_org, github, pr):
    github.review(7, "bob", "APPROVED", pr["second"])
    github.review(7, "erin", "APPROVED", pr["second"])
    github.limit("GET", "/repos/testorg/content/pulls/7/reviews", retry_after=1)
    result = judge(review_org, github)
    assert result.exit_code == 0, result.output
    assert len(github.requested("GET", "/repos/testorg/content/pulls/7/reviews")) == 2
    # A limit that would hold the job for long is a sentence, not a wait.
    github.limit("GET", "/repos/testorg/content/pulls/7", retry_after=3600)
    result = judge(review_org, github)
    assert result.exit_code == 2
    assert "rate limit holds GET /repos/testorg/content/pulls/7 back for 3600 s" in result.output


def test_a_read_only_token_gets_the_verdict_without_a_status(review_org, github, pr):
    github.may_write = False
    github.review(7, "erin", "APPROVED", pr["second"])
    result = judge(review_org, github)
    assert result.exit_code == 1
    assert github.statuses == []
    assert "the accord/approvals status is not set: the token may not write statuses" in result.output


def test_errors_are_sentences_that_never_show_the_token(review_org, github, pr):
    env = {"GITHUB_TOKEN": "wrong-token", "GITHUB_API_URL": github.base, "GITHUB_REPOSITORY": f"{OWNER}/{REPO}"}
    result = review_org.run("approvals", "--pr", "7", env=env)
    assert result.exit_code == 2
    assert "pull request #7 of testorg/content: GitHub answered 401 Bad credentials" in result.output
    assert "wrong-token" not in result.output
    result = review_org.run("approvals", "--pr", "7", env={"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "testorg/content"})
    assert result.exit_code == 2 and "GITHUB_TOKEN is not set" in result.output
    # A checkout that is not the pull request's head is refused, not judged.
    git(review_org, "checkout", "-q", "main")
    result = judge(review_org, github)
    assert result.exit_code == 2 and "is not pull request #7's" in result.output
