"""duplicates: near-identical text on one account (error) or across teams (warning)."""
from __future__ import annotations

A = "content/brand/launch/a.yaml"
B = "content/brand/launch/b.yaml"
M = "content/marketing/summit/m.yaml"
TEXT = "Kestrel 3.0 resumes a failed pipeline from the step that failed, with a warm cache. Try it today."
# One word changed and a different link: still the same post.
NEAR = "Kestrel 3.0 resumes a failed pipeline from the step that failed, with a warm cache. Try it now! https://x.example/a"
OTHER = "Our Tokyo meetup is on Thursday: talks on cache regions, Arm64 runners and pizza afterwards."


def write(org, rel: str, text: str, when: str, accounts: str = "[brand-x]") -> None:
    org.write(rel, f"text: {text!r}\naccounts: {accounts}\npublish_at: {when}\n".replace("'", '"'))


def dupes(found):
    return sorted((f["file"], f["rule"], f["line"]) for f in found if f["rule"].startswith("duplicates."))


def test_same_account_within_days_is_an_error_naming_the_earlier_file(shared):
    write(shared, A, TEXT, "2026-12-09T10:00:00+00:00")
    write(shared, B, NEAR, "2026-12-16T10:00:00+00:00")
    code, found = shared.check()
    assert code == 1
    assert dupes(found) == [(B, "duplicates.same-account", 1)]
    msg = next(f["message"] for f in found if f["rule"] == "duplicates.same-account")
    assert A in msg and "brand-x" in msg and "7 day(s) apart" in msg


def test_outside_the_window_or_different_text_is_fine(shared):
    write(shared, A, TEXT, "2026-12-01T10:00:00+00:00")
    write(shared, B, NEAR, "2026-12-16T10:00:00+00:00")  # 15 days apart; the window is 14
    code, found = shared.check()
    assert dupes(found) == []
    write(shared, B, OTHER, "2026-12-02T10:00:00+00:00")
    code, found = shared.check()
    assert dupes(found) == []


def test_window_and_similarity_come_from_the_voice_policy(shared):
    shared.write("policies/voice.yaml", "duplicates: {days: 30, similarity: 0.98}\n")
    write(shared, A, TEXT, "2026-12-01T10:00:00+00:00")
    write(shared, B, TEXT.upper(), "2026-12-20T10:00:00+00:00")  # case is set aside
    code, found = shared.check()
    assert dupes(found) == [(B, "duplicates.same-account", 1)]
    write(shared, B, NEAR, "2026-12-20T10:00:00+00:00")  # 97% alike: under 0.98
    code, found = shared.check()
    assert dupes(found) == []


def test_across_teams_is_a_warning_naming_the_other_post(shared):
    shared.write("content/brand/accounts/brand-li.yaml", "platform: linkedin\nhandle: t\ncontributors: [marketing]\n")
    write(shared, A, TEXT, "2026-12-09T10:00:00+00:00")
    write(shared, M, NEAR, "2026-12-10T10:00:00+00:00", accounts="[brand-li]")
    code, found = shared.check()
    assert dupes(found) == [(M, "duplicates.cross-team", 1)]
    f = next(f for f in found if f["rule"] == "duplicates.cross-team")
    assert f["level"] == "warning" and "brand/launch/a" in f["message"]


def test_same_team_on_different_accounts_is_not_a_duplicate(shared):
    shared.write("content/brand/accounts/brand-li.yaml", "platform: linkedin\nhandle: t\n")
    write(shared, A, TEXT, "2026-12-09T10:00:00+00:00")
    write(shared, B, TEXT, "2026-12-09T11:00:00+00:00", accounts="[brand-li]")
    code, found = shared.check()
    assert dupes(found) == []


def test_cancelled_posts_do_not_count(shared):
    write(shared, A, TEXT, "2026-12-09T10:00:00+00:00")
    shared.write(B, f"text: \"{TEXT}\"\naccounts: [brand-x]\npublish_at: 2026-12-10T10:00:00+00:00\nstatus: cancelled\n")
    code, found = shared.check()
    assert dupes(found) == []


def test_a_narrowed_run_reports_the_later_file_it_names(shared):
    write(shared, A, TEXT, "2026-12-09T10:00:00+00:00")
    write(shared, B, NEAR, "2026-12-16T10:00:00+00:00")
    shared.write("content/brand/launch/c.yaml", f'text: "{OTHER}"\naccounts: [brand-x]\npublish_at: 2026-12-20T10:00:00+00:00\n')
    code, found = shared.check(str(shared.root / B))
    assert dupes(found) == [(B, "duplicates.same-account", 1)]
    code, found = shared.check(str(shared.root / "content/brand/launch/c.yaml"))
    assert dupes(found) == []


def test_short_texts_with_a_low_similarity_are_still_compared(shared):
    # Texts of a few words need fewer shared words than longer ones; they must not be filtered out.
    shared.write("policies/voice.yaml", "duplicates: {days: 14, similarity: 0.5}\n")
    write(shared, A, "Ship it", "2026-12-09T10:00:00+00:00")
    write(shared, B, "Ship it now, please", "2026-12-10T10:00:00+00:00")  # 67% alike
    code, found = shared.check()
    assert dupes(found) == [(B, "duplicates.same-account", 1)]


def test_a_near_copy_is_found_among_many_posts_sharing_most_of_its_words(shared):
    # Posts built on one stock sentence share many word groups; the copy must still meet its original.
    stock = "Join our weekly build clinic with the platform team and bring your slowest pipeline along"
    tails = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    for i, tail in enumerate(tails):
        unique = " ".join(f"{tail}{k}" for k in range(8))
        write(shared, f"content/brand/launch/p{i}.yaml", f"{stock} {unique}", f"2026-12-0{1 + i % 9}T1{i % 10}:00:00+00:00")
    copy = f"{stock} " + " ".join(f"delta{k}" for k in range(7)) + " today"
    write(shared, "content/brand/launch/copy.yaml", copy, "2026-12-10T10:00:00+00:00")
    code, found = shared.check()
    assert dupes(found) == [("content/brand/launch/copy.yaml", "duplicates.same-account", 1)]
    assert "content/brand/launch/p3.yaml" in next(f["message"] for f in found if f["rule"].startswith("duplicates."))
