"""What the planner needs of an organization's history: a bounded recall and a summary.

A write plans again from the history, so its cost must not grow with it (SPEC section 5).
The planner reads, per contact, the latest attempt, the latest touch, the latest unanswered
call, a request to stop and the latest scripts; per news item the latest touch that used it;
the latest referral; and counts. `recall` keeps exactly the attempts those come from and
`summarize` counts; the service reads the same rows and counts with bounded queries
(services/planning/history.py), and planning from them gives the plan the whole history gives.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Protocol, TypeVar

from service.domain.model import (
    AttemptFacts,
    CadenceSettings,
    Channel,
    Direction,
    HistorySummary,
    OrganizationFacts,
    Outcome,
)
from service.domain.slots import as_utc, resolve_zone

# The scripts a person's next script is varied against (older ones no longer count).
RECENT_VARIANTS = 50


def is_touch(attempt: AttemptFacts) -> bool:
    """Anything but a call nobody answered (R15)."""
    return not (attempt.channel == Channel.CALL and attempt.outcome == Outcome.NO_ANSWER)


def is_referral(attempt: AttemptFacts) -> bool:
    """A touch that referred to someone else (R8)."""
    referred = attempt.referred_to_contact_id
    return (
        attempt.outcome == Outcome.REFERRED
        and referred is not None
        and referred != attempt.contact_id
        and is_touch(attempt)
    )


def rejection_cutoff(organization: OrganizationFacts, settings: CadenceSettings) -> datetime | None:
    """The first instant of the rejection date in the account's zone: touches count from it."""
    if organization.rejected_on is None:
        return None
    zone = resolve_zone(settings.timezone, "UTC")
    return datetime.combine(organization.rejected_on, time.min, zone).astimezone(UTC)


def phase_count(settings: CadenceSettings) -> int:
    """How many outbound touches since the No the phase tells apart: past `warm_touches`,
    one more or a hundred more are all maintenance (R2-R4)."""
    return settings.warm_touches + 1


class Scripted(Protocol):
    """An attempt as the variety of scripts reads it: an AttemptFacts, or less."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def contact_id(self) -> uuid.UUID: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def script_variant(self) -> str | None: ...


S = TypeVar("S", bound=Scripted)


@dataclass(frozen=True)
class ScriptUse:
    """An attempt's script variant, where and when it was used."""

    id: uuid.UUID
    contact_id: uuid.UUID
    occurred_at: datetime
    script_variant: str | None


def in_order(attempts: Iterable[S]) -> list[S]:
    """Oldest first; ties by id."""
    return sorted(attempts, key=lambda attempt: (as_utc(attempt.occurred_at), attempt.id))


def summarize(
    attempts: Sequence[AttemptFacts], organization: OrganizationFacts, settings: CadenceSettings
) -> HistorySummary:
    """The counts and latest scripts of a whole history."""
    history = in_order(attempts)
    cutoff = rejection_cutoff(organization, settings)
    counts: dict[uuid.UUID, int] = {}
    for attempt in history:
        counts[attempt.contact_id] = counts.get(attempt.contact_id, 0) + 1
    outbound = count_outbound(history, cutoff, phase_count(settings))
    return summary_of(outbound, counts, history)


def count_outbound(attempts: Iterable[AttemptFacts], cutoff: datetime | None, limit: int) -> int:
    """The outbound touches since `cutoff` (counts_as_outbound), counted up to `limit`."""
    return min(limit, sum(1 for attempt in attempts if counts_as_outbound(attempt, cutoff)))


def recall(attempts: Sequence[AttemptFacts]) -> list[AttemptFacts]:
    """The attempts the planner reads besides the summary, oldest first (a bounded number)."""
    kept: dict[uuid.UUID, AttemptFacts] = {}
    latest: set[tuple[object, ...]] = set()
    for attempt in reversed(in_order(attempts)):
        touch = is_touch(attempt)
        keys = [
            ("attempt", attempt.contact_id),
            ("touch" if touch else "unanswered", attempt.contact_id),
            ("outbound touch",) if touch and attempt.direction == Direction.OUTBOUND else None,
            ("stop", attempt.contact_id) if attempt.outcome == Outcome.ASKED_TO_STOP else None,
            ("news", attempt.news_id) if touch and attempt.news_id else None,
            ("referral",) if is_referral(attempt) else None,
        ]
        for key in keys:
            if key is not None and key not in latest:
                latest.add(key)
                kept[attempt.id] = attempt
    return in_order(kept.values())


def summary_of(
    outbound_since_rejection: int,
    attempts_with: Mapping[uuid.UUID, int],
    scripted: Iterable[Scripted],
) -> HistorySummary:
    """A summary from its counts and attempts with a script (at least each person's latest)."""
    variants: dict[uuid.UUID, list[str]] = {}
    for attempt in in_order(scripted):
        if attempt.script_variant:
            variants.setdefault(attempt.contact_id, []).append(attempt.script_variant)
    return HistorySummary(
        outbound_since_rejection=outbound_since_rejection,
        attempts_with=dict(attempts_with),
        variants_with={k: tuple(v[-RECENT_VARIANTS:]) for k, v in variants.items()},
    )


def counts_as_outbound(attempt: AttemptFacts, cutoff: datetime | None) -> bool:
    """An outbound touch on or after the rejection date's first instant (the phase counts it)."""
    return (
        attempt.direction == Direction.OUTBOUND
        and is_touch(attempt)
        and (cutoff is None or as_utc(attempt.occurred_at) >= cutoff)
    )
