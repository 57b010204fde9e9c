"""APScheduler wiring: one interval job that runs the tick."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from service.scheduler.jobs import Ticker

log = logging.getLogger("keepwarm.scheduler")
JOB_ID = "keepwarm-tick"
# A container runtime kills a process 10 s after asking it to stop. A stop lets the running
# tick finish for this long (most sends take well under a second; the timeout is 15 s),
# then cancels it: the cancelled tick records what finished and releases the rest.
STOP_GRACE_SECONDS = 5.0
# How long a cancelled tick may take to record and release (one short transaction).
SETTLE_SECONDS = 2.0


# /healthz fails when no pass of the scheduler has finished for this many intervals.
LIVE_INTERVALS = 3


class Heartbeat:
    """When the scheduler last finished a pass: a tick (done or failed), or a wait."""

    def __init__(self, every_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = LIVE_INTERVALS * every_seconds
        self.clock = clock
        self.last = clock()

    def beat(self) -> None:
        self.last = self.clock()

    def silence(self) -> float:
        """Seconds since the last pass finished."""
        return self.clock() - self.last

    def alive(self) -> bool:
        """Whether a pass has finished within the last LIVE_INTERVALS intervals."""
        return self.silence() <= self.limit


class _Running:
    """The running tick, if any, so a stop can let it finish, or cancel it and wait."""

    def __init__(self, may_tick: Callable[[], bool] | None, heartbeat: Heartbeat | None) -> None:
        self.idle = asyncio.Event()
        self.idle.set()
        self.tick: asyncio.Task[object] | None = None
        self.stopping = False
        self.may_tick = may_tick
        self.heartbeat = heartbeat


def start_scheduler(
    ticker: Ticker,
    *,
    every_seconds: float,
    may_tick: Callable[[], bool] | None = None,
    heartbeat: Heartbeat | None = None,
) -> AsyncIOScheduler:
    """Start ticking in the running event loop (in-memory job store, one instance at a time).

    Each interval asks `may_tick` first (blocking, run in a thread): False skips the tick (it
    says why). `heartbeat` hears of every pass that finishes.
    """
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        _run,
        "interval",
        args=[ticker, _Running(may_tick, heartbeat)],
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


async def stop_scheduler(
    scheduler: AsyncIOScheduler,
    *,
    grace: float = STOP_GRACE_SECONDS,
    settle: float = SETTLE_SECONDS,
) -> None:
    """Stop ticking: start no new tick, let the running one finish (up to `grace`), else
    cancel it and give it `settle` seconds to record what it sent and release the rest."""
    if not scheduler.running:
        return
    job = scheduler.get_job(JOB_ID)
    scheduler.pause()
    if job is not None:
        running: _Running = job.args[1]
        running.stopping = True
        await asyncio.sleep(0)  # a tick submitted just before the pause starts, and returns
        if not await _idle_within(running, grace) and running.tick is not None:
            log.warning("the running tick did not finish within %s s; cancelling it", grace)
            running.tick.cancel()
            if not await _idle_within(running, settle):
                log.error("the cancelled tick did not settle within %s s", settle)
    # APScheduler's shutdown cancels a job still running; by now none should be.
    scheduler.shutdown(wait=False)


async def _idle_within(running: _Running, seconds: float) -> bool:
    try:
        await asyncio.wait_for(running.idle.wait(), seconds)
    except TimeoutError:
        return False
    return True


async def _run(ticker: Ticker, running: _Running) -> None:
    if running.stopping:
        return
    running.idle.clear()
    try:
        if running.may_tick is not None and not await asyncio.to_thread(running.may_tick):
            return
        if running.stopping:  # the stop came while the check ran: no new tick
            return
        # The tick runs as a task of its own, so a stop can cancel it without cancelling
        # this job (APScheduler would log that as a failure).
        tick = running.tick = asyncio.ensure_future(ticker.tick())
        try:
            await tick
        except asyncio.CancelledError:
            if not (running.stopping and tick.cancelled()):
                raise
            log.info("the tick was cancelled by the stop")
    except Exception:
        # A failed tick (database restart, say) must not stop the schedule: log and go on.
        log.exception("tick failed; retrying at the next interval")
    finally:
        running.tick = None
        running.idle.set()
        if running.heartbeat is not None:
            running.heartbeat.beat()
