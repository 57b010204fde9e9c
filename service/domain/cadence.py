"""The next action for an organization, computed from its history alone (rules R1-R12).

Hints: ``add_hiring_manager`` (every eligible contact is a recruiter or HR, R8),
``single_channel`` (the target has one usable channel, or the only one left repeats, R9),
``find_news`` (no unused news item: the script carries a prompt to find one).

Choices the spec leaves open:
- First contact channel: email, then call, then message; ``in_person`` and ``voicemail`` are
  never planned. A voicemail, or a call that ended ``left_voicemail`` / ``no_answer``, makes the
  next channel anything but a voice one when the contact has another.
- The previous attempt with a contact (R9) and "touched least recently" (R8) count both
  directions; R4's clock also counts attempts before ``rejected_on`` and the latest skip.
- Initial phase (no outbound touch since the No): due ``initial_delay_days`` after the later of
  the rejection date and the latest touch, then the R7 floor (a logged "No" call waits
  ``min_gap_days``, as R7 says). Opening phase: every ``opening_days`` with a zero-day window, no
  R7 floor; with no touch at all it starts like R1.
- A referral (R8) stands until the next outbound attempt, an attempt with the referred contact
  or a skip; an inbound touch from someone else does not use it up.
- A follow-up request (R11) is cancelled by any later attempt or skip.
- Phases count attempts on local dates of the account's time zone; slots use the target's.
- Windows: ``interval ± window`` around the unrolled date, never earlier than the R7 floor and
  always containing the due date. The plan does not depend on ``now``: overdue stays overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

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
from service.domain.scripts import build_script
from service.domain.slots import (
    as_utc,
    describe_date,
    describe_span,
    local_date,
    resolve_zone,
    roll_weekend,
    slot_at,
)

HINT_ADD_HIRING_MANAGER = "add_hiring_manager"
HINT_SINGLE_CHANNEL = "single_channel"
HINT_FIND_NEWS = "find_news"
OPENING_WINDOW_DAYS = 0

_ROLE_PRIORITY = {
    ContactRole.HIRING_MANAGER: 0,
    ContactRole.REFERRER: 1,
    ContactRole.OTHER: 2,
    ContactRole.RECRUITER: 3,
    ContactRole.HR: 4,
}
_ROLE_LABEL = {
    ContactRole.HIRING_MANAGER: "the hiring manager",
    ContactRole.REFERRER: "your referrer",
    ContactRole.RECRUITER: "the recruiter",
    ContactRole.HR: "in HR",
}
_INACTIVE = frozenset(
    {OrganizationStatus.PAUSED, OrganizationStatus.CLOSED, OrganizationStatus.HIRED}
)
_FIRST_CHOICE = (Channel.EMAIL, Channel.CALL, Channel.MESSAGE)
_AFTER = {
    Channel.VOICEMAIL: Channel.EMAIL,
    Channel.EMAIL: Channel.CALL,
    Channel.CALL: Channel.EMAIL,
    Channel.IN_PERSON: Channel.EMAIL,
    Channel.MESSAGE: Channel.CALL,
}
_VOICE = frozenset({Channel.CALL, Channel.VOICEMAIL})
_VERB = {Channel.EMAIL: "email", Channel.CALL: "call", Channel.MESSAGE: "message"}
_OUTBOUND_NOUN = {
    Channel.CALL: "call with",
    Channel.VOICEMAIL: "voicemail for",
    Channel.EMAIL: "email to",
    Channel.MESSAGE: "message to",
    Channel.IN_PERSON: "meeting with",
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class _Timing:
    due_on: date
    window_start: date
    window_end: date
    requested: AttemptFacts | None
    touch_day: date | None
    earliest: date


@dataclass(frozen=True)
class _Target:
    contact: ContactFacts
    channel: Channel
    previous: AttemptFacts | None
    referral: AttemptFacts | None


def plan_next_action(
    organization: OrganizationFacts,
    contacts: Sequence[ContactFacts],
    attempts: Sequence[AttemptFacts],
    news: Sequence[NewsFacts],
    settings: CadenceSettings,
    now: datetime,
    *,
    skipped_at: datetime | None = None,
) -> PlannedAction | None:
    """Plan the organization's next action, or None when there is nobody to contact."""
    if organization.status in _INACTIVE:
        return None
    history = sorted(attempts, key=lambda attempt: (as_utc(attempt.occurred_at), attempt.id))
    skip = as_utc(skipped_at) if skipped_at is not None else None
    stopped = {a.contact_id for a in history if a.outcome == Outcome.ASKED_TO_STOP}
    eligible = sorted(
        (c for c in contacts if c.status == ContactStatus.ACTIVE and c.id not in stopped),
        key=lambda contact: contact.id,
    )
    eligible = [contact for contact in eligible if usable_channels(contact)]
    if not eligible:
        return None
    referral = _pending_referral(history, {c.id for c in eligible}, skip)
    target = _choose_target(eligible, history, referral)
    previous = next((a for a in reversed(history) if a.contact_id == target.id), None)
    channel, single = _choose_channel(target, previous)
    zone = resolve_zone(target.timezone, settings.timezone)
    phase = _phase(organization, history, settings)
    timing = _timing(organization, phase, history, skip, settings, zone)
    unused = _unused_news(news, history)
    hints = [
        HINT_ADD_HIRING_MANAGER
        if all(c.role in (ContactRole.RECRUITER, ContactRole.HR) for c in eligible)
        else "",
        HINT_SINGLE_CHANNEL if single else "",
        HINT_FIND_NEWS if unused is None else "",
    ]
    previous_variant = next(
        (
            a.script_variant
            for a in reversed(history)
            if a.contact_id == target.id and a.script_variant
        ),
        None,
    )
    touches_with_target = sum(1 for a in history if a.contact_id == target.id)
    script = build_script(
        channel=channel,
        organization_name=organization.name,
        contact_name=target.name,
        news_headline=unused.headline if unused else None,
        previous_variant=previous_variant,
        seed=f"{organization.id}:{target.id}:{touches_with_target}",
    )
    names = {contact.id: contact.name for contact in contacts}
    last = history[-1] if history else None
    reason = _reason(
        organization,
        phase,
        timing,
        _Target(target, channel, previous, referral),
        _touch_words(last, skip, names),
        names,
    )
    return PlannedAction(
        contact_id=target.id,
        due_at=slot_at(timing.due_on, settings.preferred_hour, zone),
        window_start=timing.window_start,
        window_end=timing.window_end,
        phase=phase,
        channel=channel,
        reason=reason,
        hints=tuple(hint for hint in hints if hint),
        script=script,
        news_id=unused.id if unused else None,
    )


def usable_channels(contact: ContactFacts) -> tuple[Channel, ...]:
    """Channels the contact's details allow, in first-contact preference order."""
    detail = {
        Channel.EMAIL: contact.email,
        Channel.CALL: contact.phone,
        Channel.MESSAGE: contact.profile_url,
    }
    return tuple(channel for channel in _FIRST_CHOICE if (detail[channel] or "").strip())


def _pending_referral(
    history: Sequence[AttemptFacts], eligible: set[str], skip: datetime | None
) -> AttemptFacts | None:
    for index in range(len(history) - 1, -1, -1):
        referral = history[index]
        if referral.outcome == Outcome.REFERRED and referral.referred_to_contact_id:
            referred = referral.referred_to_contact_id
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
    last_touch: dict[str, datetime] = {}
    for attempt in history:
        last_touch[attempt.contact_id] = as_utc(attempt.occurred_at)

    def priority(contact: ContactFacts) -> tuple[int, bool, datetime, str, str]:
        touched = last_touch.get(contact.id)
        rank = _ROLE_PRIORITY.get(ContactRole(contact.role), len(_ROLE_PRIORITY))
        return rank, touched is not None, touched or _EPOCH, contact.name, contact.id

    return min(eligible, key=priority)


def _choose_channel(contact: ContactFacts, previous: AttemptFacts | None) -> tuple[Channel, bool]:
    usable = usable_channels(contact)
    if previous is None:
        return usable[0], len(usable) == 1
    voice = previous.channel == Channel.VOICEMAIL or (
        previous.channel == Channel.CALL
        and previous.outcome in (Outcome.LEFT_VOICEMAIL, Outcome.NO_ANSWER)
    )
    avoid = _VOICE if voice else frozenset({Channel(previous.channel)})
    preferred = _AFTER[Channel(previous.channel)]
    others = [channel for channel in usable if channel not in avoid]
    if preferred in others:
        return preferred, len(usable) == 1
    if others:
        return others[0], len(usable) == 1
    return usable[0], True


def _phase(
    organization: OrganizationFacts, history: Sequence[AttemptFacts], settings: CadenceSettings
) -> Phase:
    if organization.status == OrganizationStatus.OPENING:
        return Phase.OPENING
    account_zone = resolve_zone(settings.timezone, "UTC")
    since = organization.rejected_on
    outbound = sum(
        1
        for a in history
        if a.direction == Direction.OUTBOUND
        and (since is None or local_date(a.occurred_at, account_zone) >= since)
    )
    if outbound == 0:
        return Phase.INITIAL
    return Phase.WARM if outbound <= settings.warm_touches else Phase.MAINTENANCE


def _timing(
    organization: OrganizationFacts,
    phase: Phase,
    history: Sequence[AttemptFacts],
    skip: datetime | None,
    settings: CadenceSettings,
    zone: ZoneInfo,
) -> _Timing:
    moments = [as_utc(history[-1].occurred_at)] if history else []
    touch = max([*moments, *([skip] if skip else [])], default=None)
    touch_day = local_date(touch, zone) if touch else None
    requested = history[-1] if history and history[-1].follow_up_on else None
    if requested is not None and skip is not None and skip > as_utc(requested.occurred_at):
        requested = None
    floor: date | None = None
    if requested is not None and requested.follow_up_on is not None:
        base, window = requested.follow_up_on, 0
    elif phase is Phase.OPENING and touch_day is not None:
        base, window = touch_day + timedelta(settings.opening_days), OPENING_WINDOW_DAYS
    elif phase in (Phase.INITIAL, Phase.OPENING) or touch_day is None:
        anchor = organization.rejected_on or local_date(organization.created_at, zone)
        start = max(anchor, touch_day) if touch_day else anchor
        base, window = start + timedelta(settings.initial_delay_days), 0
    else:
        interval, window = (
            (settings.warm_days, settings.warm_window_days)
            if phase is Phase.WARM
            else (settings.maintenance_days, settings.maintenance_window_days)
        )
        base = touch_day + timedelta(interval)
    if requested is None and phase is not Phase.OPENING and touch_day is not None:
        floor = touch_day + timedelta(settings.min_gap_days)
    earliest = max(base, floor) if floor else base
    due_on = roll_weekend(earliest)
    start_on = max(base - timedelta(window), floor) if floor else base - timedelta(window)
    return _Timing(
        due_on=due_on,
        window_start=min(start_on, due_on),
        window_end=max(base + timedelta(window), due_on),
        requested=requested,
        touch_day=touch_day,
        earliest=earliest,
    )


def _reason(
    organization: OrganizationFacts,
    phase: Phase,
    timing: _Timing,
    target: _Target,
    touch: str,
    names: dict[str, str],
) -> str:
    contact = target.contact
    verb = _VERB[target.channel]
    if timing.requested is not None and timing.requested.follow_up_on is not None:
        asker = names.get(timing.requested.contact_id, "A contact")
        whom = "them" if timing.requested.contact_id == contact.id else _who(contact, mid=True)
        on = describe_date(timing.requested.follow_up_on)
        return f"{asker} asked you to follow up on or after {on}, so {verb} {whom} then."
    if target.referral is not None:
        referrer = names.get(target.referral.contact_id, "A contact")
        return (
            f"{referrer} referred you to {_who(contact, mid=False)}: "
            f"{verb} them and mention the referral."
        )
    since = (
        f"{describe_span((timing.earliest - timing.touch_day).days)} since {touch}"
        if timing.touch_day is not None
        else ""
    )
    if phase is Phase.INITIAL:
        opener = (
            f"First touch since the No from {organization.name}"
            if organization.rejected_on
            else f"First touch with {organization.name}"
        )
        return f"{opener}: {verb} {_who(contact, mid=True)} to say you remain interested."
    tail = _tail(phase, target)
    if phase is Phase.OPENING:
        lead = f"{organization.name} has an opening in discussion"
        middle = f": {since}, so " if since else ": "
        return f"{lead}{middle}{verb} {_who(contact, mid=True)} {tail}."
    return f"{since[:1].upper()}{since[1:]}: {verb} {_who(contact, mid=True)} {tail}."


def _tail(phase: Phase, target: _Target) -> str:
    previous = target.previous
    if previous is not None:
        voice_again = target.channel == Channel.CALL and previous.channel in _VOICE
        if target.channel == previous.channel or voice_again:
            return "again (the only channel on file)"
        return "this time to mix it up"
    if phase is Phase.OPENING:
        return "to keep the conversation going"
    return "to keep the relationship warm" if phase is Phase.WARM else "to stay top of mind"


def _who(contact: ContactFacts, *, mid: bool) -> str:
    label = _ROLE_LABEL.get(ContactRole(contact.role))
    if label is None:
        return contact.name
    return f"{contact.name}, {label}," if mid else f"{contact.name}, {label}"


def _touch_words(last: AttemptFacts | None, skip: datetime | None, names: dict[str, str]) -> str:
    if last is None or (skip is not None and skip > as_utc(last.occurred_at)):
        return "you skipped the last follow-up"
    name = names.get(last.contact_id, "a former contact")
    channel = Channel(last.channel)
    if last.direction == Direction.INBOUND:
        noun = "visit" if channel is Channel.IN_PERSON else channel.value
        return f"{name}'s {noun}" if last.contact_id in names else f"an incoming {noun}"
    if channel is Channel.CALL and last.outcome == Outcome.LEFT_VOICEMAIL:
        return f"your voicemail for {name}"
    if channel is Channel.CALL and last.outcome == Outcome.NO_ANSWER:
        return f"your unanswered call to {name}"
    return f"your {_OUTBOUND_NOUN[channel]} {name}"


def _unused_news(news: Sequence[NewsFacts], history: Sequence[AttemptFacts]) -> NewsFacts | None:
    used = {attempt.news_id for attempt in history if attempt.news_id}
    fresh = [item for item in news if item.id not in used]
    return max(fresh, key=lambda item: (item.noticed_on, item.id), default=None)
