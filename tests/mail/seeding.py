"""A row in every mail table of an account, made by the services the listener and job call."""

from __future__ import annotations

import uuid
from datetime import datetime
from email.message import EmailMessage

from fastapi import FastAPI

from service.db.session import session_scope
from service.domain.touches import read
from service.services.mail import reminders, touches
from tests.conftest import User


def fill_mail(app: FastAPI, user: User, contact_email: str, now: datetime) -> None:
    """Its logging address, a reminder owed now, and a logged message's key."""
    app.state.settings.mail_domain = "in.kw.example"
    try:
        assert user.get("/v1/mail/logging-address").json()["address"]
    finally:
        app.state.settings.mail_domain = None
    patched = user.patch("/v1/settings", json={"reminders": "daily", "preferred_hour": 0})
    assert patched.status_code == 200
    account_id = uuid.UUID(user.get("/v1/me").json()["id"])
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = user.email, contact_email, "Hello"
    message["Message-ID"] = f"<{account_id}@home.example>"
    message.set_content("Hi\n")
    sender = reminders.Sender("keepwarm <reminders@kw.example>", "https://kw.example")
    with session_scope(app.state.session_factory) as session:
        reminders.enqueue(session, now=now, sender=sender, limit=100)
        logged = touches.log_received(session, account_id, read(message.as_bytes()), now=now)
        assert logged == touches.Logged.LOGGED
