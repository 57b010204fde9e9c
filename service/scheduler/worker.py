"""`keepwarm worker`: the scheduler alone, with /healthz, /readyz and /metrics, until a signal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from datetime import timedelta

import uvicorn

from service.config import Settings
from service.db.session import make_engine, make_session_factory
from service.scheduler.dispatcher import make_client
from service.scheduler.health import database_readiness, health_app
from service.scheduler.jobs import Ticker
from service.scheduler.mail import Mail, MailMetrics
from service.scheduler.metrics import SchedulerMetrics, process_registry
from service.scheduler.runner import start_scheduler, stop_scheduler

log = logging.getLogger("keepwarm.worker")
# The endpoints answer quickly; a probe still connected when the worker stops is cut off.
HTTP_STOP_SECONDS = 1


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the worker's stop ends the server too."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def run_worker(settings: Settings) -> None:
    """Tick every KEEPWARM_TICK_SECONDS and answer on KEEPWARM_WORKER_PORT until asked to stop."""
    engine = make_engine(settings.database_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    registry = process_registry()
    app = health_app(
        ready=database_readiness(engine, settings.database_url),
        registry=registry,
        metrics_token=settings.metrics_token,
    )
    server = _Server(
        uvicorn.Config(
            app,
            host=settings.host,
            port=settings.worker_port,
            lifespan="off",
            log_config=None,  # the process's logging, as configured by the command
            access_log=False,  # probes every few seconds would drown the scheduler's lines
            timeout_graceful_shutdown=HTTP_STOP_SECONDS,
        )
    )
    serving = asyncio.ensure_future(server.serve())
    try:
        while not server.started:
            if serving.done():
                serving.result()  # uvicorn logged why (a port in use, say) and exits
                raise RuntimeError(f"the worker could not listen on port {settings.worker_port}")
            await asyncio.sleep(0.01)
        async with make_client() as client:
            ticker = Ticker(
                make_session_factory(engine),
                client,
                allow_private=settings.webhook_allow_private,
                lease=timedelta(seconds=settings.delivery_lease_seconds),
                metrics=SchedulerMetrics(registry),
                retention=timedelta(days=settings.retention_days),
            )
            scheduler = start_scheduler(ticker, every_seconds=settings.tick_seconds)
            log.info("worker ticking every %s s", settings.tick_seconds)
            mail = Mail()
            await mail.start(settings, ticker.session_factory, MailMetrics(registry))
            await stop.wait()
            server.should_exit = True
            await mail.stop()
            await stop_scheduler(scheduler)
    finally:
        server.should_exit = True
        await serving
        engine.dispose()
