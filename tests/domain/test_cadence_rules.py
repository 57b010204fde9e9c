"""One table per cadence rule, with the expected dates worked out by hand."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from service.domain.cadence import plan_next_action
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

NOW = datetime(2026, 3, 6, 12, tzinfo=UTC)
ACME = OrganizationFacts(
    id="org-1",
    name="Acme",
    status=OrganizationStatus.NURTURING,
    rejected_on=date(2026, 3, 6),  # a Friday
    created_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
)
ANN = ContactFacts(
    id="c-ann",
    name="Ann Lee",
    role=ContactRole.HIRING_MANAGER,
    email="ann@acme.test",
    phone="+1 555 0100",
    profile_url="https://example.test/ann",
)
BOB = ContactFacts(id="c-bob", name="Bob Smith", role=ContactRole.RECRUITER, phone="+1 555 0101")
CAL = ContactFacts(id="c-cal", name="Cal Diaz", role=ContactRole.OTHER, email="cal@acme.test")
DEE = ContactFacts(id="c-dee", name="Dee Wu", role=ContactRole.HR, email="dee@acme.test")
EVE = ContactFacts(id="c-eve", name="Eve Park", role=ContactRole.REFERRER, email="eve@acme.test")


def at(text: str) -> datetime:
    """An aware UTC moment from "2026-03-09T14:00" (or a bare date, read as 14:00 UTC)."""
    return datetime.fromisoformat(text if "T" in text else f"{text}T14:00").replace(tzinfo=UTC)


def day(text: str) -> date:
    return date.fromisoformat(text)


def touch(
    when: str,
    contact: ContactFacts = ANN,
    channel: Channel = Channel.EMAIL,
    *,
    n: int = 0,
    **facts: Any,
) -> AttemptFacts:
    return AttemptFacts(
        id=f"a-{when}-{n}",
        contact_id=contact.id,
        channel=channel,
        occurred_at=at(when),
        **facts,
    )


@dataclass(frozen=True)
class Case:
    id: str
    attempts: tuple[AttemptFacts, ...] = ()
    due: str = ""
    window: tuple[str, str] = ("", "")
    phase: Phase = Phase.WARM
    contact: ContactFacts = ANN
    channel: Channel = Channel.EMAIL
    hints: tuple[str, ...] = ("find_news",)
    reason: tuple[str, ...] = ()
    organization: OrganizationFacts = ACME
    contacts: tuple[ContactFacts, ...] = (ANN, BOB)
    settings: CadenceSettings = field(default_factory=CadenceSettings)
    skipped_at: str | None = None


def plan(case: Case) -> PlannedAction | None:
    return plan_next_action(
        case.organization,
        case.contacts,
        case.attempts,
        (),
        case.settings,
        NOW,
        skipped_at=at(case.skipped_at) if case.skipped_at else None,
    )


def check(case: Case) -> PlannedAction:
    action = plan(case)
    assert action is not None
    assert action.due_at == at(case.due)
    assert action.due_at.tzinfo is not None
    assert action.due_at.utcoffset() is not None and not action.due_at.utcoffset()
    assert (action.window_start, action.window_end) == tuple(map(day, case.window))
    assert action.phase is case.phase
    assert action.contact_id == case.contact.id
    assert action.channel is case.channel
    # add_phone (the profile has no callback number) is tested on its own.
    assert tuple(h for h in action.hints if h != "add_phone") == case.hints
    for words in case.reason:
        assert words in action.reason, action.reason
    assert re.fullmatch(r"[A-Z][^\n]*[.]", action.reason), action.reason
    assert action.reason.count(". ") == 0, action.reason
    return action


def cases(*table: Case) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", table, ids=[case.id for case in table])


@cases(
    Case(
        "friday-no-rolls-to-monday",
        due="2026-03-09T10:00",
        window=("2026-03-07", "2026-03-09"),
        phase=Phase.INITIAL,
        reason=("First touch since the No from Acme", "Ann Lee, the hiring manager", "email"),
    ),
    Case(
        "monday-no-tuesday",
        organization=replace(ACME, rejected_on=day("2026-03-02")),
        due="2026-03-03T10:00",
        window=("2026-03-03", "2026-03-03"),
        phase=Phase.INITIAL,
    ),
    Case(
        "longer-delay-lands-on-saturday",
        organization=replace(ACME, rejected_on=day("2026-03-04")),
        settings=CadenceSettings(initial_delay_days=3),
        due="2026-03-09T10:00",
        window=("2026-03-07", "2026-03-09"),
        phase=Phase.INITIAL,
    ),
    Case(
        "overdue-stays-overdue-across-year-end",
        organization=replace(ACME, rejected_on=day("2025-12-31")),
        due="2026-01-01T10:00",
        window=("2026-01-01", "2026-01-01"),
        phase=Phase.INITIAL,
    ),
    Case(
        "no-rejection-date-counts-from-local-creation-date",
        organization=replace(ACME, rejected_on=None, created_at=at("2026-03-04T23:30")),
        contacts=(replace(ANN, timezone="Asia/Kolkata"),),
        due="2026-03-06T04:30",
        window=("2026-03-06", "2026-03-06"),
        phase=Phase.INITIAL,
        reason=("First touch with Acme",),
    ),
)
def test_r1_first_touch_soon_after_the_no(case: Case) -> None:
    check(case)


WARM_HISTORY = (
    touch("2026-03-09", channel=Channel.EMAIL),
    touch("2026-03-30", channel=Channel.CALL, outcome=Outcome.CONVERSATION),
    touch("2026-04-20", channel=Channel.EMAIL),
    touch("2026-05-11", channel=Channel.CALL, outcome=Outcome.CONVERSATION),
)


@cases(
    Case(
        "first-warm-touch",
        attempts=(touch("2026-03-09T14:00"),),
        due="2026-03-30T10:00",
        window=("2026-03-23", "2026-04-06"),
        channel=Channel.CALL,
        reason=("Three weeks since your email to Ann Lee", "call them", "mix it up"),
    ),
    Case(
        "fourth-touch-is-still-warm",
        attempts=WARM_HISTORY,
        due="2026-06-01T10:00",
        window=("2026-05-25", "2026-06-08"),
        channel=Channel.EMAIL,
        reason=("Three weeks since your call with Ann Lee",),
    ),
    Case(
        "saturday-due-date-rolls-to-monday",
        attempts=(touch("2026-03-14", channel=Channel.MESSAGE),),
        due="2026-04-06T10:00",
        window=("2026-03-28", "2026-04-11"),
        channel=Channel.CALL,
    ),
    Case(
        "warm-year-end",
        attempts=(touch("2026-12-10", channel=Channel.CALL),),
        due="2026-12-31T10:00",
        window=("2026-12-24", "2027-01-07"),
        channel=Channel.EMAIL,
    ),
    Case(
        "warm-over-a-weekend-into-the-new-year",
        attempts=(touch("2026-12-12", channel=Channel.CALL),),
        due="2027-01-04T10:00",
        window=("2026-12-26", "2027-01-09"),
        channel=Channel.EMAIL,
    ),
    Case(
        "warm-onto-leap-day",
        attempts=(touch("2028-02-08", channel=Channel.CALL),),
        due="2028-02-29T10:00",
        window=("2028-02-22", "2028-03-07"),
        channel=Channel.EMAIL,
    ),
)
def test_r2_warm_every_three_weeks(case: Case) -> None:
    check(case)


@cases(
    Case(
        "fifth-touch-starts-maintenance",
        attempts=(*WARM_HISTORY, touch("2026-06-01", channel=Channel.EMAIL)),
        due="2026-07-31T10:00",
        window=("2026-07-16", "2026-08-15"),
        phase=Phase.MAINTENANCE,
        channel=Channel.CALL,
        reason=("Two months since your email to Ann Lee", "mix it up"),
    ),
    Case(
        "maintenance-into-next-year",
        attempts=(*WARM_HISTORY, touch("2026-11-02", channel=Channel.CALL, n=1)),
        due="2027-01-01T10:00",
        window=("2026-12-17", "2027-01-16"),
        phase=Phase.MAINTENANCE,
        channel=Channel.EMAIL,
    ),
    Case(
        "maintenance-sunday-rolls-to-monday",
        attempts=(*WARM_HISTORY, touch("2026-06-04", channel=Channel.EMAIL)),
        due="2026-08-03T10:00",
        window=("2026-07-19", "2026-08-18"),
        phase=Phase.MAINTENANCE,
        channel=Channel.CALL,
    ),
    Case(
        "maintenance-without-mixing-says-why",
        contacts=(replace(ANN, phone=None, profile_url=None),),
        attempts=(*WARM_HISTORY, touch("2026-06-01", channel=Channel.EMAIL)),
        due="2026-07-31T10:00",
        window=("2026-07-16", "2026-08-15"),
        phase=Phase.MAINTENANCE,
        channel=Channel.EMAIL,
        hints=("single_channel", "find_news"),
        reason=("email them again (the only channel on file)",),
    ),
)
def test_r3_maintenance_every_two_months(case: Case) -> None:
    check(case)


@cases(
    Case(
        "inbound-call-restarts-the-clock",
        attempts=(
            touch("2026-03-09"),
            touch("2026-03-20", channel=Channel.CALL, direction=Direction.INBOUND),
        ),
        due="2026-04-10T10:00",
        window=("2026-04-03", "2026-04-17"),
        channel=Channel.EMAIL,
        reason=("Three weeks since Ann Lee's call",),
    ),
    Case(
        "a-touch-with-someone-else-restarts-the-clock",
        attempts=(touch("2026-03-09"), touch("2026-03-20", BOB, Channel.CALL)),
        due="2026-04-10T10:00",
        window=("2026-04-03", "2026-04-17"),
        channel=Channel.CALL,
        reason=("Three weeks since your call with Bob Smith", "call Ann Lee"),
    ),
    Case(
        "a-skip-restarts-the-clock-but-is-not-a-touch-for-the-phase",
        attempts=(touch("2026-03-09"),),
        skipped_at="2026-04-01T09:00",
        due="2026-04-22T10:00",
        window=("2026-04-15", "2026-04-29"),
        channel=Channel.CALL,
        reason=("Three weeks since you skipped the last follow-up",),
    ),
    Case(
        # The meeting that delivered the No is not a follow-up: no 10-day gap after it.
        "a-touch-before-the-no-does-not-delay-the-first-touch",
        attempts=(touch("2026-03-04", channel=Channel.IN_PERSON),),
        due="2026-03-09T10:00",
        window=("2026-03-07", "2026-03-09"),
        phase=Phase.INITIAL,
        reason=("First touch since the No from Acme",),
    ),
)
def test_r4_any_touch_restarts_the_clock(case: Case) -> None:
    check(case)


OPENING = replace(ACME, status=OrganizationStatus.OPENING)


@cases(
    Case(
        "weekly-while-opening",
        organization=OPENING,
        attempts=(touch("2026-04-01", channel=Channel.CALL, outcome=Outcome.OPENING_DISCUSSED),),
        due="2026-04-08T10:00",
        window=("2026-04-08", "2026-04-08"),
        phase=Phase.OPENING,
        reason=("Acme has an opening in discussion", "one week since your call with Ann Lee"),
    ),
    Case(
        "opening-ignores-the-min-gap-and-rolls-weekends",
        organization=OPENING,
        settings=CadenceSettings(opening_days=3),
        attempts=(touch("2026-04-02", channel=Channel.CALL),),
        due="2026-04-06T10:00",
        window=("2026-04-05", "2026-04-06"),
        phase=Phase.OPENING,
    ),
    Case(
        "opening-without-any-touch-starts-like-r1",
        organization=OPENING,
        due="2026-03-09T10:00",
        window=("2026-03-07", "2026-03-09"),
        phase=Phase.OPENING,
        reason=("Acme has an opening in discussion: email Ann Lee",),
    ),
)
def test_r5_opening_every_week(case: Case) -> None:
    check(case)


@pytest.mark.parametrize(
    "status",
    [
        OrganizationStatus.PAUSED,
        OrganizationStatus.CLOSED,
        OrganizationStatus.HIRED,
        OrganizationStatus.WATCHING,
    ],
)
def test_r6_r17_inactive_organizations_get_no_action(status: OrganizationStatus) -> None:
    assert plan(Case("inactive", organization=replace(ACME, status=status))) is None


@pytest.mark.parametrize(
    ("contacts", "attempts"),
    [
        ((replace(ANN, status=ContactStatus.DO_NOT_CONTACT),), ()),
        ((replace(ANN, status=ContactStatus.ARCHIVED),), ()),
        ((ANN,), (touch("2026-03-09", outcome=Outcome.ASKED_TO_STOP),)),
        ((replace(ANN, email=None, phone="  ", profile_url=None),), ()),
        ((), ()),
    ],
    ids=["do-not-contact", "archived", "asked-to-stop", "no-usable-detail", "no-contact"],
)
def test_r6_nobody_to_contact_means_no_action(
    contacts: tuple[ContactFacts, ...], attempts: tuple[AttemptFacts, ...]
) -> None:
    assert plan(Case("nobody", contacts=contacts, attempts=attempts)) is None


@cases(
    Case(
        "asked-to-stop-overrides-an-active-status",
        attempts=(touch("2026-03-09", outcome=Outcome.ASKED_TO_STOP),),
        contact=BOB,
        due="2026-03-30T10:00",
        window=("2026-03-23", "2026-04-06"),
        channel=Channel.CALL,
        hints=("add_hiring_manager", "single_channel", "find_news"),
    ),
    Case(
        "do-not-contact-hiring-manager-is-skipped",
        contacts=(replace(ANN, status=ContactStatus.DO_NOT_CONTACT), BOB),
        contact=BOB,
        due="2026-03-09T10:00",
        window=("2026-03-07", "2026-03-09"),
        phase=Phase.INITIAL,
        channel=Channel.CALL,
        hints=("add_hiring_manager", "single_channel", "find_news"),
        reason=("Bob Smith, the recruiter",),
    ),
)
def test_r6_respect_stops(case: Case) -> None:
    check(case)


@cases(
    Case(
        "floor-beats-a-short-interval",
        settings=CadenceSettings(warm_days=5, warm_window_days=3),
        attempts=(touch("2026-03-09"),),
        due="2026-03-19T10:00",
        window=("2026-03-19", "2026-03-19"),
        channel=Channel.CALL,
        reason=("Ten days since your email to Ann Lee",),
    ),
    Case(
        "floor-before-the-weekend-roll",
        settings=CadenceSettings(warm_days=3, warm_window_days=1),
        attempts=(touch("2026-03-11"),),
        due="2026-03-23T10:00",
        window=("2026-03-21", "2026-03-23"),
        channel=Channel.CALL,
    ),
    Case(
        "window-starts-no-earlier-than-the-floor",
        settings=CadenceSettings(warm_days=12, warm_window_days=5),
        attempts=(touch("2026-03-09"),),
        due="2026-03-23T10:00",
        window=("2026-03-19", "2026-03-26"),
        channel=Channel.CALL,
    ),
    Case(
        # The call that delivered the No is not a follow-up: R1 still says "right after".
        "r1-a-logged-no-call-does-not-wait-the-gap",
        attempts=(touch("2026-03-06T15:00", BOB, Channel.CALL, direction=Direction.INBOUND),),
        due="2026-03-09T10:00",
        window=("2026-03-07", "2026-03-09"),
        phase=Phase.INITIAL,
        reason=("First touch since the No from Acme",),
    ),
    Case(
        "opening-is-exempt",
        organization=OPENING,
        settings=CadenceSettings(opening_days=2),
        attempts=(touch("2026-03-09"),),
        due="2026-03-11T10:00",
        window=("2026-03-11", "2026-03-11"),
        phase=Phase.OPENING,
        channel=Channel.CALL,
        reason=("two days since your email to Ann Lee",),
    ),
)
def test_r7_minimum_gap(case: Case) -> None:
    check(case)


def first(name: str, **facts: Any) -> Case:
    """A first touch after the Friday No: due Monday 2026-03-09."""
    window = ("2026-03-07", "2026-03-09")
    return Case(name, due="2026-03-09T10:00", window=window, phase=Phase.INITIAL, **facts)


HM2 = replace(ANN, id="c-amy", name="Amy Ng")
REFERRAL = touch(
    "2026-03-09", BOB, Channel.CALL, outcome=Outcome.REFERRED, referred_to_contact_id=CAL.id
)


@cases(
    first("hiring-manager-first", contacts=(DEE, BOB, CAL, EVE, ANN)),
    first(
        "then-referrer",
        contacts=(DEE, BOB, CAL, EVE),
        contact=EVE,
        hints=("single_channel", "find_news"),
    ),
    first(
        "then-other",
        contacts=(DEE, BOB, CAL),
        contact=CAL,
        hints=("single_channel", "find_news"),
    ),
    first(
        "then-recruiter-with-a-hint",
        contacts=(replace(DEE, phone="1"), BOB),
        contact=BOB,
        channel=Channel.CALL,
        hints=("add_hiring_manager", "single_channel", "find_news"),
    ),
    first(
        "hr-last",
        contacts=(DEE,),
        contact=DEE,
        hints=("add_hiring_manager", "single_channel", "find_news"),
    ),
    Case(
        "never-touched-before-touched",
        contacts=(ANN, HM2),
        attempts=(touch("2026-03-09", HM2),),
        due="2026-03-30T10:00",
        window=("2026-03-23", "2026-04-06"),
        contact=ANN,
        reason=("Three weeks since your email to Amy Ng", "email Ann Lee", "warm"),
    ),
    Case(
        "least-recently-touched-wins",
        contacts=(ANN, HM2),
        attempts=(touch("2026-03-09", ANN), touch("2026-03-16", HM2, Channel.CALL)),
        due="2026-04-06T10:00",
        window=("2026-03-30", "2026-04-13"),
        contact=ANN,
        channel=Channel.CALL,
    ),
    first("untouched-ties-go-by-name", contacts=(ANN, HM2), contact=HM2),
    Case(
        # R13: three working days after Monday 9 March, the R7 gap aside.
        "referral-is-followed-once",
        contacts=(ANN, BOB, CAL),
        attempts=(REFERRAL,),
        due="2026-03-12T10:00",
        window=("2026-03-12", "2026-03-12"),
        contact=CAL,
        hints=("single_channel", "find_news"),
        reason=("Bob Smith referred you to Cal Diaz", "mention the referral"),
    ),
    Case(
        "referral-survives-an-inbound-touch",
        contacts=(ANN, BOB, CAL),
        attempts=(REFERRAL, touch("2026-03-10", ANN, direction=Direction.INBOUND)),
        due="2026-03-13T10:00",  # the clock restarts (R4): Tuesday 10 + 3 working days
        window=("2026-03-13", "2026-03-13"),
        contact=CAL,
        hints=("single_channel", "find_news"),
    ),
    Case(
        "then-back-to-priority",
        contacts=(ANN, BOB, CAL),
        attempts=(REFERRAL, touch("2026-03-20", CAL)),
        due="2026-04-10T10:00",
        window=("2026-04-03", "2026-04-17"),
        contact=ANN,
    ),
    Case(
        "a-skip-uses-the-referral-up",
        contacts=(ANN, BOB, CAL),
        attempts=(REFERRAL,),
        skipped_at="2026-03-20T09:00",
        due="2026-04-10T10:00",
        window=("2026-04-03", "2026-04-17"),
        contact=ANN,
    ),
    Case(
        "referral-to-a-do-not-contact-is-ignored",
        contacts=(ANN, BOB, replace(CAL, status=ContactStatus.DO_NOT_CONTACT)),
        attempts=(REFERRAL,),
        due="2026-03-30T10:00",
        window=("2026-03-23", "2026-04-06"),
        contact=ANN,
    ),
)
def test_r8_target_priority_and_referrals(case: Case) -> None:
    check(case)


PHONE_ONLY = replace(ANN, email=None, profile_url=None)
EMAIL_ONLY = replace(ANN, phone=None, profile_url=None)
NO_PHONE = replace(ANN, phone=None)
NO_EMAIL = replace(ANN, email=None)
PHONE_AND_EMAIL = replace(ANN, profile_url=None)


@pytest.mark.parametrize(
    ("contact", "previous", "outcome", "direction", "expected", "single"),
    [
        (ANN, None, None, Direction.OUTBOUND, Channel.EMAIL, False),
        (PHONE_ONLY, None, None, Direction.OUTBOUND, Channel.CALL, True),
        (NO_EMAIL, None, None, Direction.OUTBOUND, Channel.CALL, False),
        (ANN, Channel.VOICEMAIL, None, Direction.OUTBOUND, Channel.EMAIL, False),
        (ANN, Channel.EMAIL, None, Direction.OUTBOUND, Channel.CALL, False),
        (ANN, Channel.CALL, Outcome.CONVERSATION, Direction.OUTBOUND, Channel.EMAIL, False),
        (ANN, Channel.IN_PERSON, None, Direction.OUTBOUND, Channel.EMAIL, False),
        (ANN, Channel.MESSAGE, None, Direction.OUTBOUND, Channel.CALL, False),
        (ANN, Channel.CALL, Outcome.NO_ANSWER, Direction.OUTBOUND, Channel.EMAIL, False),
        (ANN, Channel.EMAIL, Outcome.REPLIED, Direction.INBOUND, Channel.CALL, False),
        (NO_PHONE, Channel.EMAIL, None, Direction.OUTBOUND, Channel.MESSAGE, False),
        (NO_PHONE, Channel.MESSAGE, None, Direction.OUTBOUND, Channel.EMAIL, False),
        (
            NO_EMAIL,
            Channel.CALL,
            Outcome.LEFT_VOICEMAIL,
            Direction.OUTBOUND,
            Channel.MESSAGE,
            False,
        ),
        (NO_EMAIL, Channel.VOICEMAIL, None, Direction.OUTBOUND, Channel.MESSAGE, False),
        (NO_EMAIL, Channel.CALL, Outcome.CONVERSATION, Direction.OUTBOUND, Channel.MESSAGE, False),
        (NO_EMAIL, Channel.MESSAGE, None, Direction.OUTBOUND, Channel.CALL, False),
        (PHONE_ONLY, Channel.VOICEMAIL, None, Direction.OUTBOUND, Channel.CALL, True),
        (PHONE_ONLY, Channel.CALL, Outcome.CONVERSATION, Direction.OUTBOUND, Channel.CALL, True),
        (EMAIL_ONLY, Channel.EMAIL, None, Direction.OUTBOUND, Channel.EMAIL, True),
        (EMAIL_ONLY, Channel.CALL, None, Direction.OUTBOUND, Channel.EMAIL, True),
        (PHONE_AND_EMAIL, Channel.MESSAGE, None, Direction.OUTBOUND, Channel.CALL, False),
    ],
)
def test_r9_mix_it_up(
    contact: ContactFacts,
    previous: Channel | None,
    outcome: Outcome | None,
    direction: Direction,
    expected: Channel,
    single: bool,
) -> None:
    attempts = (
        (touch("2026-03-09", contact, previous, outcome=outcome, direction=direction),)
        if previous
        else ()
    )
    action = plan(Case("channel", contacts=(contact,), attempts=attempts))
    assert action is not None
    assert action.channel is expected
    assert ("single_channel" in action.hints) is single
    if outcome is Outcome.NO_ANSWER:  # R15: the same touch, tried again on another channel
        assert "went unanswered" in action.reason and "instead" in action.reason
    elif previous and direction is Direction.OUTBOUND and not single:
        assert "mix it up" in action.reason


def test_r9_the_previous_attempt_is_the_one_with_that_contact() -> None:
    attempts = (touch("2026-03-09", ANN, Channel.CALL), touch("2026-03-16", BOB, Channel.CALL))
    action = plan(Case("with-that-contact", attempts=attempts))
    assert action is not None
    assert (action.contact_id, action.channel) == (ANN.id, Channel.EMAIL)


CHICAGO = replace(ANN, timezone="America/Chicago")
JANUARY = replace(ACME, rejected_on=day("2026-01-05"))
LONDON = replace(ANN, timezone="Europe/London")
AUCKLAND = replace(ANN, timezone="Pacific/Auckland")
KOLKATA = replace(ANN, timezone="Asia/Kolkata")


@cases(
    Case(
        "chicago-before-spring-forward",
        organization=JANUARY,
        contacts=(CHICAGO,),
        attempts=(touch("2026-02-13T20:00"),),
        due="2026-03-06T16:00",
        window=("2026-02-27", "2026-03-13"),
        channel=Channel.CALL,
    ),
    Case(
        "chicago-after-spring-forward",
        organization=JANUARY,
        contacts=(CHICAGO,),
        attempts=(touch("2026-02-16T20:00"),),
        due="2026-03-09T15:00",
        window=("2026-03-02", "2026-03-16"),
        channel=Channel.CALL,
    ),
    Case(
        "chicago-local-date-of-a-late-touch",
        organization=JANUARY,
        contacts=(CHICAGO,),
        attempts=(touch("2026-02-17T03:00"),),
        due="2026-03-09T15:00",
        window=("2026-03-02", "2026-03-16"),
        channel=Channel.CALL,
    ),
    Case(
        "chicago-before-fall-back",
        contacts=(CHICAGO,),
        attempts=(touch("2026-10-09T15:00"),),
        due="2026-10-30T15:00",
        window=("2026-10-23", "2026-11-06"),
        channel=Channel.CALL,
    ),
    Case(
        "chicago-after-fall-back",
        contacts=(CHICAGO,),
        attempts=(touch("2026-10-12T15:00"),),
        due="2026-11-02T16:00",
        window=("2026-10-26", "2026-11-09"),
        channel=Channel.CALL,
    ),
    Case(
        "london-before-spring-forward",
        contacts=(LONDON,),
        attempts=(touch("2026-03-06T12:00"),),
        due="2026-03-27T10:00",
        window=("2026-03-20", "2026-04-03"),
        channel=Channel.CALL,
    ),
    Case(
        "london-after-spring-forward",
        contacts=(LONDON,),
        attempts=(touch("2026-03-09T12:00"),),
        due="2026-03-30T09:00",
        window=("2026-03-23", "2026-04-06"),
        channel=Channel.CALL,
    ),
    Case(
        "london-before-fall-back",
        contacts=(LONDON,),
        attempts=(touch("2026-10-02T12:00"),),
        due="2026-10-23T09:00",
        window=("2026-10-16", "2026-10-30"),
        channel=Channel.CALL,
    ),
    Case(
        "london-after-fall-back",
        contacts=(LONDON,),
        attempts=(touch("2026-10-05T12:00"),),
        due="2026-10-26T10:00",
        window=("2026-10-19", "2026-11-02"),
        channel=Channel.CALL,
    ),
    Case(
        "auckland-is-a-day-ahead",
        contacts=(AUCKLAND,),
        attempts=(touch("2026-03-08T20:00"),),
        due="2026-03-29T21:00",
        window=("2026-03-23", "2026-04-06"),
        channel=Channel.CALL,
    ),
    Case(
        "kolkata-half-hour-offset",
        contacts=(KOLKATA,),
        attempts=(touch("2026-03-09T20:00"),),
        due="2026-03-31T04:30",
        window=("2026-03-24", "2026-04-07"),
        channel=Channel.CALL,
    ),
    Case(
        "account-zone-and-hour-when-the-contact-has-none",
        organization=JANUARY,
        settings=CadenceSettings(timezone="America/Chicago", preferred_hour=8),
        contacts=(ANN,),
        attempts=(touch("2026-02-16T20:00"),),
        due="2026-03-09T13:00",
        window=("2026-03-02", "2026-03-16"),
        channel=Channel.CALL,
    ),
    Case(
        "a-bad-contact-zone-falls-back-to-the-account",
        settings=CadenceSettings(timezone="Europe/London"),
        contacts=(replace(ANN, timezone="Not/AZone"),),
        attempts=(touch("2026-03-09T12:00"),),
        due="2026-03-30T09:00",
        window=("2026-03-23", "2026-04-06"),
        channel=Channel.CALL,
    ),
)
def test_r10_local_dates_and_slots(case: Case) -> None:
    check(case)


JUNE_1 = day("2026-06-01")


@cases(
    Case(
        "requested-date-wins-over-the-interval",
        attempts=(touch("2026-03-09", follow_up_on=JUNE_1),),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        channel=Channel.CALL,
        reason=("Ann Lee asked you to follow up on or after Monday 1 June 2026", "call them"),
    ),
    Case(
        "requested-date-ignores-the-min-gap",
        attempts=(touch("2026-03-09", follow_up_on=day("2026-03-11")),),
        due="2026-03-11T10:00",
        window=("2026-03-11", "2026-03-11"),
        channel=Channel.CALL,
    ),
    Case(
        "requested-saturday-rolls-to-monday",
        attempts=(touch("2026-03-09", follow_up_on=day("2026-06-06")),),
        due="2026-06-08T10:00",
        window=("2026-06-06", "2026-06-08"),
        channel=Channel.CALL,
    ),
    Case(
        "requested-by-someone-else-targets-by-priority",
        attempts=(touch("2026-03-09", BOB, Channel.CALL, follow_up_on=JUNE_1),),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        reason=("Bob Smith asked you", "email Ann Lee, the hiring manager, then"),
    ),
    Case(
        "requested-date-in-the-past-stays-overdue",
        attempts=(touch("2026-03-02", follow_up_on=day("2026-03-03")),),
        due="2026-03-03T10:00",
        window=("2026-03-03", "2026-03-03"),
        phase=Phase.INITIAL,  # the touch came before the No of Friday 6 March
        channel=Channel.CALL,
    ),
    Case(
        "requested-date-while-opening",
        organization=OPENING,
        attempts=(touch("2026-03-09", follow_up_on=JUNE_1),),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        phase=Phase.OPENING,
        channel=Channel.CALL,
    ),
    Case(
        "a-referral-with-a-requested-date",
        contacts=(ANN, BOB, CAL),
        attempts=(replace(REFERRAL, follow_up_on=day("2026-06-01")),),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        contact=CAL,
        hints=("single_channel", "find_news"),
        reason=(
            "Bob Smith referred you to Cal Diaz and asked to hear from you on or after "
            "Monday 1 June 2026: email them then.",
        ),
    ),
    Case(
        "a-later-touch-cancels-the-request",
        attempts=(touch("2026-03-09", follow_up_on=JUNE_1), touch("2026-03-16", BOB, Channel.CALL)),
        due="2026-04-06T10:00",
        window=("2026-03-30", "2026-04-13"),
        channel=Channel.CALL,
    ),
    Case(
        "a-later-skip-cancels-the-request",
        attempts=(touch("2026-03-09", follow_up_on=JUNE_1),),
        skipped_at="2026-03-16T09:00",
        due="2026-04-06T10:00",
        window=("2026-03-30", "2026-04-13"),
        channel=Channel.CALL,
    ),
)
def test_r11_requested_follow_up_date(case: Case) -> None:
    check(case)


def test_r12_one_deterministic_action_whatever_the_input_order() -> None:
    contacts = [ANN, BOB, CAL, DEE, EVE, HM2]
    attempts = [
        *WARM_HISTORY,
        touch("2026-05-20", BOB, Channel.CALL, direction=Direction.INBOUND),
        touch("2026-05-20", HM2, Channel.MESSAGE, n=1),
    ]
    news = [
        NewsFacts("n-1", "Acme opens Berlin office", day("2026-05-01")),
        NewsFacts("n-2", "Acme ships v2", day("2026-05-01")),
        NewsFacts("n-0", "Acme founded", day("2020-01-01")),
    ]
    expected = plan_next_action(ACME, contacts, attempts, news, CadenceSettings(), NOW)
    assert isinstance(expected, PlannedAction)
    shuffler = random.Random(12)
    for _ in range(20):
        shuffler.shuffle(contacts)
        shuffler.shuffle(attempts)
        shuffler.shuffle(news)
        again = plan_next_action(
            ACME, tuple(contacts), tuple(attempts), tuple(news), CadenceSettings(), NOW
        )
        assert again == expected


def test_news_is_the_newest_unused_item() -> None:
    news = (
        NewsFacts("n-1", "Acme opens Berlin office", day("2026-05-01")),
        NewsFacts("n-2", "Acme ships v2", day("2026-05-01")),
        NewsFacts("n-3", "Acme wins award", day("2026-04-01")),
    )
    first = plan_next_action(ACME, (ANN,), (), news, CadenceSettings(), NOW)
    assert first is not None and first.script is not None
    assert first.news_id == "n-2"
    assert "find_news" not in first.hints
    assert "“Acme ships v2”" in first.script.text
    used = (touch("2026-03-09", news_id="n-2"), touch("2026-03-10", BOB, news_id="n-1", n=1))
    second = plan_next_action(ACME, (ANN,), used, news, CadenceSettings(), NOW)
    assert second is not None and second.news_id == "n-3"
    all_used = (*used, touch("2026-03-11", news_id="n-3", n=2))
    third = plan_next_action(ACME, (ANN,), all_used, news, CadenceSettings(), NOW)
    assert third is not None and third.news_id is None
    assert third.hints == ("find_news", "add_phone")  # a call, and no callback number
    assert third.script is not None
    assert not any(item.headline in third.script.text for item in news)


def test_the_script_matches_the_channel_and_varies_from_the_last_one() -> None:
    previous = plan_next_action(ACME, (ANN,), (), (), CadenceSettings(), NOW)
    assert previous is not None and previous.script is not None
    assert "-email-" in previous.script.variant and previous.script.subject
    sent = touch("2026-03-09", script_variant=previous.script.variant)
    following = plan_next_action(ACME, (ANN,), (sent,), (), CadenceSettings(), NOW)
    assert following is not None and following.script is not None
    assert "-call-" in following.script.variant and following.script.subject is None
    assert following.script.variant != previous.script.variant
    assert "Hi Ann" in following.script.text and "Acme" in following.script.text


def test_naive_datetimes_are_read_as_utc() -> None:
    naive = AttemptFacts("a-1", ANN.id, Channel.EMAIL, datetime(2026, 3, 9, 14))
    action = plan_next_action(
        ACME, (ANN,), (naive,), (), CadenceSettings(), NOW.replace(tzinfo=None)
    )
    assert action is not None
    assert action.due_at == at("2026-03-30T10:00")
