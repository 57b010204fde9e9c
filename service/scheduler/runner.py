"""APScheduler wiring: one interval job that runs the tick."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from service.scheduler.jobs import Ticker

log = logging.getLogger("keepwarm.scheduler")
JOB_ID = "keepwarm-tick"
# How long a stop waits for the running tick (its sends time out after 15 s each) to finish.
STOP_GRACE_SECONDS = 20.0


class _Running:
    """Whether a tick is running, so a stop can let it finish instead of cancelling it."""

    def __init__(self) -> None:
        self.idle = asyncio.Event()
        self.idle.set()


def start_scheduler(ticker: Ticker, *, every_seconds: float) -> AsyncIOScheduler:
    """Start ticking in the running event loop (in-memory job store, one instance at a time)."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        _run,
        "interval",
        args=[ticker, _Running()],
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


async def stop_scheduler(scheduler: AsyncIOScheduler, *, grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop ticking: start no new tick, let the running one finish (up to `grace`), shut down.

    APScheduler's shutdown cancels a running coroutine job; cancelled between a send and its
    record, a delivery the receiver already has would be sent again once its lease expires.
    """
    if not scheduler.running:
        return
    job = scheduler.get_job(JOB_ID)
    scheduler.pause()
    if job is not None:
        running: _Running = job.args[1]
        await asyncio.sleep(0)  # a tick submitted just before the pause starts now
        try:
            await asyncio.wait_for(running.idle.wait(), grace)
        except TimeoutError:
            log.warning("the running tick did not finish within %s s; cancelling it", grace)
    scheduler.shutdown(wait=False)


async def _run(ticker: Ticker, running: _Running) -> None:
    running.idle.clear()
    try:
        await ticker.tick()
    except Exception:
        # A failed tick (database restart, say) must not stop the schedule: log and go on.
        log.exception("tick failed; retrying at the next interval")
    finally:
        running.idle.set()
