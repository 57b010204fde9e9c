"""Mail: reminders queued and sent to a local relay, and messages logged by BCC, timed.

python -m bench.mail_bench [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import smtplib
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from service.config import Settings, Toggle
from service.db.migrate import upgrade
from service.main import create_app
from service.scheduler.listener import TouchHandler, start_listener
from service.scheduler.reminders import ReminderJob
from service.scheduler.smtp import SmtpServer
from service.services.mail.reminders import Sender

ACCOUNTS = 100
DOMAIN = "in.kw.example"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Relay:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


@contextmanager
def _listening(app: Any) -> Iterator[int]:
    port = _port()
    loop = asyncio.new_event_loop()
    handler = TouchHandler(app.state.session_factory, DOMAIN)
    server = loop.run_until_complete(start_listener(handler, "127.0.0.1", port))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.close()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def run(url: str) -> None:
    upgrade(url)
    settings = Settings(
        database_url=url, scheduler=Toggle.OFF, signup_per_client_per_hour=1_000_000
    )
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 5)) as client:
        accounts = []
        for i in range(ACCOUNTS):
            email = f"u{i}-{uuid.uuid4().hex[:6]}@example.com"
            made = client.post("/v1/accounts", json={"email": email, "password": "correct horse"})
            auth = {"Authorization": f"Bearer {made.json()['api_key']}"}
            client.patch(
                "/v1/settings", json={"preferred_hour": 0, "reminders": "daily"}, headers=auth
            )
            org = client.post(
                "/v1/organizations",
                json={"name": f"Org {i}", "rejected_on": "2026-11-02"},
                headers=auth,
            ).json()
            contact = {
                "organization_id": org["id"],
                "name": "Ann Lee",
                "role": "hiring_manager",
                "email": f"ann{i}@acme.example",
            }
            client.post("/v1/contacts", json=contact, headers=auth)
            accounts.append((email, auth))
        relay, port = _Relay(), _port()
        controller = Controller(relay, hostname="127.0.0.1", port=port)
        controller.start()
        at = datetime.now(UTC)
        sender = Sender("keepwarm <reminders@kw.example>", "https://kw.example")
        job = ReminderJob(
            app.state.session_factory,
            SmtpServer.from_url(f"smtp://127.0.0.1:{port}"),
            sender,
            clock=lambda: at,
        )
        started = time.perf_counter()
        while relay.count < ACCOUNTS:
            asyncio.run(job.run())
        sent = time.perf_counter() - started
        started = time.perf_counter()
        asyncio.run(job.run())
        idle = time.perf_counter() - started
        controller.stop()
        kind = url.split(":", 1)[0]
        print(
            f"{kind}: {ACCOUNTS} reminders queued and sent in {sent:.2f} s "
            f"({ACCOUNTS / sent:.0f}/s); a run with nothing owed: {idle * 1000:.0f} ms"
        )

        settings.mail_domain = DOMAIN
        times = []
        with _listening(app) as listen:
            for i, (email, auth) in enumerate(accounts[:50]):
                address = client.get("/v1/mail/logging-address", headers=auth).json()["address"]
                message = EmailMessage()
                message["From"], message["To"], message["Subject"] = (
                    email,
                    f"ann{i}@acme.example",
                    "Hi",
                )
                message.set_content("Hi Ann\n")
                started = time.perf_counter()
                with smtplib.SMTP("127.0.0.1", listen) as smtp:
                    smtp.sendmail(email, [address], message.as_bytes(policy=policy.SMTP))
                times.append(time.perf_counter() - started)
        times.sort()
        print(
            f"{kind}: a BCC'd message, connection to 250 (after the commit): median "
            f"{times[25] * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms of 50"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/mail.db")
    if args.postgres:
        from tests.pg import create_database, postgres_cluster

        with postgres_cluster() as server:
            run(create_database(server, "keepwarm_mail_bench"))


if __name__ == "__main__":
    main()
