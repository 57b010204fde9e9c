"""`keepwarm worker`: the scheduler alone, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

from service.config import Settings
from service.db.session import make_engine, make_session_factory
from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker
from service.scheduler.runner import start_scheduler, stop_scheduler

log = logging.getLogger("keepwarm.worker")


async def run_worker(settings: Settings) -> None:
    """Tick every KEEPWARM_TICK_SECONDS until asked to stop."""
    engine = make_engine(settings.database_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with make_client() as client:
            ticker = Ticker(
                make_session_factory(engine),
                client,
                allow_private=settings.webhook_allow_private,
                lease=timedelta(seconds=settings.delivery_lease_seconds),
            )
            scheduler = start_scheduler(ticker, every_seconds=settings.tick_seconds)
            log.info("worker ticking every %s s", settings.tick_seconds)
            await stop.wait()
            await stop_scheduler(scheduler)
    finally:
        engine.dispose()
