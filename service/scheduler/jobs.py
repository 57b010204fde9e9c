"""The tick: recompute stale plans, turn due follow-ups into events, deliver webhooks."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import Session, sessionmaker

from service.db.session import session_scope
from service.domain.delivery import DeliveryResult
from service.scheduler.dispatcher import IN_FLIGHT, IN_FLIGHT_PER_HOST, Outgoing, deliver
from service.services import delivery, scheduling

log = logging.getLogger("keepwarm.scheduler")
BATCH = 500
DELIVERY_BATCH = 200


def utcnow() -> datetime:
    """The scheduler's clock."""
    return datetime.now(UTC)


@dataclass
class TickReport:
    recomputed: int = 0
    due: int = 0
    delivered: int = 0
    failed: int = 0


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
    ) -> None:
        self.session_factory = session_factory
        self.client = client
        self.allow_private = allow_private
        self.clock = clock
        self.rng = rng or random.Random()
        self.lease = lease

    async def tick(self) -> TickReport:
        """One pass of every duty; each database step is its own transaction."""
        report = TickReport()
        report.recomputed = await asyncio.to_thread(self._drain, scheduling.recompute_stale)
        report.due = await asyncio.to_thread(self._drain, scheduling.mark_due)
        while True:
            sent, failed, more = await self.deliver_batch()
            report.delivered += sent
            report.failed += failed
            if not more:
                break
        await asyncio.to_thread(self._in_transaction, scheduling.purge)
        if report.due or report.delivered or report.failed or report.recomputed:
            log.info("tick: %s", report)
        return report

    def _in_transaction(self, step: Callable[..., int], **kwargs: object) -> int:
        with session_scope(self.session_factory) as session:
            return step(session, now=self.clock(), **kwargs)

    def _drain(self, step: Callable[..., int]) -> int:
        total = 0
        while True:
            done = self._in_transaction(step, limit=BATCH)
            total += done
            if done < BATCH:
                return total

    async def deliver_batch(self) -> tuple[int, int, bool]:
        """Claim, send concurrently outside any transaction, record; (sent, failed, more)."""
        claimed = await asyncio.to_thread(self._claim, DELIVERY_BATCH)
        if not claimed:
            return 0, 0, False
        # Receivers check webhook-timestamp against their own clock: sign with the real time.
        signed_at = utcnow()
        # A bounded number in flight (httpx's pool slows down sharply with a long queue), and
        # fewer to any one host. A delivery waits for its host's turn before it takes one of
        # the shared places, so a slow receiver holds only its own.
        gate = asyncio.Semaphore(IN_FLIGHT)
        hosts: dict[str, asyncio.Semaphore] = {}

        async def send(c: delivery.Claimed) -> DeliveryResult:
            host = hosts.setdefault(urlsplit(c.url).netloc, asyncio.Semaphore(IN_FLIGHT_PER_HOST))
            async with host, gate:
                outgoing = Outgoing(c.url, c.secret, c.msg_id, signed_at, c.body)
                return await deliver(
                    self.client, outgoing, allow_private=self.allow_private, now=signed_at
                )

        results = await asyncio.gather(*(send(c) for c in claimed))
        pairs = list(zip(claimed, results, strict=True))
        await asyncio.to_thread(self._record, pairs)
        sent = sum(1 for r in results if r.succeeded)
        return sent, len(results) - sent, len(claimed) == DELIVERY_BATCH

    def _claim(self, limit: int) -> list[delivery.Claimed]:
        with session_scope(self.session_factory) as session:
            return delivery.claim(session, now=self.clock(), limit=limit, lease=self.lease)

    def _record(self, pairs: list[tuple[delivery.Claimed, DeliveryResult]]) -> None:
        with session_scope(self.session_factory) as session:
            delivery.record(session, pairs, now=self.clock(), rng=self.rng)
