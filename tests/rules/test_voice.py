"""voice: rules as data in policies/voice.yaml, findings at the word inside the text."""
from __future__ import annotations

import pytest

P = "content/brand/launch/p.yaml"

VOICE = """\
rules:
  - id: product-names
    type: substitution
    level: error
    swap: {Github: GitHub}
  - id: jargon
    type: existence
    level: warning
    message: "'{match}' is jargon"
    tokens: [synergy, best-in-class]
    patterns: ['\\bguarantee[ds]?\\b']
  - id: max-hashtags
    type: occurrence
    level: warning
    count: hashtags
    max: 2
  - id: max-exclamations
    type: occurrence
    level: notice
    count: exclamations
    max: 1
  - id: max-emoji
    type: occurrence
    level: warning
    count: emoji
    max: 1
  - id: shouting
    type: capitalization
    level: warning
    max_letters: 3
    exceptions: [EMEA]
  - id: free-trial
    type: conditional
    level: error
    if: 'free trial'
    then: 'terms apply'
  - id: campaign-hashtag
    type: required
    level: warning
    campaign_hashtag: true
    scope: {platforms: [x]}
  - id: careers-words
    type: existence
    level: error
    tokens: [rockstar]
    scope: {teams: [careers]}
"""

X_ACCOUNT = "platform: x\nhandle: '@testorg'\n"


@pytest.fixture
def voiced(org):
    org.write("policies/voice.yaml", VOICE)
    org.write("content/brand/accounts/brand-x.yaml", X_ACCOUNT)
    return org


def write_post(org, text_block: str, accounts: str = "brand-outbox", extra: str = "", rel: str = P) -> None:
    """accounts on line 1, publish_at on line 2, `text: |` on line 3, the text from line 4."""
    body = "".join(f"  {line}\n" for line in text_block.split("\n"))
    org.write(rel, f"accounts: [{accounts}]\npublish_at: 2026-12-09T10:00:00+00:00\ntext: |\n{body}{extra}")


def voice(found):
    return sorted((f["rule"], f["line"], f["col"]) for f in found if f["rule"].startswith("voice."))


def test_the_base_post_passes(voiced):
    code, found = voiced.check()
    assert voice(found) == []


def test_words_are_found_at_their_line_and_column_in_the_block(voiced):
    write_post(voiced, "We love Github.\nReal synergy here, guaranteed.")
    code, found = voiced.check()
    assert code == 1
    assert voice(found) == [("voice.jargon", 5, 8), ("voice.jargon", 5, 22), ("voice.product-names", 4, 11)]
    by_rule = {f["rule"]: f for f in found}
    assert by_rule["voice.product-names"]["message"] == "write 'GitHub', not 'Github'"
    assert by_rule["voice.product-names"]["level"] == "error"
    assert by_rule["voice.jargon"]["level"] == "warning"


def test_every_post_is_checked_not_only_the_first_with_that_shape(voiced):
    write_post(voiced, "We love Github. #TestLaunch")
    write_post(voiced, "Also Github. #TestLaunch", rel="content/brand/launch/q.yaml")
    code, found = voiced.check()
    assert sorted((f["file"], f["rule"]) for f in found if f["rule"].startswith("voice.")) == [
        (P, "voice.product-names"), ("content/brand/launch/q.yaml", "voice.product-names")]


def test_substitution_leaves_the_right_spelling_alone(voiced):
    write_post(voiced, "We love GitHub. #TestLaunch")
    code, found = voiced.check()
    assert voice(found) == []


def test_folded_scalar_and_plain_text_positions(voiced):
    voiced.write(P, "accounts: [brand-outbox]\npublish_at: 2026-12-09T10:00:00+00:00\n"
                    "text: >-\n  First line is fine,\n  second has Github in it.\n")
    code, found = voiced.check()
    assert voice(found) == [("voice.product-names", 5, 14)]
    voiced.write(P, "accounts: [brand-outbox]\npublish_at: 2026-12-09T10:00:00+00:00\n"
                    "text: \"Say it with Github\"\n")
    code, found = voiced.check()
    assert voice(found) == [("voice.product-names", 3, 20)]


def test_occurrence_limits_point_at_the_first_one_too_many(voiced):
    write_post(voiced, "#one #two #three wow! really!! \U0001F680 \U0001F468\u200d\U0001F469\u200d\U0001F467")
    code, found = voiced.check()
    assert voice(found) == [("voice.max-emoji", 4, 36), ("voice.max-exclamations", 4, 31),
                            ("voice.max-hashtags", 4, 13)]
    msgs = {f["rule"]: f["message"] for f in found}
    assert msgs["voice.max-hashtags"] == "3 hashtags in one part; at most 2"
    assert msgs["voice.max-exclamations"] == "3 exclamation marks in one part; at most 1"
    assert msgs["voice.max-emoji"] == "2 emoji in one part; at most 1"


def test_capitalization_with_exceptions(voiced):
    write_post(voiced, "HUGE news for EMEA and the USA")
    code, found = voiced.check()
    assert voice(found) == [("voice.shouting", 4, 3)]


def test_conditional_claim_needs_its_qualifier_anywhere_in_the_post(voiced):
    write_post(voiced, "Start a free trial today.")
    code, found = voiced.check()
    assert voice(found) == [("voice.free-trial", 4, 11)]
    assert "needs 'terms apply'" in next(f["message"] for f in found if f["rule"] == "voice.free-trial")
    voiced.write(P, "accounts: [brand-outbox]\npublish_at: 2026-12-09T10:00:00+00:00\n"
                    "thread:\n  - text: Start a free trial today.\n  - text: Terms apply.\n")
    code, found = voiced.check()
    assert voice(found) == []


def test_scope_by_platform_team_and_variant(voiced):
    # campaign-hashtag applies to X only; the X variant is what X gets, and it lacks the hashtag.
    write_post(voiced, "Launch day. #TestLaunch", accounts="brand-outbox, brand-x",
               extra="variants:\n  x: Launch day on X with Github\n")  # line 6
    code, found = voiced.check()
    assert voice(found) == [("voice.campaign-hashtag", 6, 6), ("voice.product-names", 6, 27)]
    # The careers-only rule does not apply to brand's posts.
    write_post(voiced, "Our rockstar engineers #TestLaunch")
    code, found = voiced.check()
    assert voice(found) == []


def test_careers_scope_applies_to_careers(voiced):
    voiced.write("content/careers/team.yaml", "name: Careers\ngithub_team: testorg/careers\nmembers: [dana]\n")
    voiced.write("content/careers/hiring/campaign.yaml",
                 "name: Hiring\nowner: dana\nwindow: {start: 2026-12-01, end: 2027-01-31}\n"
                 "utm_campaign: hiring\nobjective: {metric: applications, baseline: 1, target: 9, deadline: 2027-02-28}\n")
    voiced.write("content/brand/accounts/brand-outbox.yaml", "platform: outbox\nhandle: '@t'\ncontributors: [careers]\n")
    write_post(voiced, "Wanted: a rockstar engineer", rel="content/careers/hiring/job.yaml")
    code, found = voiced.check()
    assert [(f["file"], *v) for f in found for v in voice([f])] == [
        ("content/careers/hiring/job.yaml", "voice.careers-words", 4, 13)]


def test_allow_silences_one_rule_in_one_post(voiced):
    write_post(voiced, "Github and synergy #TestLaunch",
               extra="allow:\n  - rule: voice.product-names\n    reason: quoting the old spelling on purpose\n")
    code, found = voiced.check()
    assert voice(found) == [("voice.jargon", 4, 14)]
    assert not [f for f in found if f["rule"] == "allow.unused"]


def test_invalid_pattern_is_a_finding_in_the_policy(voiced):
    voiced.write("policies/voice.yaml", "rules:\n  - id: broken\n    type: existence\n    level: error\n"
                                        "    patterns: ['(unclosed']\n")
    code, found = voiced.check()
    assert code == 1
    assert [(f["file"], f["rule"], f["line"]) for f in found if f["rule"].startswith("voice.")] == [
        ("policies/voice.yaml", "voice.invalid-pattern", 5)]


def test_policy_schema_errors_are_reported(voiced):
    voiced.write("policies/voice.yaml", "rules:\n  - id: x\n    type: existance\n    level: error\n")
    code, found = voiced.check()
    assert code == 1
    bad = [f for f in found if f["file"] == "policies/voice.yaml"]
    assert [(f["rule"], f["line"]) for f in bad] == [("schema.enum", 3)]
    assert bad[0]["hint"] == "did you mean 'existence'?"


def test_no_voice_policy_means_no_voice_rules(org):
    write_post(org, "Github synergy!!! HUGE")
    code, found = org.check()
    assert voice(found) == []



def test_patterns_match_whatever_they_open_with(voiced):
    """Plain patterns are screened by the words they open with: an optional last letter, a
    top-level alternative and other case must still be found."""
    voiced.write("policies/voice.yaml", VOICE.replace(
        "patterns: ['\\bguarantee[ds]?\\b']",
        "patterns: ['colou?r (scheme|palette)', 'fastest|\\bno\\s?limits', '\\b10x( faster)?']"))
    write_post(voiced, "A new color palette, the FASTEST builds,\nNo limits. 10X, with Colour Scheme.")
    code, found = voiced.check()
    assert [(f["line"], f["col"], f["message"]) for f in found if f["rule"] == "voice.jargon"] == [
        (4, 9, "'color palette' is jargon"), (4, 28, "'FASTEST' is jargon"), (5, 3, "'No limits' is jargon"),
        (5, 14, "'10X' is jargon"), (5, 24, "'Colour Scheme' is jargon")]


BROKEN = """\
rules:
  - id: jargon
    type: existence
    level: error
    tokens: [synergy]
    patterns: ['(unclosed']
  - id: free-trial
    type: conditional
    level: error
    if: 'free trial'
    then: '[terms'
  - id: disclosure
    type: required
    level: error
    pattern: '#ad('
"""


def test_a_broken_rule_finds_nothing_in_full_narrowed_and_cached_runs(voiced):
    """Patterns compile when a text first needs them in a narrowed run, which reports nothing on
    voice.yaml: a rule with a broken pattern finds nothing there either, as in a full run."""
    voiced.write("policies/voice.yaml", BROKEN)
    write_post(voiced, "Synergy with a free trial.")
    broken = [("policies/voice.yaml", "voice.invalid-pattern", line, col) for line, col in ((6, 16), (11, 11), (15, 14))]
    code, found = voiced.check("--no-cache")
    assert [(f["file"], f["rule"], f["line"], f["col"]) for f in found if f["rule"].startswith("voice.")] == broken
    assert "'(unclosed' is not a valid regular expression" in found[0]["message"]
    code, found = voiced.check(P)
    assert voice(found) == []
    write_post(voiced, "More synergy with a free trial.")  # a full run that reuses the other files' findings
    code, found = voiced.check()
    assert [(f["file"], f["rule"], f["line"], f["col"]) for f in found if f["rule"].startswith("voice.")] == broken


def test_the_flags_voice_writes_are_those_of_the_regex_module():
    # voice builds patterns without importing `regex` (imported when one first compiles)
    import regex

    from accord.rules import voice

    assert (voice.IGNORECASE, voice.VERSION1) == (int(regex.IGNORECASE), int(regex.VERSION1))


def test_patterns_that_fail_oddly_or_backtrack_are_findings_not_crashes_or_hangs(voiced):
    """A flag the regex module refuses in its own way ((?V0), (?a)(?u)) is an invalid pattern like
    any other; a pattern that backtracks (every split of 40 letters between a and aa) stops after
    a quarter of a second on a text and is reported where it is written, instead of never ending."""
    import time

    voiced.write("policies/voice.yaml", """\
rules:
  - id: v0
    type: existence
    level: error
    patterns: ['(?V0)synergy']
  - id: flags
    type: conditional
    level: error
    if: '(?a)(?u)free'
    then: terms
  - id: slow
    type: existence
    level: error
    patterns: ['(a|aa)+$']
""")
    write_post(voiced, "Synergy, a free trial, and aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")
    started = time.monotonic()
    code, found = voiced.check("--no-cache")
    assert time.monotonic() - started < 20
    policy = [(f["rule"], f["line"], f["message"]) for f in found if f["file"] == "policies/voice.yaml"]
    assert [(rule, line) for rule, line, _ in policy] == [
        ("voice.invalid-pattern", 5), ("voice.invalid-pattern", 9), ("voice.invalid-pattern", 14)]
    assert "'(a|aa)+$' ran for more than 0.25 s on one text" in policy[2][2]
    assert [f for f in found if f["rule"].startswith("voice.") and f["file"] != "policies/voice.yaml"] == []
    # A count that would build a pattern of four billion letters is out of the schema's range.
    voiced.write("policies/voice.yaml", "rules:\n  - id: caps\n    type: capitalization\n    level: error\n"
                                        "    max_letters: 4294967295\n")
    code, found = voiced.check("--no-cache")
    assert [(f["file"], f["rule"], f["line"]) for f in found if f["file"] == "policies/voice.yaml"] == [
        ("policies/voice.yaml", "schema.range", 5)]
