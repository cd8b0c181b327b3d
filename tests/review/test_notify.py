"""`accord notify --github`: one issue per target that needs a person, kept in step with the ledger."""
from __future__ import annotations

import json

from imitation_github import OWNER, REPO, ImitationGitHub

from .conftest import post


def record(org, post_id: str, account: str, **entry) -> None:
    path = org.root / f"state/ledger/{post_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    found = json.loads(path.read_text()) if path.exists() else {"post": post_id, "fingerprint": "f" * 16, "targets": {}}
    found["targets"][account] = {"attempts": 1, "parts": [], **entry}
    path.write_text(json.dumps(found))


def notify(org, gh):
    env = {"GITHUB_TOKEN": gh.token, "GITHUB_API_URL": gh.base, "GITHUB_REPOSITORY": f"{OWNER}/{REPO}"}
    return org.run("notify", "--github", env=env)


def test_one_issue_per_stuck_target_updated_in_place_and_closed_when_done(review_org):
    review_org.write("content/brand/launch/both.yaml", post("On both accounts. #TestLaunch", "brand-x, brand-outbox",
                                                             "2026-11-20T10:00:00+00:00"))
    record(review_org, "brand/launch/keynote", "brand-x", status="unknown", error="timed out after sending")
    record(review_org, "brand/launch/both", "brand-x", status="failed", error="403 duplicate content")
    record(review_org, "brand/launch/both", "brand-outbox", status="published", url="file:///outbox/1.json",
           published_at="2026-11-20T10:00:02+00:00")
    record(review_org, "marketing/spring/webinar", "marketing-outbox", status="missed", error="7 h late")
    with ImitationGitHub() as gh:
        first = notify(review_org, gh)
        assert first.exit_code == 0, first.output
        assert "3 opened" in first.output
        by_title = {i["title"]: i for i in gh.issues.values()}
        assert sorted(by_title) == ["accord: brand/launch/both on brand-x is failed",
                                    "accord: brand/launch/keynote on brand-x is unknown",
                                    "accord: marketing/spring/webinar on marketing-outbox is missed"]
        unknown = by_title["accord: brand/launch/keynote on brand-x is unknown"]
        assert [label["name"] for label in unknown["labels"]] == ["accord"]
        assert unknown["body"].startswith("<!-- accord:target brand/launch/keynote@brand-x -->\n")
        assert "@testorg/brand: accord could not tell whether the network took this post" in unknown["body"]
        assert "accord resolve brand/launch/keynote --account brand-x --posted URL" in unknown["body"]
        assert "accord resolve brand/launch/keynote --account brand-x --not-posted" in unknown["body"]
        assert "timed out after sending" in unknown["body"]
        # Marketing posted to its own account: its team is asked, not brand.
        missed = by_title["accord: marketing/spring/webinar on marketing-outbox is missed"]
        assert "@testorg/marketing:" in missed["body"] and "@testorg/brand" not in missed["body"]

        again = notify(review_org, gh)  # nothing changed: nothing opened, nothing edited
        assert "0 opened, 0 updated, 0 reopened, 0 closed" in again.output
        assert len(gh.issues) == 3 and not gh.requested("PATCH", "/repos/testorg/content/issues/")

        # A person resolved the unknown one: the ledger says published, so its issue closes.
        record(review_org, "brand/launch/keynote", "brand-x", status="published", url="https://x.com/t/1",
               published_at="2026-12-10T10:00:01+00:00")
        record(review_org, "brand/launch/both", "brand-x", status="failed", error="403 still refused")
        third = notify(review_org, gh)
        assert "0 opened, 1 updated, 0 reopened, 1 closed" in third.output
        assert gh.issues[unknown["number"]]["state"] == "closed"
        assert "now published" in gh.issues[unknown["number"]]["body"]
        assert "403 still refused" in by_title["accord: brand/launch/both on brand-x is failed"]["body"]

        # Stuck again later: the same issue reopens, no second one is made.
        record(review_org, "brand/launch/keynote", "brand-x", status="unknown", error="timed out again")
        fourth = notify(review_org, gh)
        assert "1 reopened" in fourth.output
        assert len(gh.issues) == 3 and gh.issues[unknown["number"]]["state"] == "open"


def test_more_than_a_page_of_issues_is_searched_and_a_read_only_token_is_a_sentence(review_org):
    record(review_org, "brand/launch/keynote", "brand-x", status="unknown", error="timed out")
    with ImitationGitHub() as gh:
        for n in range(1, 130):
            gh.issues[n] = {"number": n, "title": f"other {n}", "body": "", "state": "open",
                            "labels": [{"name": "accord"}], "user": {"login": "someone"}}
        gh.issues[200] = {"number": 200, "title": "old", "state": "open", "labels": [{"name": "accord"}],
                          "body": "<!-- accord:target brand/launch/keynote@brand-x -->\nold text\n", "user": {"login": "bot"}}
        result = notify(review_org, gh)
        assert "0 opened, 1 updated" in result.output
        assert "timed out" in gh.issues[200]["body"]
        gh.may_write = False
        record(review_org, "brand/launch/recap", "brand-x", status="missed", error="late")
        result = notify(review_org, gh)
        assert result.exit_code == 2
        assert "a new issue: GitHub answered 403 Resource not accessible by integration" in result.output


def test_a_post_the_check_holds_back_gets_an_issue_saying_blocked(review_org):
    long = "Twice as fast. " * 25 + "#TestLaunch"  # over X's 280: the publisher will not send it
    review_org.write("content/brand/launch/long.yaml", post(long, "brand-x", "2026-12-11T10:00:00+00:00"))
    with ImitationGitHub() as gh:
        result = notify(review_org, gh)
        assert result.exit_code == 0, result.output
        [issue] = [i for i in gh.issues.values() if "brand/launch/long" in i["title"]]
        assert issue["title"] == "accord: brand/launch/long on brand-x is blocked"
        assert "The check finds errors in this post" in issue["body"] and "platform.too-long" in issue["body"]
