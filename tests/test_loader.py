"""Loading a repository gives the same model whether its files are parsed in one process or two,
read from the parse cache or not."""
from __future__ import annotations

import json
import os
import threading
import time

import pytest

from accord import layout, model
from accord.check import cache, forked

POSTS = 60


@pytest.fixture
def many(org):
    """Posts of every shape, and files broken in every way loading reports."""
    for i in range(POSTS):
        org.write(f"content/brand/launch/p{i:02}.yaml",
                  f"text: |\n  Release note {i}: builds are {i + 2} times faster with caching.\n"
                  f"accounts: [brand-outbox]\npublish_at: 2026-12-{1 + i % 28:02}T{8 + i % 10}:00:00+00:00\n"
                  f"tags: [release]\n")
    org.write("content/brand/launch/thread.yaml", "thread:\n  - text: One\n  - text: 'Two'\n"
              "accounts: [brand-outbox]\npublish_at: 2026-12-03T07:00 Europe/Berlin\n")
    org.write("content/brand/launch/syntax.yaml", "text: [unclosed\naccounts: [brand-outbox]\n")
    org.write("content/brand/launch/twice.yaml", "text: a\ntext: b\naccounts: [brand-outbox]\nstatus: draft\n")
    org.write("content/brand/launch/typo.yaml", "txt: hello\naccounts: [brand-outbox]\nstatus: draft\n")
    org.write("content/brand/launch/empty.yaml", "")
    (org.root / "content/brand/launch/latin1.yaml").write_bytes(b"text: caf\xe9\naccounts: [brand-outbox]\n")
    org.write("content/brand/notes.yaml", "a file accord does not read\n")
    return org


def same(a: model.Org, b: model.Org) -> None:
    assert a.findings == b.findings and a.findings
    assert a.files == b.files
    assert list(a.posts) == list(b.posts)
    assert list(a.docs) == list(b.docs)
    for rel, doc in a.docs.items():
        other = b.docs[rel]
        assert (doc.rel, doc.text, doc.data, doc.values, doc.keys, doc.styles, doc.duplicates) == (
            other.rel, other.text, other.data, other.values, other.keys, other.styles, other.duplicates), rel
        assert doc.path == other.path


def test_two_processes_parse_what_one_does(many, monkeypatch):
    one = model.load(many.root, use_cache=False)
    monkeypatch.setattr(forked, "FROM", 1)  # parse in a forked child from the first file on
    two = model.load(many.root, use_cache=False)
    same(one, two)
    assert any(isinstance(doc, cache.CachedDoc) for doc in two.docs.values())  # the child's half


def test_a_failing_child_leaves_the_parsing_to_this_process(many, monkeypatch):
    one = model.load(many.root, use_cache=False)
    monkeypatch.setattr(forked, "FROM", 1)

    parent, read_parsed = os.getpid(), model.read_parsed

    def broken(root, rel, kind, *rest):
        if os.getpid() != parent:
            raise MemoryError("the child runs out of memory")
        return read_parsed(root, rel, kind, *rest)

    monkeypatch.setattr(model, "read_parsed", broken)
    same(one, model.load(many.root, use_cache=False))


def test_the_cache_filled_by_two_processes_serves_the_next_run(many, monkeypatch):
    time.sleep(2.1)  # older files are cached (see cache.RACY_NS)
    reference = many.check("--no-cache")
    assert reference[0] == 1
    monkeypatch.setattr(forked, "FROM", 1)
    assert many.check() == reference  # cold: parsed in two processes, then cached
    (many.root / ".accord-cache/results-v1.marshal").unlink(missing_ok=True)  # else replayed
    assert many.check() == reference  # warm
    same(model.load(many.root, use_cache=False), model.load(many.root))


def test_the_json_report_is_the_same(many, monkeypatch):
    sequential = many.run("check", "--no-cache", "--format", "json", "--now", "2026-11-23T12:00:00+00:00")
    monkeypatch.setattr(forked, "FROM", 1)
    two = many.run("check", "--no-cache", "--format", "json", "--now", "2026-11-23T12:00:00+00:00")
    assert two.output == sequential.output
    assert json.loads(two.output)["findings"]


def test_no_fork_while_other_threads_run(many, monkeypatch):
    one = model.load(many.root, use_cache=False)
    monkeypatch.setattr(forked, "FROM", 1)
    monkeypatch.setattr(forked.os, "fork", None)  # a fork now would fail
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        same(one, model.load(many.root, use_cache=False))
    finally:
        stop.set()
        other.join()


def test_windows_line_endings_read_as_the_same_file(org):
    lf = ("text: |\n  Builds are\n  twice as fast.\naccounts: [brand-outbox]\n"
          "publish_at: 2026-12-09T10:00:00+00:00\nlocale: EN\n")
    launch = org.root / "content/brand/launch"
    (launch / "lf.yaml").write_bytes(lf.encode())
    (launch / "crlf.yaml").write_bytes(lf.replace("\n", "\r\n").encode())
    loaded = model.load(org.root, use_cache=False)
    a, b = loaded.docs["content/brand/launch/lf.yaml"], loaded.docs["content/brand/launch/crlf.yaml"]
    assert (a.text, a.data, a.values, a.keys) == (b.text, b.data, b.values, b.keys)
    assert a.data["text"] == "Builds are\ntwice as fast.\n"
    found = {(f.file.rsplit("/", 1)[1], f.rule, f.line, f.col) for f in loaded.findings}
    assert found == {("lf.yaml", "schema.format", 6, 9), ("crlf.yaml", "schema.format", 6, 9)}


def test_plain_scalars_are_typed_only_when_unambiguous():
    from pathlib import Path

    from accord import yamldoc

    text = ("a: yes\nb: on\nc: 1e5\nd: 0x1F\ne: 1_000\nf: ~\ng: null\nh: 2026-01-01\ni: !!str 123\n"
            "j: 1.5\nk: +3\nl: 012\nm: 1:20\nn: 'x'\no: True\np: NULL\nq: !!int 7\nr: \"12\"\ns: .inf\n")
    for _ in range(2):  # the second time, the values come from what the first one learnt
        assert yamldoc.parse(Path("/x.yaml"), "x.yaml", text).data == {
            "a": "yes", "b": "on", "c": "1e5", "d": "0x1F", "e": 1000, "f": None, "g": None,
            "h": "2026-01-01", "i": "123", "j": 1.5, "k": 3, "l": "012", "m": "1:20", "n": "x",
            "o": True, "p": None, "q": 7, "r": "12", "s": ".inf"}


def test_a_cold_check_in_two_processes_caches_the_facts_one_process_reads(many, monkeypatch):
    """The posts are sketched by the duplicates sweep in the child, not as they are parsed; the
    parse cache must still hold every post's facts as a plain parse makes them (a narrowed run
    chooses the posts to compare by them)."""
    many.write("content/brand/launch/draft.yaml", "text: Not sketched by the sweep\naccounts: [brand-outbox]\n"
               "status: draft\n")
    time.sleep(2.1)  # older files are cached (see cache.RACY_NS)
    monkeypatch.setattr(forked, "FROM", 1)
    assert many.check()[0] == 1
    cached = cache.ParseCache(many.root, model.read_all).old
    posts = {rel: entry[2] for rel, entry in cached.items() if layout.classify(rel) == "post" and entry[2]}
    assert len(posts) > POSTS
    for rel, facts in posts.items():
        assert facts == model.read_parsed(many.root, rel, "post").facts, rel
