"""Stopping the scheduler: prompt (a container gets 10 s), and no delivery lost on the way."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from sqlalchemy import select

from service.db.outbox import Delivery, DeliveryState
from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker, TickReport
from service.scheduler.metrics import SchedulerMetrics
from service.scheduler.runner import STOP_GRACE_SECONDS, start_scheduler, stop_scheduler
from tests.conftest import Clock, User
from tests.receiver import Receiver, Reply
from tests.scheduler.test_tick import seed

DUE = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
STOP_LIMIT = 10.0  # a container runtime's grace before SIGKILL


def stop_while_sending(app: FastAPI, receiver: Receiver, metrics: SchedulerMetrics) -> float:
    """Start ticking, stop once the receiver has the first request; the stop's duration."""

    async def go() -> float:
        async with make_client() as client:
            ticker = Ticker(
                app.state.session_factory,
                client,
                allow_private=True,
                clock=lambda: DUE,
                rng=random.Random(7),
                metrics=metrics,
            )
            scheduler = start_scheduler(ticker, every_seconds=3600)
            await asyncio.to_thread(receiver.wait_for, 1, 10)
            started = time.monotonic()
            await stop_scheduler(scheduler)
            return time.monotonic() - started

    return asyncio.run(go())


def tick(app: FastAPI, at: datetime) -> TickReport:
    async def go() -> TickReport:
        async with make_client() as client:
            ticker = Ticker(app.state.session_factory, client, allow_private=True, clock=lambda: at)
            return await ticker.tick()

    return asyncio.run(go())


def the_delivery(app: FastAPI) -> Delivery:
    with app.state.session_factory() as session:
        delivery: Delivery = session.scalars(select(Delivery)).one()
        return delivery


def test_a_send_cut_short_by_the_stop_is_released_and_sent_again_under_its_id(
    app: FastAPI, user: User, clock: Clock
) -> None:
    registry = CollectorRegistry()
    with Receiver() as receiver:
        receiver.enqueue(Reply(delay=60))  # far longer than the stop may wait
        hook, _ = seed(user, clock, receiver.url_for("/hooks"))
        stopped_in = stop_while_sending(app, receiver, SchedulerMetrics(registry))

        assert STOP_GRACE_SECONDS <= stopped_in < STOP_LIMIT - 2, stopped_in
        # Not recorded as an attempt, and not left leased for 90 s: due again, at once.
        released = the_delivery(app)
        assert (released.state, released.attempts, released.locked_until) == (
            DeliveryState.PENDING,
            0,
            None,
        )
        interrupted = {"outcome": "interrupted"}
        assert registry.get_sample_value("keepwarm_webhook_deliveries_total", interrupted) == 1

        # The next tick (of this or any replica) sends it a second after the stop.
        again = tick(app, DUE + timedelta(seconds=1))
        first, second = receiver.wait_for(2)
    assert (again.due, again.delivered) == (0, 1)
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    log = user.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["data"]
    assert [(d["attempt"], d["status_code"]) for d in log] == [(1, 200)]
    assert the_delivery(app).state == DeliveryState.SUCCEEDED


def test_a_send_that_ends_within_the_grace_is_recorded_and_not_sent_again(
    app: FastAPI, user: User, clock: Clock
) -> None:
    registry = CollectorRegistry()
    with Receiver() as receiver:
        receiver.enqueue(Reply(delay=1.0))
        hook, _ = seed(user, clock, receiver.url_for("/hooks"))
        stopped_in = stop_while_sending(app, receiver, SchedulerMetrics(registry))
        after = tick(app, DUE + timedelta(seconds=1))
        time.sleep(0.2)
        requests = receiver.requests

    assert stopped_in < STOP_GRACE_SECONDS, stopped_in
    assert (after.due, after.delivered, after.failed) == (0, 0, 0)
    assert len(requests) == 1
    log = user.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["data"]
    assert [(d["attempt"], d["status_code"]) for d in log] == [(1, 200)]
    delivered = {"outcome": "delivered"}
    assert registry.get_sample_value("keepwarm_webhook_deliveries_total", delivered) == 1


class _CountingTicker(Ticker):
    """The real tick, counted."""

    started = 0

    async def tick(self) -> TickReport:
        self.started += 1
        return await super().tick()


def test_a_stop_that_comes_while_may_tick_runs_starts_no_tick(app: FastAPI) -> None:
    asked, answer = threading.Event(), threading.Event()

    def may_tick() -> bool:  # a slow schema check: the stop comes before it answers
        asked.set()
        answer.wait(10)
        return True

    async def go() -> int:
        async with make_client() as client:
            ticker = _CountingTicker(app.state.session_factory, client, allow_private=True)
            scheduler = start_scheduler(ticker, every_seconds=3600, may_tick=may_tick)
            await asyncio.to_thread(asked.wait, 10)
            stopping = asyncio.ensure_future(stop_scheduler(scheduler))
            await asyncio.sleep(0.05)  # the stop has begun: it waits for the pass
            answer.set()
            await stopping
            return ticker.started

    assert asyncio.run(go()) == 0
