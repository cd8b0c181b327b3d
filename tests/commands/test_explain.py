"""accord explain: every rule by family, one rule in full, did-you-mean for a wrong id."""
from __future__ import annotations

VOICE = """\
rules:
  - id: product-names
    type: substitution
    level: error
    swap: {Github: GitHub}
"""


def test_lists_every_rule_grouped_by_family(org):
    result = org.run("explain")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for family in ("schema", "platform", "voice", "duplicates", "secrets"):
        assert family in lines
    platform = lines.index("platform")
    assert lines[platform + 1].split()[:2] == ["platform.too-long", "error"]
    assert any(line.split()[:2] == ["duplicates.cross-team", "warning"] for line in lines)


def test_one_rule_says_what_it_checks_and_how_to_configure_it(org):
    result = org.run("explain", "duplicates.same-account")
    assert result.exit_code == 0
    assert result.output.startswith("duplicates.same-account (error, duplicates rules)")
    assert "Configure: policies/voice.yaml: duplicates: {days: 14, similarity: 0.9}" in result.output
    assert "allow: [{rule: duplicates.same-account, reason: ...}]" in result.output


def test_the_orgs_voice_rules_are_rules_too(org):
    assert "voice.product-names" not in org.run("explain").output
    org.write("policies/voice.yaml", VOICE)
    assert "voice.product-names" in org.run("explain").output
    result = org.run("explain", "voice.product-names")
    assert result.exit_code == 0
    assert "Spelled the brand's way: Github → GitHub." in result.output
    assert "policies/voice.yaml line 2" in result.output


def test_unknown_rule_gets_did_you_mean_and_exit_2(org):
    result = org.run("explain", "platform.too-lng")
    assert result.exit_code == 2
    assert "no rule 'platform.too-lng'; did you mean 'platform.too-long'?" in result.output


def test_a_broken_accord_yaml_is_said_and_the_list_is_still_given(org):
    org.write("policies/voice.yaml", VOICE)
    (org.root / "accord.yaml").write_text((org.root / "accord.yaml").read_text() + "timezone: [\n")
    result = org.run("explain")
    assert result.exit_code == 2
    assert "duplicates.same-account" in result.output  # the built-in rules are listed
    assert "voice.product-names" not in result.output
    assert "accord.yaml cannot be used: line" in result.output
    assert "the voice rules of policies/voice.yaml are left out until it is mended" in result.output
    missing = org.run("explain", "voice.product-names")
    assert missing.exit_code == 2
    assert "no rule 'voice.product-names'" in missing.output and "left out until it is mended" in missing.output
    assert org.run("explain", "duplicates.same-account").exit_code == 0


def test_explain_offers_no_allow_for_what_the_network_would_refuse(org):
    too_long = org.run("explain", "platform.too-long")
    assert too_long.exit_code == 0
    assert "allow: [" not in too_long.output and "No `allow` silences it" in too_long.output
    assert "allow: [{rule: schedule.quiet-hours" in org.run("explain", "schedule.quiet-hours").output
