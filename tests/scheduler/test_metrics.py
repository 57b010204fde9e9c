"""The scheduler's Prometheus series after ticks with known work: due, delivered, backlog."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from sqlalchemy.orm import Session, sessionmaker

from service.db.session import make_engine, make_session_factory
from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker, TickReport
from service.scheduler.metrics import SchedulerMetrics
from service.services.outbox.delivery import Backlog
from tests.conftest import Clock, User
from tests.receiver import Receiver, Reply

REJECTED = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # a Friday; first touches due Mon 10:00
DUE = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def tick(sessions: sessionmaker[Session], metrics: SchedulerMetrics, at: datetime) -> TickReport:
    async def go() -> TickReport:
        async with make_client() as client:
            ticker = Ticker(
                sessions,
                client,
                allow_private=True,
                clock=lambda: at,
                rng=random.Random(7),
                metrics=metrics,
            )
            return await ticker.tick()

    return asyncio.run(go())


def value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


def seed_two_due(user: User, clock: Clock, url: str) -> None:
    clock.set(REJECTED)
    user.create("/v1/webhooks", {"url": url, "events": ["followup.due"]})
    for name in ("Acme", "Initech"):
        org = user.create("/v1/organizations", {"name": name, "rejected_on": "2026-11-20"})
        user.create(
            "/v1/contacts",
            {
                "organization_id": org["id"],
                "name": f"{name} Manager",
                "role": "hiring_manager",
                "email": f"manager@{name.lower()}.example",
            },
        )


def test_a_tick_counts_due_follow_ups_outcomes_and_the_backlog(
    app: FastAPI, user: User, clock: Clock
) -> None:
    registry = CollectorRegistry()
    metrics = SchedulerMetrics(registry)
    with Receiver() as receiver:
        receiver.enqueue(Reply(500))  # one of the two fails, and is retried later
        seed_two_due(user, clock, receiver.url_for("/hooks"))
        first = tick(app.state.session_factory, metrics, DUE)
        assert (first.due, first.delivered, first.failed) == (2, 1, 1)

        assert value(registry, "keepwarm_scheduler_ticks_total", outcome="ok") == 1
        assert value(registry, "keepwarm_scheduler_ticks_total", outcome="failed") == 0
        assert value(registry, "keepwarm_scheduler_tick_duration_seconds_count") == 1
        assert value(registry, "keepwarm_scheduler_followups_due_total") == 2
        assert value(registry, "keepwarm_scheduler_plans_recomputed_total") == 0
        deliveries = "keepwarm_webhook_deliveries_total"
        assert value(registry, deliveries, outcome="delivered") == 1
        assert value(registry, deliveries, outcome="retrying") == 1
        assert value(registry, deliveries, outcome="gave_up") == 0
        assert value(registry, deliveries, outcome="interrupted") == 0
        assert value(registry, "keepwarm_webhook_delivery_duration_seconds_count") == 2
        # The retry waits (5 s and jitter): pending, not yet overdue, as old as the event.
        assert value(registry, "keepwarm_outbox_pending_deliveries") == 1
        assert value(registry, "keepwarm_outbox_pending_events") == 1
        assert value(registry, "keepwarm_outbox_oldest_pending_age_seconds") == 0
        assert value(registry, "keepwarm_outbox_overdue_seconds") == 0

        # Two seconds later the retry is not due yet: the backlog has aged.
        waiting = tick(app.state.session_factory, metrics, DUE + timedelta(seconds=2))
        assert (waiting.delivered, waiting.failed) == (0, 0)
        assert value(registry, "keepwarm_outbox_pending_deliveries") == 1
        assert value(registry, "keepwarm_outbox_oldest_pending_age_seconds") == 2
        assert value(registry, "keepwarm_outbox_overdue_seconds") == 0

        # A minute later the retry goes out, and the outbox is empty.
        later = tick(app.state.session_factory, metrics, DUE + timedelta(minutes=1))
        assert (later.due, later.delivered) == (0, 1)
        receiver.wait_for(3)
    assert value(registry, "keepwarm_scheduler_ticks_total", outcome="ok") == 3
    assert value(registry, "keepwarm_scheduler_followups_due_total") == 2
    assert value(registry, deliveries, outcome="delivered") == 2
    assert value(registry, "keepwarm_outbox_pending_deliveries") == 0
    assert value(registry, "keepwarm_outbox_pending_events") == 0
    assert value(registry, "keepwarm_outbox_oldest_pending_age_seconds") == 0


def test_a_failed_tick_is_counted(tmp_path: Path) -> None:
    # A database that cannot be opened: the tick fails, and says so in the metrics.
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'keepwarm.db'}")
    registry = CollectorRegistry()
    try:
        try:
            tick(make_session_factory(engine), SchedulerMetrics(registry), DUE)
        except Exception as exc:
            assert "unable to open database file" in str(exc)
        else:
            raise AssertionError("the tick did not fail")
    finally:
        engine.dispose()
    assert value(registry, "keepwarm_scheduler_ticks_total", outcome="failed") == 1
    assert value(registry, "keepwarm_scheduler_ticks_total", outcome="ok") == 0
    assert value(registry, "keepwarm_scheduler_tick_duration_seconds_count") == 1


def test_an_overdue_backlog_shows_how_late_it_is() -> None:
    registry = CollectorRegistry()
    backlog = Backlog(
        deliveries=3,
        events=2,
        oldest_created_at=DUE - timedelta(hours=1),
        oldest_due_at=DUE - timedelta(seconds=90),
    )
    SchedulerMetrics(registry).backlog(backlog, now=DUE)
    assert value(registry, "keepwarm_outbox_pending_deliveries") == 3
    assert value(registry, "keepwarm_outbox_pending_events") == 2
    assert value(registry, "keepwarm_outbox_oldest_pending_age_seconds") == 3600
    assert value(registry, "keepwarm_outbox_overdue_seconds") == 90


def test_two_registries_keep_apart() -> None:
    # Many apps live in one test process: each has its own series.
    first, second = CollectorRegistry(), CollectorRegistry()
    SchedulerMetrics(first).due.inc(3)
    SchedulerMetrics(second)
    assert value(first, "keepwarm_scheduler_followups_due_total") == 3
    assert value(second, "keepwarm_scheduler_followups_due_total") == 0
