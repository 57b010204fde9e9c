"""No step starves another: behind a flood of deliveries to a slow receiver, a follow-up is
still marked due within two ticks, and the ticks end, counted, with the gauges moving."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import Organization
from service.db.outbox import Event
from service.db.session import session_scope
from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker, delivery_budget
from service.scheduler.metrics import SchedulerMetrics
from service.scheduler.runner import start_scheduler, stop_scheduler
from service.services.outbox import events
from tests.conftest import User, acme_and_ann
from tests.receiver import Receiver, Reply

TICK = 1.0
FLOOD = 3000  # at 4 in flight to one host and 20 ms an answer: 15 s of sending, at best
SNOOZE = timedelta(seconds=3)


@dataclass
class Seen:
    """What the test saw while the scheduler ran."""

    due_event: Event | None = None
    ticks: list[float] = field(default_factory=list)
    pending: list[float] = field(default_factory=list)


def flood(sessions: sessionmaker[Session], organization_id: uuid.UUID, count: int) -> None:
    """`count` attempt.logged events, each owed to the organization's account's endpoint."""
    with session_scope(sessions) as session:
        account_id = session.get_one(Organization, organization_id).account_id
        pending = [
            events.Pending(account_id, "attempt.logged", {"n": n}, f"flood:{n}")
            for n in range(count)
        ]
        events.emit_many(session, pending, now=datetime.now(UTC))


def due_event(sessions: sessionmaker[Session]) -> Event | None:
    with sessions() as session:
        return session.scalars(select(Event).where(Event.type == "followup.due")).first()


def value(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


def watch(
    sessions: sessionmaker[Session], registry: CollectorRegistry, until: float, seen: Seen
) -> None:
    """Sample the metrics every 50 ms until the follow-up's event is written, or `until`."""
    while time.monotonic() < until:
        seen.ticks.append(value(registry, "keepwarm_scheduler_ticks_total", outcome="ok"))
        seen.pending.append(value(registry, "keepwarm_outbox_pending_deliveries"))
        seen.due_event = due_event(sessions)
        if seen.due_event is not None:
            return
        time.sleep(0.05)


def run_scheduler(
    sessions: sessionmaker[Session], registry: CollectorRegistry, due_at: datetime
) -> Seen:
    seen = Seen()

    async def go() -> None:
        async with make_client() as client:
            ticker = Ticker(
                sessions,
                client,
                allow_private=True,
                metrics=SchedulerMetrics(registry),
                budget=delivery_budget(TICK),
            )
            scheduler = start_scheduler(ticker, every_seconds=TICK)
            # Long enough to see the gauges move after the follow-up came due: 2 ticks more.
            wait = (due_at - datetime.now(UTC)).total_seconds() + 2 * TICK + 1.5
            try:
                await asyncio.to_thread(watch, sessions, registry, time.monotonic() + wait, seen)
            finally:
                await stop_scheduler(scheduler)

    asyncio.run(go())
    return seen


def test_a_follow_up_is_marked_due_within_two_ticks_behind_a_flood_of_deliveries(
    app: FastAPI, user: User
) -> None:
    sessions: sessionmaker[Session] = app.state.session_factory
    registry = CollectorRegistry()
    with Receiver(Reply(delay=0.02)) as receiver:
        user.create("/v1/webhooks", {"url": receiver.url_for("/hooks")})
        acme, _ = acme_and_ann(user)
        (action,) = user.get("/v1/next-actions", params={"organization_id": acme["id"]}).json()[
            "data"
        ]
        until = (datetime.now(UTC) + SNOOZE).isoformat()
        snoozed = user.post(f"/v1/next-actions/{action['id']}/snooze", json={"until": until})
        assert snoozed.status_code == 200, snoozed.text
        due_at = datetime.fromisoformat(snoozed.json()["due_at"])
        flood(sessions, uuid.UUID(acme["id"]), FLOOD)

        seen = run_scheduler(sessions, registry, due_at)

    assert seen.due_event is not None, "the follow-up was never marked due"
    late = (seen.due_event.created_at - due_at).total_seconds()
    ticks = value(registry, "keepwarm_scheduler_tick_duration_seconds_count")
    longest = value(registry, "keepwarm_scheduler_tick_duration_seconds_sum") / max(ticks, 1)
    print(f"marked due {late:.2f} s late; {ticks:.0f} ticks, {longest:.2f} s on average")
    assert late <= 2 * TICK, late
    # The ticks ended while the backlog drained, and each one refreshed the outbox gauges.
    assert seen.ticks[-1] >= 2, seen.ticks
    drained = sorted({p for p in seen.pending if p > 0}, reverse=True)
    assert len(drained) >= 2, seen.pending
    assert drained[0] < FLOOD + 1, drained
