"""Real SMTP over loopback: an aiosmtpd Controller as the relay, keepwarm's own listener."""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from sqlalchemy.orm import Session, sessionmaker

from service.scheduler.listener import TouchHandler, start_listener
from service.scheduler.mail import MailMetrics
from service.scheduler.reminders import ReminderJob
from service.scheduler.smtp import SmtpServer
from service.services.mail.outbox import SendOutcome
from service.services.mail.reminders import Sender
from tests.conftest import User, acme_and_ann
from tests.scheduler.seeding import free_port

PUBLIC_URL = "https://kw.example"
SENDER = Sender("keepwarm <reminders@kw.example>", PUBLIC_URL)
DOMAIN = "in.kw.example"


class Relay:
    """An SMTP server that keeps what it accepts; it answers DATA with queued refusals first."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, EmailMessage]] = []
        self.refusals: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        with self.lock:
            if self.refusals:
                return self.refusals.pop(0)
            parsed = message_from_bytes(envelope.original_content or b"", policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            self.messages.append((envelope, parsed))
        return "250 OK"


@pytest.fixture
def relay() -> Iterator[tuple[Relay, SmtpServer]]:
    handler = Relay()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, SmtpServer.from_url(f"smtp://127.0.0.1:{port}")
    finally:
        controller.stop()


class Reminding:
    """Runs the reminder job at a given moment, as a replica would."""

    def __init__(self, factory: sessionmaker[Session], server: SmtpServer) -> None:
        self.registry = CollectorRegistry()
        self.metrics = MailMetrics(self.registry)
        self.factory = factory
        self.server = server

    def job(self, at: datetime, factory: sessionmaker[Session] | None = None) -> ReminderJob:
        return ReminderJob(
            factory or self.factory,
            self.server,
            SENDER,
            clock=lambda: at,
            rng=random.Random(3),
            count=lambda outcome: self.metrics.reminders.labels(outcome.value).inc(),
        )

    def run(self, at: datetime) -> dict[SendOutcome, int]:
        return dict(asyncio.run(self.job(at).run()))

    def counted(self, outcome: str) -> float:
        value = self.registry.get_sample_value(
            "keepwarm_mail_reminders_total", {"outcome": outcome}
        )
        return value or 0.0


@pytest.fixture
def reminding(app: FastAPI, relay: tuple[Relay, SmtpServer]) -> Reminding:
    return Reminding(app.state.session_factory, relay[1])


def with_an_email_action(user: User, **settings: Any) -> dict[str, Any]:
    """Settings changed, then Acme and Ann (email only); the open action, which is an email."""
    response = user.patch("/v1/settings", json=settings)
    assert response.status_code == 200, response.text
    _, ann = acme_and_ann(user, phone=None)
    (action,) = user.get("/v1/next-actions").json()["data"]
    assert action["channel"] == "email" and action["contact_id"] == ann["id"]
    return action


class Listener:
    """keepwarm's SMTP listener in a thread of its own, on a loopback port."""

    def __init__(self, factory: sessionmaker[Session], clock: Callable[[], datetime]) -> None:
        self.registry = CollectorRegistry()
        self.metrics = MailMetrics(self.registry)
        self.handler = TouchHandler(
            factory,
            DOMAIN,
            clock=clock,
            count=lambda outcome: self.metrics.received.labels(outcome).inc(),
        )
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.server = self.loop.run_until_complete(
            start_listener(self.handler, "127.0.0.1", self.port)
        )
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def counted(self, outcome: str) -> float:
        value = self.registry.get_sample_value("keepwarm_mail_received_total", {"outcome": outcome})
        return value or 0.0

    def close(self) -> None:
        self.server.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture
def listener(app: FastAPI) -> Iterator[Listener]:
    app.state.settings.mail_domain = DOMAIN
    running = Listener(app.state.session_factory, lambda: app.state.clock())
    try:
        yield running
    finally:
        running.close()
        app.state.settings.mail_domain = None
