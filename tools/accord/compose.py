"""The exact text a target posts: the platform's variant, the link UTM-tagged and placed.

The length rules and the publisher both call this, so what is checked is what goes out."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from .model import Org, Post, Target
from .platforms.base import Media, Part


def tag_link(url: str, org: Org, target: Target) -> str:
    s = org.settings
    if not s.utm_enabled:
        return url
    campaign = org.campaigns.get(target.post.campaign)
    head, query, present, fragment = _split(url)
    added = _tags(s.utm_source, s.utm_medium, target.account.platform, target.account.id,
                  campaign.utm_campaign if campaign else target.post.campaign.split("/")[-1], present)
    if "utm_content" not in present:  # with utm_campaign and utm_source: the target (business.py)
        content = f"utm_content={quote(content_tag(target.post), safe='')}"
        added = f"{added}&{content}" if added else content
    query = f"{query}&{added}" if query and added else query or added
    return head + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def content_tag(post: Post) -> str:
    """What utm_content says of a post: its path under its campaign's folder (short, as Bluesky
    counts the link as posted; with utm_campaign it names the post)."""
    return post.id[len(post.campaign) + 1:] if post.id.startswith(post.campaign + "/") else post.id


# A post's link is tagged once per target: split and encode its own query once, and the tags of
# each account and campaign once (urlencode joins pairs with '&', so the two encode apart).
@lru_cache(maxsize=4096)
def _split(url: str) -> tuple[str, str, frozenset, str]:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    head = urlunsplit(parts._replace(query="", fragment=""))
    return head, urlencode(query), frozenset(k for k, _ in query), parts.fragment


@lru_cache(maxsize=4096)
def _tags(source: str, medium: str, platform: str, account: str, campaign: str, present: frozenset) -> str:
    """The UTM tags the link does not have yet, encoded."""
    fill = {"platform": platform, "account": account}
    tags = {"utm_source": source.format(**fill), "utm_medium": medium.format(**fill), "utm_campaign": campaign}
    return urlencode([(k, v) for k, v in tags.items() if k not in present])


def texts(org: Org, target: Target) -> list[str]:
    """The final text of each part this target posts."""
    post = target.post
    texts = written(post, target.account.platform)
    return with_link(texts, post.link, tag_link(post.link, org, target)) if post.link else texts


def written(post: Post, platform: str) -> list[str]:
    """Each part's text as this platform gets it, before the link: its variant, else the post's."""
    variant = post.variants.get(platform)
    if isinstance(variant, list):
        texts = variant
    elif isinstance(variant, str):
        texts = [variant] + [p.text for p in post.parts[1:]]
    else:
        texts = [p.text for p in post.parts]
    return [t.strip() for t in texts]


def with_link(texts: list[str], link: str, tagged: str) -> list[str]:
    """The texts with the link tagged where they hold it, else appended to the first part."""
    if any(link in t for t in texts):
        return [t.replace(link, tagged) for t in texts]
    return [f"{texts[0]}\n\n{tagged}"] + texts[1:]


def parts(org: Org, target: Target) -> list[Part]:
    """Each part's final text with the media of the post's part at the same place, in the post's language."""
    post = target.post
    media = [[Media(m.file(post.doc), m.alt) for m in p.media] for p in post.parts]
    return [Part(t, tuple(media[i]) if i < len(media) else (), post.locale)
            for i, t in enumerate(texts(org, target))]
