"""The preview on the pull request: one comment, made once, then edited in place."""
from __future__ import annotations

from imitation_github import OWNER, REPO, ImitationGitHub

from .conftest import NOW, commit, post


def comment(org, gh, path, *, summary=None):
    env = {"GITHUB_TOKEN": gh.token, "GITHUB_API_URL": gh.base, "GITHUB_REPOSITORY": f"{OWNER}/{REPO}"}
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return org.run("comment", "--pr", "7", str(path), env=env)


def test_the_preview_is_one_comment_made_once_then_edited(review_org, tmp_path):
    review_org.write("content/brand/launch/new.yaml", post("A new post. #TestLaunch", "brand-x", "2026-12-12T10:00:00+00:00"))
    commit(review_org, "a new post")
    md = tmp_path / "preview.md"
    assert review_org.run("preview", "--base", "main", "--now", NOW, "-o", str(md)).exit_code == 0
    with ImitationGitHub() as gh:
        gh.comments[7] = [{"id": 1, "body": "Looks good to me", "user": {"login": "bob"}}]
        first = comment(review_org, gh, md)
        assert first.exit_code == 0, first.output
        assert "created the comment on #7" in first.output
        again = comment(review_org, gh, md)
        assert "unchanged the comment on #7" in again.output
        # A push changes the preview: the same comment is edited, none is added.
        review_org.write("content/brand/launch/new.yaml", post("A newer post. #TestLaunch", "brand-x",
                                                               "2026-12-12T11:00:00+00:00"))
        commit(review_org, "newer")
        review_org.run("preview", "--base", "main", "--now", NOW, "-o", str(md))
        assert "updated the comment on #7" in comment(review_org, gh, md).output
        ours = [c for c in gh.comments[7] if c["body"].startswith("<!-- accord:preview -->")]
        assert len(ours) == 1 and len(gh.comments[7]) == 2
        assert "A newer post." in ours[0]["body"] and "~~2026-12-12 10:00 GMT~~" not in ours[0]["body"]
        assert len(gh.requested("POST", "/repos/testorg/content/issues/7/comments")) == 1
        assert len(gh.requested("PATCH", "/repos/testorg/content/issues/comments/")) == 1


def test_more_than_a_page_of_comments_is_searched_for_ours(review_org, tmp_path):
    md = tmp_path / "preview.md"
    md.write_text("<!-- accord:preview -->\n## accord preview\n")
    with ImitationGitHub() as gh:
        gh.comments[7] = [{"id": i, "body": f"comment {i}", "user": {"login": "bob"}} for i in range(1, 151)]
        gh.comments[7].append({"id": 500, "body": "<!-- accord:preview -->\nold", "user": {"login": "github-actions[bot]"}})
        assert "updated the comment on #7" in comment(review_org, gh, md).output
        assert gh.comments[7][-1]["body"] == md.read_text()
        assert len(gh.comments[7]) == 151


def test_a_read_only_token_puts_the_preview_in_the_step_summary(review_org, tmp_path):
    md = tmp_path / "preview.md"
    md.write_text("<!-- accord:preview -->\n## accord preview\n")
    summary = tmp_path / "summary.md"
    with ImitationGitHub(may_write=False) as gh:
        result = comment(review_org, gh, md, summary=summary)
        assert result.exit_code == 0
        assert "the token may not comment on #7" in result.output
        assert gh.comments.get(7) == []
    assert summary.read_text() == md.read_text()


def test_a_file_accord_did_not_write_is_refused(review_org, tmp_path):
    md = tmp_path / "other.md"
    md.write_text("# not ours\n")
    with ImitationGitHub() as gh:
        result = comment(review_org, gh, md)
        assert result.exit_code == 2 and "not accord's hidden marker" in result.output
        assert gh.requests == []
