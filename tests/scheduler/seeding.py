"""Helpers for the process-level scheduler tests: seed through the services, run real workers.

The data goes in through the same service functions the API uses (so every row, event and
delivery is what production would write), and the workers are real `keepwarm worker`
processes started with this interpreter, each logging to a file.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from standardwebhooks.webhooks import Webhook

from service.db.cadence import NextAction
from service.db.migrate import upgrade
from service.db.outbox import Delivery, DeliveryAttempt, DeliveryState, Event
from service.db.session import make_engine, make_session_factory, session_scope
from service.domain.model import ActionState
from service.services.accounts import access
from service.services.outbox import webhooks
from service.services.outbox.delivery import message_id
from service.services.records import contacts, organizations
from tests import receiver as receiver_module
from tests.conftest import PASSWORD
from tests.receiver import Recorded

# Rejected a month ago, recorded that afternoon: the first touch fell due weeks ago.
REJECTED_ON = date.today() - timedelta(days=30)
RECORDED_AT = datetime.combine(REJECTED_ON, clock_time(15, 0), tzinfo=UTC)
READY_LINE = "worker ticking every"
REPORT = re.compile(
    r"tick: TickReport\(recomputed=(\d+), due=(\d+), delivered=(\d+), failed=(\d+)\)"
)


class Seeder:
    """One account with one webhook endpoint (followup.due only) on a migrated database."""

    def __init__(self, url: str, receiver_url: str) -> None:
        upgrade(url)
        self.url = url
        self.engine: Engine = make_engine(url)
        self.sessions: sessionmaker[Session] = make_session_factory(engine=self.engine)
        self.added = 0
        with session_scope(self.sessions) as session:
            account, _ = access.sign_up(
                session,
                email=f"load-{uuid.uuid4().hex[:8]}@example.com",
                password=PASSWORD,
                now=RECORDED_AT,
            )
            endpoint = webhooks.create_endpoint(
                session,
                account.id,
                {"url": receiver_url, "events": ["followup.due"], "description": "load test"},
                now=RECORDED_AT,
            )
            self.account_id = account.id
            self.endpoint_id = endpoint.id
            self.secret = endpoint.secret

    def add_due(self, count: int) -> None:
        """Record `count` organizations that said No, each with a hiring manager; one commit."""
        with session_scope(self.sessions) as session:
            for _ in range(count):
                self.added += 1
                organization = organizations.create_organization(
                    session,
                    self.account_id,
                    {"name": f"Company {self.added:04d}", "rejected_on": REJECTED_ON},
                    now=RECORDED_AT,
                )
                contacts.create_contact(
                    session,
                    self.account_id,
                    {
                        "organization_id": organization.id,
                        "name": f"Manager {self.added:04d}",
                        "role": "hiring_manager",
                        "email": f"manager{self.added}@company{self.added}.example",
                    },
                    now=RECORDED_AT,
                )

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@dataclass(frozen=True)
class Outbox:
    """What the database holds about the seeded account's follow-ups and webhooks."""

    actions: list[NextAction]
    events: list[Event]
    deliveries: list[Delivery]
    attempts: list[DeliveryAttempt]

    @property
    def due_events(self) -> list[Event]:
        return [e for e in self.events if e.type == "followup.due"]

    @property
    def msg_ids(self) -> dict[str, Event]:
        """followup.due events by their webhook-id."""
        return {message_id(e.id): e for e in self.due_events}

    def attempts_per_delivery(self) -> Counter[uuid.UUID]:
        return Counter(a.delivery_id for a in self.attempts)

    def failures(self) -> list[tuple[int, int | None, str | None, int]]:
        """(attempt, status, error, duration_ms) of every attempt that did not get a 2xx."""
        return [
            (a.attempt, a.status_code, a.error, a.duration_ms)
            for a in self.attempts
            if a.status_code is None or not 200 <= a.status_code < 300
        ]


def read_outbox(seeder: Seeder) -> Outbox:
    with seeder.session() as session:
        account = seeder.account_id
        return Outbox(
            actions=list(
                session.scalars(select(NextAction).where(NextAction.account_id == account))
            ),
            events=list(session.scalars(select(Event).where(Event.account_id == account))),
            deliveries=list(
                session.scalars(select(Delivery).where(Delivery.account_id == account))
            ),
            attempts=list(
                session.scalars(
                    select(DeliveryAttempt).where(DeliveryAttempt.account_id == account)
                )
            ),
        )


def count_open(seeder: Seeder) -> tuple[int, int, int]:
    """(actions still scheduled, followup.due events, deliveries succeeded)."""
    with seeder.session() as session:
        account = seeder.account_id
        scheduled = session.scalar(
            select(func.count())
            .select_from(NextAction)
            .where(NextAction.account_id == account, NextAction.state == ActionState.SCHEDULED)
        )
        due = session.scalar(
            select(func.count())
            .select_from(Event)
            .where(Event.account_id == account, Event.type == "followup.due")
        )
        succeeded = session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.account_id == account, Delivery.state == DeliveryState.SUCCEEDED)
        )
        return int(scheduled or 0), int(due or 0), int(succeeded or 0)


def wide_backlog(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give the receiver a real listen backlog: socketserver's default of 5 drops connections
    when a worker opens a hundred at once, and the retries that follow would hide duplicates."""
    monkeypatch.setattr(receiver_module._Server, "request_queue_size", 512)


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not after {timeout} s")
        time.sleep(0.05)


def split_complete(requests: list[Recorded]) -> tuple[list[Recorded], list[Recorded]]:
    """(complete requests, requests cut short by a dying client).

    The test receiver records a request even when its client dies between the headers and
    the body; a real server would discard it, so those are no delivery at all.
    """
    complete, cut = [], []
    for request in requests:
        whole = len(request.body) == int(request.headers.get("content-length") or 0)
        (complete if whole else cut).append(request)
    return complete, cut


def verify_all(requests: list[Recorded], secret: str) -> list[dict[str, Any]]:
    """Every request's Standard Webhooks signature checks out; return the payloads."""
    hook = Webhook(secret)
    return [hook.verify(r.body, r.headers) for r in requests]


def free_port() -> int:
    """A TCP port nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Worker:
    """A `keepwarm worker` process; its stdout and stderr go to a log file.

    Each listens on a port of its own (`port`) for /healthz, /readyz and /metrics.
    """

    def __init__(self, url: str, log_path: Path, **settings: str) -> None:
        self.port = int(settings.pop("worker_port", None) or free_port())
        env = {
            **os.environ,
            "KEEPWARM_DATABASE_URL": url,
            "KEEPWARM_TICK_SECONDS": "0.2",
            "KEEPWARM_WEBHOOK_ALLOW_PRIVATE": "true",
            "KEEPWARM_LOG_LEVEL": "INFO",
            "KEEPWARM_WORKER_PORT": str(self.port),
            **{f"KEEPWARM_{k.upper()}": v for k, v in settings.items()},
        }
        self.log_path = log_path
        self._log: IO[bytes] = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "worker"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 30.0) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.log}")
            return READY_LINE in self.log

        wait_until(ready, timeout=timeout, what=f"worker {self.process.pid} ready")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Send a signal and wait for the exit; return the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout)
        finally:
            self.close()
        return code

    def close(self) -> None:
        """Kill the process if still running (a failed test), reap it, close the log."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._log.close()

    def reports(self) -> list[tuple[int, int, int, int]]:
        """The (recomputed, due, delivered, failed) of each tick that did something."""
        return [(int(a), int(b), int(c), int(d)) for a, b, c, d in REPORT.findall(self.log)]


@contextlib.contextmanager
def workers(url: str, tmp_path: Path, count: int, **settings: str) -> Iterator[list[Worker]]:
    """Start `count` workers; whatever happens, none outlives the block."""
    started: list[Worker] = []
    tmp_path.mkdir(parents=True, exist_ok=True)
    try:
        for n in range(count):
            started.append(Worker(url, tmp_path / f"worker-{n}.log", **settings))
        yield started
    finally:
        for worker in started:
            worker.close()
