"""Mail in the worker (or serve with the scheduler): the reminder job and the listener."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from prometheus_client import CollectorRegistry, Counter
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from service.config import Settings
from service.db.session import session_scope
from service.scheduler.jobs import in_thread
from service.scheduler.listener import TouchHandler, start_listener
from service.scheduler.reminders import ReminderJob
from service.scheduler.smtp import SmtpServer
from service.services.mail.outbox import SendOutcome
from service.services.mail.reminders import Sender
from service.services.mail.retention import purge
from service.services.mail.touches import Logged

log = logging.getLogger("keepwarm.mail")
JOB_ID = "keepwarm-reminders"
PURGE_JOB_ID = "keepwarm-mail-retention"
PURGE_EVERY_SECONDS = 3600.0
PURGE_BATCH = 500
EVERY_SECONDS = 60.0
# A stop lets a running send finish for this long (one message), then leaves it.
STOP_GRACE_SECONDS = 5.0


class MailMetrics:
    """The mail series, in the registry given."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.reminders = Counter(
            "keepwarm_mail_reminders",
            "Reminder emails by outcome (sent, retrying, failed, uncertain, cancelled, lost).",
            ["outcome"],
            registry=registry,
        )
        self.received = Counter(
            "keepwarm_mail_received",
            "Messages at the logging addresses by outcome (logged, duplicate, unmatched, refused).",
            ["outcome"],
            registry=registry,
        )
        for outcome in SendOutcome:
            self.reminders.labels(outcome.value)
        for name in (*(logged.value for logged in Logged), "refused"):
            self.received.labels(name)


class Mail:
    """Starts what the settings ask for; stops it."""

    def __init__(self) -> None:
        self.scheduler: AsyncIOScheduler | None = None
        self.job: ReminderJob | None = None
        self.server: asyncio.Server | None = None
        self.running: asyncio.Task[object] | None = None
        self.stopping = False

    async def start(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        metrics: MailMetrics | None,
    ) -> None:
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        if settings.smtp_url:
            if not settings.sends_reminders():
                log.warning(
                    "KEEPWARM_SMTP_URL is set, but reminders also need KEEPWARM_MAIL_FROM and "
                    "KEEPWARM_PUBLIC_URL (for their links): no reminders are sent"
                )
            else:
                self._start_reminders(settings, session_factory, metrics)
        if settings.mail_listen and settings.mail_domain:
            host, _, port = settings.mail_listen.rpartition(":")
            handler = TouchHandler(
                session_factory,
                settings.mail_domain,
                count=(lambda o: metrics.received.labels(o).inc()) if metrics else None,
            )
            try:
                self.server = await start_listener(handler, host.strip("[]"), int(port))
            except OSError as exc:
                raise RuntimeError(
                    f"KEEPWARM_MAIL_LISTEN: cannot listen on {settings.mail_listen}: {exc}"
                ) from None
            log.info(
                "receiving touches by BCC on %s for @%s", settings.mail_listen, settings.mail_domain
            )
        elif settings.mail_listen:
            log.warning("KEEPWARM_MAIL_LISTEN is set without KEEPWARM_MAIL_DOMAIN: no listener")
        if self.job is not None or self.server is not None:
            retention = timedelta(days=settings.retention_days)
            self.scheduler.add_job(
                self._purge,
                "interval",
                args=[session_factory, retention],
                id=PURGE_JOB_ID,
                seconds=PURGE_EVERY_SECONDS,
                coalesce=True,
                max_instances=1,
                next_run_time=datetime.now(UTC) + timedelta(seconds=5),
            )
            self.scheduler.start()

    async def _purge(self, session_factory: sessionmaker[Session], retention: timedelta) -> None:
        def batch() -> int:
            with session_scope(session_factory) as session:
                before = datetime.now(UTC) - retention
                return purge(session, before=before, limit=PURGE_BATCH)

        try:
            purged = 0
            while (done := await in_thread(batch)) and not self.stopping:
                purged += done
                if done < PURGE_BATCH:
                    break
        except SQLAlchemyError as exc:
            log.warning("mail retention: a purge failed, resuming next hour: %s", exc)
            return
        if purged:
            log.info("mail retention: purged %d reminders and logged-message keys", purged)

    def _start_reminders(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        metrics: MailMetrics | None,
    ) -> None:
        assert settings.smtp_url and settings.mail_from and settings.public_url
        self.job = ReminderJob(
            session_factory,
            SmtpServer.from_url(settings.smtp_url),
            Sender(settings.mail_from, settings.public_url),
            count=(lambda o: metrics.reminders.labels(o.value).inc()) if metrics else None,
        )
        assert self.scheduler is not None
        self.scheduler.add_job(
            self._run,
            "interval",
            id=JOB_ID,
            seconds=min(EVERY_SECONDS, settings.tick_seconds),
            coalesce=True,
            max_instances=1,
            next_run_time=datetime.now(UTC) + timedelta(seconds=1),
            misfire_grace_time=None,
        )
        log.info("daily reminders through %s", SmtpServer.from_url(settings.smtp_url).host)

    async def _run(self) -> None:
        assert self.job is not None
        self.running = asyncio.ensure_future(self.job.run())
        try:
            await self.running
        except asyncio.CancelledError:
            log.info("the reminder run was cancelled by the stop")
        except Exception:
            log.exception("the reminder run failed; retrying at the next interval")
        finally:
            self.running = None

    async def stop(self) -> None:
        """Stop listening and sending: a send under way may finish within the grace."""
        if self.server is not None:
            self.server.close()
            # Python 3.12 waits here for open connections too: a slow client is left behind.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.server.wait_closed(), STOP_GRACE_SECONDS)
        self.stopping = True
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.pause()
            if self.job is not None:
                self.job.stopping = True
            running = self.running
            if running is not None:
                await asyncio.wait([running], timeout=STOP_GRACE_SECONDS)
                if not running.done():
                    running.cancel()
                    await asyncio.wait([running])
            self.scheduler.shutdown(wait=False)
