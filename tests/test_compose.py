"""What a target posts (accord.compose): the network's variant, the link tagged and placed."""
from __future__ import annotations

from accord import compose
from accord.model import load


def _targets(org):
    loaded = load(org.root, use_cache=False)
    return loaded, {t.key: t for t in loaded.targets}


def test_the_link_is_utm_tagged_per_account_and_appended_once(org):
    # utm_content names the post within its campaign, so business figures map back to it
    org.write("content/brand/accounts/brand-x.yaml", 'platform: x\nhandle: "@testorg"\n')
    org.write("content/brand/launch/teaser.yaml", """\
        text: "Our new release builds twice as fast. #TestLaunch"
        accounts: [brand-outbox, brand-x]
        publish_at: 2026-12-08T10:00:00+00:00
        link: https://example.com/release?ref=blog#notes
        variants:
          x: "Twice as fast. #TestLaunch"
        locale: en
        """)
    loaded, targets = _targets(org)
    assert compose.texts(loaded, targets["brand/launch/teaser@brand-outbox"]) == [
        "Our new release builds twice as fast. #TestLaunch\n\n"
        "https://example.com/release?ref=blog&utm_source=outbox&utm_medium=social&utm_campaign=launch&utm_content=teaser#notes"]
    assert compose.texts(loaded, targets["brand/launch/teaser@brand-x"]) == [
        "Twice as fast. #TestLaunch\n\n"
        "https://example.com/release?ref=blog&utm_source=x&utm_medium=social&utm_campaign=launch&utm_content=teaser#notes"]


def test_a_link_written_in_the_text_is_tagged_where_it_stands(org):
    org.write("content/brand/launch/teaser.yaml", """\
        thread:
          - text: "Read https://example.com/notes first. #TestLaunch"
          - text: Then try it.
        accounts: [brand-outbox]
        publish_at: 2026-12-08T10:00:00+00:00
        link: https://example.com/notes
        locale: en
        """)
    loaded, targets = _targets(org)
    assert compose.texts(loaded, targets["brand/launch/teaser@brand-outbox"]) == [
        "Read https://example.com/notes?utm_source=outbox&utm_medium=social&utm_campaign=launch&utm_content=teaser first. "
        "#TestLaunch",
        "Then try it."]


def test_tags_the_link_already_has_are_kept_and_tagging_can_be_off(org):
    org.write("content/brand/launch/teaser.yaml", """\
        text: "Release notes. #TestLaunch"
        accounts: [brand-outbox]
        publish_at: 2026-12-08T10:00:00+00:00
        link: https://example.com/?utm_source=newsletter
        locale: en
        """)
    loaded, targets = _targets(org)
    assert compose.texts(loaded, targets["brand/launch/teaser@brand-outbox"])[0].endswith(
        "https://example.com/?utm_source=newsletter&utm_medium=social&utm_campaign=launch&utm_content=teaser")
    org.write("accord.yaml", "org: Test Org\ntimezone: Europe/London\nutm:\n  enabled: false\n")
    loaded, targets = _targets(org)
    assert compose.texts(loaded, targets["brand/launch/teaser@brand-outbox"])[0].endswith("\n\nhttps://example.com/?utm_source=newsletter")
