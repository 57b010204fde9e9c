"""serve with its scheduler runs both directions, reminders out and touches in; /metrics counts."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.config import Settings, Toggle
from service.main import create_app
from tests.conftest import LOOPBACK, User, acme_and_ann, eventually, wipe
from tests.mail.conftest import DOMAIN, PUBLIC_URL, Relay
from tests.scheduler.seeding import free_port


@pytest.fixture
def serving(database_url: str, relay: tuple[Relay, object]) -> Iterator[tuple[TestClient, int]]:
    _, server = relay
    port = free_port()
    settings = Settings(
        database_url=database_url,
        tick_seconds=0.3,
        smtp_url=f"smtp://{server.host}:{server.port}",  # type: ignore[attr-defined]
        mail_from="keepwarm <reminders@kw.example>",
        public_url=PUBLIC_URL,
        mail_listen=f"127.0.0.1:{port}",
        mail_domain=DOMAIN,
        scheduler=Toggle.ON,
    )
    app: FastAPI = create_app(settings)
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        wipe(app.state.engine)
        yield client, port
    wipe(app.state.engine)


def test_serve_with_the_scheduler_sends_reminders_and_logs_touches(
    serving: tuple[TestClient, int], relay: tuple[Relay, object]
) -> None:
    client, port = serving
    inbox, _ = relay
    user = User(client, "sam@example.com")
    # A GET that creates the address on first use: on SQLite, a write the tick made since the
    # read began refuses its lock upgrade (503 with Retry-After, as for the calendar token).
    addresses: list[str] = []
    eventually(
        lambda: (
            (r := user.get("/v1/mail/logging-address")).is_success
            and addresses.append(r.json()["address"]) is None
        )
    )
    # The action first, then reminders on: a tick that decides the day between the two would
    # settle it with nothing due (no email, and none owed again until tomorrow).
    acme_and_ann(user, phone=None)
    # Preferred hour 0: the day's reminder is owed whatever the time now.
    assert user.patch("/v1/settings", json={"preferred_hour": 0, "reminders": "daily"}).is_success

    eventually(lambda: len(inbox.messages) == 1, seconds=20)
    ((envelope, _),) = inbox.messages
    assert envelope.rcpt_tos == ["sam@example.com"]

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "sam@example.com", "ann@acme.example", "Hi"
    message.set_content("Hi Ann\n")
    (address,) = addresses
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(message, to_addrs=[address])
    assert len(user.get("/v1/attempts").json()["data"]) == 1

    # The message is in the inbox before the job has recorded it as sent (and counted it).
    sent = 'keepwarm_mail_reminders_total{outcome="sent"} 1.0'
    eventually(lambda: sent in client.get("/metrics").text, seconds=20)
    metrics = client.get("/metrics").text
    assert 'keepwarm_mail_received_total{outcome="logged"} 1.0' in metrics
