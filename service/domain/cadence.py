"""The next action for an organization, computed from its history alone (rules R1-R17).

Hints: ``add_hiring_manager`` (every eligible contact is a recruiter or HR, R8),
``single_channel`` (the target has a single usable channel, so it repeats, R9),
``find_news`` (no unused news item noticed within ``news_fresh_days`` of the due date: the
script shows interest in their work without quoting stale news), ``add_phone`` (a call while
the profile has no callback number for the voicemail).

R18: a news item is used up only by a touch that reached the person (any outcome but
``no_answer``), so the retry after an unanswered call still carries it. Difficult news colours
the touch that mentions it and the next one (the script's ``somber``). A script places you in
one clause (``reintroduce``) when the last touch with that person is more than
``REINTRODUCE_DAYS`` before the due date, or there was none.

Choices the spec leaves open:
- First contact channel: email, then call, then message; ``in_person`` and ``voicemail`` are
  never planned. A voicemail, or a call that ended ``left_voicemail`` / ``no_answer``, makes the
  next channel anything but a voice one when the contact has another.
- The previous attempt with a contact (R9) counts every attempt, an unanswered call too;
  "touched least recently" (R8) and R4's clock count touches in both directions, attempts
  before ``rejected_on`` and the latest skip.
- An unanswered call is a ``call`` with outcome ``no_answer``, in either direction (R15); a
  stored ``no_answer`` on another channel (refused on input) is a touch. Only one with the
  planned target, after the latest touch and skip, re-plans the action: ``retry_days`` working
  days after it, never before R7's floor or a requested date, zero-day window, on another
  channel when the target has one (R9 after a call); each further unanswered call re-plans
  from the latest one. One with anyone else changes nothing. It does not use up a referral or
  a follow-up request.
- Initial phase (no outbound touch since the No): due ``initial_delay_days`` after the later of
  the rejection date and the latest touch, then the R7 floor (a logged "No" call waits
  ``min_gap_days``, as R7 says). Opening phase: every ``opening_days`` with a zero-day window, no
  R7 floor; with no touch at all it starts like R1.
- A referral (R8) stands until the next outbound touch, a touch with the referred contact
  or a skip; an inbound touch from someone else does not use it up. A stored referral to the
  referring contact itself is ignored. It is due ``referral_days`` working days after the
  latest touch (R13, the clock of R4), in every phase, with no R7 floor and a zero-day window;
  a requested date (R11) on the referring attempt wins over it.
- A follow-up request (R11) is cancelled by any later touch or skip. A stored ``follow_up_on``
  before the touch's local date (account time zone; refused on input) is ignored. The
  requested channel (R16) is used when the target has its detail (``voicemail`` means a call,
  ``in_person`` falls back to R9), except to retry after an unanswered call.
- R14: the organization's status alone says whether to plan. Logging ``asked_to_stop`` from a
  hiring manager pauses it (the service does so); once the user resumes it, the hiring
  manager stays stopped (R6) and the others may be contacted.
- R17: a ``watching`` organization is not planned whatever its history; touches logged there
  still count once it is nurtured (R4's clock), and without ``rejected_on`` R1 counts from
  its creation date.
- Phases count outbound touches on local dates of the account's time zone; slots and working
  days use the target's.
- Windows: ``interval ± window`` around the unrolled date, never earlier than the R7 floor and
  always containing the due date. The plan does not depend on ``now``: overdue stays overdue.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from service.domain.channels import VOICE, requested_channel
from service.domain.history import in_order, summarize
from service.domain.model import (
    AttemptFacts,
    CadenceSettings,
    Channel,
    ContactFacts,
    ContactRole,
    ContactStatus,
    Direction,
    HistorySummary,
    NewsFacts,
    NewsTone,
    OrganizationFacts,
    OrganizationStatus,
    Outcome,
    Phase,
    PlannedAction,
    ProfileFacts,
    Situation,
)
from service.domain.reasons import Story, reason, touch_words
from service.domain.scripts import ScriptRequest, build_script
from service.domain.slots import (
    as_utc,
    local_date,
    resolve_zone,
    schedule,
    slot_at,
)

HINT_ADD_HIRING_MANAGER = "add_hiring_manager"
HINT_SINGLE_CHANNEL = "single_channel"
HINT_FIND_NEWS = "find_news"
HINT_ADD_PHONE = "add_phone"
REINTRODUCE_DAYS = 42  # six weeks

_ROLE_ORDER = (
    ContactRole.HIRING_MANAGER,
    ContactRole.REFERRER,
    ContactRole.OTHER,
    ContactRole.RECRUITER,
    ContactRole.HR,
)
# R6, R14 and R17: no next action for these (`watching`: nobody has said no).
_INACTIVE = frozenset(
    {
        OrganizationStatus.PAUSED,
        OrganizationStatus.CLOSED,
        OrganizationStatus.HIRED,
        OrganizationStatus.WATCHING,
    }
)
_FIRST_CHOICE = (Channel.EMAIL, Channel.CALL, Channel.MESSAGE)
_AFTER = {
    Channel.VOICEMAIL: Channel.EMAIL,
    Channel.EMAIL: Channel.CALL,
    Channel.CALL: Channel.EMAIL,
    Channel.IN_PERSON: Channel.EMAIL,
    Channel.MESSAGE: Channel.CALL,
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def plan_next_action(
    organization: OrganizationFacts,
    contacts: Sequence[ContactFacts],
    attempts: Sequence[AttemptFacts],
    news: Sequence[NewsFacts],
    settings: CadenceSettings,
    now: datetime,
    *,
    skipped_at: datetime | None = None,
    profile: ProfileFacts = ProfileFacts(),
    summary: HistorySummary | None = None,
) -> PlannedAction | None:
    """Plan the organization's next action, or None when there is nobody to contact.

    `attempts` is the whole history, or with its `summary` the bounded recall of it
    (history.recall): both give the same plan.
    """
    if organization.status in _INACTIVE:
        return None
    history = in_order(attempts)
    if summary is None:
        summary = summarize(history, organization, settings)
    touches = [attempt for attempt in history if not is_unanswered(attempt)]
    skip = as_utc(skipped_at) if skipped_at is not None else None
    stopped = {a.contact_id for a in history if a.outcome == Outcome.ASKED_TO_STOP}
    eligible = [
        contact
        for contact in sorted(contacts, key=lambda contact: contact.id)
        if contact.status == ContactStatus.ACTIVE
        and contact.id not in stopped
        and usable_channels(contact)
    ]
    if not eligible:
        return None
    referral = _pending_referral(touches, {contact.id for contact in eligible}, skip)
    target = _choose_target(eligible, touches, referral)
    with_target = [attempt for attempt in history if attempt.contact_id == target.id]
    previous = with_target[-1] if with_target else None
    usable = usable_channels(target)
    unanswered = _unanswered_since(with_target, touches, skip)
    zone = resolve_zone(target.timezone, settings.timezone)
    phase = _phase(organization, summary.outbound_since_rejection, settings)
    timing = schedule(
        organization,
        phase,
        touches,
        skip,
        settings,
        zone,
        referral=referral,
        unanswered=unanswered,
    )
    channel = _choose_channel(usable, previous, None if unanswered else timing.requested)
    unused = _unused_news(news, touches)
    fresh = unused if unused and _is_fresh(unused, timing.due_on, settings) else None
    only_recruiters = all(c.role in (ContactRole.RECRUITER, ContactRole.HR) for c in eligible)
    hints = (
        (HINT_ADD_HIRING_MANAGER,) * only_recruiters
        + (HINT_SINGLE_CHANNEL,) * (len(usable) == 1)
        + (HINT_FIND_NEWS,) * (fresh is None)
        + (HINT_ADD_PHONE,) * (channel is Channel.CALL and not (profile.phone or "").strip())
    )
    requested = timing.requested
    situation = _situation(organization, phase, referral, requested, only_recruiters)
    referrer = next((c.name for c in contacts if referral and c.id == referral.contact_id), None)
    script = build_script(
        ScriptRequest(
            situation=situation,
            channel=channel,
            organization_name=organization.name,
            role_applied=organization.role_applied,
            contact_name=target.name,
            greeting_name=target.greeting_name,
            profile=profile,
            news=fresh,
            referrer_name=referrer,
            requested_on=requested.follow_up_on if requested else None,
            earlier_variants=summary.variants_with.get(target.id, ()),
            seed=f"{organization.id}:{target.id}:{summary.attempts_with.get(target.id, 0)}",
            talked_about=organization.talked_about,
            met_on=organization.rejected_on or organization.created_at.date(),
            on=timing.due_on,
            reintroduce=_reintroduce(target, touches, timing.due_on, zone),
            somber=_after_difficult_news(touches, news),
        )
    )
    names = {contact.id: contact.name for contact in contacts}
    touch = touch_words(touches[-1] if touches else None, skip, names)
    story = Story(organization, phase, timing, target, channel, previous, referral, names, touch)
    return PlannedAction(
        contact_id=target.id,
        due_at=slot_at(timing.due_on, settings.preferred_hour, zone),
        window_start=timing.window_start,
        window_end=timing.window_end,
        phase=phase,
        channel=channel,
        reason=reason(story),
        hints=hints,
        script=script,
        news_id=fresh.id if fresh else None,
    )


def usable_channels(contact: ContactFacts) -> tuple[Channel, ...]:
    """Channels the contact's details allow, in first-contact preference order."""
    detail = {
        Channel.EMAIL: contact.email,
        Channel.CALL: contact.phone,
        Channel.MESSAGE: contact.profile_url,
    }
    return tuple(channel for channel in _FIRST_CHOICE if (detail[channel] or "").strip())


class Called(Protocol):
    """What tells an unanswered call: an attempt's facts, or a stored attempt."""

    @property
    def channel(self) -> Channel: ...
    @property
    def outcome(self) -> Outcome | None: ...


def is_unanswered(attempt: Called) -> bool:
    """A call nobody answered and where nothing was left: not a touch (R15)."""
    return attempt.channel == Channel.CALL and attempt.outcome == Outcome.NO_ANSWER


def _unanswered_since(
    with_target: Sequence[AttemptFacts], touches: Sequence[AttemptFacts], skip: datetime | None
) -> datetime | None:
    """The latest unanswered call with the target after the latest touch and skip (R15)."""
    calls = [as_utc(a.occurred_at) for a in with_target if is_unanswered(a)]
    latest = calls[-1] if calls else None
    if latest is None or (touches and as_utc(touches[-1].occurred_at) >= latest):
        return None
    return None if skip is not None and skip >= latest else latest


def _pending_referral(
    history: Sequence[AttemptFacts], eligible: set[uuid.UUID], skip: datetime | None
) -> AttemptFacts | None:
    for index in range(len(history) - 1, -1, -1):
        referral = history[index]
        referred = referral.referred_to_contact_id
        if referral.outcome == Outcome.REFERRED and referred and referred != referral.contact_id:
            used = any(
                a.direction == Direction.OUTBOUND or a.contact_id == referred
                for a in history[index + 1 :]
            )
            skipped = skip is not None and skip > as_utc(referral.occurred_at)
            return None if used or skipped or referred not in eligible else referral
    return None


def _choose_target(
    eligible: Sequence[ContactFacts],
    history: Sequence[AttemptFacts],
    referral: AttemptFacts | None,
) -> ContactFacts:
    if referral is not None:
        return next(c for c in eligible if c.id == referral.referred_to_contact_id)
    last_touch: dict[uuid.UUID, datetime] = {}
    for attempt in history:
        last_touch[attempt.contact_id] = as_utc(attempt.occurred_at)

    def priority(contact: ContactFacts) -> tuple[int, bool, datetime, str, uuid.UUID]:
        touched = last_touch.get(contact.id)
        rank = _ROLE_ORDER.index(ContactRole(contact.role))
        return rank, touched is not None, touched or _EPOCH, contact.name, contact.id

    return min(eligible, key=priority)


def _choose_channel(
    usable: tuple[Channel, ...], previous: AttemptFacts | None, requested: AttemptFacts | None
) -> Channel:
    asked = requested_channel(requested)
    if asked in usable:
        return asked  # R16: the channel they asked for wins over R9's rotation
    if previous is None:
        return usable[0]
    voice = previous.channel == Channel.VOICEMAIL or (
        previous.channel == Channel.CALL
        and previous.outcome in (Outcome.LEFT_VOICEMAIL, Outcome.NO_ANSWER)
    )
    avoid = VOICE if voice else frozenset({Channel(previous.channel)})
    others = [channel for channel in usable if channel not in avoid]
    preferred = _AFTER[Channel(previous.channel)]
    # With nothing else usable the previous channel repeats (R9), never a voicemail.
    return preferred if preferred in others else next(iter(others), usable[0])


def _phase(organization: OrganizationFacts, outbound: int, settings: CadenceSettings) -> Phase:
    # `outbound`: the outbound touches on or after the rejection date (account time zone).
    if organization.status == OrganizationStatus.OPENING:
        return Phase.OPENING
    if outbound == 0:
        return Phase.INITIAL
    return Phase.WARM if outbound <= settings.warm_touches else Phase.MAINTENANCE


def _situation(
    organization: OrganizationFacts,
    phase: Phase,
    referral: AttemptFacts | None,
    requested: AttemptFacts | None,
    only_recruiters: bool,
) -> Situation:
    """What the script is for: the most specific reason to get in touch wins."""
    if organization.status == OrganizationStatus.OPENING:
        return Situation.OPENING
    if referral is not None:
        return Situation.REFERRAL
    if requested is not None:
        return Situation.REQUESTED
    if only_recruiters:
        return Situation.RECRUITER_ONLY
    return {
        Phase.INITIAL: Situation.FIRST_TOUCH,
        Phase.WARM: Situation.WARM,
    }.get(phase, Situation.MAINTENANCE)


def _is_fresh(item: NewsFacts, due_on: date, settings: CadenceSettings) -> bool:
    # Fresh on the day the touch is due: that is when the job seeker will mention it.
    return (due_on - item.noticed_on).days <= settings.news_fresh_days


def _reintroduce(
    target: ContactFacts, touches: Sequence[AttemptFacts], due_on: date, zone: ZoneInfo
) -> bool:
    """More than six weeks since the last touch with this person, or never touched."""
    with_them = [a for a in touches if a.contact_id == target.id]
    if not with_them:
        return True
    return (due_on - local_date(with_them[-1].occurred_at, zone)).days > REINTRODUCE_DAYS


def _after_difficult_news(touches: Sequence[AttemptFacts], news: Sequence[NewsFacts]) -> bool:
    """Whether the latest touch mentioned difficult news: it colours this one too (R18)."""
    if not touches or touches[-1].news_id is None:
        return False
    tones = {item.id: item.tone for item in news}
    return tones.get(touches[-1].news_id) is NewsTone.DIFFICULT


def _unused_news(news: Sequence[NewsFacts], touches: Sequence[AttemptFacts]) -> NewsFacts | None:
    """The latest news item no touch that reached the person has used (R18)."""
    used = {attempt.news_id for attempt in touches if attempt.news_id}
    fresh = [item for item in news if item.id not in used]
    return max(fresh, key=lambda item: (item.noticed_on, item.id), default=None)
