"""platform: lengths as each network counts them, thread parts, media and alt text."""
from __future__ import annotations

import pytest


P = "content/brand/launch/p.yaml"
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"  # a ZWJ family: one grapheme, 25 UTF-8 bytes, 2 on X
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64
MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 64

ACCOUNTS = {
    "brand-x": "platform: x\nhandle: '@testorg'\n",
    "brand-bsky": "platform: bluesky\nhandle: testorg.example\n",
    "brand-masto": "platform: mastodon\nhandle: '@testorg@example.social'\n",
    "brand-bigmasto": "platform: mastodon\nhandle: '@testorg@big.example'\nlimits: {max_chars: 1000}\n",
    "brand-li": "platform: linkedin\nhandle: testorg\n",
}


@pytest.fixture
def nets(org):
    for name, text in ACCOUNTS.items():
        org.write(f"content/brand/accounts/{name}.yaml", text)
    return org


def write_post(org, account: str, body: str, rel: str = P) -> None:
    """accounts on line 1, publish_at on line 2, then the body (text on line 3)."""
    org.write(rel, f"accounts: [{account}]\npublish_at: 2026-12-09T10:00:00+00:00\n{body}")


def block(text: str, key: str = "text", indent: str = "") -> str:
    return f"{indent}{key}: |-\n" + "".join(f"{indent}  {line}\n" for line in text.split("\n"))


def platform_findings(org):
    code, found = org.check()
    return code, [f for f in found if f["rule"].startswith("platform.")]


def rules(found):
    return sorted((f["rule"], f["line"]) for f in found)


# --- X: weighted length ---------------------------------------------------------------------

def test_x_cjk_counts_two_each(nets):
    write_post(nets, "brand-x", block("日" * 140))
    assert platform_findings(nets) == (0, [])
    write_post(nets, "brand-x", block("日" * 141))
    code, found = platform_findings(nets)
    assert code == 1
    assert rules(found) == [("platform.too-long", 3)]
    assert found[0]["message"].startswith("X counts 282 of 280 (2 over")


def test_x_url_counts_23_however_long(nets):
    url = "https://example.com/" + "a" * 200
    write_post(nets, "brand-x", block("a" * 256 + " " + url))  # 256 + 1 + 23 = 280
    assert platform_findings(nets) == (0, [])
    write_post(nets, "brand-x", block("a" * 257 + " " + url))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.too-long", 3)]
    assert "X counts 281 of 280 (1 over; URLs count 23, CJK and emoji 2)" in found[0]["message"]


def test_x_appended_link_is_counted_with_its_utm_tags(nets):
    # The link goes after a blank line: 2 newlines + 23 for the URL, whatever UTM tags add.
    write_post(nets, "brand-x", block("a" * 255) + "link: https://example.com/launch\n")
    assert platform_findings(nets) == (0, [])
    write_post(nets, "brand-x", block("a" * 256) + "link: https://example.com/launch\n")
    code, found = platform_findings(nets)
    assert "X counts 281 of 280" in found[0]["message"]


def test_x_emoji_sequence_counts_two(nets):
    write_post(nets, "brand-x", block(FAMILY * 140))
    assert platform_findings(nets) == (0, [])
    write_post(nets, "brand-x", block(FAMILY * 140 + "!"))
    code, found = platform_findings(nets)
    assert "X counts 281 of 280 (1 over" in found[0]["message"]


def test_x_variant_is_what_is_measured_and_pointed_at(nets):
    body = block("short") + "variants:\n" + block("b" * 281, key="x", indent="  ")
    write_post(nets, "brand-x, brand-bsky", body)
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.too-long", 6)]  # variants.x is on line 6
    assert found[0]["col"] == 6


def test_thread_parts_are_measured_each_on_its_own(nets):
    body = ("thread:\n  - text: first part\n  - text: second part\n"
            f"  - text: {'c' * 281}\n")
    write_post(nets, "brand-x", body)
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.too-long", 6)]
    assert found[0]["message"].startswith("part 3 X counts 281 of 280")


# Where accord once counted links differently from X, each of these said a post fits that X
# refuses: (the link amid text, what X counts it).
X_LINKS = [
    ("Read foo.jp", 5 + 23),  # a bare country-code domain is a link
    ("日本語it.so", 6 + 23),
    ("http://t.co/pbY2NfTZ's", 23 + 2),  # a t.co link ends with its slug
    ("http://t.co/FNkPfmii-", 23 + 1),
    ("http://t.co/" + "ab12" * 10 + "c", 53),  # a slug over 40 characters: no link
    ("http://xn--はじめよう.com/index.html", 11 + 10 + 15),  # invalid punycode: no link
    ("http://example.com/これは日本語です。example.com中国語", 23 + 18 + 23 + 6),
]


@pytest.mark.parametrize("link, counted", X_LINKS)
def test_x_counts_links_as_x_does(nets, link, counted):
    filler = "a" * (280 - 1 - counted)  # then a space and the link: 280 exactly
    write_post(nets, "brand-x", block(f"{filler} {link}"))
    assert platform_findings(nets) == (0, [])
    write_post(nets, "brand-x", block(f"{filler}a {link}"))
    code, found = platform_findings(nets)
    assert code == 1 and rules(found) == [("platform.too-long", 3)]
    assert found[0]["message"].startswith("X counts 281 of 280 (1 over")


# --- Bluesky: graphemes and bytes -------------------------------------------------------------

def test_bluesky_counts_graphemes(nets):
    write_post(nets, "brand-bsky", block("e\u0301" * 300))  # 300 graphemes, 900 bytes
    assert platform_findings(nets) == (0, [])
    write_post(nets, "brand-bsky", block("e\u0301" * 301))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.too-long", 3)]
    assert found[0]["message"].startswith("Bluesky counts 301 of 300 (1 over")


def test_bluesky_zwj_family_is_one_grapheme_but_25_bytes(nets):
    write_post(nets, "brand-bsky", block(FAMILY * 120))  # 120 graphemes, exactly 3000 bytes
    assert platform_findings(nets) == (0, [])
    write_post(nets, "brand-bsky", block(FAMILY * 121))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.too-long", 3)]
    assert "3000 bytes" in found[0]["message"] and "3025 (25 over)" in found[0]["message"]


# --- Mastodon: URLs 23, remote mentions as local, per-instance limit -------------------------

def test_mastodon_remote_mention_counts_as_local_and_urls_23(nets):
    mention = "@someone@a-very-long-instance-name.example"  # counts as @someone: 8
    url = "https://example.com/" + "x" * 100  # 23
    write_post(nets, "brand-masto", block(f"{mention} {url} " + "a" * (500 - 8 - 23 - 2)))
    assert platform_findings(nets) == (0, [])
    write_post(nets, "brand-masto", block(f"{mention} {url} " + "a" * (501 - 8 - 23 - 2)))
    code, found = platform_findings(nets)
    assert found[0]["message"].startswith("Mastodon counts 501 of 500 (1 over")


def test_mastodon_instance_limit_from_the_account(nets):
    write_post(nets, "brand-bigmasto", block("a" * 1000))
    assert platform_findings(nets) == (0, [])
    write_post(nets, "brand-bigmasto", block("a" * 1001))
    code, found = platform_findings(nets)
    assert found[0]["message"].startswith("Mastodon counts 1001 of 1000")


# --- LinkedIn ---------------------------------------------------------------------------------

def test_linkedin_3000_and_no_threads(nets):
    write_post(nets, "brand-li", block("a" * 3001))
    code, found = platform_findings(nets)
    assert found[0]["message"].startswith("LinkedIn counts 3001 of 3000")
    write_post(nets, "brand-li", "thread:\n  - text: one\n  - text: two\n")
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.too-many-parts", 3)]
    # A one-part variant is the way out.
    write_post(nets, "brand-li", "thread:\n  - text: one\n  - text: two\nvariants:\n  linkedin: [one and two]\n")
    assert platform_findings(nets) == (0, [])


def test_outbox_has_no_limit(org):
    write_post(org, "brand-outbox", block("a" * 10000))
    assert platform_findings(org) == (0, [])


# --- Media ------------------------------------------------------------------------------------

def media(*items: tuple[str, str]) -> str:
    return "media:\n" + "".join(f"  - path: {p}\n    alt: \"{a}\"\n" for p, a in items)


def put(org, name: str, data: bytes) -> None:
    path = org.root / "content/brand/launch/media" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_media_missing_and_alt_missing(nets):
    put(nets, "hero.png", PNG)
    write_post(nets, "brand-masto", "text: hello\n" + media(("media/hero.png", " "), ("media/her.png", "a hero")))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.alt-missing", 6), ("platform.media-missing", 7)]
    missing = next(f for f in found if f["rule"] == "platform.media-missing")
    assert missing["hint"] == "did you mean 'hero.png'?"


def test_media_type_by_content_not_name(nets):
    put(nets, "notes.png", b"just some text, not an image")
    put(nets, "photo.png", JPEG)  # a JPEG named .png is still an image
    write_post(nets, "brand-masto", "text: hello\n" + media(("media/notes.png", "n"), ("media/photo.png", "p")))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.media-type", 5)]


def test_media_count_and_video_alone(nets):
    for i in range(5):
        put(nets, f"{i}.png", PNG)
    write_post(nets, "brand-masto", "text: hello\n" + media(*[(f"media/{i}.png", "a") for i in range(5)]))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.media-count", 13)]  # the fifth item
    assert "Mastodon takes 4 media per post; this one has 5" in found[0]["message"]
    put(nets, "clip.mp4", MP4)
    write_post(nets, "brand-masto", "text: hello\n" + media(("media/clip.mp4", "c"), ("media/0.png", "a")))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.media-count", 5)]
    # LinkedIn takes 20 images.
    write_post(nets, "brand-li", "text: hello\n" + media(*[(f"media/{i}.png", "a") for i in range(5)]))
    assert platform_findings(nets) == (0, [])


def test_media_size_per_network(nets):
    put(nets, "big.png", PNG + b"\0" * (1_000_001 - len(PNG)))
    write_post(nets, "brand-bsky, brand-masto", "text: hello\n" + media(("media/big.png", "a")))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.media-size", 5)]  # Bluesky's 1 MB; Mastodon takes 16 MB
    assert "Bluesky takes images up to 1 MB" in found[0]["message"]


def test_alt_text_limits(nets):
    put(nets, "hero.png", PNG)
    write_post(nets, "brand-masto, brand-bsky", "text: hello\n" + media(("media/hero.png", "a" * 1501)))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.alt-too-long", 6)]
    assert "Mastodon takes 1500 (1 over)" in found[0]["message"]


def test_x_takes_four_images_or_one_gif(nets):
    put(nets, "anim.gif", b"GIF89a" + b"\0" * 64)
    put(nets, "hero.png", PNG)
    write_post(nets, "brand-x", "text: hello\n" + media(("media/anim.gif", "a"), ("media/hero.png", "b")))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.media-count", 5)]  # at the GIF, which goes only alone
    write_post(nets, "brand-x", "text: hello\n" + media(("media/hero.png", "b" * 1001)))
    code, found = platform_findings(nets)
    assert rules(found) == [("platform.alt-too-long", 6)]


def test_an_allow_of_what_the_network_refuses_silences_nothing_and_unused_allow_is_reported(nets):
    # the network would refuse it whatever the post says: the finding stays, the allow is unused
    write_post(nets, "brand-x", block("a" * 281)
               + "allow:\n  - rule: platform.too-long\n    reason: the network accepted it in a test\n")
    code, found = nets.check()
    assert code == 1
    assert rules([f for f in found if f["rule"].startswith(("platform.", "allow."))]) == [
        ("allow.unused", 6), ("platform.too-long", 3)]
    write_post(nets, "brand-x", block("a" * 20)
               + "allow:\n  - rule: platform.too-long\n    reason: no longer needed\n")
    code, found = nets.check()
    assert rules([f for f in found if f["rule"].startswith(("platform.", "allow."))]) == [("allow.unused", 6)]
    write_post(nets, "brand-x", block("a" * 281) + "allow:\n  - rule: platform.too-long\n")
    code, found = nets.check()
    assert code == 1
    assert rules(found) == [("schema.required", 6)]  # the allow item without a reason


def test_a_too_long_finding_says_where_the_network_gets_its_own_text(nets):
    write_post(nets, "brand-x", block("a" * 281))
    [found] = platform_findings(nets)[1]
    assert found["hint"] == "shorten it, or give X its own text: variants.x"
    write_post(nets, "brand-x", block("short") + "variants:\n" + block("b" * 281, key="x", indent="  "))
    [found] = platform_findings(nets)[1]
    assert found["hint"] == "shorten variants.x"
