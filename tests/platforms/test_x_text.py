"""X's weighted length and the links it counts 23 each, as twitter-text v3 has them."""
from __future__ import annotations

import pytest

from accord.platforms import x, x_text

# --- Weighted length (twitter-text v3 conformance cases) -------------------------------------

KANA = "あいうえおかきくけこ"
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"
ENGLAND = "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"
FILLER = "xxxxxxxxxx-"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("This is a test.", 15),
        ("Hi http://test.co", 26),
        ("http://test.co", 23),
        ("test.com", 23),
        ("Test https://test.com test https://test.com test.com test", 86),
        ("https://www.twitter.com/aloha " * 10, 240),
        ("285 chars- http://www.twitter.com/jack " + FILLER * 24, 299),
        ("randomurl" * 7 + "s.com", 68),  # a 64-character label is no domain
        (KANA * 12 + " http://" + KANA * 5 + "あい.com", 264),
        (KANA * 12 + " http://" + KANA * 5 + "あいう.com", 358),  # host too long once punycoded
        ("故人西辞黄鹤楼，烟花三月下扬州。" * 10, 320),
        ("저찀쯿쿿", 8),
        ("\U00010000\U0010ffff", 4),
        ("\U0001F637" * 160, 320),
        ("H\U0001F431\u263a" + FAMILY, 7),
        ("\U0001F64B\U0001F3FD\U0001F468\u200d\U0001F3A4", 4),
        (FAMILY * 140, 280),
        ("Unicode 10.0 emoji: \U0001F92A; \U0001F9D5; \U0001F9D5\U0001F3FE; " + ENGLAND, 34),
        ("Unicode 9.0 emoji: \U0001F920; \U0001F483; \U0001F483\U0001F3FE", 29),
        ("\U0001F1EB\U0001F1F7 1\ufe0f\u20e3", 5),
        ("A\u0301B", 2),  # NFC makes one character of A and its accent
        ("A\ufb2c", 4),
        ("punctuation: \u2000\u200a\u200d \u2010\u201f \u2032\u2037", 22),
        ("ABC\u202a\uffffABC\ufffe", 12),
        ("\u2066\u202ahttp://foobar.\u067e\u0627\u06a9\u0633\u062a\u0627\u0646/\u202c\u2069", 31),
        ("www.example.jp", 23),
        ("example.jp", 23),  # a bare two-label country domain is a link too
        ("example.jp/about", 23),
        ("t.co foo.co.jp", 47),
        ("mail me at hello@example.com", 28),
        ("example.notatld", 15),
    ],
)
def test_weighted_length_matches_twitter_text(text, expected):
    assert x_text.length(text) == expected


def test_280_is_the_limit():
    assert x.LIMITS.max_chars == 280 and x.length is x_text.length
    assert x_text.length("a" * 257 + " https://example.com/a/very/long/path/that/is/shortened") == 281
    assert x_text.length("a" * 256 + " https://example.com/a/very/long/path/that/is/shortened") == 280
    assert x_text.length("界" * 140) == 280


def links(text: str) -> list[str]:
    return [text[start:end] for start, end in x_text.url_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a bare domain on a country-code TLD is a link, with or without a path, amid any text
        ("see foo.jp or it.so", ["foo.jp", "it.so"]),
        ("東京foo.jp大阪it.so", ["foo.jp", "it.so"]),
        ("it.so\nit.so/docs", ["it.so", "it.so/docs"]),
        # a t.co link ends with its slug: an apostrophe-s, a hyphen or a '+' after it are text
        ("our http://t.co/Ab3dE9x's news", ["http://t.co/Ab3dE9x"]),
        ("go https://t.co/Ab3dE9x- now", ["https://t.co/Ab3dE9x"]),
        ("https://t.co/Ab3dE9x+more?utm=1", ["https://t.co/Ab3dE9x"]),
        ("https://t.co/Ab3dE9x?s=09 x", ["https://t.co/Ab3dE9x?s=09"]),
        # ...and one whose slug is longer than 40 characters is no link at all
        ("https://t.co/" + "a1" * 20, ["https://t.co/" + "a1" * 20]),
        ("https://t.co/" + "a1" * 20 + "b", []),
        # other links keep a trailing hyphen or plus in their path
        ("https://example.com/a- b", ["https://example.com/a-"]),
        # a host written as punycode (xn--) is ASCII: with other characters it is no host
        ("http://xn--はじめよう.com/index.html", []),
        ("http://xn--bcher-kva.com/", ["http://xn--bcher-kva.com/"]),
        # links with and without a protocol between Japanese, Chinese and Korean words
        ("http://example.com/これはexample.org中国語http://t.co/abc한국example.net",
         ["http://example.com/", "example.org", "http://t.co/abc", "example.net"]),
        ("テストhttps://example.com/path한국", ["https://example.com/path"]),
        # not links: a domain after '-', '_', '.' or '/' without a protocol, in an e-mail address
        ("see -foo.com or _bar.com or /baz.com", []),
        ("write to team@example.com", []),
    ],
)
def test_links_are_found_where_x_finds_them(text, expected):
    assert links(text) == expected


def test_the_top_level_domains_are_package_data():
    """The list is a data file of the package (x_tlds.json), and every domain the counter knows
    is in it."""
    from importlib import resources
    import json

    data = json.loads(resources.files("accord.platforms").joinpath("x_tlds.json").read_text("utf-8"))
    assert {"com", "jp", "so", "みんな"} <= set(data["country"] + data["generic"])
    assert links("a.みんな b.zuerich c.notatld") == ["a.みんな", "b.zuerich"]
