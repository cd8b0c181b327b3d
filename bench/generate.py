"""Generate a synthetic but believable content repository for the benchmark.

    python bench/generate.py bench/out/org-10k --posts 10000 [--teams 40] [--seed 7]

Many teams (each with one account per platform), campaigns with SMART objectives, and posts
mixing plain text, threads, per-platform variants, media with alt text, links, replies,
quotes, translations, drafts and on-merge posts. Publish times follow each team's own
calendar (three daytime slots a day, weekdays), so min gaps, daily caps and quiet hours hold.
The policies are the example org's (policies/*.yaml of this repository, team and account names
swapped), so voice, approvals and schedule defaults run as they would for a real org.
The same seed gives byte-identical files.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import struct
import sys
import zlib
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLATFORMS = ("outbox", "x", "mastodon", "bluesky", "linkedin")
MARKER = ".accord-bench"  # only a folder holding this file is ever wiped by --force
START = date(2027, 2, 1)  # well after today's clock, so no post is in the past
SLOTS = ("09:30", "13:30", "17:30")  # local times: 4 h apart, outside 21:00-07:00 quiet hours
POSTS_PER_CAMPAIGN = 25

ZONES = ("Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago",
         "America/Los_Angeles", "America/Sao_Paulo", "Asia/Tokyo", "Asia/Singapore",
         "Australia/Sydney", "Asia/Kolkata", "Africa/Johannesburg")
REGIONS = {"Europe": "emea", "Africa": "emea", "America": "americas", "Asia": "apac", "Australia": "apac"}
DEPARTMENTS = ("brand", "marketing", "careers", "support", "devrel", "product", "security", "partners",
               "community", "events")
FIRST = ("maya", "tom", "priya", "hannah", "ravi", "claire", "sam", "yuki", "kenji", "aiko", "lena",
         "jonas", "ines", "omar", "fatima", "lucas", "sofia", "diego", "mei", "arjun", "nora", "felix")
LAST = ("okafor", "lindqvist", "raman", "cole", "desai", "dubois", "nakamura", "tanaka", "sato",
        "mori", "fischer", "weber", "garcia", "haddad", "silva", "chen", "iyer", "berg", "novak")
BUSINESS = ("link_clicks", "sign_ups", "applications", "leads", "sales")
ENGAGEMENT = ("replies", "reposts", "quotes", "bookmarks", "engagements")
VANITY = ("impressions", "likes", "followers")

# Text is built from sentences, each a template with a few [alternative|phrasings] and several
# slots filled from long lists (customers are two-part names, numbers vary widely), so that no two
# posts on one account, nor two teams' posts in one fortnight, come near the duplicates rule's 90%
# even at 100k posts. All ASCII, clear of the voice rules.
CUSTOMER_NAMES = ("Northwind", "Acme", "Bluefin", "Harbor", "Quill", "Tallyho", "Fernway", "Orbital",
                  "Pinecrest", "Lumen", "Stackwise", "Driftwood", "Copperleaf", "Mosaic", "Redwood", "Sable",
                  "Juniper", "Kitewire", "Marlow", "Brightpath", "Cinder", "Halcyon", "Vantage", "Nimbus",
                  "Oakline", "Parcelbird", "Quartzlight", "Riverbend", "Ashgrove", "Bellwether", "Cobalt",
                  "Dovetail", "Emberly", "Foxglove", "Granite", "Heron", "Ironbark", "Jasper", "Larkspur",
                  "Meridian", "Northstar", "Oxbow", "Pebble", "Quayside", "Rookery", "Saltmarsh", "Thistle",
                  "Umber", "Vireo", "Wren", "Yarrow", "Zephyr")
CUSTOMER_KINDS = ("Labs", "Health", "Media", "Foods", "Bank", "Games", "Energy", "Insurance", "Retail",
                  "Freight", "Schools", "Studios", "Air", "Farms", "Pay", "Legal", "Robotics", "Travel",
                  "Logistics", "Telecom", "Analytics", "Clinics", "Mobility", "Software", "Books", "Motors")
FEATURES = ("remote caching", "build sharding", "arm64 runners", "test impact analysis", "merge queues",
            "artefact retention", "preview environments", "flaky test quarantine", "secrets scanning",
            "GPU runners", "dependency insights", "deploy approvals", "matrix builds", "log search",
            "warm pools", "spot runners", "pipeline templates", "audit trails", "cost reports",
            "container layer caching", "incremental checkouts", "job retries with backoff", "canary deploys",
            "one-click rollbacks", "build annotations", "test splitting", "parallel steps",
            "self-hosted runners", "private registries", "cache warming", "branch previews", "SBOM exports",
            "signed artefacts", "policy checks", "environment locks", "coverage gates", "dependency pinning",
            "nightly builds", "scheduled pipelines", "pipeline insights", "step summaries",
            "runner autoscaling", "ephemeral runners", "cross-repo triggers", "path filters",
            "build provenance", "deploy freezes", "licence scanning", "container scanning", "test retries",
            "job dashboards", "regional runners", "Windows runners", "macOS runners", "build graphs",
            "dependency caching", "release gates", "workflow linting", "queue priorities", "usage alerts")
THINGS = ("queue time", "build time", "test time", "deploy time", "time to first error",
          "median pipeline time", "p95 build time", "cache misses", "runner spend", "checkout time",
          "retry rate", "time to green", "flaky test count", "review wait", "rollback time",
          "image pull time", "compile time", "lint time", "setup time", "upload time", "failed deploys",
          "idle runner hours", "time to restore", "lead time", "install time", "merge wait",
          "nightly build time", "container start time", "cold start time", "integration test time")
PLACES = ("Berlin", "Tokyo", "Lisbon", "Austin", "Toronto", "Nairobi", "Seoul", "Dublin", "Lagos",
          "Melbourne", "Bogota", "Warsaw", "Chennai", "Oslo", "Montreal", "Lyon", "Osaka", "Denver",
          "Cape Town", "Auckland", "Madrid", "Helsinki", "Recife", "Hanoi", "Edinburgh", "Porto", "Krakow",
          "Vienna", "Zurich", "Munich", "Hamburg", "Prague", "Budapest", "Athens", "Istanbul", "Cairo",
          "Accra", "Kigali", "Casablanca", "Dubai", "Bangalore", "Pune", "Jakarta", "Manila", "Taipei",
          "Busan", "Sapporo", "Perth", "Brisbane", "Wellington", "Santiago", "Lima", "Quito", "Medellin",
          "Monterrey", "Vancouver", "Seattle", "Portland", "Chicago", "Atlanta", "Boston", "Halifax",
          "Glasgow", "Cardiff", "Bristol", "Leeds", "Rotterdam", "Antwerp", "Ghent", "Copenhagen",
          "Gothenburg", "Tallinn", "Riga", "Vilnius", "Bucharest", "Sofia", "Belgrade", "Zagreb")
TOPICS = ("keeping pipelines boring", "caching the right things", "fixing slow tests first",
          "security in the build", "shipping on Fridays without fear", "monorepos at scale",
          "reproducible builds", "cost per pipeline", "developer happiness", "onboarding in a day",
          "release trains", "testing in production safely", "pipelines as code", "green builds",
          "small batches", "trunk based development", "supply chain safety", "faster feedback loops",
          "calm weeks on call", "builds on a budget", "migrating off cron jobs", "flaky tests for good",
          "deploys without meetings", "platform teams that say yes", "measuring what matters")
ROLES = ("platform engineer", "site reliability engineer", "developer advocate", "support engineer",
         "product designer", "technical writer", "data engineer", "security engineer",
         "engineering manager", "solutions architect", "build engineer", "release manager",
         "QA lead", "staff engineer", "infrastructure engineer", "product manager", "mobile engineer",
         "test automation engineer", "developer experience lead", "cloud architect",
         "open source maintainer", "community manager", "customer success manager", "backend engineer")
EVENTS = ("meetup", "workshop", "webinar", "livestream", "hack night", "breakfast briefing", "panel",
          "build clinic", "study group", "roadshow stop", "user group", "lunch and learn")
UNITS = ("pipelines", "builds", "jobs", "deploys", "test runs", "merges")
OPENINGS = (
    "{customer} [cut|trimmed|brought down|reduced|shaved|lowered|halved] [their|its] {thing} from {n1} to"
    " {n2} minutes [with|using|after turning on|by switching to] {feature}.",
    "How {customer} runs {n3} {unit} a [day|week] on {feature}, [told|explained|written up] by their"
    " {role} in {place}.",
    "New in {month}: {feature} now works with {feature2}, [starting with|first for|beginning with]"
    " {customer} and teams in {place}.",
    "[We are hiring|We are looking for|Come and work with us as] {a_role} in {place} to [work on|look"
    " after|help build] {feature}[ with a team of {n4}| alongside {n4} others| for {n3} customers].",
    "Join us in {place} on {day} for [an evening|a morning|an afternoon|a {event}] about {topic}, with"
    " {customer} and {customer2}.",
    "Numbers from {month}: {n3} {unit} on {feature}, {n5} percent [cache hits|first-time passes|green"
    " runs], {n2} minute median [runs|waits|builds].",
    "Tip from our {role} in {place}: [pair|combine|run] {feature} with {feature2} to cut {thing} by {n5}"
    " percent.",
    "[Office hours|Drop-in hours|A clinic] in {place} on {day}: our {role} looks at the {thing} of your"
    " {feature} setup.",
    "{customer} moved {n3} repositories to {feature} in {n4} weeks, then wrote about {topic}.",
    "Our [support|solutions|community] team in {place} answered {n3} questions about {feature} in"
    " {month}.",
    "A [short|practical|field] guide to {topic}, with examples from {customer} and {customer2} on"
    " {feature}.",
    "Ask us anything about {feature} on {day}, hosted by {person}, our {role} from {place}.",
    "{customer} now [builds|tests|deploys] {n4} services on {feature} from {place}, with {thing} down"
    " {n5} percent.",
    "Case study: {customer} and the {n1} minute {thing} they [had|lived with|put up with] before"
    " {feature}.",
    "[A small|A quiet|A useful] change in {month}: {feature} [shows|reports|flags] {thing} per [branch|job"
    "|team|repository] for {customer}.",
    "[Meet|Say hello to|Catch] {person}, our {role} from {place}, at the {event} on {day}[, talking about|,"
    " demoing| on] {feature}.",
    "{n3} teams turned on {feature} in {month}; [the median|the typical] {thing} [fell|dropped|went down]"
    " by {n5} percent.",
    "From the {place} {event}: {customer} on {topic}, {feature} and {feature2}.",
    "What {n4} weeks of {feature} did for {customer}: {thing} from {n1} minutes down to {n2}.",
    "Why the {role} at {customer} [chose|picked|switched to] {feature} for {topic}.",
)
DETAILS = (
    "{customer2}'s {role} says {feature2} saves them {n4} hours a [week|sprint|month].",
    "The biggest win was {thing2}: down {n5} percent across {n3} {unit}.",
    "Teams in {place2} saw {thing2} fall by {n5} percent after turning on {feature2}.",
    "It took {customer2} {n4} days to roll {feature2} out to {n3} repositories.",
    "Next on the roadmap: {feature2} for [anyone|every team] who cares about {topic}.",
    "Our {role} from {place2} wrote up what changed in {thing2} and why.",
    "Bring questions about {feature2}; {person} from {customer2} will share their {thing2} numbers.",
    "In {month} alone that was {n3} fewer runner hours for {customer2}.",
    "{customer2} in {place2} now ships {n4} times a day, with {thing2} under {n2} minutes.",
    "The {role} behind it spent {n4} weeks on {topic} before {feature2} clicked.",
    "Ask {customer2} about {topic}: they went from {n1} to {n2} minute {thing2} in {month}.",
    "{n5} percent of teams in {place2} already run {feature2} next to it.",
    "{feature2} [is next|comes next|follows] for {customer2}, [starting|beginning] with {n4} [services"
    "|repositories|teams].",
    "[Their|The] {thing2} went from {n1} to {n2} minutes [on the same hardware|without new runners|on the"
    " same budget].",
    "The [recording|write-up|slide deck] [covers|walks through|shows] {feature2} and {thing2} at"
    " {customer2}.",
    "Anyone running {feature2} in {place2} [is welcome|can join]; {person} [hosts|leads|runs] it.",
    "{person}, {a_role} at {customer2}, [calls it|says it was] the [easiest|most useful|quietest] change"
    " of their {month}.",
    "Their {n4} [squads|teams|product groups] now share one {feature2} setup across {n3} {unit}.",
    "[We|Our team] [measured|tracked|counted] {thing2} at {customer2} for {n4} weeks before and after.",
    "{customer2} and {customer3} [are coming|have signed up] to compare notes on {feature2}.",
)
FOLLOW_UPS = (
    "The write-up covers the config, the numbers and what did not work.",
    "Everything shown runs on the free tier for open source projects; terms apply.",
    "Slides and recordings go up the week after.",
    "We would love to hear how your team does it.",
    "Questions welcome in the replies or in our community forum.",
    "Thanks to everyone who tried the beta and told us what broke.",
    "It is rolling out to every region over the next week.",
    "The docs have a migration guide with before and after timings.",
)
GERMAN = (
    "Neu [bei uns|im {month}|ab sofort]: {feature} fuer alle Teams in {place}, vorgestellt von {customer}.",
    "Treffen Sie uns am {day} in {place}: {customer} zeigt {feature} und {feature2}.",
    "{customer} spart jetzt {n5} Prozent [Zeit|Laufzeit|Wartezeit] mit {feature} und {feature2}.",
    "Unser Team in {place} hat im {month} {n3} Fragen zu {feature} beantwortet.",
    "{customer} hat {n3} Repositories in {n4} Wochen auf {feature} umgestellt.",
    "Tipp aus {place}: {feature} und {feature2} zusammen senken die {thing} um {n5} Prozent.",
    "Fragen zu {feature}? Am {day} [antwortet|hilft] {person} aus {place} live.",
    "Bei {customer2} laufen jetzt {n4} Dienste auf {feature}, [betreut|gebaut] von {n2} Leuten in"
    " {place2}.",
)
GERMAN_MONTHS = ("Januar", "Februar", "Maerz", "April", "Mai", "Juni", "Juli", "August", "September",
                 "Oktober", "November", "Dezember")
_CHOICE = re.compile(r"\[([^\[\]]*)\]")


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A 4x4 single-colour PNG: real media files, a few dozen bytes each."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes(rgb) * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _team(i: int) -> tuple[str, str, str]:
    """Department, time zone and id of team number i."""
    dept, zone = DEPARTMENTS[i % len(DEPARTMENTS)], ZONES[i % len(ZONES)]
    return dept, zone, f"{dept}-{REGIONS[zone.split('/')[0]]}-{i:02d}"


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return "\n".join(pad + line if line else "" for line in text.split("\n"))


def _hash(texts: list[str]) -> str:
    """What accord check expects in translation_of.source_hash (Post.text_hash)."""
    joined = "\n\n".join(t.strip() for t in texts)
    return hashlib.sha256(" ".join(joined.split()).encode()).hexdigest()[:12]


class Generator:
    def __init__(self, root: Path, posts: int, teams: int, seed: int):
        self.root, self.n_posts, self.n_teams = root, posts, teams
        self.seed = seed
        self.rnd = random.Random(seed)
        self.files = 0
        self.zones: dict[str, str] = {}  # team id -> its time zone

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.files += 1

    def run(self) -> None:
        self.write(MARKER, "generated by bench/generate.py; safe to delete\n"
                   f"posts={self.n_posts} teams={self.n_teams} seed={self.seed}\n")
        self.write("accord.yaml", "# yaml-language-server: $schema=schemas/accord.schema.json\n"
                   "org: Benchmark Industries\ntimezone: Europe/London\ndefault_branch: main\n"
                   "state:\n  path: state\npublisher:\n  look_ahead: 15m\n  max_lateness: 6h\n"
                   "utm:\n  enabled: true\n  source: \"{platform}\"\n  medium: social\n")
        self.files -= 1  # the marker is not content
        per_team = [self.n_posts // self.n_teams + (1 if i < self.n_posts % self.n_teams else 0)
                    for i in range(self.n_teams)]
        for i, n in enumerate(per_team):
            self.team(i, n)
        self.policies()

    def policies(self) -> None:
        """The example org's policies, with its team and account names swapped for ours, so
        every rule family runs as it would for a real org."""
        teams = [_team(i) for i in range(self.n_teams)]
        careers = [tid for dept, _, tid in teams if dept == "careers"] or [teams[0][2]]
        brand = next((tid for dept, _, tid in teams if dept == "brand"), teams[0][2])
        comms = next((tid for dept, _, tid in teams if dept == "marketing"), brand)
        swaps = {
            "voice": {"teams: [careers]": f"teams: [{', '.join(careers)}]"},
            "schedule": {},
            "approvals": {
                "[brand-x, brand-mastodon, brand-bluesky, brand-linkedin]":
                    "[" + ", ".join(f"{brand}-{p}" for p in PLATFORMS if p != "outbox") + "]",
                "teams: [brand]": f"teams: [{brand}]", "teams: [comms]": f"teams: [{comms}]"},
        }
        for name, swap in swaps.items():
            text = (REPO / "policies" / f"{name}.yaml").read_text(encoding="utf-8")
            for old, new in swap.items():
                if old not in text:
                    raise SystemExit(f"policies/{name}.yaml no longer says {old!r}: update bench/generate.py")
                text = text.replace(old, new)
            self.write(f"policies/{name}.yaml", text)

    def _fill(self, template: str, month: str, day: str) -> str:
        r = self.rnd
        template = _CHOICE.sub(lambda m: r.choice(m.group(1).split("|")), template)
        n1 = r.randint(9, 90)
        f1, f2 = r.sample(FEATURES, 2)
        t1, t2 = r.sample(THINGS, 2)
        p1, p2 = r.sample(PLACES, 2)
        c1, c2, c3 = (f"{name} {kind}" for name, kind in zip(r.sample(CUSTOMER_NAMES, 3),
                                                             r.sample(CUSTOMER_KINDS, 3), strict=True))
        role = r.choice(ROLES)
        return template.format(customer=c1, customer2=c2, customer3=c3, thing=t1, thing2=t2,
                               n1=n1, n2=r.randint(2, n1 - 1), n3=f"{r.randint(2, 990) * 10:,}",
                               n4=r.randint(3, 24), n5=r.randint(11, 89), feature=f1, feature2=f2,
                               place=p1, place2=p2, topic=r.choice(TOPICS), role=role,
                               a_role=("an " if role[0] in "aeiou" else "a ") + role,
                               person=f"{r.choice(FIRST).title()} {r.choice(LAST).title()}",
                               event=r.choice(EVENTS), unit=r.choice(UNITS), month=month, day=day)

    def _text(self, tag: str, when: date, limit: int, german: bool = False) -> str:
        """An opening and a detail sentence (one when two do not fit) and the tag, in at most `limit`
        characters (ASCII, so every network counts it so)."""
        r = self.rnd
        if german:
            month, day = GERMAN_MONTHS[when.month - 1], when.strftime("%-d.%m.")
            first = rest = GERMAN
        else:
            month, day = when.strftime("%B"), (when + timedelta(days=9)).strftime("%-d %B")
            first, rest = OPENINGS, DETAILS
        room = limit - len(tag) - 1
        sentences: list[str] = []
        for _ in range(100):
            opening = self._fill(r.choice(first), month, day)
            if len(opening) <= room:
                sentences.append(opening)
                break
        else:
            raise SystemExit(f"no opening fits in {room} characters: shorten the templates in bench/generate.py")
        for _ in range(5):
            detail = self._fill(r.choice(rest), month, day)
            if len(sentences[0]) + 1 + len(detail) <= room:
                sentences.append(detail)
                break
        if not german and limit > 400 and r.random() < 0.5:
            follow_up = r.choice(FOLLOW_UPS)
            if sum(len(t) + 1 for t in sentences) + len(follow_up) <= room:
                sentences.append(follow_up)
        return " ".join([*sentences, tag])

    def team(self, i: int, n_posts: int) -> None:
        r = self.rnd
        dept, zone, tid = _team(i)
        self.zones[tid] = zone
        members = sorted({f"{r.choice(FIRST)}-{r.choice(LAST)}" for _ in range(r.randint(3, 7))})
        self.write(f"content/{tid}/team.yaml",
                   "# yaml-language-server: $schema=../../schemas/team.schema.json\n"
                   f"name: {dept.title()} ({zone.split('/')[-1].replace('_', ' ')})\n"
                   f"github_team: bench-org/{tid}\nmembers:\n" + "".join(f"  - {m}\n" for m in members)
                   + f"region: {REGIONS[zone.split('/')[0]]}\ntimezone: {zone}\n"
                   f"description: The {dept} team for {zone.split('/')[-1].replace('_', ' ')}.\n")
        accounts = {}
        for platform in PLATFORMS:
            aid = f"{tid}-{platform}"
            accounts[platform] = aid
            handle = {"outbox": f"@{tid}", "x": f"@Bench{dept.title()}{i:02d}",
                      "mastodon": f"@{dept}{i:02d}@social.example.com",
                      "bluesky": f"{dept}{i:02d}.example.com",
                      "linkedin": f"bench-{tid}"}[platform]
            lines = ["# yaml-language-server: $schema=../../../schemas/account.schema.json",
                     f"platform: {platform}", f'handle: "{handle}"',
                     f"name: Bench {dept.title()} {i:02d}"]
            if i % 10 == 0 and platform != "outbox":
                lines += ["contributors:", f"  - {_team((i + 1) % self.n_teams)[2]}"]
            if platform != "outbox":
                lines.append(f"credentials_env: {tid.upper().replace('-', '_')}_{platform.upper()}")
            if platform == "mastodon":
                lines.append("api_base: https://social.example.com")
            lines += ["limits:", "  min_gap: 3h", "  daily_cap: 4",
                      "  quiet_hours:", '    start: "21:00"', '    end: "07:00"']
            self.write(f"content/{tid}/accounts/{aid}.yaml", "\n".join(lines) + "\n")
        # The team's calendar: weekdays, three slots a day, one post per slot.
        slots = []
        day = START + timedelta(days=i % 5)
        while len(slots) < n_posts:
            if day.weekday() < 5:
                slots.extend((day, s) for s in SLOTS)
            day += timedelta(days=1)
        slots = slots[:n_posts]
        for c, start in enumerate(range(0, n_posts, POSTS_PER_CAMPAIGN)):
            self.campaign(tid, c, zone, members, accounts, slots[start:start + POSTS_PER_CAMPAIGN])

    def campaign(self, tid: str, c: int, zone: str, members: list[str], accounts: dict,
                 slots: list[tuple[date, str]]) -> None:
        r = self.rnd
        topic = r.choice(TOPICS)
        cname = f"{topic.split()[0]}-{topic.split()[-1]}-{c:03d}".replace("'", "")
        tag = "#" + "".join(w.title() for w in topic.split()[:2]) + f"{c:03d}"
        first, last = slots[0][0], slots[-1][0]
        metric_kind = r.random()
        metric = r.choice(BUSINESS if metric_kind < 0.7 else ENGAGEMENT if metric_kind < 0.9 else VANITY)
        baseline = r.randint(50, 5000)
        lines = ["# yaml-language-server: $schema=../../../schemas/campaign.schema.json",
                 f"name: {topic.capitalize()} ({c + 1})", f"owner: {r.choice(members)}",
                 "window:", f"  start: {first - timedelta(days=1)}", f"  end: {last + timedelta(days=1)}",
                 "key_message: >-", f"  {self._text(tag, first, 200)}",
                 "hashtags:", f'  - "{tag}"', "regions:", f"  - {tid.split('-')[1]}",
                 f"utm_campaign: {cname}", "objective:", f"  metric: {metric}",
                 f"  baseline: {baseline}", f"  target: {baseline * r.randint(2, 4)}",
                 f"  deadline: {last + timedelta(days=30)}"]
        if metric in VANITY:  # a vanity count alone is a warning; pair it with a business one
            lines += ["  secondary:", f"    - {r.choice(BUSINESS)}"]
        embargoed = r.random() < 0.1
        if embargoed:
            lines.append(f"embargo: {first - timedelta(days=2)}T08:00 {zone}")
        self.write(f"content/{tid}/{cname}/campaign.yaml", "\n".join(lines) + "\n")
        media = []
        for m in range(r.randint(1, 3)):
            name = f"media/{cname}-{m}.png"
            path = self.root / "content" / tid / cname / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_png((r.randrange(256), r.randrange(256), r.randrange(256))))
            media.append(name)
        written: list[tuple[str, list[str]]] = []  # (post id, texts) for replies and translations
        for n, (day, slot) in enumerate(slots):
            self.post(tid, cname, n, day, slot, tag, accounts, media, written, embargoed)

    def post(self, tid, cname, n, day, slot, tag, accounts, media, written, embargoed) -> None:
        r = self.rnd
        name = f"{day:%m%d}-{n:02d}-{r.choice(('update', 'story', 'tip', 'event', 'numbers', 'hiring'))}"
        pid = f"{tid}/{cname}/{name}"
        targets = r.sample(PLATFORMS, r.choice((1, 1, 2, 2, 3)))
        link = f"https://www.example.com/blog/{name}" if r.random() < 0.4 else None
        limit = 3000 - 100
        if "x" in targets:
            limit = min(limit, 280 - (25 if link else 0) - 3)  # X counts any URL as 23
        if "mastodon" in targets:
            limit = min(limit, 500 - (25 if link else 0) - 3)
        if "bluesky" in targets:  # Bluesky counts the link as posted, UTM tags and all
            tagged = f"{link}?utm_source=bluesky&utm_medium=social&utm_campaign={cname}&utm_content={name}" if link else ""
            limit = min(limit, 300 - (len(tagged) + 2 if link else 0) - 3)
        out = ["# yaml-language-server: $schema=../../../schemas/post.schema.json", "accounts:"]
        out += [f"  - {accounts[p]}" for p in PLATFORMS if p in targets]
        roll = r.random()
        if roll < 0.01:
            out.append("status: draft")
        elif roll < 0.015 and not embargoed:  # on_merge cannot wait for an embargo
            out.append("on_merge: true")
        elif r.random() < 0.5:
            out.append(f"publish_at: {day}T{slot}")  # naive: the account's zone
        else:
            out.append(f"publish_at: {day}T{slot} {self.zones[tid]}")
        translated = written and r.random() < 0.05 and len(written[-1][1]) == 1
        out.append(f"locale: {'de' if translated else 'en'}")
        texts: list[str]
        if translated:
            source, source_texts = written[-1]
            texts = [self._text(tag, day, limit, german=True)]
            out += ["translation_of:", f"  post: {source}", f"  source_hash: \"{_hash(source_texts)}\"",
                    "text: |-", _block(texts[0], 2)]
        elif r.random() < 0.2:
            texts = [self._text(tag, day, limit) for _ in range(r.randint(2, 4))]
            out.append("thread:")
            for k, t in enumerate(texts):
                out += ["  - text: |-", _block(t, 6)]
                if k == 0 and r.random() < 0.5:
                    out += ["    media:", f"      - path: {r.choice(media)}", "        alt: >-",
                            _block(self._alt(), 10)]
        else:
            texts = [self._text(tag, day, limit)]
            out += ["text: |-", _block(texts[0], 2)]
            if r.random() < 0.3:
                out += ["media:", f"  - path: {r.choice(media)}", "    alt: >-", _block(self._alt(), 6)]
        if "linkedin" in targets and (len(texts) > 1 or r.random() < 0.15):
            # LinkedIn has no threads: one longer text of its own
            long = "\n\n".join(self._text(tag, day, 900) for _ in range(3))
            out += ["variants:", "  linkedin:", "    - |-", _block(long, 6)]
        if link:
            out.append(f"link: {link}")
        if written and r.random() < 0.05:
            out.append(f"{r.choice(('reply_to', 'quote'))}: {r.choice(written)[0]}")
        if r.random() < 0.05:
            out += ["tags:", "  - announcement"]
        if r.random() < 0.03 and "on_merge: true" not in out:
            out.append(f"embargo: {day - timedelta(days=1)}T08:00:00+00:00")
        if r.random() < 0.1:
            out.append(f"notes: Check the numbers with {r.choice(FIRST)} before this goes out.")
        self.write(f"content/{pid}.yaml", "\n".join(out) + "\n")
        written.append((pid, texts))

    def _alt(self) -> str:
        r = self.rnd
        return (f"Bar chart of {r.choice(THINGS)} for {r.choice(CUSTOMER_NAMES)} {r.choice(CUSTOMER_KINDS)} "
                f"over {r.randint(4, 12)} weeks: "
                f"the bars fall from {r.randint(20, 60)} to {r.randint(3, 19)} minutes after "
                f"{r.choice(FEATURES)} was turned on.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("target", type=Path, help="folder to create (must be new, empty, or made by this script)")
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--teams", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    root = args.target
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).is_file():
            print(f"{root} is not empty and was not made by this script; not touching it", file=sys.stderr)
            return 2
        shutil.rmtree(root)
    gen = Generator(root, args.posts, args.teams, args.seed)
    gen.run()
    print(f"{root}: {args.posts} posts, {args.teams} teams, {args.teams * len(PLATFORMS)} accounts, "
          f"{gen.files} YAML files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
