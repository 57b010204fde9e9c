"""Webhook delivery rate from one process to a local receiver."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from prometheus_client import CollectorRegistry
from sqlalchemy import func, insert, select

from bench.servers import uvicorn_server
from service.db.migrate import upgrade
from service.db.models import Account
from service.db.outbox import Delivery, DeliveryState, Event, WebhookEndpoint
from service.db.session import make_engine, make_session_factory
from service.domain.tokens import new_secret
from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker
from service.scheduler.metrics import SchedulerMetrics
from service.services.outbox.events import pending_delivery


def _seed(url: str, target: str, count: int) -> None:
    upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    account_id, endpoint_id = uuid.uuid4(), uuid.uuid4()
    events = [
        {
            "id": uuid.uuid4(),
            "account_id": account_id,
            "type": "followup.due",
            "dedupe_key": None,
            "created_at": now,
            "payload": {
                "type": "followup.due",
                "timestamp": now.isoformat(),
                "data": {"n": n, "text": "x" * 800},
            },
        }
        for n in range(count)
    ]
    with engine.begin() as conn:
        conn.execute(
            insert(Account),
            [
                {
                    "id": account_id,
                    "email": f"{account_id}@example.com",
                    "password_hash": "x",
                    "created_at": now,
                }
            ],
        )
        conn.execute(
            insert(WebhookEndpoint),
            [
                {
                    "id": endpoint_id,
                    "account_id": account_id,
                    "url": target,
                    "events": [],
                    "description": None,
                    "enabled": True,
                    "disabled_reason": None,
                    "secret": new_secret(),
                    "failing_since": None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
        conn.execute(insert(Event), events)
        conn.execute(
            insert(Delivery),
            [pending_delivery(account_id, e["id"], endpoint_id, now) for e in events],
        )
    engine.dispose()


def run(url: str, *, count: int, workdir: Path) -> float:
    """Deliveries per second (every one acknowledged) over `count` pending deliveries."""
    with uvicorn_server("bench.hello:create_receiver", {}, workdir / "receiver.log") as (base, _):
        _seed(url, f"{base}/hook", count)
        engine = make_engine(url)

        async def go() -> float:
            async with make_client() as client:
                # As in production: the scheduler's metrics are recorded.
                metrics = SchedulerMetrics(CollectorRegistry())
                ticker = Ticker(
                    make_session_factory(engine), client, allow_private=True, metrics=metrics
                )
                started = time.perf_counter()
                sent = 0
                while True:
                    ok, failed, more = await ticker.deliver_batch()
                    sent += ok
                    if failed:
                        raise RuntimeError(f"{failed} deliveries failed")
                    if not more:
                        break
                return sent / (time.perf_counter() - started)

        try:
            rate = asyncio.run(go())
            with engine.connect() as conn:
                done = conn.scalar(
                    select(func.count()).where(Delivery.state == DeliveryState.SUCCEEDED)
                )
            if done != count:
                raise RuntimeError(f"only {done} of {count} deliveries succeeded")
            return rate
        finally:
            engine.dispose()
