"""When the next action is due: local dates, slots and windows (R1-R5, R7, R10, R11, R13, R15)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from service.domain.model import AttemptFacts, CadenceSettings, OrganizationFacts, Phase
from service.domain.wording import sentences

OPENING_WINDOW_DAYS = 0

_SATURDAY = 5


@dataclass(frozen=True)
class Timing:
    """When the next action is due, and what the reason needs to say about it."""

    due_on: date
    window_start: date
    window_end: date
    earliest: date
    touch_day: date | None
    requested: AttemptFacts | None
    unanswered_on: date | None = None


def schedule(
    organization: OrganizationFacts,
    phase: Phase,
    touches: Sequence[AttemptFacts],
    skip: datetime | None,
    settings: CadenceSettings,
    zone: ZoneInfo,
    *,
    referral: AttemptFacts | None = None,
    unanswered: datetime | None = None,
) -> Timing:
    """Due date and window by R1-R5, R7, R11, R13 and R15 on local dates in `zone`.

    `touches` are in order and leave out unanswered calls; `unanswered` is the latest one
    with the target since the latest touch or skip, if any.
    """
    last = touches[-1] if touches else None
    touch = max((as_utc(last.occurred_at) if last else None, skip), key=_or_epoch)
    touch_day = local_date(touch, zone) if touch else None
    requested = _requested(last, touch, settings)
    if requested is not None and requested.follow_up_on is not None:
        base, window = requested.follow_up_on, 0
    elif referral is not None and touch_day is not None:
        base, window = add_working_days(touch_day, settings.referral_days), 0
    elif phase is Phase.OPENING and touch_day is not None:
        base, window = touch_day + timedelta(settings.opening_days), OPENING_WINDOW_DAYS
    elif phase in (Phase.INITIAL, Phase.OPENING) or touch_day is None:
        anchor = organization.rejected_on or local_date(organization.created_at, zone)
        base = max(anchor, touch_day or anchor) + timedelta(settings.initial_delay_days)
        window = 0
    elif phase is Phase.WARM:
        base, window = touch_day + timedelta(settings.warm_days), settings.warm_window_days
    else:
        base = touch_day + timedelta(settings.maintenance_days)
        window = settings.maintenance_window_days
    # The conversation that delivered the No (logged on or before rejected_on) is not a
    # follow-up: the first touch still comes right after it (R1), not min_gap_days later.
    the_no = (
        phase is Phase.INITIAL
        and organization.rejected_on is not None
        and last is not None
        and touch == as_utc(last.occurred_at)  # an attempt, not a skip
        and touch_day is not None
        and touch_day <= organization.rejected_on
    )
    spaced = (
        requested is None
        and referral is None
        and phase is not Phase.OPENING
        and touch_day is not None
        and not the_no
    )
    floor = touch_day + timedelta(settings.min_gap_days) if spaced and touch_day else None
    earliest = max(base, floor or base)
    opens = max(base - timedelta(window), floor or base - timedelta(window))
    closes = base + timedelta(window)
    unanswered_on = local_date(unanswered, zone) if unanswered is not None else None
    if unanswered_on is not None:
        # R15: the same touch, tried again soon; never before R7's floor or a requested date.
        retry = add_working_days(unanswered_on, settings.retry_days)
        asked = requested.follow_up_on if requested is not None else None
        earliest = opens = closes = max(retry, floor or retry, asked or retry)
    due_on = roll_weekend(earliest)
    return Timing(
        due_on=due_on,
        window_start=min(opens, due_on),
        window_end=max(closes, due_on),
        earliest=earliest,
        touch_day=touch_day,
        requested=requested,
        unanswered_on=unanswered_on,
    )


def _requested(
    last: AttemptFacts | None, touch: datetime | None, settings: CadenceSettings
) -> AttemptFacts | None:
    """The latest touch when it asked for a date (R11) that is not before the touch itself.

    A stored date before the touch (refused since it contradicts, R11's 422) is ignored.
    """
    if last is None or last.follow_up_on is None or touch != as_utc(last.occurred_at):
        return None
    account_zone = resolve_zone(settings.timezone, "UTC")
    return last if last.follow_up_on >= local_date(last.occurred_at, account_zone) else None


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days (Monday to Friday) after `day`; zero rolls a weekend."""
    for _ in range(count):
        day += timedelta(days=1)
        while day.weekday() >= _SATURDAY:
            day += timedelta(days=1)
    return roll_weekend(day)


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
    weekday, month = sentences.WEEKDAYS[day.weekday()], sentences.MONTHS[day.month - 1]
    return sentences.DATE.format(weekday=weekday, day=day.day, month=month, year=day.year)


def _count(amount: int, unit: str) -> str:
    words = sentences.NUMBER_WORDS
    word = words[amount] if 0 <= amount < len(words) else str(amount)
    return sentences.COUNT["one" if amount == 1 else "many"].format(word=word, unit=unit)


def _or_epoch(moment: datetime | None) -> datetime:
    return moment or datetime.min.replace(tzinfo=UTC)


def next_slot_ahead(now: datetime, hour: int, zone: ZoneInfo) -> datetime:
    """Today at `hour` in `zone` if that is still ahead and today is a working day, else the
    next working day at `hour` (where a calendar shows a follow-up that is overdue)."""
    today = local_date(now, zone)
    slot = slot_at(today, hour, zone)
    if slot > as_utc(now) and today.weekday() < _SATURDAY:
        return slot
    return slot_at(add_working_days(today, 1), hour, zone)
