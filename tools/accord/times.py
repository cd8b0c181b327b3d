"""Times as users write them: publish_at forms, dates, durations, zones."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DURATION = re.compile(r"([0-9]+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_ZONED = re.compile(r"^(\S+(?:[T ][0-9:.]+)?)\s+([A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)*)$")


class TimeError(ValueError):
    """A time the user wrote that cannot be used; the message is a sentence."""

    def __init__(self, message: str, rule: str = "time.invalid"):
        super().__init__(message)
        self.rule = rule


_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
LONGEST = timedelta(days=3653)  # ten years: any longer gap, lead or lateness is a typo
YEARS = (1900, 2999)  # the times accord schedules by: date arithmetic near year 1 or 9999 overflows


def duration(text: str) -> timedelta:
    parts = _DURATION.findall(text)
    shown = text if len(text) <= 24 else text[:20] + "…"
    if not parts or "".join(n + u for n, u in parts) != text:
        raise TimeError(f"'{shown}' is not a duration (e.g. 15m, 6h, 1h30m)")
    # (a number of more than nine digits is over ten years in any unit, and int() refuses thousands)
    if any(len(n.lstrip("0")) > 9 for n, _ in parts) or \
            sum(int(n) * _SECONDS[u] for n, u in parts) > LONGEST.total_seconds():
        raise TimeError(f"'{shown}' is longer than ten years; write a shorter duration")
    return timedelta(seconds=sum(int(n) * _SECONDS[u] for n, u in parts))


@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of the database (Europe)
        raise TimeError(f"'{name}' is not an IANA time zone ({_zone_hint(name)})", "time.zone") from None


def _zone_hint(name: str) -> str:
    import difflib
    from zoneinfo import available_timezones  # reads the zone database: only for a wrong name

    close = difflib.get_close_matches(name, sorted(available_timezones()), n=1, cutoff=0.8)
    return f"did you mean '{close[0]}'?" if close else "e.g. Europe/London"


def localize(naive: datetime, tz: ZoneInfo, what: str = "time") -> datetime:
    """Attach `tz`, refusing wall times that do not exist or happen twice (DST changes)."""
    early = naive.replace(tzinfo=tz, fold=0)
    late = naive.replace(tzinfo=tz, fold=1)
    if early.utcoffset() != late.utcoffset():
        roundtrip = early.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
        if roundtrip != naive:
            raise TimeError(
                f"{what} {naive:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks "
                f"skip it at the daylight-saving change; pick a time outside the gap",
                "time.dst-gap")
        raise TimeError(
            f"{what} {naive:%Y-%m-%d %H:%M} happens twice in {tz.key} (clocks go back); "
            f"write it with an offset, e.g. {early.isoformat()} or {late.isoformat()}",
            "time.dst-ambiguous")
    return early


# The forms accord reads a time in: a calendar date, hours and minutes (seconds, fractions and an
# offset if wanted), as people write them. Python reads ISO week dates, ordinal dates, the basic
# format and a date alone too: 2026-W10-2T09:00, 20260303T0900 and 2026-03-03 (midnight) would pass
# unseen as times nobody reviewing the file could read at a glance.
_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?")


def _iso(text: str) -> datetime:
    try:
        if not _FORM.fullmatch(text):
            raise ValueError(text)
        dt = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            message = f"'{text}' is a day, not a time: add the time, e.g. {text}T09:00"
        else:
            message = (f"'{text}' is not a time: write 2026-03-03T09:00:00+01:00, 2026-03-03T09:00 Europe/Berlin, "
                       f"or 2026-03-03T09:00 (the account's zone)")
        raise TimeError(message) from None
    return _in_range(dt, text)


def _in_range(when, text: str):
    if not YEARS[0] <= when.year <= YEARS[1]:
        raise TimeError(f"'{text}' is outside the years accord schedules in ({YEARS[0]} to {YEARS[1]})")
    return when


def zone_written(text: str) -> str | None:
    """The IANA zone a time names after it (2026-03-03T09:00 Europe/Berlin), None when it names none."""
    m = _ZONED.match(str(text).strip())
    return m.group(2) if m and ("/" in m.group(2) or m.group(2) == "UTC") else None


@lru_cache(maxsize=1 << 16)  # a post's accounts mostly share a zone; errors are not cached
def instant(text: str, default_zone: str | None, what: str = "publish_at") -> datetime:
    """An aware datetime from an ISO time with offset, a local time plus zone, or a naive
    local time in `default_zone`."""
    text = str(text).strip()
    m = _ZONED.match(text)
    if zone_written(text):
        dt = _iso(m.group(1))
        if dt.tzinfo is not None:
            raise TimeError(f"'{text}' has both an offset and a zone; write one of them")
        return localize(dt, zone(m.group(2)), what)
    dt = _iso(text)
    if dt.tzinfo is not None:
        return dt
    if not default_zone:
        raise TimeError(f"'{text}' has no zone and none is set for the account or team")
    return localize(dt, zone(default_zone), what)


def day_or_instant(text: str, default_zone: str | None, end: bool = False) -> datetime:
    """A campaign window bound: a date means the start (or, with end, the end) of that day."""
    text = str(text).strip()
    if len(text) == 10:
        try:
            d = _in_range(date.fromisoformat(text), text)
        except ValueError as exc:
            raise exc if isinstance(exc, TimeError) else TimeError(f"'{text}' is not a date (YYYY-MM-DD)") from None
        if end:
            return localize(datetime.combine(d + timedelta(days=1), time()), zone(default_zone or "UTC")) - timedelta(microseconds=1)
        return localize(datetime.combine(d, time()), zone(default_zone or "UTC"))
    return instant(text, default_zone, "time")
