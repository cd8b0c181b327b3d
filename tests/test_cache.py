"""The parse cache never changes what `accord check` says: edits, corruption and --no-cache."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from conftest import POST, rules_at

CACHE = ".accord-cache/parsed-v1.marshal"
RESULTS = ".accord-cache/results-v1.marshal"
SCHEMAS = ".accord-cache/schemas-v1.marshal"


def _age(org) -> None:
    """Let the files grow old enough to be cached: a file changed (mtime or ctime) in the last
    two seconds is parsed every time, since a second edit within one timestamp tick would go
    unseen."""
    time.sleep(2.1)


def test_an_edit_after_a_warm_run_shows_its_finding(org):
    _age(org)
    assert org.check() == (0, [])
    assert (org.root / CACHE).is_file()
    assert org.check() == (0, [])  # served from the cache

    org.write("content/brand/launch/teaser.yaml", POST.replace("locale:", "lcoale:"))
    code, found = org.check()
    assert code == 1
    assert rules_at(found) == [("content/brand/launch/teaser.yaml", "schema.unknown-key", 5)]
    assert "did you mean 'locale'" in found[0]["hint"]

    org.write("content/brand/launch/teaser.yaml", POST)
    assert org.check() == (0, [])


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(org):
    _age(org)
    path = org.root / "content/brand/launch/teaser.yaml"
    assert org.check() == (0, [])
    st = path.stat()
    bad = POST.replace("locale: en", "locale: EN")  # same length, breaks the locale pattern
    path.write_text(bad, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as some editors and tools do
    assert path.stat().st_size == st.st_size
    code, found = org.check()
    assert code == 1
    assert rules_at(found) == [("content/brand/launch/teaser.yaml", "schema.format", 5)]


def test_a_damaged_cache_is_ignored(org):
    org.write("content/brand/launch/broken.yaml", "text: [unclosed\naccounts: [brand-outbox]\n")
    _age(org)
    expected = org.check("--no-cache")
    assert expected[0] == 1 and expected[1]
    assert org.check() == expected
    cache = org.root / CACHE
    blob = cache.read_bytes()
    damages = [
        blob[: len(blob) // 2],  # truncated (a crash while writing, a full disk)
        blob[:-40] + bytes(b ^ 0xFF for b in blob[-40:]),  # bytes flipped inside the last file's entry
        blob[:60] + bytes(b ^ 0xFF for b in blob[60:70]) + blob[70:],  # ... inside the index of entries
        b"not a cache at all",
        b"",
    ]
    for damaged in damages:
        cache.write_bytes(damaged)
        for rel in ("content/brand/launch/teaser.yaml", "content/brand/launch/broken.yaml"):
            (org.root / RESULTS).unlink(missing_ok=True)  # else the last findings are replayed
            code, found = org.check(rel)  # reads only the entries it needs
            assert found == [f for f in expected[1] if f["file"] == rel]
        (org.root / RESULTS).unlink(missing_ok=True)
        assert org.check() == expected
    assert cache.read_bytes().startswith(b"accordP1")  # and a good one is written again


def test_no_cache_reads_and_writes_no_cache(org):
    _age(org)
    assert org.check("--no-cache") == (0, [])
    assert not (org.root / ".accord-cache").exists()
    assert org.check() == (0, [])
    cache = org.root / CACHE
    before = cache.read_bytes()
    org.write("content/brand/launch/teaser.yaml", POST.replace("locale:", "lcoale:"))
    _age(org)
    assert org.check("--no-cache")[0] == 1
    assert cache.read_bytes() == before


def _fresh_check(org) -> list[dict]:
    """`accord check` in a new process (this one has compiled the schemas already), with only
    the compiled schemas kept: every file is parsed and validated again."""
    for name in (CACHE, RESULTS):
        (org.root / name).unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-m", "accord", "check", "--format", "json",
                           "--now", "2026-11-23T12:00:00+00:00"], cwd=org.root, capture_output=True,
                          text=True, timeout=120)
    assert not done.stderr
    return json.loads(done.stdout)["findings"]


def test_compiled_schemas_are_kept_and_a_damaged_copy_is_compiled_again(org):
    bad = "content/brand/launch/bad.yaml"
    org.write(bad, POST.replace("locale: en", "locale: EN").replace("10:00", "11:00"))
    expected = org.check("--no-cache")[1]
    assert rules_at(expected) == [(bad, "schema.format", 5)]
    assert _fresh_check(org) == expected  # compiles, and keeps the code
    kept = org.root / SCHEMAS
    blob = kept.read_bytes()
    assert blob.startswith(b"accordV1") and len(blob) > 10_000
    assert _fresh_check(org) == expected  # with the kept code
    for damaged in (blob[: len(blob) // 2], blob[:-40] + bytes(b ^ 0xFF for b in blob[-40:]), b"junk", b""):
        kept.write_bytes(damaged)
        assert _fresh_check(org) == expected
        assert kept.read_bytes().startswith(b"accordV1") and len(kept.read_bytes()) > 10_000


def test_new_timestamps_on_the_same_bytes_keep_the_cache(org, monkeypatch):
    """A fresh clone, a checkout back and forth, a cache restored in CI: every file has new
    timestamps, and only those whose bytes changed are parsed again."""
    from accord import model

    org.write("content/brand/launch/shout.yaml", POST.replace("locale: en", "locale: EN").replace("10:00", "11:00"))
    _age(org)
    expected = org.check()
    assert rules_at(expected[1]) == [("content/brand/launch/shout.yaml", "schema.format", 5)]
    parsed = []
    real = model.read_parsed
    monkeypatch.setattr(model, "read_parsed", lambda root, rel, kind: parsed.append(rel) or real(root, rel, kind))
    then = time.time() - 3600  # not the files' own times: as a checkout sets them
    for path in (org.root / "content").rglob("*.yaml"):
        os.utime(path, (then, then))
    teaser = org.root / "content/brand/launch/teaser.yaml"
    teaser.write_text(POST.replace("locale: en", "locale: EN"), encoding="utf-8")  # same size, new bytes
    os.utime(teaser, (then, then))
    _age(org)  # the new ctimes must be old enough to trust
    code, found = org.check()
    assert parsed == ["content/brand/launch/teaser.yaml"]
    assert rules_at(found) == [("content/brand/launch/shout.yaml", "schema.format", 5),
                               ("content/brand/launch/teaser.yaml", "schema.format", 5)]
    parsed.clear()
    assert org.check() == (code, found)  # kept under the new timestamps: nothing parsed
    assert parsed == []
