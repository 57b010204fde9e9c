"""Channels: the voice ones, the channel a requested follow-up (R16) is planned on, and the
channels each outcome fits."""

from __future__ import annotations

from service.domain.model import AttemptFacts, Channel, Outcome

VOICE = frozenset({Channel.CALL, Channel.VOICEMAIL})
# The channel a requested one (R16) is planned on: a voicemail is left by calling.
PLANNED = {
    Channel.CALL: Channel.CALL,
    Channel.VOICEMAIL: Channel.CALL,
    Channel.EMAIL: Channel.EMAIL,
    Channel.MESSAGE: Channel.MESSAGE,
}


def requested_channel(requested: AttemptFacts | None) -> Channel | None:
    """The channel they asked for, as it is planned (a voicemail is left by calling)."""
    if requested is None or requested.follow_up_channel is None:
        return None
    return PLANNED.get(Channel(requested.follow_up_channel))


# The channels each outcome fits (an attempt with another is refused, naming the field).
CHANNELS_OF_OUTCOME = {
    Outcome.LEFT_VOICEMAIL: frozenset({Channel.CALL, Channel.VOICEMAIL}),
    Outcome.NO_ANSWER: frozenset({Channel.CALL}),
    Outcome.SENT: frozenset({Channel.EMAIL, Channel.MESSAGE, Channel.VOICEMAIL}),
}
