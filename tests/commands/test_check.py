"""`accord check` as a user runs it: positions, hints, formats, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CAMPAIGN, POST, rules_at

REPO = Path(__file__).resolve().parents[2]


def test_clean_org_passes(org):
    code, findings = org.check()
    assert (code, findings) == (0, [])


def test_example_organisation_passes():
    result = subprocess.run([sys.executable, "-m", "accord", "check", "--format", "json"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["counts"]["error"] == 0
    assert report["files_checked"] > 80
    # The one intended warning: a campaign whose objective is a vanity count.
    assert [(f["file"], f["rule"]) for f in report["findings"]] == [
        ("content/brand/year-in-builds/campaign.yaml", "objectives.vanity")]


def test_every_schema_problem_in_a_file_is_reported_at_its_position(org):
    org.write("content/brand/launch/teaser.yaml", """\
        text: Hello
        acounts: [brand-outbox]
        publish_at: 2026-12-08T10:00:00+00:00
        status: redy
        locale: en
        media:
          - path: media/a.png
    """)
    code, findings = org.check()
    assert code == 1
    by_rule = {f["rule"]: f for f in findings}
    assert rules_at(findings) == [
        ("content/brand/launch/teaser.yaml", "schema.enum", 4),
        ("content/brand/launch/teaser.yaml", "schema.required", 1),
        ("content/brand/launch/teaser.yaml", "schema.required", 7),
        ("content/brand/launch/teaser.yaml", "schema.unknown-key", 2),
    ]
    assert (by_rule["schema.unknown-key"]["col"], by_rule["schema.unknown-key"]["hint"]) == (
        1, "did you mean 'accounts'?")
    assert (by_rule["schema.enum"]["col"], by_rule["schema.enum"]["hint"]) == (9, "did you mean 'ready'?")
    assert any("'alt'" in f["message"] for f in findings if f["line"] == 7)


def test_text_output_is_one_line_per_problem(org):
    org.write("content/brand/launch/teaser.yaml", """\
        text: Hello
        accounts: [brand-outbox]
        publish_at: 2026-12-08T10:00:00+00:00
        platfrom: x
    """)
    result = org.run("check", "--now", "2026-11-23T12:00:00+00:00")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first == ("content/brand/launch/teaser.yaml:4:1: error[schema.unknown-key] "
                     "unknown key 'platfrom' (allowed here: " + first.split("(allowed here: ")[1])
    assert "Traceback" not in result.output


def test_dst_gap_and_ambiguous_times_in_the_account_zone(org):
    # Europe/London: clocks skip 01:00-02:00 on 2027-03-28 and repeat 01:00-02:00 on 2027-10-31.
    org.write("content/brand/launch/campaign.yaml", """\
        name: Launch
        owner: alice
        window: {start: 2027-03-01, end: 2027-11-30}
        objective: {metric: sign_ups, baseline: 1, target: 2, deadline: 2027-12-01}
    """)
    org.write("content/brand/launch/gap.yaml", """\
        text: Into the gap
        accounts: [brand-outbox]
        publish_at: 2027-03-28T01:30
    """)
    org.write("content/brand/launch/twice.yaml", """\
        text: Twice
        accounts: [brand-outbox]
        # a comment line moves the key down
        publish_at: "2027-10-31 01:30 Europe/London"
    """)
    org.write("content/brand/launch/offset.yaml", """\
        text: An offset makes it exact
        accounts: [brand-outbox]
        publish_at: 2027-10-31T01:30:00+01:00
    """)
    code, findings = org.check("content/brand/launch/gap.yaml", "content/brand/launch/twice.yaml",
                               "content/brand/launch/offset.yaml")
    assert code == 1
    assert rules_at(findings) == [
        ("content/brand/launch/gap.yaml", "time.dst-gap", 3),
        ("content/brand/launch/twice.yaml", "time.dst-ambiguous", 4),
    ]
    gap = next(f for f in findings if f["rule"] == "time.dst-gap")
    assert gap["col"] == 13 and "Europe/London" in gap["message"]
    assert gap["message"].endswith("(the zone of account brand-outbox)")  # read in the account's zone
    twice = next(f for f in findings if f["rule"] == "time.dst-ambiguous")
    assert "the zone of account" not in twice["message"]  # its zone is written after it


def test_a_time_in_a_form_people_do_not_read_at_a_glance_is_a_finding(org):
    """Python reads week dates, the basic format and a date alone as times; accord takes the
    forms the schema documents, and says what a day alone lacks."""
    written = {"day": "2026-12-09", "week": "2026-W50-3T09:00", "basic": "20261209T0900",
               "hour": "2026-12-09T09", "plain": "2026-12-09 09:00", "offset": "2026-12-09T09:00:00+01:00",
               "zoned": "2026-12-09T09:00 Europe/Berlin", "z": "2026-12-09T09:00Z"}
    for name, when in written.items():
        org.write(f"content/brand/launch/{name}.yaml", f"text: At {name}\naccounts: [brand-outbox]\npublish_at: '{when}'\n")
    code, findings = org.check(*(f"content/brand/launch/{name}.yaml" for name in written))
    assert code == 1
    assert [x for x in rules_at(findings) if x[1].startswith("time.")] == [
        (f"content/brand/launch/{name}.yaml", "time.invalid", 3) for name in ("basic", "day", "hour", "week")]
    day = next(f for f in findings if f["file"].endswith("/day.yaml"))
    assert day["message"] == "'2026-12-09' is a day, not a time: add the time, e.g. 2026-12-09T09:00"
    week = next(f for f in findings if f["file"].endswith("/week.yaml"))
    assert week["message"].startswith("'2026-W50-3T09:00' is not a time: write 2026-03-03T09:00:00+01:00")


def test_yaml_syntax_error_has_line_and_column_and_no_traceback(org):
    org.write("content/brand/launch/broken.yaml", """\
        text: "Hello
        accounts: [brand-outbox]
    """)
    org.write("content/brand/launch/broken2.yaml", "accounts: [brand-outbox\ntext: x\n")
    result = org.run("check")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "yaml.syntax" in line]
    assert len(lines) == 2
    assert lines[0].startswith("content/brand/launch/broken.yaml:3:1: error[yaml.syntax]")
    assert lines[1].startswith("content/brand/launch/broken2.yaml:2:5: error[yaml.syntax]")


def test_yaml_mistakes_are_told_in_accords_words_whichever_parser_release_finds_them(org):
    """The parser's own words change between its releases (PyYAML 6.0.4 reports deep flow nesting
    itself); a finding reads the same on any of them."""
    launch = "content/brand/launch"
    org.write(f"{launch}/tab.yaml", "text: Hello\naccounts:\n\t- brand-outbox\n")
    org.write(f"{launch}/quote.yaml", "text: 'Hello\naccounts: [brand-outbox]\n")
    org.write(f"{launch}/bracket.yaml", "accounts: [brand-outbox\ntext: x\n")
    org.write(f"{launch}/colon.yaml", "text: Launch: today\n")
    org.write(f"{launch}/at.yaml", "text: @testorg hello\n")
    org.write(f"{launch}/two.yaml", "text: one\n---\ntext: two\n")
    org.write(f"{launch}/deep.yaml", "text: " + "[" * 1500 + "\n")  # never closed, and too deep
    code, findings = org.check()
    assert code == 1
    said = {f["file"].rsplit("/", 1)[1]: (f["line"], f["col"], f["message"]) for f in findings}
    assert said == {
        "tab.yaml": (3, 1, "YAML syntax error: a tab here: YAML indents with spaces only"),
        "quote.yaml": (3, 1, "YAML syntax error: the quoted text that opens at line 1 is never closed"),
        "bracket.yaml": (2, 5, "YAML syntax error: the '[' opened at line 1 is not closed: a ',' or its "
                               "closing bracket belongs here"),
        "colon.yaml": (1, 13, "YAML syntax error: a ':' here where no key can start; put text holding ': ' "
                              "in quotes, or check the indentation of this line"),
        "at.yaml": (1, 7, "YAML syntax error: '@' cannot start a value here; put the value in quotes"),
        "two.yaml": (2, 1, "YAML syntax error: a second document (---) starts here; an accord file holds one"),
        "deep.yaml": (1, 7 + 99, "YAML syntax error: lists and mappings nested more than 100 deep here"),
    }


def test_duplicate_key_and_non_utf8_file(org):
    org.write("content/brand/launch/dup.yaml", """\
        text: one
        accounts: [brand-outbox]
        text: two
        on_merge: true
    """)
    (org.root / "content/brand/launch/latin1.yaml").write_bytes("text: caf\xe9\n".encode("latin-1"))
    code, findings = org.check()
    assert code == 1
    assert rules_at(findings) == [
        ("content/brand/launch/dup.yaml", "yaml.duplicate-key", 3),
        ("content/brand/launch/latin1.yaml", "yaml.encoding", 1),
    ]


def test_references_to_unknown_accounts_get_a_suggestion(org):
    org.write("content/brand/launch/teaser.yaml", """\
        text: Hello
        accounts: [brand-outbx]
        publish_at: 2026-12-08T10:00:00+00:00
    """)
    code, findings = org.check()
    assert code == 1
    assert [(f["rule"], f["line"], f["col"], f.get("hint")) for f in findings] == [
        ("post.unknown-account", 2, 12, "did you mean 'brand-outbox'?")]


def test_paths_narrow_the_report_to_posts_but_shared_files_widen_it(org):
    org.write("content/brand/launch/a.yaml", "text: A\naccounts: [nope]\non_merge: true\n")
    org.write("content/brand/launch/b.yaml", "text: B\naccounts: [nope]\non_merge: true\n")
    _, only_a = org.check("content/brand/launch/a.yaml")
    assert {f["file"] for f in only_a} == {"content/brand/launch/a.yaml"}
    _, widened = org.check("content/brand/accounts/brand-outbox.yaml")
    assert {f["file"] for f in widened} == {"content/brand/launch/a.yaml", "content/brand/launch/b.yaml"}


def test_missing_accord_yaml_is_a_configuration_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = subprocess.run([sys.executable, "-m", "accord", "check"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "no accord.yaml" in result.stderr and "Traceback" not in result.stderr


def test_broken_settings_are_a_configuration_error(org):
    org.write("accord.yaml", "org: Test Org\ntimezone: Mars/Olympus\n")
    result = org.run("check")
    assert result.exit_code == 2
    assert "accord.yaml line 2" in result.output and "IANA" in result.output


@pytest.mark.parametrize("setting, says", [
    ("utm: {source: '{campaign}'}", "utm.source: '{campaign}' may fill in {platform} and {account} and nothing else"),
    ("utm: {medium: 'a {'}", "utm.medium: 'a {' may fill in {platform} and {account}"),
    ("state: {path: ../elsewhere}", "'../elsewhere' is not a folder inside the repository"),
    ("state: {path: /srv/ledger}", "'/srv/ledger' is not a folder inside the repository"),
    ("state: {path: accord.yaml}", "'accord.yaml' is not a folder; accord keeps one there"),
    ("publisher: {outbox_dir: accord.yaml}", "'accord.yaml' is not a folder; accord keeps one there"),
    ("publisher: {look_ahead: 99999999999d}", "publisher.look_ahead: '99999999999d' is longer than ten years"),
    ("state: {branch: '-x'}", "'-x' is not a branch name git takes"),
    ("default_branch: 'main branch'", "'main branch' is not a branch name git takes"),
])
def test_settings_the_publisher_could_not_use_are_refused_at_their_line(org, setting, says):
    """Each would have crashed a run (a UTM tag filled with a name accord does not know) or the
    publisher (a ledger outside the repository or in a file): one sentence, exit 2, at once."""
    org.write("accord.yaml", f"org: Test Org\ntimezone: Europe/London\n{setting}\n")
    result = org.run("check")
    assert result.exit_code == 2
    assert result.output.startswith(f"accord: accord.yaml line 3: {says}")
    assert len(result.output.strip().splitlines()) == 1


def test_github_annotations_are_capped_and_the_rest_go_to_the_step_summary(org, tmp_path):
    for i in range(12):
        org.write(f"content/brand/launch/p{i:02}.yaml", "text: x\naccounts: [brand-outbox]\nstatus: redy\n")
    summary = tmp_path / "summary.md"
    result = org.run("check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    annotations = [line for line in result.output.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 10
    assert annotations[0].startswith("::error file=content/brand/launch/p00.yaml,line=3,col=9,title=schema.enum::")
    assert "2 more finding(s) are listed in the step summary" in result.output
    table = summary.read_text()
    assert table.count("| `content/brand/launch/p") == 12


def test_sarif_names_rules_and_locations(org):
    org.write("content/brand/launch/teaser.yaml", "text: x\naccounts: [brand-outbox]\nstatus: redy\n")
    result = org.run("check", "--format", "sarif")
    assert result.exit_code == 1
    sarif = json.loads(result.output)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["schema.enum"]
    loc = run["results"][0]["locations"][0]["physicalLocation"]
    assert (loc["artifactLocation"]["uri"], loc["region"]) == (
        "content/brand/launch/teaser.yaml", {"startLine": 3, "startColumn": 9})


def test_malformed_files_are_sentences_at_positions_never_tracebacks(org):
    post_dir = org.root / "content/brand/launch"
    org.write("content/brand/launch/list.yaml", "- a\n- b\n")
    org.write("content/brand/launch/scalar.yaml", "just words\n")
    org.write("content/brand/launch/empty.yaml", "")
    org.write("content/brand/launch/complex.yaml", "? [a, b]\n: c\naccounts: [brand-outbox]\non_merge: true\n")
    (post_dir / "binary.yaml").write_bytes(bytes(range(256)))
    org.write("content/brand/accounts/night.yaml", "platform: x\nhandle: '@n'\n"
              "limits: {quiet_hours: {start: '25:00', end: '07:00'}}\n")
    result = org.run("check", "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.output)["findings"]
    assert [(f["file"].rsplit("/", 1)[1], f["rule"], f["line"], f["col"]) for f in found] == [
        ("night.yaml", "schema.format", 3, 31),
        ("binary.yaml", "yaml.encoding", 2, 118),  # where the first byte that is not UTF-8 is
        ("complex.yaml", "schema.unknown-key", 1, 3),
        ("empty.yaml", "schema.type", 1, 1),
        ("list.yaml", "schema.type", 1, 1),
        ("scalar.yaml", "schema.type", 1, 1),
    ]
    assert "'[a, b]'" in found[2]["message"] and found[0]["hint"] == "e.g. 22:00"


def test_a_check_in_its_own_process_writes_all_it_found_before_it_ends(org, tmp_path):
    """`accord check` ends its process without freeing what it built: its report (here far more
    than a pipe holds) and its exit code are still all there, to a pipe and to a file."""
    for i in range(300):
        org.write(f"content/brand/launch/p{i:03}.yaml", POST_WITH_TYPO)
    args = ["check", "--now", "2026-11-23T12:00:00+00:00"]
    expected = org.run(*args)  # in this process: nothing ends early
    assert expected.exit_code == 1 and len(expected.output) > 70_000
    piped = subprocess.run([sys.executable, "-m", "accord", *args], cwd=org.root, capture_output=True, text=True,
                           timeout=120)
    assert (piped.returncode, piped.stdout, piped.stderr) == (1, expected.output, "")
    with open(tmp_path / "report.txt", "w") as out:
        to_file = subprocess.run([sys.executable, "-m", "accord", *args], cwd=org.root, stdout=out, timeout=120)
    assert to_file.returncode == 1
    assert (tmp_path / "report.txt").read_text() == expected.output


POST_WITH_TYPO = POST + "colour: blue\n"  # an unknown key on line 6


def test_a_character_yaml_does_not_allow_is_named_at_its_line_and_column(org):
    org.write("content/brand/launch/bell.yaml", """\
        text: |
          Gäste willkommen \x07 heute
        accounts: [brand-outbox]
        on_merge: true
    """)
    result = org.run("check")
    lines = [line for line in result.output.splitlines() if "bell.yaml" in line]
    assert lines == ["content/brand/launch/bell.yaml:2:20: error[yaml.syntax] YAML syntax error: the character "
                     "U+0007 is not allowed in YAML; delete it"]


def test_files_built_to_exhaust_the_parser_are_findings_not_crashes(org):
    """Aliases that multiply (nine lists of nine aliases each: 9^9 values from a few hundred
    bytes) and lists nested tens of thousands deep (the C composer recurses and would end the
    process) are each a finding at a position, quickly; the other files are checked as usual."""
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    org.write("content/brand/launch/bomb.yaml", "\n".join(levels) + "\n")
    org.write("content/brand/launch/flow.yaml", "text: " + "[" * 50_000 + "]" * 50_000 + "\n")
    org.write("content/brand/launch/block.yaml", "- " * 50_000 + "x\n")
    org.write("content/brand/launch/fine.yaml", POST_WITH_TYPO)
    code, findings = org.check()
    assert code == 1
    assert rules_at(findings) == [
        ("content/brand/launch/block.yaml", "yaml.syntax", 1),
        ("content/brand/launch/bomb.yaml", "yaml.syntax", 1),
        ("content/brand/launch/fine.yaml", "schema.unknown-key", 6),
        ("content/brand/launch/flow.yaml", "yaml.syntax", 1),
    ]
    by_file = {f["file"].rsplit("/", 1)[1]: f for f in findings}
    assert "aliases" in by_file["bomb.yaml"]["message"]
    assert "nested more than 100 deep" in by_file["flow.yaml"]["message"]
    assert by_file["flow.yaml"]["col"] == 7 + 99  # the mapping and 99 lists are 100: the 100th list is too deep
    assert "nested more than 100 deep" in by_file["block.yaml"]["message"]


def test_times_and_durations_out_of_reach_are_findings_not_tracebacks(org):
    """A zone that is a folder of the zone database (Europe), a duration of centuries, a time in
    year 1 or 9999 (where date arithmetic overflows): each is a sentence where it is written."""
    org.write("accord.yaml", "org: Test Org\ntimezone: Europe\n")
    result = org.run("check")
    assert result.exit_code == 2
    assert result.output.strip() == ("accord: accord.yaml line 2: 'Europe' is not an IANA time zone "
                                     "(e.g. Europe/London)")
    org.write("accord.yaml", "org: Test Org\ntimezone: Europe/London\npublisher: {look_ahead: 99999999999d}\n")
    result = org.run("check")
    assert result.exit_code == 2 and "longer than ten years" in result.output and "Traceback" not in result.output
    org.write("accord.yaml", "org: Test Org\ntimezone: Europe/London\n")
    org.write("content/brand/team.yaml", TEAM_IN_A_FOLDER_ZONE)
    org.write("policies/schedule.yaml", """\
        defaults:
          min_gap: 99999999999d
          lead_time: 1000000000d
        blackouts:
          - start: 2026-12-01T00:00
            end: 9999-12-31T23:59-05:00
            reason: forever
    """)
    org.write("content/brand/launch/ancient.yaml", """\
        text: Hello from year one.
        accounts: [brand-outbox]
        publish_at: 0001-01-01T00:00+01:00
    """)
    code, findings = org.check()
    assert code == 1
    assert [(f["file"], f["rule"], f["line"]) for f in findings] == [
        ("content/brand/launch/ancient.yaml", "time.invalid", 3),
        ("content/brand/team.yaml", "time.zone", 5),
        ("policies/schedule.yaml", "time.invalid", 2),
        ("policies/schedule.yaml", "time.invalid", 3),
        ("policies/schedule.yaml", "time.invalid", 5),
    ]
    assert "longer than ten years" in findings[2]["message"]
    assert "outside the years accord schedules in (1900 to 2999)" in findings[4]["message"]


TEAM_IN_A_FOLDER_ZONE = """\
name: Brand
github_team: testorg/brand
members: [alice, bob]
region: global
timezone: America/Argentina
"""


def test_two_files_for_one_post_team_campaign_or_policy_are_a_finding(org):
    """x.yaml and x.yml are one post id (or team, campaign, policy): the second used to replace
    the first without a word. The first is read; the second is reported, in full and narrowed runs."""
    org.write("content/brand/launch/teaser.yml", POST.replace("twice as fast", "three times as fast"))
    org.write("content/brand/team.yml", "name: Brand two\ngithub_team: testorg/brand\nmembers: [carol]\n")
    org.write("content/brand/launch/campaign.yml", CAMPAIGN.replace("name: Launch", "name: Other"))
    org.write("policies/voice.yaml", "rules:\n  - {id: a, type: existence, level: error, tokens: [synergy]}\n")
    org.write("policies/voice.yml", "rules: []\n")
    org.write("content/brand/launch/synergy.yaml", POST.replace(
        "Our new release builds twice as fast.", "Synergy week opens with a demo day in Leeds.").replace("10:00", "14:00"))
    code, findings = org.check()
    assert code == 1
    assert rules_at(findings) == [
        ("content/brand/launch/campaign.yml", "file.twice", 1),
        ("content/brand/launch/synergy.yaml", "voice.a", 2),
        ("content/brand/launch/teaser.yml", "file.twice", 1),
        ("content/brand/team.yml", "file.twice", 1),
        ("policies/voice.yml", "file.twice", 1),
    ]
    assert findings[2]["message"] == ("content/brand/launch/teaser.yaml is post brand/launch/teaser already; "
                                      "this file is not read: keep one of the two")
    code, narrowed = org.check("content/brand/launch/teaser.yml")
    assert rules_at(narrowed) == [("content/brand/launch/teaser.yml", "file.twice", 1)]


def test_odd_content_is_a_finding_not_a_traceback_or_a_hang(org, tmp_path):
    """Each of these crashed the check or never let it end: a link the URL parser refuses, an
    empty thread variant beside a link, a NUL in a media path, media outside the repository (the
    publisher would have uploaded it), a text of spaces, a pipe and an endless device named *.yaml."""
    import os

    org.write("content/brand/accounts/brand-x.yaml", "platform: x\nhandle: '@testorg'\n")
    launch = "content/brand/launch"
    org.write(f"{launch}/teaser.yaml", 'text: "Builds twice as fast #TestLaunch"\naccounts: [brand-outbox, brand-x]\n'
                                       'on_merge: true\nlink: "http://["\n')
    org.write(f"{launch}/empty-variant.yaml", 'text: "A demo day in Leeds #TestLaunch"\naccounts: [brand-x]\n'
                                              'on_merge: true\nvariants: {x: []}\nlink: "https://example.com/"\n')
    org.write(f"{launch}/nul.yaml", 'text: "Pictures from the summit #TestLaunch"\naccounts: [brand-outbox]\n'
                                    'on_merge: true\nmedia: [{path: "a\\0.png", alt: A hall}]\n')
    org.write(f"{launch}/away.yaml", 'text: "Our office in winter #TestLaunch"\naccounts: [brand-outbox]\n'
                                     'on_merge: true\nmedia: [{path: "/etc/passwd", alt: A hall}]\n')
    org.write(f"{launch}/blank.yaml", 'text: "   "\naccounts: [brand-outbox]\non_merge: true\n')
    os.mkfifo(org.root / launch / "pipe.yaml")
    os.symlink("/dev/zero", org.root / launch / "zero.yaml")
    done = subprocess.run([sys.executable, "-m", "accord", "check", "--format", "json", "--now", "2026-11-23T12:00:00+00:00"],
                          cwd=org.root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and not done.stderr
    assert rules_at(json.loads(done.stdout)["findings"]) == [
        (f"{launch}/away.yaml", "platform.media-outside", 4),
        (f"{launch}/blank.yaml", "schema.format", 1),
        (f"{launch}/empty-variant.yaml", "schema.type", 4),
        (f"{launch}/nul.yaml", "platform.media-missing", 4),
        (f"{launch}/pipe.yaml", "file.special", 1),
        (f"{launch}/teaser.yaml", "schema.format", 4),
        (f"{launch}/zero.yaml", "file.outside", 1),
    ]


def test_a_window_that_ends_before_it_starts_and_an_empty_handle_are_findings(org):
    org.write("content/brand/launch/campaign.yaml", CAMPAIGN.replace(
        "window: {start: 2026-12-01, end: 2027-01-31}", "window: {start: 2027-03-06, end: 2026-12-06}"))
    org.write("content/brand/accounts/brand-outbox.yaml", "platform: outbox\nhandle: ''\n")
    code, findings = org.check()
    mine = [f for f in findings if f["rule"] in ("schema.format", "time.invalid")]
    assert [(f["file"], f["rule"], f["line"]) for f in mine] == [
        ("content/brand/accounts/brand-outbox.yaml", "schema.format", 2),
        ("content/brand/launch/campaign.yaml", "time.invalid", 3),
    ]
    assert "ends (2026-12-06) before it starts (2027-03-06)" in mine[1]["message"]


def test_a_reply_or_quote_naming_a_post_that_does_not_exist_is_a_finding(org):
    """Written as a post id, it must name a post of the repository, in a full run and a narrowed
    one alike; a URL or the network's own id is taken as written."""
    org.write("content/brand/launch/answer.yaml", POST.replace("twice as fast", "as promised, twice as fast")
              .replace("10:00", "15:00") + "reply_to: brand/launch/teasr\n")
    org.write("content/brand/launch/nod.yaml", POST.replace("Our new release builds twice as fast.",
                                                            "We said it in Leeds: demo day is on.")
              .replace("10:00", "17:00") + "quote: https://example.social/@x/1234\n")
    code, findings = org.check()
    assert [(f["file"], f["rule"], f["line"], f["hint"]) for f in findings] == [
        ("content/brand/launch/answer.yaml", "post.unknown-reference", 6, "did you mean 'brand/launch/teaser'?")]
    code, narrowed = org.check("content/brand/launch/answer.yaml")
    assert [f["rule"] for f in narrowed] == ["post.unknown-reference"]


def test_a_variant_for_a_platform_the_post_does_not_go_to_is_a_warning(org):
    """It is never posted: most likely the account was meant to be on the list."""
    org.write("content/brand/launch/teaser.yaml", POST + "variants:\n  mastodon: Twice as fast, on the fediverse too.\n")
    code, findings = org.check()
    assert code == 0
    assert [(f["file"], f["rule"], f["level"], f["line"]) for f in findings] == [
        ("content/brand/launch/teaser.yaml", "post.unused-variant", "warning", 7)]


def test_a_freeze_of_an_account_and_a_team_at_once_is_said_in_a_sentence(org):
    org.write("policies/freeze.yaml", "freezes:\n  - reason: Incident INC-9\n    since: '2026-03-03T08:00:00Z'\n"
                                      "    account: brand-outbox\n    team: brand\n")
    code, findings = org.check()
    assert code == 1
    assert [(f["line"], f["col"], f["rule"], f["message"]) for f in findings if f["file"] == "policies/freeze.yaml"] == [
        (5, 5, "schema.invalid", "freezes[0] has both 'account' and 'team': give one of them")]


def test_small_things_a_user_hits_are_said_plainly(org):
    missing = org.run("check", "nosuch.yaml")
    assert missing.exit_code == 2 and "nosuch.yaml: no such file" in missing.output
    org.write("content/brand/launch/tab.yaml", "text: hi\n\taccounts: [brand-outbox]\non_merge: true\n")
    org.write("content/brand/launch/latin1.yaml", "")
    (org.root / "content/brand/launch/latin1.yaml").write_bytes(b"text: hi\naccounts: [brand-outbox]\n# caf\xe9\n")
    org.write("content/brand/launch/zone.yaml", "text: hi\naccounts: [brand-outbox]\n"
                                                "publish_at: 2026-12-09T10:00 Europe/Londn\n")
    code, found = org.check()
    by_file = {f["file"].rsplit("/", 1)[-1]: f for f in found if f["level"] == "error"}
    assert "tab" in by_file["tab.yaml"]["message"] and by_file["tab.yaml"]["line"] == 2
    assert (by_file["latin1.yaml"]["line"], by_file["latin1.yaml"]["col"]) == (3, 6)
    assert "line 3" in by_file["latin1.yaml"]["message"]
    assert by_file["zone.yaml"]["rule"] == "time.zone"
    assert "did you mean 'Europe/London'?" in by_file["zone.yaml"]["message"]
