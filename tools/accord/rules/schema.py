"""What loading the repository found: YAML syntax, schema, times and references.

The model is built once (see model.load); this family hands over its findings."""
from __future__ import annotations

from ..findings import Rule
from . import Reach, Reads

READS = frozenset({Reads.FILES})
REACH = Reach.FILE  # loading's findings (a twin x.yml beside x.yaml: loading sees every file)
WANTED_ONLY = False

RULES = [
    Rule("yaml.syntax", "error", "The file is valid YAML."),
    Rule("yaml.duplicate-key", "error", "No key appears twice in one mapping."),
    Rule("yaml.encoding", "error", "Files are UTF-8."),
    Rule("schema.unknown-key", "error", "Every key is one the file's schema knows; a misspelling gets a did-you-mean."),
    Rule("schema.required", "error", "Required keys are present."),
    Rule("schema.type", "error", "Values have the type the schema asks for."),
    Rule("schema.enum", "error", "Values from a fixed list (platform, status, metric) are one of it."),
    Rule("schema.format", "error", "Values match their form (handles, hashtags, durations, slugs)."),
    Rule("schema.empty", "error", "Lists and texts that must have content have it."),
    Rule("schema.range", "error", "Numbers are within their bounds."),
    Rule("schema.invalid", "error", "Anything else the schema refuses."),
    Rule("schema.unknown-file", "warning", "A YAML file under content/ or policies/ that accord does not read there."),
    Rule("time.invalid", "error", "publish_at, embargo and window times are times accord can read."),
    Rule("time.zone", "error", "Time zones are IANA names."),
    Rule("time.dst-gap", "error", "A local time does not fall in the hour skipped when clocks go forward."),
    Rule("time.dst-ambiguous", "error", "A local time is not one that happens twice when clocks go back; write an offset."),
    Rule("post.text", "error", "A post has text or a thread, not both."),
    Rule("post.when", "error", "A ready post has publish_at or on_merge, not both."),
    Rule("post.unknown-account", "error", "Every account a post names exists."),
    Rule("post.unknown-reference", "error", "A reply_to or quote written as a post id (team/campaign/post) names a "
         "post in the repository; a URL or the network's own id is taken as written."),
    Rule("post.unused-variant", "warning", "Every platform a post has a variant for is the platform of one of its accounts."),
    Rule("post.no-campaign", "error", "Every post's folder has a valid campaign.yaml."),
    Rule("account.duplicate-id", "error", "Account ids (file names) are unique across teams."),
    Rule("account.no-team", "error", "Every account's team has a valid team.yaml."),
    Rule("file.twice", "error", "A post, team, campaign or policy is one file: x.yaml and x.yml side by side "
         "are the same one, and only the first is read."),
    Rule("file.outside", "error", "No file accord reads (under content/ and policies/, accord.yaml, the ledger, the "
         "business CSVs) is a "
         "symbolic link that leads outside the repository; nothing of what it points to is read or shown. "
         "A link to a file inside the repository reads as that file."),
    Rule("file.special", "error", "Files accord reads are regular files, not devices, pipes or sockets."),
    Rule("file.too-large", "error", "A YAML file or ledger record is at most 1 MiB (a post is a few kB), a business "
         "CSV at most 16 MiB; a larger one is not read."),
    Rule("freeze.unknown", "error", "A freeze in policies/freeze.yaml names an account or team that exists "
         "(the publisher publishes nothing while one does not)."),
    Rule("allow.unused", "warning", "A suppression silences something; stale ones are removed."),
]


def check(org, ctx):
    return org.findings
