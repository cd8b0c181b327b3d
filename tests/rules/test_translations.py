from __future__ import annotations

from accord.model import load

from .conftest import mine

DE = "content/brand/launch/teaser-de.yaml"


def translation(org, ref: str) -> None:
    """The German teaser; `ref` is the body of translation_of, indented two spaces."""
    org.write(DE, "text: Unser neues Release baut doppelt so schnell. #TestLaunch\n"
              "accounts: [brand-outbox]\npublish_at: 2026-12-08T14:00:00+00:00\nlocale: de\n"
              "translation_of:\n" + ref)


def test_translation_records_the_source_hash(org):
    current = load(org.root).posts["brand/launch/teaser"].text_hash()
    translation(org, "  post: brand/launch/teaser\n")
    code, found = org.check()
    assert code == 0
    assert mine(found) == [(DE, "translations.hash-missing", 5)]
    f = next(f for f in found if f["rule"] == "translations.hash-missing")
    assert f["level"] == "notice"
    assert f["hint"] == f"add source_hash: {current} under translation_of"
    translation(org, f"  post: brand/launch/teaser\n  source_hash: {current}\n")
    assert mine(org.check()[1]) == []


def test_stale_translation_after_the_source_changes(org):
    old = load(org.root).posts["brand/launch/teaser"].text_hash()
    translation(org, f"  post: brand/launch/teaser\n  source_hash: {old}\n")
    org.write("content/brand/launch/teaser.yaml", """\
    text: |
      Our new release builds three times as fast. #TestLaunch
    accounts: [brand-outbox]
    publish_at: 2026-12-08T10:00:00+00:00
    locale: en
    """)
    new = load(org.root).posts["brand/launch/teaser"].text_hash()
    code, found = org.check()
    assert code == 0
    assert mine(found) == [(DE, "translations.stale", 7)]
    f = next(f for f in found if f["rule"] == "translations.stale")
    assert f["message"].startswith("stale translation: the source text changed since")
    assert f["hint"] == f"update the translation, then set source_hash: {new}"


def test_source_must_exist(org):
    translation(org, "  post: brand/launch/teasr\n")
    code, found = org.check()
    assert code == 1
    assert mine(found) == [(DE, "translations.source", 6)]
    assert [f["hint"] for f in found if f["rule"] == "translations.source"] == ["did you mean 'brand/launch/teaser'?"]


def test_translations_that_go_round_in_a_circle_are_errors(org):
    """A of B and B of A: neither is the source, and neither would ever be flagged stale."""
    fr = "content/brand/launch/teaser-fr.yaml"
    translation(org, "  post: brand/launch/teaser-fr\n")
    org.write(fr, "text: Notre nouvelle version construit deux fois plus vite. #TestLaunch\n"
              "accounts: [brand-outbox]\npublish_at: 2026-12-08T15:00:00+00:00\nlocale: fr\n"
              "translation_of:\n  post: brand/launch/teaser-de\n")
    code, found = org.check()
    assert code == 1
    assert mine(found) == [(DE, "translations.source", 6), (fr, "translations.source", 6)]
    de = next(f for f in found if f["file"] == DE and f["rule"] == "translations.source")
    assert de["message"] == ("translations go round in a circle (brand/launch/teaser-de -> brand/launch/teaser-fr -> "
                             "brand/launch/teaser-de): one of these posts is the source and translates none of them")
    assert org.check(fr)[1] == [f for f in found if f["file"] == fr]  # a narrowed run sees the circle too
    org.write(fr, "text: Notre nouvelle version construit deux fois plus vite. #TestLaunch\n"
              "accounts: [brand-outbox]\npublish_at: 2026-12-08T15:00:00+00:00\nlocale: fr\n"
              "translation_of:\n  post: brand/launch/teaser\n")  # a chain: fr of teaser, de of fr
    assert [x for x in mine(org.check()[1]) if x[1] == "translations.source"] == []
