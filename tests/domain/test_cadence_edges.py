"""R13-R16 and stored rows that contradict themselves, one table each, dates worked by hand.

2026 calendar: Friday 6 March is the No; the United States springs forward on Sunday 8 March,
the United Kingdom on Sunday 29 March; Chicago falls back on Sunday 1 November.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from service.domain.model import (
    AttemptFacts,
    CadenceSettings,
    Channel,
    ContactFacts,
    Direction,
    OrganizationStatus,
    Outcome,
    Phase,
)
from service.domain.slots import add_working_days
from tests.domain.test_cadence_rules import (
    ACME,
    ANN,
    BOB,
    CAL,
    Case,
    cases,
    check,
    day,
    plan,
    touch,
)

CAL_PHONE = replace(CAL, phone="+1 555 0102")
CAL_CHICAGO = replace(CAL, timezone="America/Chicago")
PHONE_ONLY = replace(ANN, email=None, profile_url=None)
NO_PHONE = replace(ANN, phone=None)
LONDON = replace(ANN, timezone="Europe/London")
CHICAGO = replace(ANN, timezone="America/Chicago")
OPENING = replace(ACME, status=OrganizationStatus.OPENING)
REFERRAL_HINTS = ("single_channel", "find_news")
JUNE_1 = day("2026-06-01")


def referral(when: str, contact: ContactFacts = CAL) -> AttemptFacts:
    """Bob Smith, the recruiter, names `contact` on a call."""
    return touch(
        when, BOB, Channel.CALL, outcome=Outcome.REFERRED, referred_to_contact_id=contact.id
    )


def unanswered(when: str, contact: ContactFacts = ANN, n: int = 9) -> AttemptFacts:
    """A call to `contact` nobody answered, where nothing was left."""
    return touch(when, contact, Channel.CALL, n=n, outcome=Outcome.NO_ANSWER)


def warm(name: str, **facts: Any) -> Case:
    """Planned as if only the email of Monday 9 March counted: due Monday 30 March."""
    window = ("2026-03-23", "2026-04-06")
    return Case(name, due="2026-03-30T10:00", window=window, **facts)


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2026-03-09", 3, "2026-03-12"),  # Monday -> Thursday
        ("2026-03-12", 3, "2026-03-17"),  # Thursday -> over the weekend -> Tuesday
        ("2026-03-13", 2, "2026-03-17"),  # Friday -> Tuesday
        ("2026-03-14", 3, "2026-03-18"),  # Saturday: Monday is the first working day
        ("2026-03-15", 1, "2026-03-16"),  # Sunday -> Monday
        ("2026-03-14", 0, "2026-03-16"),  # none: a weekend still rolls to Monday
        ("2026-03-10", 0, "2026-03-10"),
        ("2026-02-26", 3, "2026-03-03"),  # over a month end
        ("2026-12-30", 5, "2027-01-06"),  # over a year end
    ],
)
def test_working_days(start: str, count: int, expected: str) -> None:
    assert add_working_days(day(start), count) == day(expected)


@cases(
    Case(
        "monday-referral-thursday-r7-aside",
        contacts=(ANN, BOB, CAL),
        attempts=(referral("2026-03-09"),),
        due="2026-03-12T10:00",
        window=("2026-03-12", "2026-03-12"),
        contact=CAL,
        hints=REFERRAL_HINTS,
        reason=("Bob Smith referred you to Cal Diaz: email them and mention the referral.",),
    ),
    Case(
        "thursday-referral-counts-working-days-over-the-weekend",
        contacts=(ANN, BOB, CAL),
        attempts=(referral("2026-03-12"),),
        due="2026-03-17T10:00",
        window=("2026-03-17", "2026-03-17"),
        contact=CAL,
        hints=REFERRAL_HINTS,
    ),
    Case(
        "saturday-referral-monday-is-the-first-working-day",
        contacts=(ANN, BOB, CAL),
        attempts=(replace(referral("2026-03-14"), direction=Direction.INBOUND),),
        due="2026-03-18T10:00",
        window=("2026-03-18", "2026-03-18"),
        phase=Phase.INITIAL,  # an inbound touch: no outbound one yet
        contact=CAL,
        hints=REFERRAL_HINTS,
    ),
    Case(
        "referral-days-setting",
        contacts=(ANN, BOB, CAL),
        settings=CadenceSettings(referral_days=1),
        attempts=(referral("2026-03-13"),),
        due="2026-03-16T10:00",
        window=("2026-03-16", "2026-03-16"),
        contact=CAL,
        hints=REFERRAL_HINTS,
    ),
    Case(
        # Friday 14:00 in Chicago (CST); three working days later is Wednesday 11 March,
        # after the clocks sprang forward: 10:00 CDT is 15:00Z.
        "chicago-over-spring-forward",
        contacts=(ANN, BOB, CAL_CHICAGO),
        attempts=(referral("2026-03-06T20:00"),),
        due="2026-03-11T15:00",
        window=("2026-03-11", "2026-03-11"),
        contact=CAL_CHICAGO,
        hints=REFERRAL_HINTS,
    ),
    Case(
        # 03:00Z on Tuesday is still Monday evening in Chicago: Monday + 3 = Thursday.
        "chicago-local-date-of-a-late-referral",
        contacts=(ANN, BOB, CAL_CHICAGO),
        attempts=(referral("2026-03-10T03:00"),),
        due="2026-03-12T15:00",
        window=("2026-03-12", "2026-03-12"),
        contact=CAL_CHICAGO,
        hints=REFERRAL_HINTS,
    ),
    Case(
        "referral-while-opening-is-acted-on-promptly-too",
        organization=OPENING,
        contacts=(ANN, BOB, CAL),
        attempts=(referral("2026-03-09"),),
        due="2026-03-12T10:00",
        window=("2026-03-12", "2026-03-12"),
        phase=Phase.OPENING,
        contact=CAL,
        hints=REFERRAL_HINTS,
    ),
    Case(
        # The call to the person named went unanswered: not a touch, so the referral stands;
        # retried two working days later (Monday), on email.
        "an-unanswered-call-does-not-use-the-referral-up",
        contacts=(ANN, BOB, CAL_PHONE),
        attempts=(referral("2026-03-09", CAL_PHONE), unanswered("2026-03-12", CAL_PHONE)),
        due="2026-03-16T10:00",
        window=("2026-03-16", "2026-03-16"),
        contact=CAL_PHONE,
        hints=("find_news",),
        reason=(
            "Bob Smith referred you to Cal Diaz and your call on Thursday 12 March 2026 went "
            "unanswered: email them instead and mention the referral.",
        ),
    ),
)
def test_r13_a_referral_is_acted_on_promptly(case: Case) -> None:
    check(case)


STOP = touch(
    "2026-03-09", ANN, Channel.CALL, direction=Direction.INBOUND, outcome=Outcome.ASKED_TO_STOP
)


def test_r14_a_paused_organization_gets_no_action() -> None:
    paused = replace(
        ACME,
        status=OrganizationStatus.PAUSED,
        paused_reason="Ann Lee, the hiring manager, asked you to stop on 2026-03-09.",
    )
    assert plan(Case("paused", organization=paused, attempts=(STOP,))) is None


@cases(
    Case(
        # Resumed by the user: the hiring manager stays stopped, the recruiter may be contacted.
        # Friday 6 March's No, the inbound stop on Monday 9: the first touch waits the gap.
        "resumed-the-hiring-manager-stays-stopped",
        attempts=(STOP,),
        due="2026-03-19T10:00",
        window=("2026-03-19", "2026-03-19"),
        phase=Phase.INITIAL,
        contact=BOB,
        channel=Channel.CALL,
        hints=("add_hiring_manager", "single_channel", "find_news"),
        reason=("First touch since the No from Acme: call Bob Smith, the recruiter,",),
    ),
)
def test_r14_a_resumed_organization_goes_around_nobody(case: Case) -> None:
    check(case)


TOUCHED = touch("2026-03-09")  # an email to Ann: the next touch is due Monday 30 March


@cases(
    Case(
        "retried-two-working-days-later-on-email",
        attempts=(TOUCHED, unanswered("2026-03-30")),
        due="2026-04-01T10:00",
        window=("2026-04-01", "2026-04-01"),
        reason=(
            "Your call to Ann Lee, the hiring manager, on Monday 30 March 2026 went unanswered: "
            "email them instead.",
        ),
    ),
    Case(
        "a-friday-call-is-retried-on-tuesday",
        attempts=(TOUCHED, unanswered("2026-04-03")),
        due="2026-04-07T10:00",
        window=("2026-04-07", "2026-04-07"),
    ),
    Case(
        "retry-days-setting",
        settings=CadenceSettings(retry_days=5),
        attempts=(TOUCHED, unanswered("2026-03-30")),
        due="2026-04-06T10:00",
        window=("2026-04-06", "2026-04-06"),
    ),
    Case(
        # The clock still counts from the email of 9 March: never before the R7 floor (19th).
        "an-early-call-waits-for-the-gap",
        attempts=(TOUCHED, unanswered("2026-03-10")),
        due="2026-03-19T10:00",
        window=("2026-03-19", "2026-03-19"),
    ),
    Case(
        # The user called again (the action said email) and nobody answered again: retried
        # from the latest one, still on email.
        "a-second-unanswered-call-re-plans-from-the-latest",
        attempts=(TOUCHED, unanswered("2026-03-30"), unanswered("2026-04-01T15:00")),
        due="2026-04-03T10:00",
        window=("2026-04-03", "2026-04-03"),
        reason=("on Wednesday 1 April 2026 went unanswered",),
    ),
    Case(
        "a-phone-only-contact-is-called-again",
        contacts=(PHONE_ONLY, BOB),
        attempts=(touch("2026-03-09", PHONE_ONLY, Channel.CALL), unanswered("2026-03-30")),
        due="2026-04-01T10:00",
        window=("2026-04-01", "2026-04-01"),
        channel=Channel.CALL,
        hints=("single_channel", "find_news"),
        reason=("went unanswered: call them again (the only channel on file).",),
    ),
    Case(
        # Nobody answered and nothing was left: still no outbound touch, the phase stays
        # initial (a touch would have made it warm).
        "no-phase-change-before-the-first-touch",
        attempts=(unanswered("2026-03-09"),),
        due="2026-03-11T10:00",
        window=("2026-03-11", "2026-03-11"),
        phase=Phase.INITIAL,
    ),
    Case(
        # With someone else than the target, an unanswered call changes nothing.
        "an-unanswered-call-to-someone-else-changes-nothing",
        attempts=(TOUCHED, unanswered("2026-03-20", BOB)),
        due="2026-03-30T10:00",
        window=("2026-03-23", "2026-04-06"),
        channel=Channel.CALL,
        reason=("Three weeks since your email to Ann Lee: call them this time to mix it up.",),
    ),
    Case(
        # Friday 27 March 17:00 in London is GMT; Tuesday 31 March 10:00 is BST: 09:00Z.
        "london-over-spring-forward",
        contacts=(LONDON, BOB),
        attempts=(TOUCHED, unanswered("2026-03-27T17:00", LONDON)),
        due="2026-03-31T09:00",
        window=("2026-03-31", "2026-03-31"),
    ),
    Case(
        # Friday 30 October 18:30 CDT; Tuesday 3 November 10:00 is CST: 16:00Z.
        "chicago-over-fall-back",
        contacts=(CHICAGO, BOB),
        attempts=(touch("2026-10-01", CHICAGO), unanswered("2026-10-30T23:30", CHICAGO)),
        due="2026-11-03T16:00",
        window=("2026-11-03", "2026-11-03"),
    ),
    Case(
        "a-requested-date-still-stands-before-it",
        attempts=(
            touch("2026-03-09", follow_up_on=JUNE_1, follow_up_channel=Channel.CALL),
            unanswered("2026-05-20"),
        ),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
    ),
    Case(
        # They asked for a call on 1 June; that call went unanswered: email on Wednesday.
        "a-requested-call-unanswered-is-retried-on-email",
        attempts=(
            touch("2026-03-09", follow_up_on=JUNE_1, follow_up_channel=Channel.CALL),
            unanswered("2026-06-01"),
        ),
        due="2026-06-03T10:00",
        window=("2026-06-03", "2026-06-03"),
        reason=(
            "Ann Lee asked you to follow up on or after Monday 1 June 2026 and your call on "
            "Monday 1 June 2026 went unanswered: email them instead.",
        ),
    ),
    Case(
        "while-opening-no-gap-applies",
        organization=OPENING,
        attempts=(TOUCHED, unanswered("2026-03-16")),
        due="2026-03-18T10:00",
        window=("2026-03-18", "2026-03-18"),
        phase=Phase.OPENING,
    ),
    Case(
        # A skip after the unanswered call is a touch of its own (R4): three weeks from it.
        "a-skip-ends-the-retry",
        attempts=(TOUCHED, unanswered("2026-03-30")),
        skipped_at="2026-04-02T09:00",
        due="2026-04-23T10:00",
        window=("2026-04-16", "2026-04-30"),
    ),
)
def test_r15_an_unanswered_call_is_not_a_touch(case: Case) -> None:
    check(case)


def test_r15_unanswered_calls_never_count_as_touches() -> None:
    calls = tuple(unanswered(f"2026-03-{n:02d}", n=n) for n in range(10, 20))
    # Ten unanswered calls after one warm touch: still warm (five touches would be
    # maintenance), and retried after the latest, Thursday 19 March: Monday 23.
    with_calls = plan(Case("calls", attempts=(TOUCHED, *calls)))
    assert with_calls is not None and with_calls.phase is Phase.WARM
    assert with_calls.due_at.isoformat() == "2026-03-23T10:00:00+00:00"


ASKED = JUNE_1


@cases(
    Case(
        "the-channel-they-asked-for",
        attempts=(touch("2026-03-09", follow_up_on=ASKED, follow_up_channel=Channel.MESSAGE),),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        channel=Channel.MESSAGE,
        reason=("Ann Lee asked you to message on or after Monday 1 June 2026, so message them",),
    ),
    Case(
        # R9 would not repeat the email; they asked for one.
        "even-the-previous-channel",
        attempts=(touch("2026-03-09", follow_up_on=ASKED, follow_up_channel=Channel.EMAIL),),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        channel=Channel.EMAIL,
    ),
    Case(
        "a-voicemail-is-planned-as-a-call",
        attempts=(touch("2026-03-09", follow_up_on=ASKED, follow_up_channel=Channel.VOICEMAIL),),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        channel=Channel.CALL,
    ),
    Case(
        "without-the-detail-the-usual-choice",
        contacts=(NO_PHONE, BOB),
        attempts=(touch("2026-03-09", follow_up_on=ASKED, follow_up_channel=Channel.CALL),),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        channel=Channel.MESSAGE,
    ),
    Case(
        "in-person-is-never-planned-the-usual-choice",
        attempts=(touch("2026-03-09", follow_up_on=ASKED, follow_up_channel=Channel.IN_PERSON),),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        channel=Channel.CALL,
    ),
    Case(
        "the-recruiter-asks-for-a-call-with-the-hiring-manager",
        attempts=(
            touch(
                "2026-03-09", BOB, Channel.CALL, follow_up_on=ASKED, follow_up_channel=Channel.CALL
            ),
        ),
        due="2026-06-01T10:00",
        window=("2026-06-01", "2026-06-01"),
        channel=Channel.CALL,
        reason=(
            "Bob Smith asked you to call on or after Monday 1 June 2026, so call Ann Lee, the "
            "hiring manager, then.",
        ),
    ),
    Case(
        # 1 June 10:00 in Chicago is CDT: 15:00Z.
        "on-a-summer-date-in-chicago",
        contacts=(CHICAGO, BOB),
        attempts=(
            touch("2026-03-09", CHICAGO, follow_up_on=ASKED, follow_up_channel=Channel.CALL),
        ),
        due="2026-06-01T15:00",
        window=("2026-06-01", "2026-06-01"),
        channel=Channel.CALL,
    ),
)
def test_r16_the_channel_they_asked_for(case: Case) -> None:
    check(case)


@cases(
    warm(
        "follow-up-on-before-the-touch-is-ignored",
        attempts=(touch("2026-03-09", follow_up_on=day("2026-03-02")),),
        channel=Channel.CALL,
    ),
    warm(
        # 14:00Z on 9 March is already 10 March in Auckland, the account's zone: the 9th is
        # before the touch there.
        "before-the-touch-in-the-accounts-zone",
        settings=CadenceSettings(timezone="Pacific/Auckland"),
        contacts=(replace(ANN, timezone="UTC"), BOB),
        attempts=(touch("2026-03-09", follow_up_on=day("2026-03-09")),),
        channel=Channel.CALL,
    ),
    Case(
        "follow-up-on-the-touchs-own-day-holds",
        attempts=(touch("2026-03-09", follow_up_on=day("2026-03-09")),),
        due="2026-03-09T10:00",
        window=("2026-03-09", "2026-03-09"),
        channel=Channel.CALL,
    ),
    warm(
        "a-follow-up-channel-without-a-date-is-ignored",
        attempts=(touch("2026-03-09", follow_up_channel=Channel.EMAIL),),
        channel=Channel.CALL,
    ),
    warm(
        # No answer to an email: the email went out, so it is a touch like any other.
        "no-answer-on-an-email-is-a-touch",
        attempts=(touch("2026-03-09", outcome=Outcome.NO_ANSWER),),
        channel=Channel.CALL,
        reason=("Three weeks since your email to Ann Lee",),
    ),
    warm(
        "a-voicemail-marked-no-answer-was-left-all-the-same",
        attempts=(touch("2026-03-09", channel=Channel.VOICEMAIL, outcome=Outcome.NO_ANSWER),),
    ),
    warm(
        "a-referral-to-the-same-person-is-ignored",
        contacts=(ANN, BOB, CAL),
        attempts=(
            touch(
                "2026-03-09",
                BOB,
                Channel.CALL,
                outcome=Outcome.REFERRED,
                referred_to_contact_id=BOB.id,
            ),
        ),
    ),
    warm(
        "a-referral-to-someone-not-here-is-ignored",
        contacts=(ANN, BOB, CAL),
        attempts=(
            touch(
                "2026-03-09",
                BOB,
                Channel.CALL,
                outcome=Outcome.REFERRED,
                referred_to_contact_id="c-x",
            ),
        ),
    ),
    Case(
        # A No dated in the future (refused on input now) plans from that date as stored.
        "a-future-rejection-plans-from-it",
        organization=replace(ACME, rejected_on=day("2026-12-01")),
        due="2026-12-02T10:00",
        window=("2026-12-02", "2026-12-02"),
        phase=Phase.INITIAL,
    ),
)
def test_contradictory_stored_rows_are_planned_sensibly(case: Case) -> None:
    check(case)


def test_r14_from_anyone_else_only_that_contact_stops() -> None:
    stop = touch("2026-03-09", BOB, Channel.CALL, outcome=Outcome.ASKED_TO_STOP)
    action = plan(Case("bob-stops", attempts=(stop,), contacts=(BOB, CAL)))
    assert action is not None and action.contact_id == CAL.id
