"""Local dates, weekend roll, DST-safe slots and plain-words spans."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.slots import (
    as_utc,
    describe_date,
    describe_span,
    local_date,
    resolve_zone,
    roll_weekend,
    slot_at,
)

ZONES = ("UTC", "America/Chicago", "Europe/London", "Asia/Kolkata", "Pacific/Auckland")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "fallback", "expected"),
    [
        ("America/Chicago", "UTC", "America/Chicago"),
        (None, "Europe/London", "Europe/London"),
        ("", "Europe/London", "Europe/London"),
        ("Mars/Olympus_Mons", "Asia/Kolkata", "Asia/Kolkata"),
        ("../../etc/passwd", "Nowhere/Town", "UTC"),
        (None, "", "UTC"),
    ],
)
def test_resolve_zone_falls_back_to_the_account_then_utc(
    name: str | None, fallback: str, expected: str
) -> None:
    assert resolve_zone(name, fallback).key == expected


def test_as_utc_reads_naive_values_as_utc_and_converts_aware_ones() -> None:
    assert as_utc(datetime(2026, 3, 6, 12)) == utc("2026-03-06T12:00")
    assert as_utc(datetime(2026, 3, 6, 12)).tzinfo is UTC
    plus_two = datetime(2026, 3, 6, 12, tzinfo=timezone(timedelta(hours=2)))
    assert as_utc(plus_two) == utc("2026-03-06T10:00")
    assert as_utc(plus_two).tzinfo is UTC


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        ("2026-03-08T03:00", "America/Chicago", date(2026, 3, 7)),
        ("2026-03-08T20:00", "Pacific/Auckland", date(2026, 3, 9)),
        ("2026-03-09T20:00", "Asia/Kolkata", date(2026, 3, 10)),
        ("2026-12-31T23:30", "Europe/London", date(2026, 12, 31)),
        ("2026-12-31T11:30", "Pacific/Auckland", date(2027, 1, 1)),
    ],
)
def test_local_date_is_the_calendar_date_in_the_zone(
    moment: str, zone: str, expected: date
) -> None:
    assert local_date(utc(moment), ZoneInfo(zone)) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2)),
        (date(2026, 3, 6), date(2026, 3, 6)),
        (date(2026, 3, 7), date(2026, 3, 9)),
        (date(2026, 3, 8), date(2026, 3, 9)),
        (date(2027, 1, 2), date(2027, 1, 4)),
        (date(2028, 2, 26), date(2028, 2, 28)),
        (date(2028, 2, 29), date(2028, 2, 29)),
    ],
)
def test_roll_weekend_moves_saturday_and_sunday_to_monday(day: date, expected: date) -> None:
    assert roll_weekend(day) == expected


@pytest.mark.parametrize(
    ("day", "zone", "expected"),
    [
        # Chicago springs forward on 2026-03-08 and falls back on 2026-11-01.
        (date(2026, 3, 6), "America/Chicago", "2026-03-06T16:00"),
        (date(2026, 3, 9), "America/Chicago", "2026-03-09T15:00"),
        (date(2026, 10, 30), "America/Chicago", "2026-10-30T15:00"),
        (date(2026, 11, 2), "America/Chicago", "2026-11-02T16:00"),
        # London springs forward on 2026-03-29 and falls back on 2026-10-25.
        (date(2026, 3, 27), "Europe/London", "2026-03-27T10:00"),
        (date(2026, 3, 30), "Europe/London", "2026-03-30T09:00"),
        (date(2026, 10, 23), "Europe/London", "2026-10-23T09:00"),
        (date(2026, 10, 26), "Europe/London", "2026-10-26T10:00"),
        (date(2026, 3, 31), "Asia/Kolkata", "2026-03-31T04:30"),
        (date(2026, 3, 30), "Pacific/Auckland", "2026-03-29T21:00"),
        (date(2026, 4, 6), "Pacific/Auckland", "2026-04-05T22:00"),
        (date(2028, 2, 29), "UTC", "2028-02-29T10:00"),
    ],
)
def test_slot_at_is_ten_local_across_dst(day: date, zone: str, expected: str) -> None:
    assert slot_at(day, 10, ZoneInfo(zone)) == utc(expected)


@pytest.mark.parametrize(
    ("day", "hour", "zone", "expected", "local_hour"),
    [
        (date(2026, 3, 8), 2, "America/Chicago", "2026-03-08T08:00", 3),
        (date(2026, 3, 29), 1, "Europe/London", "2026-03-29T01:00", 2),
        (date(2026, 11, 1), 1, "America/Chicago", "2026-11-01T06:00", 1),
        (date(2026, 10, 25), 1, "Europe/London", "2026-10-25T00:00", 1),
    ],
)
def test_slot_at_resolves_skipped_and_repeated_hours(
    day: date, hour: int, zone: str, expected: str, local_hour: int
) -> None:
    slot = slot_at(day, hour, ZoneInfo(zone))
    assert slot == utc(expected)
    assert slot.tzinfo is UTC
    assert slot.astimezone(ZoneInfo(zone)).hour == local_hour


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (1, "one day"),
        (7, "one week"),
        (10, "ten days"),
        (14, "two weeks"),
        (21, "three weeks"),
        (30, "30 days"),
        (45, "45 days"),
        (60, "two months"),
        (90, "three months"),
        (0, "zero days"),
    ],
)
def test_describe_span(days: int, words: str) -> None:
    assert describe_span(days) == words


def test_describe_date_is_locale_independent() -> None:
    assert describe_date(date(2028, 2, 29)) == "Tuesday 29 February 2028"
    assert describe_date(date(2026, 12, 31)) == "Thursday 31 December 2026"


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_roll_weekend_lands_on_the_next_weekday(day: date) -> None:
    rolled = roll_weekend(day)
    assert rolled.weekday() < 5
    assert 0 <= (rolled - day).days <= 2
    assert roll_weekend(rolled) == rolled


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)).map(roll_weekend),
    st.integers(min_value=0, max_value=23),
    st.sampled_from(ZONES),
)
def test_weekday_slots_keep_their_local_date_and_hour(day: date, hour: int, zone: str) -> None:
    # These zones only change their clocks on Sundays, so weekday slots always exist.
    local = slot_at(day, hour, ZoneInfo(zone)).astimezone(ZoneInfo(zone))
    assert (local.date(), local.hour, local.minute) == (day, hour, 0)
