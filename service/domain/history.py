"""What the planner needs of an organization's history: a bounded recall and a summary.

A write plans again from the history, so its cost must not grow with it (SPEC section 5).
The planner reads, per contact, the latest attempt, the latest touch, the latest unanswered
call, a request to stop and the latest scripts; per news item the latest touch that used it;
the latest referral; and counts. `recall` keeps exactly the attempts those come from and
`summarize` counts; the service reads the same rows and counts with bounded queries
(services/planning.py), and planning from them gives the plan the whole history gives.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, time

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


def in_order(attempts: Iterable[AttemptFacts]) -> list[AttemptFacts]:
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
    outbound = sum(1 for a in history if counts_as_outbound(a, cutoff))
    return summary_of(outbound, counts, history)


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
    scripted: Iterable[AttemptFacts],
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
