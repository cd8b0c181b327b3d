"""Times as people write them in posts, windows and settings (accord.times), read directly."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from accord import times


@pytest.mark.parametrize("written, zone, expected", [
    ("2027-01-20T10:00:00+01:00", None, "2027-01-20T09:00:00+00:00"),
    ("2027-01-20T10:00 Europe/London", None, "2027-01-20T10:00:00+00:00"),
    ("2027-07-20T10:00 Europe/London", None, "2027-07-20T09:00:00+00:00"),  # summer time
    ("2027-01-20 10:00", "Asia/Tokyo", "2027-01-20T01:00:00+00:00"),  # naive: the account's zone
    ("2027-01-20T10:00:30.5Z", None, "2027-01-20T10:00:30.500000+00:00"),
])
def test_the_documented_forms_name_one_instant(written, zone, expected):
    assert times.instant(written, zone).astimezone(timezone.utc).isoformat() == expected


@pytest.mark.parametrize("written, rule, words", [
    ("2027-03-28T01:30 Europe/London", "time.dst-gap", "does not exist in Europe/London"),
    ("2027-10-31T01:30 Europe/London", "time.dst-ambiguous", "happens twice in Europe/London"),
    ("2027-01-20", "time.invalid", "is a day, not a time"),
    ("2027-W03-3T10:00+00:00", "time.invalid", "is not a time"),
    ("20270120T1000Z", "time.invalid", "is not a time"),
    ("2027-01-20T10:00+01:00 Europe/Berlin", "time.invalid", "both an offset and a zone"),
    ("2027-01-20T10:00 Mars/Olympus", "time.zone", "not an IANA time zone"),
    ("3027-01-20T10:00:00+00:00", "time.invalid", "outside the years"),
])
def test_a_time_that_cannot_be_used_is_a_sentence_with_its_rule(written, rule, words):
    with pytest.raises(times.TimeError) as caught:
        times.instant(written, "Europe/London")
    assert caught.value.rule == rule and words in str(caught.value)


def test_a_naive_time_needs_a_zone_from_somewhere():
    with pytest.raises(times.TimeError, match="no zone"):
        times.instant("2027-01-20T10:00", None)


def test_a_window_day_runs_from_its_first_to_its_last_instant_in_the_zone():
    start = times.day_or_instant("2027-03-28", "Europe/London")
    end = times.day_or_instant("2027-03-28", "Europe/London", end=True)
    assert start == datetime(2027, 3, 28, tzinfo=timezone.utc)
    # the clocks go forward that day: it lasts 23 hours
    assert end.astimezone(timezone.utc) - start == timedelta(hours=23) - timedelta(microseconds=1)


@pytest.mark.parametrize("written, expected", [("15m", timedelta(minutes=15)), ("1h30m", timedelta(minutes=90)),
                                               ("2d", timedelta(days=2))])
def test_durations(written, expected):
    assert times.duration(written) == expected


@pytest.mark.parametrize("written", ["15 m", "1.5h", "", "99999999999d", "3660d"])
def test_a_duration_that_is_not_one_or_is_over_ten_years_is_refused(written):
    with pytest.raises(times.TimeError):
        times.duration(written)


def test_a_folder_of_the_zone_database_is_not_a_zone():
    with pytest.raises(times.TimeError, match="not an IANA time zone"):
        times.zone("Europe")
