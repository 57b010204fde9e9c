"""The tick: recompute stale plans, turn due follow-ups into events, deliver webhooks.

A tick's delivery work is bounded by a time budget, so however large the backlog the tick
ends, its metrics and the outbox gauges are recorded, and the next tick marks due on time.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from service.db.session import session_scope
from service.domain.delivery import DeliveryResult
from service.scheduler.dispatcher import IN_FLIGHT, IN_FLIGHT_PER_HOST, Outgoing, deliver
from service.scheduler.metrics import INTERRUPTED, SchedulerMetrics
from service.services.outbox import delivery, retention
from service.services.planning import scheduling

log = logging.getLogger("keepwarm.scheduler")
BATCH = 500
DELIVERY_BATCH = 200
# Retention runs at most this often, and at most this many batches (each its own short
# transaction) per tick: finding old rows reads much of their tables.
RETENTION_EVERY = timedelta(hours=1)
RETENTION_BATCHES = 20
# A tick delivers for at most this share of the interval and then ends: the next tick starts
# on time, so a follow-up is marked due within two ticks whatever the delivery backlog. The
# sends already started finish (within the dispatcher's timeout); the rest are released.
BUDGET_SHARE = 0.5
DEFAULT_TICK_SECONDS = 30.0
T = TypeVar("T")
Sent = tuple[delivery.Claimed, DeliveryResult]


def delivery_budget(tick_seconds: float) -> timedelta:
    """How long one tick may start new deliveries, for ticks `tick_seconds` apart."""
    return timedelta(seconds=tick_seconds * BUDGET_SHARE)


def utcnow() -> datetime:
    """The scheduler's clock."""
    return datetime.now(UTC)


@dataclass
class TickReport:
    recomputed: int = 0
    due: int = 0
    delivered: int = 0
    failed: int = 0


async def in_thread(work: Callable[..., T], *args: Any) -> T:
    """Run blocking database work in a thread. Cancelled meanwhile, wait for the work to end
    before passing the cancellation on: its transaction commits or rolls back while the
    stop still waits, never after the engine is gone."""
    future = asyncio.ensure_future(asyncio.to_thread(work, *args))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await asyncio.wait([future])
        raise


class Ticker:
    """Runs one tick at a time; safe to run in several processes against one database."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        client: httpx.AsyncClient,
        *,
        allow_private: bool,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        lease: timedelta = delivery.LEASE,
        metrics: SchedulerMetrics | None = None,
        retention: timedelta = retention.RETENTION,
        budget: timedelta | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.client = client
        self.allow_private = allow_private
        self.clock = clock
        self.rng = rng or random.Random()
        self.lease = lease
        self.metrics = metrics
        self.retention = retention
        self.retained_at: datetime | None = None
        self.budget = budget if budget is not None else delivery_budget(DEFAULT_TICK_SECONDS)

    async def tick(self) -> TickReport:
        """One pass of every duty; each database step is its own transaction."""
        started = time.perf_counter()
        try:
            report = await self._tick()
        except Exception:
            if self.metrics:
                self.metrics.tick(ok=False, seconds=time.perf_counter() - started)
            raise
        if self.metrics:
            self.metrics.tick(ok=True, seconds=time.perf_counter() - started)
        return report

    async def _tick(self) -> TickReport:
        deadline = time.monotonic() + self.budget.total_seconds()
        report = TickReport()
        report.recomputed = await self._drain(scheduling.recompute_stale)
        report.due = await self._drain(scheduling.mark_due)
        if self.metrics:
            self.metrics.recomputed.inc(report.recomputed)
            self.metrics.due.inc(report.due)
        more = True
        while more and time.monotonic() < deadline:
            sent, failed, more = await self.deliver_batch(deadline)
            report.delivered += sent
            report.failed += failed
        await in_thread(self._in_transaction, scheduling.purge)
        await self._retain()
        if self.metrics:
            self.metrics.backlog(await in_thread(self._backlog), now=self.clock())
        if report.due or report.delivered or report.failed or report.recomputed:
            log.info("tick: %s", report)
        return report

    def _in_transaction(self, step: Callable[..., int], **kwargs: object) -> int:
        with session_scope(self.session_factory) as session:
            return step(session, now=self.clock(), **kwargs)

    async def _drain(self, step: Callable[..., int]) -> int:
        total = 0
        while True:
            done = await in_thread(functools.partial(self._in_transaction, step, limit=BATCH))
            total += done
            if done < BATCH:
                return total

    async def _retain(self) -> None:
        """Purge what retention lets go, in batches; resume next tick if there is more."""
        now = self.clock()
        if (
            self.retained_at is not None
            and timedelta(0) <= now - self.retained_at < RETENTION_EVERY
        ):
            return
        before = now - self.retention
        events = attempts = 0
        for _ in range(RETENTION_BATCHES):
            try:
                purged = await in_thread(self._purge_batch, before)
            except SQLAlchemyError as exc:
                # Housekeeping only: the tick's other duties stand; the next tick resumes.
                log.warning("retention: a purge batch failed, resuming next tick: %s", exc)
                break
            events += purged.events
            attempts += purged.attempts
            if not purged.more:
                self.retained_at = now
                break
        if self.metrics:
            self.metrics.purged.labels("events").inc(events)
            self.metrics.purged.labels("delivery_attempts").inc(attempts)
        if events or attempts:
            log.info("retention: purged %d events and %d delivery attempts", events, attempts)

    def _purge_batch(self, before: datetime) -> retention.Purged:
        with session_scope(self.session_factory) as session:
            return retention.purge_outbox(session, before=before, limit=BATCH)

    def _backlog(self) -> delivery.Backlog:
        with session_scope(self.session_factory) as session:
            return delivery.backlog(session)

    async def deliver_batch(self, deadline: float = math.inf) -> tuple[int, int, bool]:
        """Claim, send concurrently outside any transaction, record; (sent, failed, more).

        A send not started by `deadline` (time.monotonic) is released for the next tick. A
        stop that cancels it mid-send records the sends that finished and releases the others'
        leases, so the next tick of any replica sends them again, same webhook-id.
        """
        claiming = asyncio.ensure_future(asyncio.to_thread(self._claim, DELIVERY_BATCH))
        try:
            claimed = await asyncio.shield(claiming)
        except asyncio.CancelledError:
            await asyncio.wait([claiming])
            if not claiming.cancelled() and claiming.exception() is None:
                await self._settle(claiming.result(), [])
            raise
        if not claimed:
            return 0, 0, False
        # Receivers check webhook-timestamp against their own clock: sign with the real time.
        signed_at = utcnow()
        # A bounded number in flight (httpx's pool slows down sharply with a long queue), and
        # fewer to any one host. A delivery waits for its host's turn before it takes one of
        # the shared places, so a slow receiver holds only its own.
        gate = asyncio.Semaphore(IN_FLIGHT)
        hosts: dict[str, asyncio.Semaphore] = {}

        async def send(c: delivery.Claimed) -> DeliveryResult | None:
            host = hosts.setdefault(urlsplit(c.url).netloc, asyncio.Semaphore(IN_FLIGHT_PER_HOST))
            async with host, gate:
                if time.monotonic() >= deadline:
                    return None
                outgoing = Outgoing(c.url, c.secret, c.msg_id, signed_at, c.body)
                return await deliver(
                    self.client, outgoing, allow_private=self.allow_private, now=signed_at
                )

        sends = [asyncio.ensure_future(send(c)) for c in claimed]
        try:
            results = await asyncio.gather(*sends)
        except asyncio.CancelledError:
            # gather has cancelled the sends still running and waited for them to end.
            finished: list[Sent] = []
            for c, task in zip(claimed, sends, strict=True):
                if task.done() and not task.cancelled() and task.exception() is None:
                    result = task.result()
                    if result is not None:
                        finished.append((c, result))
            await self._settle(claimed, finished)
            raise
        pairs = [(c, r) for c, r in zip(claimed, results, strict=True) if r is not None]
        unsent = [c for c, r in zip(claimed, results, strict=True) if r is None]
        await in_thread(self._record_and_release, pairs, unsent)
        sent = sum(1 for _, r in pairs if r.succeeded)
        return sent, len(pairs) - sent, len(claimed) == DELIVERY_BATCH or bool(unsent)

    async def _settle(self, claimed: Sequence[delivery.Claimed], finished: list[Sent]) -> None:
        if not claimed:
            return
        done = {c.delivery_id for c, _ in finished}
        cut = [c for c in claimed if c.delivery_id not in done]
        await in_thread(self._record_and_release, finished, cut)
        if self.metrics:
            self.metrics.deliveries.labels(INTERRUPTED).inc(len(cut))
        if cut:
            log.warning(
                "stopping: %d webhook deliveries cut short, released to be sent again", len(cut)
            )

    def _claim(self, limit: int) -> list[delivery.Claimed]:
        with session_scope(self.session_factory) as session:
            return delivery.claim(session, now=self.clock(), limit=limit, lease=self.lease)

    def _record_and_release(self, pairs: list[Sent], cut: list[delivery.Claimed]) -> None:
        with session_scope(self.session_factory) as session:
            outcomes: Counter[delivery.Outcome] = Counter()
            if pairs:
                outcomes = delivery.record(session, pairs, now=self.clock(), rng=self.rng)
            delivery.release(session, cut)
        if self.metrics:
            self.metrics.delivered(outcomes, [result.duration_ms for _, result in pairs])
