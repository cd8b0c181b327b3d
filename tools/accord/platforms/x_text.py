"""X's weighted length, as twitter-text v3 counts it (what X itself refuses a post by).

Code points weigh 1 or 2 by range, an emoji sequence 2, and every link 23 (X rewrites it to t.co)
once it is recognised as X recognises links: what may precede one, the characters a domain may
hold, a known top-level domain (x_tlds.json), then optional port, path and query. Without a
protocol only the plain-letter domains count (`example.com` inside Japanese text), each one with
no path needed (`foo.jp`, `it.so`); a t.co link ends with its slug (`http://t.co/abc's`), and one
whose slug is longer than 40 characters is no link; a host written `xn--` is punycode, so ASCII.

The patterns are compiled, and the TLD list read, on first use: a check with no X text holding a
'.' never pays for them.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex  # imported when a text first needs the emoji or URL patterns (10 ms)

URL_LENGTH = 23  # every link becomes a t.co link of this length, whatever it was
MAX_URL = 4096  # a longer "link" is no link to X
MAX_LABEL = 63  # DNS's limit for one label of a host, punycoded
MAX_TCO_SLUG = 40

# Code points in these ranges weigh 1; all others weigh 2.
_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_HEAVY = re.compile("[^" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _LIGHT) + "]")


def length(text: str) -> int:
    """The length X counts: NFC text, URLs 23 each, an emoji sequence 2, CJK and others 2."""
    text = unicodedata.normalize("NFC", text)
    plain = text.isascii()  # no emoji and nothing heavy: most posts
    total = len(text) if plain else len(text) + len(_HEAVY.findall(text))
    spans = [(start, end, URL_LENGTH) for start, end in url_spans(text)]
    if not plain:
        spans += [(*match.span(), 2) for match in _emoji().finditer(text)]
    # Read left to right, a URL or emoji counts its fixed weight instead of its characters'; one
    # that starts inside another already counted is part of it, and at the same place the URL
    # (sorted first) wins.
    index = 0
    for start, end, weight in sorted(spans, key=lambda span: (span[0], -span[2])):
        if start < index:
            continue
        heavy = 0 if plain else len(_HEAVY.findall(text, start, end))
        total += weight - (end - start) - heavy
        index = end
    return total


# An emoji sequence counts 2 however many code points it has: flags, keycaps, subdivision flags,
# and pictographs with a variation selector or skin tone, joined by ZWJ. (C) and (R) are emoji only
# with the emoji variation selector; digits, '#' and '*' only in a keycap.
_PICTOGRAPH = (
    r"(?:[\u00a9\u00ae]\ufe0f|(?![\u00a9\u00ae])\p{Extended_Pictographic}|\p{Emoji_Presentation})"
    r"(?:\ufe0f|\p{Emoji_Modifier})?"
)


@lru_cache(maxsize=None)
def _emoji() -> regex.Pattern:
    import regex

    return regex.compile(
        r"\p{Regional_Indicator}{2}"
        r"|[#*0-9]\ufe0f?\u20e3"
        r"|\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"
        rf"|{_PICTOGRAPH}(?:\u200d{_PICTOGRAPH})*"
    )


_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVALID = "\ufffe\ufeff\uffff"
_SPACES = "\\s\u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_PUNCT = "!\"'#%&()*+,\\\\\\-./:;<=>?@\\[\\]^_`{|}~$"
_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_SUBDOMAIN = f"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_LATIN = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    "\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_QUERY = "(?:\\?[a-z0-9!?*'@();:&=+$/%#\\[\\]\\-_.,~|]*[a-z0-9\\-_&=#/])"


@lru_cache(maxsize=None)
def _tlds() -> dict[str, list[str]]:
    """The top-level domains X knows, by kind ("country", "generic"): a data file of the package."""
    return json.loads(Path(__file__).with_name("x_tlds.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _known_tlds() -> frozenset[str]:
    return frozenset(_tlds()["country"] + _tlds()["generic"])


def _alternatives(words: list[str]) -> str:
    """A pattern for any of the words that tries the longest first ('com' before 'co'), written
    as a tree of shared prefixes: a flat alternation of 1,500 words is slow to compile and to try."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word first

    return f"(?:{pattern(tree)})"


def _tld() -> str:
    tlds = _tlds()
    return f"(?:{_alternatives(tlds['generic'])}|{_alternatives(tlds['country'])}|xn--[0-9a-z-]+)(?=[^0-9a-z@+-]|$)"


@lru_cache(maxsize=None)
def _url_pattern() -> regex.Pattern:
    """A link with the character before it, which X's pattern consumes: the next link is looked
    for after the last one's end, so its first character is never the one before a link."""
    path_char = f"[a-z\u0400-\u04ff0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~&|@{_LATIN}]"
    parens = f"\\((?:{path_char}+|{path_char}*\\({path_char}+\\){path_char}*)\\)"
    path_end = f"(?:[a-z\u0400-\u04ff0-9=_#/+\\-{_LATIN}]|{parens})"
    path = f"(?:{path_char}*(?:{parens}{path_char}*)*{path_end}|@{path_char}+/)"
    import regex

    return regex.compile(
        f"(?P<before>[^a-z0-9@\uff20$#\uff03{_INVALID}]|[{_DIRECTIONAL}]|^)"
        "(?P<url>(?P<protocol>https?://)?"
        f"(?P<domain>{_SUBDOMAIN}*{_DOMAIN_NAME}{_tld()})"
        "(?::[0-9]+)?"
        f"(?P<path>/{path}*)?"
        f"{_QUERY}?)",
        regex.IGNORECASE,
    )


@lru_cache(maxsize=None)
def _ascii_domain() -> regex.Pattern:
    """The plain-letter domains a link without a protocol counts by (each one on its own)."""
    import regex

    return regex.compile(f"(?:[\\-a-z0-9{_LATIN}]+\\.)+{_tld()}", regex.IGNORECASE)


@lru_cache(maxsize=None)
def _tco() -> regex.Pattern:
    """A t.co link: its slug (letters and digits), then an optional query, and nothing more."""
    import regex

    return regex.compile(f"https?://t\\.co/(?P<slug>[a-z0-9]+){_QUERY}?", regex.IGNORECASE)


def _valid_host(protocol: str | None, domain: str, size: int) -> bool:
    """Whether X takes the host: punycode (`xn--`) is ASCII, every label fits DNS's 63
    characters once punycoded, and the link, `size` characters, with its protocol X's 4096."""
    if domain.startswith("xn--") and _ascii_domain().search(domain) is None:
        return False
    for label in domain.split("."):
        if not label.isascii():
            label = "xn--" + label.encode("punycode").decode("ascii")
        if not label or len(label) > MAX_LABEL:
            return False
    return len(protocol or "https://") + size <= MAX_URL


# A URL never holds a space and always holds a '.' with a top-level domain after it, which starts
# with a letter (or a character beyond ASCII): only the run of non-space characters around such a
# '.' is searched. The URL pattern is slow to try at every position of a whole post, and so is
# any pattern for the runs themselves; finding the '.' first and the run's ends from it is quick.
_BREAKS = " \t\n\r\f\v" + _SPACES.replace("\\s", "")  # spaces by any definition
_TLD_AFTER_DOT = re.compile(f"\\.(?:[A-Za-z]|(?![{_BREAKS}])[^\\x00-\\x7f])")
_UP_TO_RUN = re.compile(f".*[{_BREAKS}]", re.DOTALL)  # greedy: up to the last space before the '.'
_RUN_REST = re.compile(f"[^{_BREAKS}]*")


# A plain web address, all of it ASCII of the kinds below, needs no URL pattern (and most checks
# then never compile it): it is one URL from end to end when its last label is a known top-level
# domain (and it is no t.co link, whose slug ends it). The pattern's domain then ends there, its
# path takes every character up to the last (one it may end with), and its query all the rest.
_PLAIN_URL = re.compile(r"(?P<protocol>https?://)(?P<host>(?:[a-z0-9]+\.)+(?P<tld>[a-z]+))"
                        r"(?:/(?:[A-Za-z0-9/._~-]*[A-Za-z0-9/_-])?)?(?:\?[A-Za-z0-9_.~%+=&-]*[A-Za-z0-9_&=-])?")


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where X finds links in the text: (start, end) of each, in order."""
    spans, end = [], 0
    dot = _TLD_AFTER_DOT.search(text)
    while dot:
        before = _UP_TO_RUN.match(text, end, dot.start())  # (text[end] is the space after the last run)
        start, end = before.end() if before else 0, _RUN_REST.match(text, dot.start()).end()
        plain = _PLAIN_URL.fullmatch(text, start, end)
        if plain and plain["host"] != "t.co" and plain["tld"] in _known_tlds() \
                and _valid_host(plain["protocol"], plain["host"], end - start):
            spans.append([start, end])
        else:
            spans.extend(_run_url_spans(text, start, end))
        dot = _TLD_AFTER_DOT.search(text, end)
    return [tuple(span) for span in spans]


def _run_url_spans(text: str, start: int, end: int) -> list[list[int]]:
    spans = []
    # from the space before the run: the pattern takes it as the character before a link
    for match in _url_pattern().finditer(text, max(start - 1, 0), end):
        protocol, domain = match["protocol"], match["domain"]
        url_start, url_end = match.span("url")
        if not _valid_host(protocol, domain, url_end - url_start):
            continue
        if protocol:
            tco = _tco().match(text, url_start, url_end)
            if tco is not None:
                if len(tco["slug"]) > MAX_TCO_SLUG:
                    continue
                url_end = tco.end()
            spans.append([url_start, url_end])
            continue
        # Without a protocol: not after '-', '_', '.' or '/', and only the plain-letter domains
        # count, the last one with the path and query.
        if match["before"] in ("-", "_", ".", "/"):
            continue
        offset = match.start("domain")
        last = None
        for part in _ascii_domain().finditer(domain):
            last = [offset + part.start(), offset + part.end()]
            spans.append(last)
        if last and match["path"]:
            last[1] = url_end
    return spans
