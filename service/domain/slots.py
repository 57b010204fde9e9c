"""Local-date and slot arithmetic for the cadence engine (R10), plus plain-words spans."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_SATURDAY = 5
_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def resolve_zone(name: str | None, fallback: str) -> ZoneInfo:
    """Return the zone `name`, else `fallback`, else UTC (a bad stored name must not crash)."""
    for candidate in (name, fallback):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def as_utc(moment: datetime) -> datetime:
    """Return `moment` in UTC; a naive value is read as UTC (SQLite drops offsets)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """Return the calendar date of `moment` in `zone`."""
    return as_utc(moment).astimezone(zone).date()


def roll_weekend(day: date) -> date:
    """Move a Saturday or Sunday to the following Monday."""
    weekday = day.weekday()
    if weekday >= _SATURDAY:
        return day + timedelta(days=7 - weekday)
    return day


def slot_at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """Return `hour`:00 local on `day` in UTC; a time skipped by DST lands just after the gap."""
    # fold=0 reads a nonexistent wall time with the pre-transition offset, so 02:30 on a
    # spring-forward night becomes 03:30 after the round trip through UTC.
    local = datetime.combine(day, time(hour), tzinfo=zone).replace(fold=0)
    return local.astimezone(UTC)


def describe_span(days: int) -> str:
    """Say a number of days in plain words: "one week", "two months", "ten days"."""
    if days > 0 and days % 30 == 0 and days >= 60:
        return _count(days // 30, "month")
    if days > 0 and days % 7 == 0:
        return _count(days // 7, "week")
    return _count(days, "day")


def describe_date(day: date) -> str:
    """Say a date in a locale-independent way: "Monday 9 March 2026"."""
    weekday = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    return f"{weekday[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def _count(amount: int, unit: str) -> str:
    word = _NUMBER_WORDS[amount] if 0 <= amount < len(_NUMBER_WORDS) else str(amount)
    return f"{word} {unit}" if amount == 1 else f"{word} {unit}s"
