"""Properties of the next action over random histories spanning two years."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.cadence import is_unanswered, plan_next_action, usable_channels
from service.domain.model import (
    AttemptFacts,
    CadenceSettings,
    Channel,
    ContactFacts,
    ContactRole,
    ContactStatus,
    Direction,
    NewsFacts,
    OrganizationFacts,
    OrganizationStatus,
    Outcome,
    Phase,
    PlannedAction,
)
from service.domain.slots import add_working_days, local_date, resolve_zone, roll_weekend

ZONES = ("America/Chicago", "Europe/London", "Asia/Kolkata", "Pacific/Auckland", "UTC")
START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2026, 12, 31, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)
ROLE_RANK = {
    ContactRole.HIRING_MANAGER: 0,
    ContactRole.REFERRER: 1,
    ContactRole.OTHER: 2,
    ContactRole.RECRUITER: 3,
    ContactRole.HR: 4,
}
PHASE_RANK = {Phase.INITIAL: 0, Phase.WARM: 1, Phase.MAINTENANCE: 2}
PROPERTY = settings(max_examples=300, deadline=None)
QUICK = settings(max_examples=100, deadline=None)


@dataclass(frozen=True)
class History:
    organization: OrganizationFacts
    contacts: tuple[ContactFacts, ...]
    attempts: tuple[AttemptFacts, ...]
    news: tuple[NewsFacts, ...]
    settings: CadenceSettings
    skipped_at: datetime | None

    def plan(self) -> PlannedAction | None:
        return plan_next_action(
            self.organization,
            self.contacts,
            self.attempts,
            self.news,
            self.settings,
            NOW,
            skipped_at=self.skipped_at,
        )

    def ordered(self) -> list[AttemptFacts]:
        return sorted(self.attempts, key=lambda attempt: (attempt.occurred_at, attempt.id))

    def target(self, action: PlannedAction) -> ContactFacts:
        return next(contact for contact in self.contacts if contact.id == action.contact_id)

    def touches(self) -> list[AttemptFacts]:
        """The attempts in order, without the unanswered calls (R15: not touches)."""
        return [attempt for attempt in self.ordered() if not is_unanswered(attempt)]

    def latest_touch(self) -> datetime | None:
        moments = [attempt.occurred_at for attempt in self.touches()]
        return max([*moments, *([self.skipped_at] if self.skipped_at else [])], default=None)

    def requested(self) -> AttemptFacts | None:
        """The latest touch when it asked for a date not before itself (R11)."""
        touches = self.touches()
        if not touches or touches[-1].follow_up_on is None:
            return None
        last = touches[-1]
        if self.skipped_at is not None and self.skipped_at > last.occurred_at:
            return None
        assert last.follow_up_on is not None
        account_zone = resolve_zone(self.settings.timezone, "UTC")
        return last if last.follow_up_on >= local_date(last.occurred_at, account_zone) else None

    def request(self) -> date | None:
        requested = self.requested()
        return requested.follow_up_on if requested is not None else None

    def unanswered(self, action: PlannedAction) -> datetime | None:
        """The latest unanswered call with the target after the latest touch and skip."""
        touch = self.latest_touch()
        calls = [
            a.occurred_at
            for a in self.ordered()
            if is_unanswered(a) and a.contact_id == action.contact_id
        ]
        if not calls or (touch is not None and touch >= calls[-1]):
            return None
        return calls[-1]


MOMENTS = st.datetimes(
    min_value=START.replace(tzinfo=None), max_value=END.replace(tzinfo=None), timezones=st.just(UTC)
)
DETAIL = st.sampled_from([None, None, "", "x@example.test"])
# Strategies built once, not on every draw: hypothesis validates each new one, and building
# them inside the composites cost more than half of every long history's generation.
NAMES = st.sampled_from(["Ann Lee", "Bob Smith", "Cal Diaz", "Ann Lee"])
ROLES = st.sampled_from(list(ContactRole))
STATUSES = st.sampled_from([ContactStatus.ACTIVE] * 4 + list(ContactStatus))
CONTACT_ZONES = st.sampled_from([None, *ZONES])
OUTCOMES = st.sampled_from([None, None, *[o for o in Outcome if o != "asked_to_stop"]])
FOLLOW_UP_DAYS = st.none() | st.integers(-20, 120)
FOLLOW_UP_CHANNELS = st.none() | st.sampled_from(list(Channel))
CHANNELS = st.sampled_from(list(Channel))
DIRECTIONS = st.sampled_from([Direction.OUTBOUND] * 3 + [Direction.INBOUND])
NEWS_IDS = st.sampled_from([None, "n0", "n1"])
VARIANTS = st.sampled_from([None, "w-email-p0-i1-n2-q0-c0", "junk"])
REJECTED_ON = st.none() | st.dates(date(2024, 12, 1), date(2025, 12, 31))
SKIPPED_AT = st.none() | MOMENTS


@st.composite
def contacts(draw: st.DrawFn, index: int) -> ContactFacts:
    return ContactFacts(
        id=f"c{index}",
        name=draw(NAMES),
        role=draw(ROLES),
        status=draw(STATUSES),
        email=draw(DETAIL),
        phone=draw(DETAIL),
        profile_url=draw(DETAIL),
        timezone=draw(CONTACT_ZONES),
    )


@functools.cache
def sampled(*options: str) -> st.SearchStrategy[str]:
    return st.sampled_from(options)


@st.composite
def attempts(draw: st.DrawFn, index: int, contact_ids: list[str]) -> AttemptFacts:
    occurred_at = draw(MOMENTS)
    outcome = draw(OUTCOMES)
    if draw(st.integers(0, 30)) == 0:
        outcome = Outcome.ASKED_TO_STOP
    referred = draw(sampled(*contact_ids)) if outcome == Outcome.REFERRED else None
    follow_up = draw(FOLLOW_UP_DAYS) if draw(st.booleans()) else None
    # Sometimes without a date, as a row stored before the 422 would be.
    follow_up_channel = draw(FOLLOW_UP_CHANNELS)
    return AttemptFacts(
        id=f"a{index:02d}",
        contact_id=draw(sampled(*contact_ids, "gone")),
        channel=draw(CHANNELS),
        occurred_at=occurred_at,
        direction=draw(DIRECTIONS),
        outcome=outcome,
        referred_to_contact_id=referred,
        news_id=draw(NEWS_IDS),
        script_variant=draw(VARIANTS),
        follow_up_on=(occurred_at.date() + timedelta(follow_up)) if follow_up is not None else None,
        follow_up_channel=follow_up_channel,
    )


@st.composite
def histories(draw: st.DrawFn, statuses: tuple[str, ...] = ("nurturing", "opening")) -> History:
    people = [draw(contacts(index)) for index in range(draw(st.integers(1, 5)))]
    ids = [person.id for person in people]
    touches = [draw(attempts(index, ids)) for index in range(draw(st.integers(0, 14)))]
    organization = OrganizationFacts(
        id="org",
        name="Acme",
        status=OrganizationStatus(draw(st.sampled_from(statuses))),
        rejected_on=draw(REJECTED_ON),
        created_at=draw(MOMENTS),
    )
    news = tuple(
        NewsFacts(f"n{index}", f"Acme headline {index}", draw(st.dates(date(2025, 1, 1))))
        for index in range(draw(st.integers(0, 3)))
    )
    cadence = CadenceSettings(
        timezone=draw(st.sampled_from(ZONES)),
        preferred_hour=draw(st.integers(0, 23)),
        initial_delay_days=draw(st.integers(0, 5)),
        warm_touches=draw(st.integers(1, 6)),
        warm_days=draw(st.integers(5, 35)),
        warm_window_days=draw(st.integers(0, 7)),
        maintenance_days=draw(st.integers(30, 90)),
        maintenance_window_days=draw(st.integers(0, 20)),
        opening_days=draw(st.integers(1, 14)),
        min_gap_days=draw(st.integers(0, 20)),
        referral_days=draw(st.integers(0, 10)),
        retry_days=draw(st.integers(1, 10)),
    )
    skipped_at = draw(SKIPPED_AT)
    return History(organization, tuple(people), tuple(touches), news, cadence, skipped_at)


@PROPERTY
@given(histories())
def test_due_time_is_a_weekday_at_the_preferred_hour_in_the_targets_zone(history: History) -> None:
    action = history.plan()
    if action is None:
        return
    target = history.target(action)
    zone = resolve_zone(target.timezone, history.settings.timezone)
    local = action.due_at.astimezone(zone)
    assert action.due_at.utcoffset() == timedelta(0)
    assert local.weekday() < 5
    assert (local.hour, local.minute, local.second) == (history.settings.preferred_hour, 0, 0)
    assert action.window_start <= local.date() <= action.window_end


@PROPERTY
@given(histories())
def test_the_target_is_eligible_and_comes_first_by_role(history: History) -> None:
    action = history.plan()
    stopped = {a.contact_id for a in history.attempts if a.outcome == Outcome.ASKED_TO_STOP}
    eligible = [
        contact
        for contact in history.contacts
        if contact.status == ContactStatus.ACTIVE
        and contact.id not in stopped
        and usable_channels(contact)
    ]
    if action is None:
        assert not eligible
        return
    target = history.target(action)
    assert target in eligible
    if "referred you to" not in action.reason:
        assert ROLE_RANK[target.role] == min(ROLE_RANK[contact.role] for contact in eligible)
    only_recruiters = all(c.role in (ContactRole.RECRUITER, ContactRole.HR) for c in eligible)
    assert ("add_hiring_manager" in action.hints) is only_recruiters


@PROPERTY
@given(histories())
def test_never_the_previous_channel_with_that_contact_when_another_is_usable(
    history: History,
) -> None:
    action = history.plan()
    if action is None:
        return
    usable = usable_channels(history.target(action))
    assert action.channel in usable
    assert action.channel not in (Channel.VOICEMAIL, Channel.IN_PERSON)
    asked = requested_channel(history.requested())
    if asked in usable and history.unanswered(action) is None:
        assert action.channel is asked  # R16: the channel they asked for wins
        return
    with_target = [a for a in history.ordered() if a.contact_id == action.contact_id]
    if not with_target:
        assert action.channel is usable[0]
        return
    previous = with_target[-1]
    if set(usable) - {previous.channel}:
        assert action.channel != previous.channel
    voice = previous.channel == Channel.VOICEMAIL or (
        previous.channel == Channel.CALL
        and previous.outcome in (Outcome.LEFT_VOICEMAIL, Outcome.NO_ANSWER)
    )
    if voice and set(usable) - {Channel.CALL}:
        assert action.channel != Channel.CALL
    if len(usable) == 1:
        assert "single_channel" in action.hints


def requested_channel(requested: AttemptFacts | None) -> Channel | None:
    """The channel R16 plans for a request: a voicemail is a call, in person is no channel."""
    channel = requested.follow_up_channel if requested is not None else None
    if channel is None or channel is Channel.IN_PERSON:
        return None
    return Channel.CALL if channel is Channel.VOICEMAIL else channel


@PROPERTY
@given(histories())
def test_never_sooner_than_the_minimum_gap_unless_opening_requested_or_referred(
    history: History,
) -> None:
    action = history.plan()
    touch = history.latest_touch()
    if action is None or touch is None:
        return
    zone = resolve_zone(history.target(action).timezone, history.settings.timezone)
    due_on = action.due_at.astimezone(zone).date()
    touch_day = local_date(touch, zone)
    requested = history.request()
    unanswered = history.unanswered(action)
    if unanswered is not None:
        # R15: retried retry_days working days after the unanswered call, never before a
        # requested date.
        retry = add_working_days(local_date(unanswered, zone), history.settings.retry_days)
        assert due_on >= retry and due_on >= (requested or retry)
    elif requested is not None:
        assert due_on == roll_weekend(requested)
    elif "referred you to" in action.reason:
        # R13: referral_days working days after the latest touch, R7 aside.
        assert due_on == add_working_days(touch_day, history.settings.referral_days)
    elif history.organization.status == OrganizationStatus.OPENING:
        return
    elif the_no(history, action, touch_day):
        # The touch that delivered the No: the first touch follows it by R1, not R7.
        rejected_on = history.organization.rejected_on
        assert rejected_on is not None
        assert due_on >= rejected_on + timedelta(history.settings.initial_delay_days)
    else:
        assert due_on >= touch_day + timedelta(history.settings.min_gap_days)


def the_no(history: History, action: PlannedAction, touch_day: date) -> bool:
    rejected_on = history.organization.rejected_on
    return action.phase == Phase.INITIAL and rejected_on is not None and touch_day <= rejected_on


@QUICK
@given(
    histories(statuses=("paused", "closed", "hired")),
)
def test_no_action_for_paused_closed_or_hired_organizations(history: History) -> None:
    assert history.plan() is None


@PROPERTY
@given(histories(statuses=("watching",)))
def test_a_watching_organization_gets_no_action_whatever_its_history(history: History) -> None:
    # R17: people you know there, nobody has said no: nothing to follow up.
    assert history.plan() is None


@QUICK
@given(histories(statuses=("watching",)), st.dates(date(2024, 12, 1), date(2025, 12, 31)))
def test_nurturing_a_watching_organization_starts_its_cadence_at_r1(
    history: History, said_no_on: date
) -> None:
    reachable = ContactFacts("c-new", "Dee Roe", ContactRole.HIRING_MANAGER, email="d@x.test")
    fresh = replace(history, contacts=(reachable,), attempts=(), skipped_at=None)
    assert fresh.plan() is None
    for organization in (
        replace(fresh.organization, status=OrganizationStatus.NURTURING, rejected_on=said_no_on),
        replace(fresh.organization, status=OrganizationStatus.NURTURING, rejected_on=None),
    ):
        action = replace(fresh, organization=organization).plan()
        assert action is not None and action.phase == Phase.INITIAL
        zone = resolve_zone(None, fresh.settings.timezone)
        anchor = organization.rejected_on or local_date(organization.created_at, zone)
        due_on = roll_weekend(anchor + timedelta(fresh.settings.initial_delay_days))
        assert local_date(action.due_at, zone) == due_on


@QUICK
@given(histories(), st.sampled_from([ContactStatus.DO_NOT_CONTACT, ContactStatus.ARCHIVED]))
def test_no_action_when_nobody_may_be_contacted(history: History, status: ContactStatus) -> None:
    stopped = replace(history, contacts=tuple(replace(c, status=status) for c in history.contacts))
    assert stopped.plan() is None
    asked = [
        AttemptFacts(f"stop-{c.id}", c.id, Channel.EMAIL, NOW, outcome=Outcome.ASKED_TO_STOP)
        for c in history.contacts
    ]
    assert replace(history, attempts=(*history.attempts, *asked)).plan() is None


@PROPERTY
@given(histories(), st.randoms(use_true_random=False))
def test_same_history_in_any_order_gives_the_same_action(
    history: History, shuffler: random.Random
) -> None:
    expected = history.plan()
    people, touches, news = list(history.contacts), list(history.attempts), list(history.news)
    shuffler.shuffle(people)
    shuffler.shuffle(touches)
    shuffler.shuffle(news)
    shuffled = replace(history, contacts=tuple(people), attempts=tuple(touches), news=tuple(news))
    assert shuffled.plan() == expected
    assert history.plan() == expected


@PROPERTY
@given(histories(statuses=("nurturing",)))
def test_the_phase_never_goes_back_as_outbound_touches_accumulate(history: History) -> None:
    keeper = ContactFacts("keeper", "Kim Keeper", ContactRole.OTHER, email="kim@example.test")
    base = replace(history, contacts=(*history.contacts, keeper), skipped_at=None)
    ordered = base.ordered()
    ranks = []
    for size in range(len(ordered) + 1):
        action = replace(base, attempts=tuple(ordered[:size])).plan()
        assert action is not None
        ranks.append(PHASE_RANK[action.phase])
    assert ranks == sorted(ranks)


@PROPERTY
@given(histories(), st.data())
def test_an_unanswered_call_never_advances_the_phase_nor_moves_the_clock(
    history: History, data: st.DataObject
) -> None:
    contact = data.draw(st.sampled_from(history.contacts))
    moment = data.draw(MOMENTS)
    hours_after = data.draw(st.none() | st.integers(1, 24 * 40))
    touch = history.latest_touch()
    if touch is not None and hours_after is not None:
        moment = touch + timedelta(hours=hours_after)  # often the call that re-plans
    call = AttemptFacts(
        "zz-unanswered",
        contact.id,
        Channel.CALL,
        moment,
        direction=data.draw(st.sampled_from(list(Direction))),
        outcome=Outcome.NO_ANSWER,
    )
    before = history.plan()
    after = replace(history, attempts=(*history.attempts, call)).plan()
    if before is None:
        assert after is None
        return
    assert after is not None
    assert (after.phase, after.contact_id) == (before.phase, before.contact_id)
    if call.contact_id != before.contact_id:
        assert after == before  # with anyone but the target it changes nothing
        return
    earlier = history.unanswered(before)
    superseded = (touch is not None and touch >= call.occurred_at) or (
        earlier is not None and earlier > call.occurred_at
    )
    if superseded:
        # Before the latest touch, or before a later unanswered call: the same slot.
        assert (after.due_at, after.window_start, after.window_end) == (
            before.due_at,
            before.window_start,
            before.window_end,
        )
        return
    zone = resolve_zone(contact.timezone, history.settings.timezone)
    retry = add_working_days(local_date(call.occurred_at, zone), history.settings.retry_days)
    assert after.due_at.astimezone(zone).date() >= retry
    assert "went unanswered" in after.reason
    if set(usable_channels(contact)) - {Channel.CALL}:
        assert after.channel is not Channel.CALL  # R15: another channel where there is one


@QUICK
@given(histories(), st.data())
def test_after_a_hiring_manager_asks_to_stop_nobody_there_is_contacted_until_resumed(
    history: History, data: st.DataObject
) -> None:
    boss = ContactFacts("boss", "Hana Ito", ContactRole.HIRING_MANAGER, email="hana@example.test")
    stop = AttemptFacts(
        "zz-stop",
        boss.id,
        data.draw(st.sampled_from(list(Channel))),
        data.draw(MOMENTS),
        direction=Direction.INBOUND,
        outcome=Outcome.ASKED_TO_STOP,
    )
    stopped = replace(
        history, contacts=(*history.contacts, boss), attempts=(*history.attempts, stop)
    )
    # R14: logging it pauses the organization (the attempt service does), so no action.
    paused = replace(history.organization, status=OrganizationStatus.PAUSED)
    assert replace(stopped, organization=paused).plan() is None
    # Once the user resumes it, the others may be contacted, never the hiring manager.
    resumed = replace(history.organization, status=OrganizationStatus.NURTURING)
    action = replace(stopped, organization=resumed).plan()
    assert action is None or action.contact_id != boss.id
