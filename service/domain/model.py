"""Plain value types shared by the pure domain code."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Channel(StrEnum):
    CALL = "call"
    VOICEMAIL = "voicemail"
    EMAIL = "email"
    IN_PERSON = "in_person"
    MESSAGE = "message"


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class Outcome(StrEnum):
    CONVERSATION = "conversation"
    NO_ANSWER = "no_answer"
    LEFT_VOICEMAIL = "left_voicemail"
    SENT = "sent"
    REPLIED = "replied"
    REFERRED = "referred"
    OPENING_DISCUSSED = "opening_discussed"
    ASKED_TO_STOP = "asked_to_stop"


class OrganizationStatus(StrEnum):
    NURTURING = "nurturing"
    OPENING = "opening"
    PAUSED = "paused"
    HIRED = "hired"
    CLOSED = "closed"
    WATCHING = "watching"  # R17: people you know there; nobody has said no


class ContactRole(StrEnum):
    HIRING_MANAGER = "hiring_manager"
    REFERRER = "referrer"
    RECRUITER = "recruiter"
    HR = "hr"
    OTHER = "other"


class ContactStatus(StrEnum):
    ACTIVE = "active"
    DO_NOT_CONTACT = "do_not_contact"
    ARCHIVED = "archived"


class Phase(StrEnum):
    INITIAL = "initial"
    WARM = "warm"
    MAINTENANCE = "maintenance"
    OPENING = "opening"


class ActionState(StrEnum):
    SCHEDULED = "scheduled"
    DUE = "due"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


OPEN_STATES = (ActionState.SCHEDULED, ActionState.DUE)


class Situation(StrEnum):
    """Why this touch is made: each situation has its own purpose sentences."""

    FIRST_TOUCH = "first_touch"
    WARM = "warm"
    MAINTENANCE = "maintenance"
    OPENING = "opening"
    REFERRAL = "referral"
    REQUESTED = "requested"
    RECRUITER_ONLY = "recruiter_only"


class NewsTone(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    DIFFICULT = "difficult"


class ScriptKind(StrEnum):
    """What a checked text is: a whole script, or a closing or reply said on its own."""

    SCRIPT = "script"
    CLOSING = "closing"
    REPLY = "reply"


class EventType(StrEnum):
    """What keepwarm tells webhook endpoints about."""

    FOLLOWUP_SCHEDULED = "followup.scheduled"
    FOLLOWUP_RESCHEDULED = "followup.rescheduled"
    FOLLOWUP_DUE = "followup.due"
    FOLLOWUP_CANCELLED = "followup.cancelled"
    ATTEMPT_LOGGED = "attempt.logged"
    ORGANIZATION_OPENING = "organization.opening"
    WEBHOOK_PING = "webhook.ping"


@dataclass(frozen=True)
class CadenceSettings:
    timezone: str = "UTC"
    preferred_hour: int = 10
    initial_delay_days: int = 1
    warm_touches: int = 4
    warm_days: int = 21
    warm_window_days: int = 7
    maintenance_days: int = 60
    maintenance_window_days: int = 15
    opening_days: int = 7
    min_gap_days: int = 10
    news_fresh_days: int = 120
    referral_days: int = 3
    retry_days: int = 2


@dataclass(frozen=True)
class OrganizationFacts:
    id: uuid.UUID
    name: str
    status: OrganizationStatus
    rejected_on: date | None
    created_at: datetime
    role_applied: str | None = None
    paused_reason: str | None = None
    talked_about: str | None = None


@dataclass(frozen=True)
class ContactFacts:
    id: uuid.UUID
    name: str
    role: ContactRole
    status: ContactStatus = ContactStatus.ACTIVE
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    profile_url: str | None = None
    timezone: str | None = None
    greeting_name: str | None = None


@dataclass(frozen=True)
class AttemptFacts:
    id: uuid.UUID
    contact_id: uuid.UUID
    channel: Channel
    occurred_at: datetime
    direction: Direction = Direction.OUTBOUND
    outcome: Outcome | None = None
    referred_to_contact_id: uuid.UUID | None = None
    news_id: uuid.UUID | None = None
    script_variant: str | None = None
    follow_up_on: date | None = None
    follow_up_channel: Channel | None = None


@dataclass(frozen=True)
class HistorySummary:
    """What the planner reads of an organization's whole history, beside the attempts it gets.

    With it, the attempts given may be a bounded recall of the history (history.recall):
    the counts and the person's latest scripts come from here instead. The outbound touches
    since the No are counted up to history.phase_count: the phase tells no more apart.
    """

    outbound_since_rejection: int
    attempts_with: Mapping[uuid.UUID, int] = field(default_factory=dict)
    variants_with: Mapping[uuid.UUID, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class NewsFacts:
    id: uuid.UUID
    headline: str
    noticed_on: date
    url: str | None = None
    tone: NewsTone = NewsTone.POSITIVE
    summary: str | None = None


@dataclass(frozen=True)
class ProfileFacts:
    """The job seeker: how scripts sign off. None where the profile lacks it."""

    name: str | None = None
    signature: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class PreparedResponse:
    """A line ready for what may happen during a call: `when` it happens, what to `say`."""

    when: str
    say: str


@dataclass(frozen=True)
class Script:
    variant: str
    situation: Situation
    subject: str | None
    greeting: str
    parts: dict[str, str]
    text: str
    voicemail: str | None
    responses: tuple[PreparedResponse, ...]
    word_count: int
    # The same touch written as an email (subject, text), for the channels that are not one:
    # what a call's links.mailto carries.
    as_email: tuple[str, str] | None = None

    def as_dict(self) -> dict[str, object]:
        """The script as stored and served (what dataclasses.asdict gives, at a tenth of it)."""
        return {
            "variant": self.variant,
            "situation": self.situation.value,
            "subject": self.subject,
            "greeting": self.greeting,
            "parts": dict(self.parts),
            "text": self.text,
            "voicemail": self.voicemail,
            "responses": [{"when": r.when, "say": r.say} for r in self.responses],
            "word_count": self.word_count,
            "as_email": (
                {"subject": self.as_email[0], "text": self.as_email[1]} if self.as_email else None
            ),
        }


@dataclass(frozen=True)
class PlannedAction:
    contact_id: uuid.UUID
    due_at: datetime
    window_start: date
    window_end: date
    phase: Phase
    channel: Channel
    reason: str
    hints: tuple[str, ...] = field(default_factory=tuple)
    script: Script | None = None
    news_id: uuid.UUID | None = None
