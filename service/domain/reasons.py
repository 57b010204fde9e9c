"""The reason sentence of a next action: why this person, this channel, now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from service.domain.channels import VOICE, requested_channel
from service.domain.model import (
    AttemptFacts,
    Channel,
    ContactFacts,
    ContactRole,
    Direction,
    OrganizationFacts,
    Outcome,
    Phase,
)
from service.domain.slots import Timing, as_utc, describe_date, describe_span

_ROLE_LABEL = {
    ContactRole.HIRING_MANAGER: "the hiring manager",
    ContactRole.REFERRER: "your referrer",
    ContactRole.RECRUITER: "the recruiter",
    ContactRole.HR: "in HR",
}
_VERB = {Channel.EMAIL: "email", Channel.CALL: "call", Channel.MESSAGE: "message"}
_OUTBOUND_NOUN = {
    Channel.CALL: "call with",
    Channel.VOICEMAIL: "voicemail for",
    Channel.EMAIL: "email to",
    Channel.MESSAGE: "message to",
    Channel.IN_PERSON: "meeting with",
}
_TAIL = {
    Phase.INITIAL: "to say you remain interested",
    Phase.WARM: "to keep the relationship warm",
    Phase.MAINTENANCE: "to stay top of mind",
    Phase.OPENING: "to keep the conversation going",
}


@dataclass(frozen=True)
class Story:
    """What the reason sentence needs to say."""

    organization: OrganizationFacts
    phase: Phase
    timing: Timing
    target: ContactFacts
    channel: Channel
    previous: AttemptFacts | None
    referral: AttemptFacts | None
    names: dict[str, str]
    touch: tuple[str, str | None]


def reason(story: Story) -> str:
    organization, timing, target = story.organization, story.timing, story.target
    verb = _VERB[story.channel]
    label = _ROLE_LABEL.get(ContactRole(target.role))
    who = f"{target.name}, {label}" if label else target.name
    if timing.unanswered_on is not None:
        return _retry_reason(story, who, verb, timing.unanswered_on)
    referral = story.referral
    referred = (
        f"{story.names.get(referral.contact_id, 'A contact')} referred you to " if referral else ""
    )
    requested = timing.requested
    if requested is not None and requested.follow_up_on is not None:
        asker = story.names.get(requested.contact_id, "A contact")
        when = f"on or after {describe_date(requested.follow_up_on)}"
        if referral is not None:
            also = "" if requested is referral else f"{asker} "
            lead = f"{referred}{_mid(who)} and {also}asked to hear from you {when}"
            return f"{lead}: {verb} them then."
        whom = "them" if requested.contact_id == target.id else _mid(who)
        asked = verb if requested_channel(requested) is story.channel else "follow up"
        return f"{asker} asked you to {asked} {when}, so {verb} {whom} then."
    if referral is not None:
        return f"{referred}{who}: {verb} them and mention the referral."
    if story.phase is Phase.INITIAL:
        since = "since the No from" if organization.rejected_on else "with"
        tail = _TAIL[Phase.INITIAL]
        return f"First touch {since} {organization.name}: {verb} {_mid(who)} {tail}."
    touch, touched_id = story.touch
    whom = "them" if touched_id == target.id else _mid(who)
    action = f"{verb} {whom} {_tail(story)}."
    if timing.touch_day is None:
        return f"{organization.name} has an opening in discussion: {action}"
    span = describe_span((timing.earliest - timing.touch_day).days)
    if story.phase is Phase.OPENING:
        lead = f"{organization.name} has an opening in discussion: {span} since {touch}, so"
        return f"{lead} {action}"
    return f"{span.capitalize()} since {touch}: {action}"


def _retry_reason(story: Story, who: str, verb: str, unanswered_on: date) -> str:
    """Why the same touch is tried again after an unanswered call (R15)."""
    called = f"your call on {describe_date(unanswered_on)} went unanswered"
    again = "again (the only channel on file)" if story.channel is Channel.CALL else "instead"
    referral, requested = story.referral, story.timing.requested
    if referral is not None:
        referrer = story.names.get(referral.contact_id, "A contact")
        lead = f"{referrer} referred you to {_mid(who)} and {called}"
        return f"{lead}: {verb} them {again} and mention the referral."
    if requested is not None and requested.follow_up_on is not None:
        asker = story.names.get(requested.contact_id, "A contact")
        when = f"on or after {describe_date(requested.follow_up_on)}"
        whom = "them" if requested.contact_id == story.target.id else _mid(who)
        return f"{asker} asked you to follow up {when} and {called}: {verb} {whom} {again}."
    to_whom = f"Your call to {_mid(who)} on {describe_date(unanswered_on)} went unanswered"
    return f"{to_whom}: {verb} them {again}."


def _mid(who: str) -> str:
    return f"{who}," if "," in who else who


def _tail(story: Story) -> str:
    previous = story.previous
    if previous is None:
        return _TAIL[story.phase]
    voice_again = story.channel == Channel.CALL and previous.channel in VOICE
    if story.channel == previous.channel or voice_again:
        return "again (the only channel on file)"
    return "this time to mix it up"


def touch_words(
    last: AttemptFacts | None, skip: datetime | None, names: dict[str, str]
) -> tuple[str, str | None]:
    """Describe the latest touch ("your email to Ann Lee") and say whose it was."""
    if last is None or (skip is not None and skip > as_utc(last.occurred_at)):
        return "you skipped the last follow-up", None
    name = names.get(last.contact_id)
    channel = Channel(last.channel)
    if last.direction == Direction.INBOUND:
        noun = "visit" if channel is Channel.IN_PERSON else channel.value
        return (f"{name}'s {noun}" if name else f"an incoming {noun}"), last.contact_id
    noun = _OUTBOUND_NOUN[channel]
    if channel is Channel.CALL and last.outcome == Outcome.LEFT_VOICEMAIL:
        noun = "voicemail for"
    elif channel is Channel.CALL and last.outcome == Outcome.NO_ANSWER:
        noun = "unanswered call to"
    return f"your {noun} {name or 'a former contact'}", last.contact_id
