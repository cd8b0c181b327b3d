"""secrets: credentials in any file accord reads are errors at their line and column, never echoed."""
from __future__ import annotations

P = "content/brand/launch/teaser.yaml"
GHP = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
SLACK = "xoxb-" + "123456789012-abcdefghijkl"
BEARER = "A" * 22 + "MLheAAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI"


def secrets(found):
    return sorted((f["file"], f["rule"], f["line"], f["col"]) for f in found if f["rule"].startswith("secrets."))


def test_tokens_in_a_post_text_at_line_and_column(org):
    org.write(P, "text: |\n"
                 f"  Deploy with {GHP} please\n"
                 f"  key {AWS} and {SLACK}\n"
                 f"  bearer {BEARER}\n"
                 "  clone https://bot:hunter22@git.example.com/repo.git\n"
                 "accounts: [brand-outbox]\npublish_at: 2026-12-08T10:00:00+00:00\n")
    code, found = org.check()
    assert code == 1
    assert secrets(found) == [
        (P, "secrets.aws-key", 3, 7), (P, "secrets.github-token", 2, 15), (P, "secrets.slack-token", 3, 32),
        (P, "secrets.url-password", 5, 21), (P, "secrets.x-bearer-token", 4, 10)]
    text = "\n".join(f["message"] for f in found)
    for secret in (GHP, AWS, SLACK, BEARER, "hunter22"):
        assert secret not in text and secret[4:12] not in text
    assert "GitHub token (ghp_…)" in text


def test_private_key_and_password_in_policy_and_settings(org):
    org.write("accord.yaml", "org: Test Org\ntimezone: Europe/London\n# password: s3cr3t-value-here\n")
    org.write("policies/voice.yaml", "rules: []\n# -----BEGIN RSA PRIVATE KEY-----\n")
    code, found = org.check()
    assert secrets(found) == [("accord.yaml", "secrets.assignment", 3, 13),
                              ("policies/voice.yaml", "secrets.private-key", 2, 3)]


def test_a_file_that_fails_to_parse_is_still_scanned(org):
    org.write("content/brand/launch/broken.yaml", f"text: [unclosed\napi_key: {GHP}\n")
    code, found = org.check()
    assert ("content/brand/launch/broken.yaml", "secrets.github-token", 2, 10) in secrets(found)


def test_placeholders_and_prose_are_not_secrets(org):
    org.write(P, "text: |\n"
                 "  Forgot your password: reset it from the settings page.\n"
                 "  Set api_key=${KESTREL_KEY} in your shell, then run it.\n"
                 "accounts: [brand-outbox]\npublish_at: 2026-12-08T10:00:00+00:00\n"
                 "notes: \"token: KESTREL_TOKEN comes from the environment\"\n")
    code, found = org.check()
    assert secrets(found) == []


def test_inline_assignment_in_a_query_string(org):
    org.write(P, "text: 'Try https://api.example.com/v1?api_key=abcd1234efgh5678'\n"
                 "accounts: [brand-outbox]\npublish_at: 2026-12-08T10:00:00+00:00\n")
    code, found = org.check()
    assert secrets(found) == [(P, "secrets.assignment", 1, 47)]
