"""`accord preview --base REV` on a real git history: what a reviewer sees of a change."""
from __future__ import annotations

import json

from .conftest import NOW, commit, post
from .test_approvals import propose


def preview(org, *args) -> dict:
    result = org.run("preview", "--base", "main", "--now", NOW, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_each_changed_post_is_shown_per_target_with_what_changed(review_org):
    propose(review_org)
    got = preview(review_org)
    posts = {p["id"]: p for p in got["posts"]}
    assert {i: p["change"] for i, p in posts.items()} == {
        "brand/launch/keynote": "edited", "brand/launch/old": "removed", "brand/launch/recap": "rescheduled",
        "marketing/spring/launch-day": "added", "marketing/spring/webinar": "cancelled"}
    recap = posts["brand/launch/recap"]["targets"][0]
    assert (recap["account"], recap["before"], recap["when"]) == ("brand-x", "2026-12-11 15:00 GMT", "2026-12-11 16:30 GMT")
    assert posts["brand/launch/keynote"]["text_before"] == "The keynote starts at ten. #TestLaunch"
    assert posts["brand/launch/old"]["targets"][0]["status"] == "removed"
    assert posts["marketing/spring/webinar"]["targets"][0]["status"] == "cancelled"
    # One post to two accounts is two targets, each in its account's zone and with its length.
    launch = {t["account"]: t for t in posts["marketing/spring/launch-day"]["targets"]}
    assert launch["brand-x"]["when"] == "2026-12-10 13:00 GMT"
    assert launch["marketing-outbox"]["when"] == "2026-12-10 08:00 EST"
    part = launch["brand-x"]["parts"][0]
    assert (part["length"], part["limit"], part["over"]) == (len("Launch day: the release is out. #TestLaunch"), 280, 0)
    assert [(o["path"], o["change"]) for o in got["other_files"]] == [("policies/voice.yaml", "added")]


def test_the_day_around_a_post_and_its_collisions_are_shown(review_org):
    propose(review_org)
    got = preview(review_org)
    launch = next(p for p in got["posts"] if p["id"] == "marketing/spring/launch-day")
    brand_x = next(t for t in launch["targets"] if t["account"] == "brand-x")
    assert [(s["when"], s["post"], s["team"]) for s in brand_x["that_day"]] == [
        ("10:00 GMT", "brand/launch/keynote", "brand")]
    # brand-x keeps posts two hours apart: 13:00 is three hours after the keynote, no collision;
    # moving it to 11:00 is one.
    assert not [f for f in launch["findings"] if f["rule"] == "schedule.collision"]
    review_org.write("content/marketing/spring/launch-day.yaml", post(
        "Launch day: the release is out. #TestLaunch", "brand-x", "2026-12-10T11:00:00+00:00", "tags: [announcement]\n"))
    launch = next(p for p in preview(review_org)["posts"] if p["id"] == "marketing/spring/launch-day")
    collision = [f for f in launch["findings"] if f["rule"] == "schedule.collision"]
    assert collision and "content/brand/launch/keynote.yaml" in collision[0]["message"]


def test_the_markdown_fits_a_comment_with_final_links_and_approvals(review_org):
    review_org.write("content/brand/launch/link.yaml", post(
        "Read the notes <script>alert(1)</script> ```here``` #TestLaunch", "brand-x", "2026-12-12T10:00:00+00:00",
        "link: https://example.com/notes\n"))
    commit(review_org, "a post with a link")
    md = review_org.run("preview", "--base", "main", "--now", NOW).output
    assert md.startswith("<!-- accord:preview -->\n## accord preview: 1 post changed since main (")
    assert "### ➕ added: `brand/launch/link`" in md
    assert "https://example.com/notes?utm_source=x&utm_medium=social&utm_campaign=launch" in md
    # People's text is shown verbatim in a fence longer than any of its backtick runs.
    assert "````text\nRead the notes <script>alert(1)</script> ```here``` #TestLaunch" in md
    assert "### Approvals" in md and "1 approval from team brand (@testorg/brand)" in md


def test_a_preview_over_a_mib_is_cut_with_a_note(review_org):
    for i in range(60):  # 60 posts of 10,000 characters to two accounts: over 1 MiB shown
        review_org.write(f"content/brand/launch/long-{i:03d}.yaml", post(
            " ".join(f"w{i}n{j}" for j in range(1400)),  # unlike each other: no duplicates to compare
            "brand-x, brand-outbox", f"2026-12-{10 + i % 15:02d}T{8 + i // 15:02d}:00:00+00:00"))
    commit(review_org, "many long posts")
    out = review_org.root / "summary.md"
    result = review_org.run("preview", "--base", "main", "--now", NOW, "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text()
    assert len(text.encode()) < 1024 * 1024
    assert text.rstrip().endswith("over GitHub's 1 MiB limit._")
    assert "added: `brand/launch/long-000`" in text and "added: `brand/launch/long-059`" not in text


def test_a_post_that_does_not_load_is_listed_with_its_findings(review_org):
    review_org.write("content/brand/launch/broken.yaml", "text: [unclosed\n")
    review_org.write("content/brand/launch/no-accounts.yaml", "text: Hello\npublish_at: 2026-12-12T10:00:00+00:00\n")
    got = {p["id"]: p for p in preview(review_org)["posts"]}
    assert got["brand/launch/broken"]["targets"] == []
    assert [f["rule"] for f in got["brand/launch/broken"]["findings"]] == ["yaml.syntax"]
    assert "schema.required" in [f["rule"] for f in got["brand/launch/no-accounts"]["findings"]]
    md = review_org.run("preview", "--base", "main", "--now", NOW).output
    assert "- error[yaml.syntax] line 2: YAML syntax error" in md
