"""APScheduler wiring: one interval job that runs the tick."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from service.scheduler.jobs import Ticker

log = logging.getLogger("keepwarm.scheduler")
JOB_ID = "keepwarm-tick"


def start_scheduler(ticker: Ticker, *, every_seconds: float) -> AsyncIOScheduler:
    """Start ticking in the running event loop (in-memory job store, one instance at a time)."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        _run,
        "interval",
        args=[ticker],
        id=JOB_ID,
        seconds=every_seconds,
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(UTC),
        misfire_grace_time=None,
    )
    scheduler.start()
    return scheduler


def wake(scheduler: AsyncIOScheduler) -> None:
    """Run the tick now (a ping or redelivery should not wait for the next interval)."""
    job = scheduler.get_job(JOB_ID)
    if job is not None:
        job.modify(next_run_time=datetime.now(UTC))


async def _run(ticker: Ticker) -> None:
    try:
        await ticker.tick()
    except Exception:
        # A failed tick (database restart, say) must not stop the schedule: log and go on.
        log.exception("tick failed; retrying at the next interval")
