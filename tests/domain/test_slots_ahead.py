"""Where a calendar shows an overdue follow-up: the next slot still ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from service.domain.slots import next_slot_ahead

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]


@given(
    now=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
    ),
    hour=st.integers(min_value=0, max_value=23),
    zone=st.sampled_from(ZONES),
)
def test_the_slot_is_ahead_on_a_working_day_at_the_hour_and_the_first_such(
    now: datetime, hour: int, zone: str
) -> None:
    tz = ZoneInfo(zone)
    slot = next_slot_ahead(now, hour, tz)
    local = slot.astimezone(tz)

    assert slot > now
    assert local.weekday() < 5
    assert local.minute == 0 and local.hour in (hour, (hour + 1) % 24)  # a DST gap moves it
    # No earlier working day's slot was still ahead.
    day = now.astimezone(tz).date()
    while day < local.date():
        if day.weekday() < 5:
            earlier = datetime.combine(day, datetime.min.time(), tz).replace(hour=hour)
            assert earlier.astimezone(UTC) <= now
        day += timedelta(days=1)


def test_today_if_ahead_else_the_next_working_day() -> None:
    utc = ZoneInfo("UTC")
    tuesday_morning = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    friday_noon = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    saturday_morning = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)

    assert next_slot_ahead(tuesday_morning, 10, utc) == datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert next_slot_ahead(friday_noon, 10, utc) == datetime(2026, 11, 30, 10, tzinfo=UTC)
    assert next_slot_ahead(saturday_morning, 10, utc) == datetime(2026, 11, 30, 10, tzinfo=UTC)
