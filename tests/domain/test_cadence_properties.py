"""Properties of the next action over random histories spanning two years."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.cadence import plan_next_action, usable_channels
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
from service.domain.slots import local_date, resolve_zone, roll_weekend

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

    def latest_touch(self) -> datetime | None:
        moments = [attempt.occurred_at for attempt in self.attempts]
        return max([*moments, *([self.skipped_at] if self.skipped_at else [])], default=None)

    def request(self) -> date | None:
        ordered = self.ordered()
        if not ordered or ordered[-1].follow_up_on is None:
            return None
        if self.skipped_at is not None and self.skipped_at > ordered[-1].occurred_at:
            return None
        return ordered[-1].follow_up_on


MOMENTS = st.datetimes(
    min_value=START.replace(tzinfo=None), max_value=END.replace(tzinfo=None), timezones=st.just(UTC)
)
DETAIL = st.sampled_from([None, None, "", "x@example.test"])


@st.composite
def contacts(draw: st.DrawFn, index: int) -> ContactFacts:
    return ContactFacts(
        id=f"c{index}",
        name=draw(st.sampled_from(["Ann Lee", "Bob Smith", "Cal Diaz", "Ann Lee"])),
        role=draw(st.sampled_from(list(ContactRole))),
        status=draw(st.sampled_from([ContactStatus.ACTIVE] * 4 + list(ContactStatus))),
        email=draw(DETAIL),
        phone=draw(DETAIL),
        profile_url=draw(DETAIL),
        timezone=draw(st.sampled_from([None, *ZONES])),
    )


@st.composite
def attempts(draw: st.DrawFn, index: int, contact_ids: list[str]) -> AttemptFacts:
    occurred_at = draw(MOMENTS)
    outcome = draw(st.sampled_from([None, None, *[o for o in Outcome if o != "asked_to_stop"]]))
    if draw(st.integers(0, 30)) == 0:
        outcome = Outcome.ASKED_TO_STOP
    referred = draw(st.sampled_from(contact_ids)) if outcome == Outcome.REFERRED else None
    follow_up = draw(st.none() | st.integers(-20, 120)) if draw(st.booleans()) else None
    return AttemptFacts(
        id=f"a{index:02d}",
        contact_id=draw(st.sampled_from([*contact_ids, "gone"])),
        channel=draw(st.sampled_from(list(Channel))),
        occurred_at=occurred_at,
        direction=draw(st.sampled_from([Direction.OUTBOUND] * 3 + [Direction.INBOUND])),
        outcome=outcome,
        referred_to_contact_id=referred,
        news_id=draw(st.sampled_from([None, "n0", "n1"])),
        script_variant=draw(st.sampled_from([None, "w-email-p0-i1-n2-q0-c0", "junk"])),
        follow_up_on=(occurred_at.date() + timedelta(follow_up)) if follow_up is not None else None,
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
        rejected_on=draw(st.none() | st.dates(date(2024, 12, 1), date(2025, 12, 31))),
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
    )
    skipped_at = draw(st.none() | MOMENTS)
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


@PROPERTY
@given(histories())
def test_never_sooner_than_the_minimum_gap_unless_opening_or_requested(history: History) -> None:
    action = history.plan()
    touch = history.latest_touch()
    if action is None or touch is None:
        return
    zone = resolve_zone(history.target(action).timezone, history.settings.timezone)
    due_on = action.due_at.astimezone(zone).date()
    requested = history.request()
    if requested is not None:
        assert due_on == roll_weekend(requested)
    elif history.organization.status == OrganizationStatus.OPENING:
        return
    elif the_no(history, action, local_date(touch, zone)):
        # The touch that delivered the No: the first touch follows it by R1, not R7.
        rejected_on = history.organization.rejected_on
        assert rejected_on is not None
        assert due_on >= rejected_on + timedelta(history.settings.initial_delay_days)
    else:
        assert due_on >= local_date(touch, zone) + timedelta(history.settings.min_gap_days)


def the_no(history: History, action: PlannedAction, touch_day: date) -> bool:
    rejected_on = history.organization.rejected_on
    return action.phase == Phase.INITIAL and rejected_on is not None and touch_day <= rejected_on


@QUICK
@given(
    histories(statuses=("paused", "closed", "hired")),
)
def test_no_action_for_paused_closed_or_hired_organizations(history: History) -> None:
    assert history.plan() is None


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
