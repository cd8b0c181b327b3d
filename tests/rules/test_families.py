"""The rule-family contract: every family in the registry declares what it reads and how far it
reaches, and the results cache's choices follow from those declarations."""
from __future__ import annotations

from accord import rules
from accord.rules import Reach, Reads


def test_every_family_declares_what_it_reads_and_how_far_it_reaches():
    for name in rules.FAMILIES:
        fam = rules.family(name)
        assert fam.RULES, name
        assert fam.READS and all(isinstance(r, Reads) for r in fam.READS), name
        assert Reads.FILES in fam.READS, name  # every family reads the model of the files
        assert isinstance(fam.REACH, Reach), name
        assert isinstance(fam.WANTED_ONLY, bool), name
        assert callable(fam.check), name
        if hasattr(fam, "sweep"):  # a swept family makes its job here and its findings here
            assert callable(fam.job) and callable(fam.found), name


def test_what_the_results_cache_keeps_per_file_follows_from_the_declarations():
    kept = set(rules.per_file())
    for name in rules.FAMILIES:
        fam = rules.family(name)
        if name in kept:
            assert fam.READS == {Reads.FILES} and fam.REACH is Reach.FILE and fam.WANTED_ONLY, name
    # the families that read git, the ledger, the clock or other posts are never kept per file
    assert {"schedule", "published", "duplicates", "embargo", "translations"}.isdisjoint(kept)
    assert kept == {"platform", "voice", "secrets"}  # as the results cache kept them before the contract

