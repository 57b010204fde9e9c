"""Retention: old finished events and old logged attempts go; pending and recent ones stay."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import Account
from service.db.outbox import Delivery, DeliveryAttempt, DeliveryState, Event, WebhookEndpoint
from service.db.session import session_scope
from service.scheduler.jobs import Ticker
from service.scheduler.metrics import SchedulerMetrics
from service.services.outbox import retention

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=120)
RECENT = NOW - timedelta(days=10)
BEFORE = NOW - retention.RETENTION


@dataclass
class Outbox:
    sessions: sessionmaker[Session]
    account_id: uuid.UUID
    endpoint_id: uuid.UUID

    def event(self, at: datetime, *deliveries: tuple[DeliveryState, datetime]) -> uuid.UUID:
        """An event created at `at`, with deliveries (state, queued at), one attempt each."""
        with session_scope(self.sessions) as session:
            event = Event(
                account_id=self.account_id, type="followup.due", payload={}, created_at=at
            )
            session.add(event)
            session.flush()
            for state, queued_at in deliveries:
                delivery = Delivery(
                    account_id=self.account_id,
                    event_id=event.id,
                    endpoint_id=self.endpoint_id,
                    state=state,
                    attempts=1,
                    next_attempt_at=queued_at + timedelta(minutes=5),
                    created_at=queued_at,
                )
                session.add(delivery)
                session.flush()
                session.add(
                    DeliveryAttempt(
                        account_id=self.account_id,
                        endpoint_id=self.endpoint_id,
                        delivery_id=delivery.id,
                        event_id=event.id,
                        event_type=event.type,
                        attempt=1,
                        status_code=200 if state == DeliveryState.SUCCEEDED else 500,
                        duration_ms=12,
                        created_at=queued_at,
                    )
                )
            return event.id

    def events(self) -> set[uuid.UUID]:
        with self.sessions() as session:
            return set(session.scalars(select(Event.id)))

    def attempts(self) -> list[tuple[uuid.UUID, datetime]]:
        with self.sessions() as session:
            rows = session.execute(select(DeliveryAttempt.event_id, DeliveryAttempt.created_at))
            return sorted((event_id, at) for event_id, at in rows)

    def deliveries(self) -> set[uuid.UUID]:
        with self.sessions() as session:
            return set(session.scalars(select(Delivery.event_id)))


def outbox(app: FastAPI) -> Outbox:
    sessions: sessionmaker[Session] = app.state.session_factory
    with session_scope(sessions) as session:
        account = Account(email=f"r-{uuid.uuid4().hex[:8]}@example.com", password_hash="x")
        session.add(account)
        session.flush()
        endpoint = WebhookEndpoint(
            account_id=account.id, url="https://hooks.example", events=[], secret="whsec_x"
        )
        session.add(endpoint)
        session.flush()
        return Outbox(sessions, account.id, endpoint.id)


def purge_all(box: Outbox, *, limit: int = 500) -> list[retention.Purged]:
    batches = []
    while True:
        with session_scope(box.sessions) as session:
            purged = retention.purge_outbox(session, before=BEFORE, limit=limit)
        batches.append(purged)
        if not purged.more:
            return batches


def test_old_finished_events_go_and_pending_or_recent_ones_stay(app: FastAPI) -> None:
    box = outbox(app)
    delivered = box.event(OLD, (DeliveryState.SUCCEEDED, OLD))
    gave_up = box.event(OLD, (DeliveryState.FAILED, OLD))
    retrying = box.event(OLD, (DeliveryState.PENDING, OLD))
    half_done = box.event(OLD, (DeliveryState.SUCCEEDED, OLD), (DeliveryState.PENDING, OLD))
    redelivered = box.event(OLD, (DeliveryState.FAILED, OLD), (DeliveryState.SUCCEEDED, RECENT))
    recent = box.event(RECENT, (DeliveryState.SUCCEEDED, RECENT))

    (batch,) = purge_all(box)

    assert batch.events == 2
    assert box.events() == {retrying, half_done, redelivered, recent}
    assert delivered not in box.deliveries() and gave_up not in box.deliveries()
    # Attempts: an event's log goes with it; an old attempt of a finished delivery goes on
    # its own (the redelivered event keeps its recent one); a pending delivery keeps its log.
    assert box.attempts() == sorted(
        [(retrying, OLD), (half_done, OLD), (redelivered, RECENT), (recent, RECENT)]
    )
    assert batch.attempts == 2
    # Nothing more to do: a second pass finds nothing.
    assert purge_all(box) == [retention.Purged(0, 0, more=False)]


def test_a_long_backlog_is_purged_in_bounded_batches(app: FastAPI) -> None:
    box = outbox(app)
    for _ in range(5):
        box.event(OLD, (DeliveryState.SUCCEEDED, OLD))
    kept = box.event(OLD, (DeliveryState.PENDING, OLD))

    batches = purge_all(box, limit=2)

    assert [b.events for b in batches] == [2, 2, 1]
    assert [b.more for b in batches] == [True, True, False]
    assert box.events() == {kept}


def test_the_tick_purges_with_the_retention_it_is_given(app: FastAPI) -> None:
    box = outbox(app)
    old = box.event(OLD, (DeliveryState.SUCCEEDED, OLD))
    month_old = box.event(NOW - timedelta(days=40), (DeliveryState.SUCCEEDED, NOW))
    registry = CollectorRegistry()
    metrics = SchedulerMetrics(registry)

    async def tick(retain: timedelta) -> None:
        async with httpx.AsyncClient() as client:
            ticker = Ticker(
                box.sessions,
                client,
                allow_private=True,
                clock=lambda: NOW,
                metrics=metrics,
                retention=retain,
            )
            await ticker.tick()
            await ticker.tick()  # within the hour: retention does not run again

    asyncio.run(tick(timedelta(days=90)))
    assert box.events() == {month_old}
    assert registry.get_sample_value("keepwarm_scheduler_purged_total", {"kind": "events"}) == 1

    asyncio.run(tick(timedelta(days=30)))
    assert old not in box.events() and month_old in box.events()  # its delivery is recent


def test_two_replicas_purging_at_once_skip_each_others_rows(app: FastAPI) -> None:
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: purges cannot overlap")
    box = outbox(app)
    for _ in range(4):
        box.event(OLD, (DeliveryState.SUCCEEDED, OLD))
    # Each replica has deleted its events (their attempts went with them), uncommitted.
    with box.sessions() as first, box.sessions() as second:
        assert retention.purge_events(first, before=BEFORE, limit=2) == (2, 2)
        assert retention.purge_events(second, before=BEFORE, limit=2) == (2, 2)
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        # The attempts the first one deleted are still visible to the second: waiting for
        # them while the first waits for the second's was a deadlock.
        assert retention.purge_attempts(second, before=BEFORE, limit=10) == (0, 0)
        first.commit()
        second.commit()
    assert box.events() == set()
    assert box.attempts() == []
