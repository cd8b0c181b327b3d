"""Voice: the brand's rules as data (policies/voice.yaml), read by a small engine.

In the spirit of Vale, a rule has a type and the words live in the YAML; this module knows
nothing of any brand. Each rule has an id (findings say `voice.<id>`), a level, a message and a
scope (teams, accounts, platforms). Texts are checked as written, platform variant included, so
a finding points at the word inside the block scalar.

  existence       tokens (words or phrases) and patterns (regular expressions) that must not appear
  substitution    swap: {Github: GitHub}; the left side is flagged, the right side suggested
  occurrence      count: hashtags | emoji | exclamations | mentions | links, or a pattern; max per part
  capitalization  ALL-CAPS words longer than max_letters, except the exceptions
  conditional     a claim (if) needs its qualifier (then) in the same post
  required        the campaign's hashtag (campaign_hashtag: true) or a pattern somewhere in the post
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..findings import Finding, Rule
from ..model import Org, Post, Target
from . import Reach, Reads

if TYPE_CHECKING:
    import regex

# The `regex` module's flags, by value: the module (10 ms to import) is imported when a pattern
# first compiles, which `accord check FILE` on a plain post may never need (a test holds these).
IGNORECASE, VERSION1 = 0x2, 0x100

READS = frozenset({Reads.FILES})
REACH = Reach.FILE
WANTED_ONLY = True

RULES = [
    Rule("voice.<id>", "error",
         "A rule of policies/voice.yaml: the finding's id is voice. followed by the rule's id, and its "
         "level is the rule's level. `accord explain` inside a content repository lists them.",
         "policies/voice.yaml: rules: [{id, type (existence, substitution, occurrence, capitalization, "
         "conditional, required), level, message, scope: {teams, accounts, platforms}, ...}]. "
         "The message may use {match}, {expected}, {count} and {max}."),
    Rule("voice.invalid-pattern", "error", "Every pattern in policies/voice.yaml is a valid regular expression.",
         "Patterns are Python regular expressions; tokens are plain words and need no escaping."),
]

_DEFAULT_MESSAGES = {
    "existence": "avoid '{match}'",
    "substitution": "write '{expected}', not '{match}'",
    "occurrence": "{count} {what} in one part; at most {max}",
    "capitalization": "'{match}' is all capitals; write it in normal case",
    "conditional": "'{match}' needs '{expected}' in the same post",
    "required": "the post does not have {expected}",
}

_EMOJI = r"(?:\p{Regional_Indicator}{2}|(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)" \
         r"(?:\p{Emoji_Modifier}|\uFE0F|\u200D(?:\p{Emoji_Presentation}|\p{Extended_Pictographic})\uFE0F?)*)"
_COUNTABLE = {
    "hashtags": (r"(?<![\w&#])#\w+", "hashtags"),
    "mentions": (r"(?<![\w.@/])@\w+(?:@[\w-]+(?:\.[\w-]+)+)?", "mentions"),
    "links": (r"https?://\S+", "links"),
    "exclamations": (r"!", "exclamation marks"),
    "emoji": (_EMOJI, "emoji"),
}


@dataclass
class VoiceRule:
    id: str
    type: str
    level: str
    message: str
    scope: dict
    at: tuple  # where the rule stands in voice.yaml
    patterns: list = field(default_factory=list)  # _Pattern; for substitution (_Pattern, expected)
    max: int = 0
    what: str = ""
    then: object = None  # conditional, required: the qualifier's _Pattern
    exceptions: frozenset = frozenset()
    campaign_hashtag: bool = False
    description: str = ""
    words: tuple = ()  # tokens, patterns or swaps as written, for `accord explain`
    # per pattern: a literal every match is (ignoring case if folded), or words one of which every
    # match holds (-any), checked before the pattern runs; None for a regular expression
    needles: list = field(default_factory=list)
    written: list = field(default_factory=list)  # _Pattern of the patterns as written, which may not compile
    compiled: bool = False  # compile() has run
    broken: bool = False  # a pattern as written does not compile, or stalled: the rule finds nothing
    stalled: object = None  # the _Pattern that ran out of time on a text, if one did

    def applies(self, target: Target) -> bool:
        s = self.scope
        return ((not s.get("teams") or target.post.team in s["teams"])
                and (not s.get("accounts") or target.account.id in s["accounts"])
                and (not s.get("platforms") or target.account.platform in s["platforms"]))

    def say(self, **fields) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: str(fields.get(m.group(1), m.group(0))), self.message)

    def pattern(self, source: str, flags, where: tuple | None = None) -> _Pattern:
        p = _Pattern(self, source, flags, where)
        if where is not None:
            self.written.append(p)
        return p

    def compile(self) -> list[tuple[tuple, str, regex.error]]:
        """Compile every pattern as written (all at once, so that a broken one silences the rule
        before it finds anything); the (data path, pattern, error) of those that do not compile."""
        if self.compiled:
            return []
        self.compiled = True
        if not self.written:
            return []  # a rule of tokens or of the campaign hashtag only: nothing to import regex for
        import regex

        errors = []
        for p in self.written:
            try:
                p.compiled = regex.compile(p.source, p.flags)
            except Exception as exc:  # regex.error, and a few flags (?V0) fail in other ways
                errors.append((p.where, p.source, str(exc) or type(exc).__name__))
        if errors:
            self.silence()
        return errors

    def silence(self) -> None:
        self.broken = True
        for p in self.written:
            p.compiled = _never()

    def stall(self, pattern: _Pattern) -> None:
        """A pattern as written ran out of time on a text: the rule finds nothing from here on,
        and check() reports it."""
        if self.stalled is None:
            self.stalled = pattern
        self.silence()


class _Pattern:
    """A rule's regular expression, compiled the first time a text needs it. Compiling them all
    is most of loading the rules, and a narrowed run checks one post whose texts most needles
    rule out."""

    __slots__ = ("rule", "source", "flags", "where", "compiled")

    def __init__(self, rule: VoiceRule, source: str, flags, where: tuple | None):
        self.rule, self.source, self.flags, self.where = rule, source, flags, where
        self.compiled = None

    def get(self):
        if self.compiled is None:
            self.rule.compile()  # the rule's patterns as written first: is the rule broken?
            if self.compiled is None:  # a token or a pattern of ours: always compiles
                import regex

                self.compiled = _never() if self.rule.broken else regex.compile(self.source, self.flags)
        return self.compiled

    def search(self, text: str):
        try:
            return self.get().search(text, timeout=_TIMEOUT)
        except TimeoutError:
            self.rule.stall(self)
            return None

    def finditer(self, text: str) -> list:
        try:
            return list(self.get().finditer(text, timeout=_TIMEOUT))
        except TimeoutError:
            self.rule.stall(self)
            return []


# How long one pattern may search one text. A post's text takes microseconds; a pattern that
# backtracks (nested repeats such as (a|aa)+$) can take longer than the universe on 40 letters.
_TIMEOUT = 0.25


@lru_cache(maxsize=None)
def _never():
    """What a broken rule's patterns match: nothing."""
    import regex

    return regex.compile(r"(?!)")


def load_rules(org: Org, eager: bool = True) -> tuple[list[VoiceRule], list[Finding]]:
    """The rules of policies/voice.yaml (none when it is absent), and findings for broken patterns.
    Eager: every pattern compiled now, a broken rule left out and reported; else each rule's
    patterns compile when a text first needs them, and a broken rule then finds nothing."""
    doc = org.policies.get("voice")
    rules, problems = [], []
    for i, raw in enumerate(org.policy("voice").get("rules", [])):
        at = ("rules", i)
        flags = IGNORECASE if raw.get("ignorecase", raw["type"] != "substitution") else 0
        v1 = flags | VERSION1
        rule = VoiceRule(raw["id"], raw["type"], raw.get("level", "warning"),
                         raw.get("message") or _DEFAULT_MESSAGES[raw["type"]], raw.get("scope", {}), at,
                         description=raw.get("description", ""))
        rule.words = tuple(raw.get("tokens", [])) + tuple(raw.get("patterns", [])) + tuple(
            f"{k} → {v}" for k, v in raw.get("swap", {}).items())

        def token(t, rule=rule, v1=v1):
            return rule.pattern(rf"(?<!\w){re.escape(t)}(?!\w)", v1)

        kind = raw["type"]
        if kind == "existence":
            rule.patterns = [token(t) for t in raw.get("tokens", [])]
            rule.needles = [_needle(t, flags) for t in raw.get("tokens", [])]
            rule.patterns += [rule.pattern(p, v1, ("patterns", j)) for j, p in enumerate(raw.get("patterns", []))]
            rule.needles += [_pattern_needle(p, flags) for p in raw.get("patterns", [])]
        elif kind == "substitution":
            rule.patterns = [(token(wrong), right) for wrong, right in raw["swap"].items()]
            rule.needles = [_needle(wrong, flags) for wrong in raw["swap"]]
        elif kind == "occurrence":
            counted = raw.get("count")
            if counted:
                pattern, rule.what = _COUNTABLE[counted]
                rule.patterns = [rule.pattern(pattern, v1)]
            else:
                rule.what = raw.get("what", "matches")
                rule.patterns = [rule.pattern(raw["pattern"], v1, ("pattern",))]
            rule.needles = [_COUNTABLE_NEEDLES.get(counted)]
            rule.max = raw["max"]
        elif kind == "capitalization":
            rule.max = raw.get("max_letters", 4)
            rule.patterns = [rule.pattern(rf"(?<![\w-])\p{{Lu}}{{{rule.max + 1},}}(?![\w-])", 0)]
            rule.exceptions = frozenset(raw.get("exceptions", []))
        elif kind == "conditional":
            rule.patterns = [rule.pattern(raw["if"], v1, ("if",))]
            rule.needles = [_pattern_needle(raw["if"], flags)]
            rule.then = rule.pattern(raw["then"], v1, ("then",))
            rule.what = raw["then"]
        elif kind == "required":
            rule.campaign_hashtag = bool(raw.get("campaign_hashtag"))
            if "pattern" in raw:
                rule.then = rule.pattern(raw["pattern"], v1, ("pattern",))
                rule.what = raw.get("what", f"'{raw['pattern']}'")
        if eager:
            for where, pattern, exc in rule.compile():
                line, col = doc.pos(at + where)
                problems.append(Finding(doc.rel, line, col, "error", "voice.invalid-pattern",
                                        f"rule '{raw['id']}': '{pattern}' is not a valid regular expression ({exc})"))
            if rule.broken:
                continue
        rules.append(rule)
    return rules, problems


def _needle(token: str, flags) -> tuple[str, str] | None:
    """What a token's match is, for a substring test: itself, or ignoring case its lowercase when
    both it and the text are ASCII (full case folding makes no ASCII letters of anything else)."""
    if not flags & IGNORECASE:
        return token, "exact"
    return (token.lower(), "folded") if token.isascii() else None


# Patterns written in this much of the syntax (plain letters, a few escapes, plain character classes,
# groups, alternation and counts), which every dialect reads alike, have a needle read off them:
# the literal they open with (after a \\b), less a last character a count makes optional, or the
# plain words of a group they open with, one of which every match holds (unless a count makes the
# group optional); all when no alternation stands outside parentheses (it would offer a match
# without them).
_PLAIN_PATTERN = re.compile(r"(?:[A-Za-z0-9 %'-]|\\[bsdwSDW.]|\[\^?[A-Za-z0-9 _-]+\]|\((?:\?:)?|\)|\||[?*+]|\{\d+(?:,\d*)?\})*")
_OPENING = re.compile(r"(?:\\b)?([A-Za-z0-9 %'-]+)([?*{]?)")
_OPENING_GROUP = re.compile(r"(?:\\b)?\((?:\?:)?([A-Za-z0-9 %'-]+(?:\|[A-Za-z0-9 %'-]+)*)\)(?![?*{])")


def _pattern_needle(pattern: str, flags) -> tuple | None:
    opening, group = _OPENING.match(pattern), _OPENING_GROUP.match(pattern)
    if not (opening or group) or not _PLAIN_PATTERN.fullmatch(pattern):
        return None
    depth = 0
    for char in pattern:  # (no escaped or bracketed parenthesis or bar gets past the syntax above)
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            return None
    if group:
        needles = [_needle(word, flags) for word in group[1].split("|")]
        if None in needles:
            return None
        return tuple(literal for literal, _ in needles), needles[0][1] + "-any"
    literal = opening[1][:-1] if opening[2] else opening[1]
    return _needle(literal, flags) if literal else None


# What any match of a countable holds: hashtags '#', mentions '@', links 'http' (any case), an
# emoji a character beyond ASCII.
_COUNTABLE_NEEDLES = {"hashtags": ("#", "exact"), "mentions": ("@", "exact"), "links": ("http", "folded"),
                      "exclamations": ("!", "exact"), "emoji": ("", "beyond-ascii")}


def _may_hold(text: str, low: str | None, needle) -> bool:
    """False when no match of the pattern with this needle can be in text (low: text lowercased
    if it is ASCII, else None)."""
    if needle is None:
        return True
    literal, mode = needle
    if mode == "exact":
        return literal in text
    if mode == "folded":
        return low is None or literal in low
    if mode == "beyond-ascii":
        return low is None
    if mode == "folded-any":
        if low is None:
            return True
        text = low
    for word in literal:  # any of them
        if word in text:
            return True
    return False


def catalogue(org: Org) -> list[Rule]:
    """The org's own voice rules, for `accord explain` inside a content repository."""
    rules, _ = load_rules(org)
    return [Rule(f"voice.{r.id}", r.level, _summary(r), _config(org, r)) for r in rules]


def _summary(r: VoiceRule) -> str:
    listed = ", ".join(r.words[:6]) + (", …" if len(r.words) > 6 else "")
    text = r.description or {
        "existence": f"Not in the brand's voice: {listed}",
        "substitution": f"Spelled the brand's way: {listed}",
        "occurrence": f"At most {r.max} {r.what} in one part",
        "capitalization": f"No ALL-CAPS words longer than {r.max} letters",
        "conditional": f"A claim needs '{r.what}' in the same post",
        "required": "Every post has the campaign's hashtag" if r.campaign_hashtag else f"Every post has {r.what}",
    }[r.type]
    text = text.rstrip(".") + (f" (for {_scope(r.scope)})" if r.scope else "")
    return text if text.endswith("…") else text + "."


def _scope(scope: dict) -> str:
    return "; ".join(f"{k} {', '.join(v)}" for k, v in sorted(scope.items()) if v)


def _config(org: Org, r: VoiceRule) -> str:
    line, _ = org.policies["voice"].pos(r.at)
    words = f" Words: {', '.join(r.words)}." if r.words else ""
    return f"policies/voice.yaml line {line}: rule '{r.id}' ({r.type}).{words} Message: {r.message}"


def check(org: Org, ctx) -> list[Finding]:
    # A run that reports no findings on voice.yaml (a narrowed one) need not compile patterns no
    # text needs: one post's texts pass few needles.
    doc = org.policies.get("voice")
    rules, out = load_rules(org, eager=doc is None or ctx.wants(doc.rel))
    if not rules:
        return out
    scoped: dict = {}  # (team, account, platform) -> positions of the rules that apply there
    plans: dict = {}  # rules, and the scopes of a layout's targets -> _Plan
    for post in org.posts.values():
        if post.status in ("cancelled", "retracted") or not ctx.wants(post.doc.rel):
            continue
        # Targets that get the same texts share them: each layout is checked once, with every rule
        # that applies to any of its targets.
        layouts: dict = {}  # the platform with a variant, None for the parts -> (texts, scopes)
        for target in post.targets:
            account = target.account
            key = (post.team, account.id, account.platform)
            applicable = scoped.get(key)
            if applicable is None:
                applicable = scoped[key] = frozenset(i for i, r in enumerate(rules) if r.applies(target))
            # a platform without a variant gets the parts, as most do: one layout, found once
            layout = account.platform if isinstance(post.variants.get(account.platform), (list, str)) else None
            if layout in layouts:
                layouts[layout][1].append(applicable)
            else:
                layouts[layout] = (_texts(post, account.platform), [applicable])
        _Post(post, org.campaigns.get(post.campaign), out).check(
            [(texts, _plan(plans, rules, wanted)) for texts, wanted in layouts.values()])
    for rule in rules:
        if rule.stalled is not None and doc is not None:
            line, col = doc.pos(rule.at + (rule.stalled.where or ()))
            out.append(Finding(doc.rel, line, col, "error", "voice.invalid-pattern",
                               f"rule '{rule.id}': '{rule.stalled.source}' ran for more than {_TIMEOUT:g} s on one "
                               f"text (it backtracks: nested repeats such as (a|aa)+ try every split); rewrite "
                               f"it. The rule found nothing in this run"))
    return out


def _plan(plans: dict, rules: list[VoiceRule], wanted: list[frozenset]) -> _Plan:
    # most posts go to the same few sets of accounts: their scopes are looked up as they come
    scopes = tuple(wanted)
    plan = plans.get(scopes)
    if plan is None:
        ids = frozenset().union(*wanted)
        plan = plans.get(ids)
        if plan is None:
            plan = plans[ids] = _Plan([r for i, r in enumerate(rules) if i in ids])
        plans[scopes] = plan
    return plan


class _Plan:
    """A set of rules sorted by how a text is screened for them: a pattern whose matches all hold
    a literal runs only on texts holding it; the rest run on texts that may hold a match (any
    needle) or on every text (none)."""

    def __init__(self, rules: list[VoiceRule]):
        self.folded, self.exact = [], []  # (literal, rule, pattern, expected)
        self.others = []  # (needle or None, rule, pattern, expected)
        self.capitals, self.per_post = [], []
        self.per_part = []  # (rule, pattern, needle)
        for rule in rules:
            if rule.type in ("existence", "substitution"):
                pairs = rule.patterns if rule.type == "substitution" else [(p, None) for p in rule.patterns]
                for (pattern, right), needle in zip(pairs, rule.needles, strict=True):
                    if needle is None or needle[1] not in ("exact", "folded"):
                        self.others.append((needle, rule, pattern, right))
                    else:
                        (self.exact if needle[1] == "exact" else self.folded).append(
                            (needle[0], rule, pattern, right))
            elif rule.type == "capitalization":
                self.capitals.append((rule, b"U" * (rule.max + 1)))  # (the run of capitals to flag)
            elif rule.type == "occurrence":
                self.per_part.append((rule, rule.patterns[0], rule.needles[0]))
            else:
                self.per_post.append(rule)


class _Post:
    """One post's texts checked against plans; what a text gives is worked out once per text."""

    def __init__(self, post: Post, campaign, out: list[Finding]):
        self.post, self.campaign, self.out = post, campaign, out
        self.done: set = set()  # (rule id, data path) of every text checked with a per-text rule
        self.found: dict = {}  # (pattern, text) -> whether it is there
        self.lows: dict = {}  # text -> its lowercase if it is ASCII, else None (for the needles)

    def find(self, rule: VoiceRule, at, offset, **fields) -> None:
        line, col = self.post.doc.locate(at, offset)
        self.out.append(Finding(self.post.doc.rel, line, col, rule.level, f"voice.{rule.id}", rule.say(**fields)))

    def low(self, text: str) -> str | None:
        low = self.lows.get(text, False)
        if low is False:
            low = self.lows[text] = text.lower() if text.isascii() else None
        return low

    def search(self, pattern, text: str) -> bool:
        key = (pattern, text)
        hit = self.found.get(key)
        if hit is None:
            hit = self.found[key] = pattern.search(text) is not None
        return hit

    def check(self, layouts: list) -> None:
        for texts, plan in layouts:
            for at, text in texts:
                self.words(plan, at, text)
            if plan.per_part:
                self.occurrences(plan, texts)
            for rule in plan.per_post:
                if rule.type == "conditional":
                    self.conditional(rule, texts)
                else:
                    self.required(rule, texts)

    def words(self, plan: _Plan, at, text: str) -> None:
        """Existence, substitution and capitalization: findings of one text, whatever the layout."""
        key = (id(plan), at)
        if key in self.done:
            return
        self.done.add(key)
        low = self.low(text)
        # ignoring case, a token's lowercase is in the text's lowercase only when both are ASCII
        todo = [e for e in plan.folded if e[0] in low] if low is not None else list(plan.folded)
        todo += [e for e in plan.exact if e[0] in text]
        todo += [e for e in plan.others if _may_hold(text, low, e[0])]
        for _, rule, pattern, right in todo:
            for m in pattern.finditer(text):
                if right is None:
                    self.find(rule, at, m.start(), match=m.group(0))
                elif m.group(0) != right:
                    self.find(rule, at, m.start(), match=m.group(0), expected=right)
        for rule, run in plan.capitals:
            if low is not None and run not in text.encode("ascii").translate(_CAPITALS):
                continue
            for m in rule.patterns[0].finditer(text):
                if m.group(0) not in rule.exceptions:
                    self.find(rule, at, m.start(), match=m.group(0), max=rule.max)

    def occurrences(self, plan: _Plan, texts) -> None:
        post = self.post
        # a link not in the text is appended to the first part at publish time
        appended = post.link if post.link and not any(post.link in t for _, t in texts) else None
        appended_low = appended.lower() if appended and appended.isascii() else None
        for i, (at, text) in enumerate(texts):
            low = self.low(text)
            for rule, pattern, needle in plan.per_part:
                extra = 1 if (i == 0 and appended and _may_hold(appended, appended_low, needle)
                              and pattern.search(appended)) else 0
                # Each match holds its needle's literal, and matches do not overlap: a text holding
                # the literal no more often than allowed (the appended link's match included) holds
                # no more matches than allowed. An ASCII text holds no emoji.
                if needle is not None:
                    literal, mode = needle
                    if mode == "exact":
                        if text.count(literal) + extra <= rule.max:
                            continue
                    elif low is not None:
                        if (low.count(literal) if mode == "folded" else 0) + extra <= rule.max:
                            continue
                hits = list(pattern.finditer(text)) if _may_hold(text, low, needle) else []
                if len(hits) + extra > rule.max:
                    where = hits[rule.max].start() if len(hits) > rule.max else 0
                    self.find(rule, at, where, count=len(hits) + extra, max=rule.max, what=rule.what,
                              match=hits[rule.max].group(0) if len(hits) > rule.max else appended)

    def conditional(self, rule: VoiceRule, texts) -> None:
        # the claim first: most posts make none, and then the qualifier need not be looked for
        for at, text in texts:
            if not _may_hold(text, self.low(text), rule.needles[0]):
                continue
            m = rule.patterns[0].search(text)
            if m:
                if not any(self.search(rule.then, t) for _, t in texts):
                    self.find(rule, at, m.start(), match=m.group(0), expected=rule.what)
                return

    def required(self, rule: VoiceRule, texts) -> None:
        rule.compile()
        if rule.broken or not texts:
            return  # a broken rule finds nothing, not even a missing campaign hashtag
        campaign = self.campaign
        if rule.campaign_hashtag and campaign is not None and campaign.hashtags:
            if not any(self.tagged(text) for _, text in texts):
                self.missing(rule, texts, " or ".join(campaign.hashtags))
        if rule.then is not None and not any(self.search(rule.then, text) for _, text in texts):
            self.missing(rule, texts, rule.what)

    def missing(self, rule: VoiceRule, texts, what: str) -> None:
        line, col = self.post.doc.pos(texts[0][0])
        self.out.append(Finding(self.post.doc.rel, line, col, rule.level, f"voice.{rule.id}",
                                rule.say(expected=what)))

    def tagged(self, text: str) -> bool:
        """Whether the text has one of the campaign's hashtags."""
        low = self.low(text)
        if low is None:
            low = text.lower()
        for tag in self.campaign.hashtags:
            if _tagged(tag.lower(), low):
                return True
        return False


def _tagged(tag: str, low: str) -> bool:
    """Whether the tag is in the (lowercased) text, not followed by a word character."""
    at = low.find(tag)
    while at >= 0:
        end = at + len(tag)
        if end == len(low):
            return True
        follower = low[end]
        if not follower.isascii():  # what \w is beyond ASCII is the regex module's to say
            return _hashtag(tag).search(low, at) is not None
        if not (follower.isalnum() or follower == "_"):
            return True
        at = low.find(tag, at + 1)
    return False


def _texts(post: Post, platform: str) -> list[tuple[tuple, str]]:
    """(data path, text as written) of each part this platform gets, as compose picks them."""
    variant = post.variants.get(platform)
    if isinstance(variant, list):
        texts = [(("variants", platform, i), t) for i, t in enumerate(variant)]
    elif isinstance(variant, str):
        texts = [(("variants", platform), variant)] + [(p.at, p.text) for p in post.parts[1:]]
    else:
        texts = [(p.at, p.text) for p in post.parts]
    return texts


# ASCII capitals as U and all else as '.': in ASCII text \\p{Lu} is A-Z, so a text without a run of
# U one longer than allowed has no word to flag (bytes.translate is quicker than a regex scan).
_CAPITALS = bytes(ord("U") if ord("A") <= b <= ord("Z") else ord(".") for b in range(256))


@lru_cache(maxsize=None)
def _hashtag(tag: str):
    import regex

    return regex.compile(rf"{regex.escape(tag)}(?!\w)")
