"""The reason sentence of a next action: why this person, this channel, now."""

from __future__ import annotations

import uuid
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
from service.domain.wording import sentences

_R = sentences.REASONS


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
    names: dict[uuid.UUID, str]
    touch: tuple[str, uuid.UUID | None]


def reason(story: Story) -> str:
    organization, timing, target = story.organization, story.timing, story.target
    verb = sentences.VERBS[story.channel.value]
    label = sentences.ROLE_LABELS.get(ContactRole(target.role).value)
    who = _R["who"].format(name=target.name, label=label) if label else target.name
    if timing.unanswered_on is not None:
        return _retry_reason(story, who, verb, timing.unanswered_on)
    referral = story.referral
    referred = (
        _R["referred"].format(referrer=story.names.get(referral.contact_id, _R["a_contact"]))
        if referral
        else ""
    )
    requested = timing.requested
    if requested is not None and requested.follow_up_on is not None:
        asker = story.names.get(requested.contact_id, _R["a_contact"])
        when = _R["on_or_after"].format(date=describe_date(requested.follow_up_on))
        if referral is not None:
            also = "" if requested is referral else f"{asker} "
            return _R["referred_and_requested"].format(
                referred=referred, who=_mid(who), also=also, when=when, verb=verb
            )
        whom = _R["them"] if requested.contact_id == target.id else _mid(who)
        asked = verb if requested_channel(requested) is story.channel else _R["follow_up"]
        return _R["requested"].format(asker=asker, asked=asked, when=when, verb=verb, whom=whom)
    if referral is not None:
        return _R["referral"].format(referred=referred, who=who, verb=verb)
    if story.phase is Phase.INITIAL:
        since = _R["since_the_no"] if organization.rejected_on else _R["with"]
        tail = sentences.TAILS[Phase.INITIAL.value]
        return _R["first_touch"].format(
            since=since, organization=organization.name, verb=verb, who=_mid(who), tail=tail
        )
    touch, touched_id = story.touch
    whom = _R["them"] if touched_id == target.id else _mid(who)
    action = _R["action"].format(verb=verb, whom=whom, tail=_tail(story))
    if timing.touch_day is None:
        return _R["opening"].format(organization=organization.name, action=action)
    span = describe_span((timing.earliest - timing.touch_day).days)
    if story.phase is Phase.OPENING:
        return _R["opening_since"].format(
            organization=organization.name, span=span, touch=touch, action=action
        )
    return _R["since"].format(span=span.capitalize(), touch=touch, action=action)


def _retry_reason(story: Story, who: str, verb: str, unanswered_on: date) -> str:
    """Why the same touch is tried again after an unanswered call (R15)."""
    on = describe_date(unanswered_on)
    called = _R["called"].format(date=on)
    again = sentences.TAILS["same_channel" if story.channel is Channel.CALL else "instead"]
    referral, requested = story.referral, story.timing.requested
    if referral is not None:
        referrer = story.names.get(referral.contact_id, _R["a_contact"])
        return _R["retry_referral"].format(
            referrer=referrer, who=_mid(who), called=called, verb=verb, again=again
        )
    if requested is not None and requested.follow_up_on is not None:
        asker = story.names.get(requested.contact_id, _R["a_contact"])
        when = _R["on_or_after"].format(date=describe_date(requested.follow_up_on))
        whom = _R["them"] if requested.contact_id == story.target.id else _mid(who)
        return _R["retry_requested"].format(
            asker=asker, when=when, called=called, verb=verb, whom=whom, again=again
        )
    return _R["retry"].format(who=_mid(who), date=on, verb=verb, again=again)


def _mid(who: str) -> str:
    return f"{who}," if "," in who else who


def _tail(story: Story) -> str:
    previous = story.previous
    if previous is None:
        return sentences.TAILS[story.phase.value]
    voice_again = story.channel == Channel.CALL and previous.channel in VOICE
    if story.channel == previous.channel or voice_again:
        return sentences.TAILS["same_channel"]
    return sentences.TAILS["mix"]


def touch_words(
    last: AttemptFacts | None, skip: datetime | None, names: dict[uuid.UUID, str]
) -> tuple[str, uuid.UUID | None]:
    """Describe the latest touch ("your email to Ann Lee") and say whose it was."""
    if last is None or (skip is not None and skip > as_utc(last.occurred_at)):
        return _R["skipped"], None
    name = names.get(last.contact_id)
    channel = Channel(last.channel)
    if last.direction == Direction.INBOUND:
        noun = _R["visit"] if channel is Channel.IN_PERSON else channel.value
        said = _R["inbound_named"].format(name=name, noun=noun) if name else None
        return (said or _R["inbound"].format(noun=noun)), last.contact_id
    key = channel.value
    if channel is Channel.CALL and last.outcome in (Outcome.LEFT_VOICEMAIL, Outcome.NO_ANSWER):
        key = Outcome(last.outcome).value
    noun = sentences.OUTBOUND_NOUNS[key]
    return _R["outbound"].format(noun=noun, name=name or _R["a_former_contact"]), last.contact_id
