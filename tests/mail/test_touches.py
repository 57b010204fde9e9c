"""Touches by BCC over real SMTP: keepwarm's own listener logs what the messages show."""

from __future__ import annotations

import smtplib
import sqlite3
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

import pytest
from fastapi import FastAPI

from tests.conftest import Clock, User, acme_and_ann
from tests.mail.conftest import DOMAIN, Listener, with_an_email_action


def logging_address(user: User) -> str:
    response = user.get("/v1/mail/logging-address")
    assert response.status_code == 200, response.text
    address: str = response.json()["address"]
    assert address.startswith("log-") and address.endswith("@" + DOMAIN)
    return address


def email(
    to: str,
    *,
    sender: str = "ada@home.example",
    subject: str = "Congratulations on the launch",
    sent_at: datetime | None = None,
    message_id: str | None = None,
    cc: str | None = None,
    body: str = "Hi Ann, I saw the launch: how is the team finding it?\n",
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at) if sent_at else None
    message["Message-ID"] = message_id or make_msgid(domain="home.example")
    message.set_content(body)
    return message


def deliver(listener: Listener, recipients: list[str], message: EmailMessage | bytes) -> None:
    """Send as a mail client's SMTP would (smtplib raises on any refusal)."""
    raw = message if isinstance(message, bytes) else message.as_bytes(policy=policy.SMTP)
    with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as smtp:
        smtp.sendmail("ada@home.example", recipients, raw)


def attempts(user: User) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = user.get("/v1/attempts").json()["data"]
    return data


def test_a_bccd_message_logs_one_attempt_and_fulfils_the_open_email_action(
    user: User, clock: Clock, listener: Listener
) -> None:
    action = with_an_email_action(user)
    due = datetime.fromisoformat(action["due_at"])
    clock.set(due + timedelta(hours=2))
    sent_at = due + timedelta(hours=1)
    message = email("Ann Lee <Ann@Acme.example>", sent_at=sent_at)

    deliver(listener, [logging_address(user)], message)

    # DATA was answered after the commit: the attempt is there as soon as smtplib returns.
    (attempt,) = attempts(user)
    assert (attempt["channel"], attempt["direction"], attempt["outcome"]) == (
        "email",
        "outbound",
        "sent",
    )
    assert attempt["contact_id"] == action["contact_id"]
    assert datetime.fromisoformat(attempt["occurred_at"]) == sent_at
    assert attempt["notes"] == "Congratulations on the launch"
    assert attempt["next_action_id"] == action["id"]
    assert user.get(f"/v1/next-actions/{action['id']}").json()["state"] == "done"
    (following,) = user.get("/v1/next-actions").json()["data"]
    assert following["id"] != action["id"]
    assert listener.counted("logged") == 1


def test_the_same_message_id_twice_logs_one(user: User, clock: Clock, listener: Listener) -> None:
    with_an_email_action(user)
    message = email("ann@acme.example")
    address = logging_address(user)

    deliver(listener, [address], message)
    deliver(listener, [address], message)

    assert len(attempts(user)) == 1
    assert (listener.counted("logged"), listener.counted("duplicate")) == (1, 1)


def test_an_unknown_token_is_refused_550(user: User, listener: Listener) -> None:
    with_an_email_action(user)
    old = logging_address(user)
    new = user.post("/v1/mail/logging-address/rotate").json()["address"]
    assert new != old and logging_address(user) == new

    for refused in (old, f"log-nosuchtoken@{DOMAIN}", "someone@elsewhere.example"):
        with pytest.raises(smtplib.SMTPRecipientsRefused) as caught:
            deliver(listener, [refused], email("ann@acme.example"))
        ((code, _),) = caught.value.recipients.values()
        assert code == 550
    assert attempts(user) == []


def test_a_2_mib_message_is_refused(user: User, listener: Listener) -> None:
    with_an_email_action(user)
    message = email("ann@acme.example", body="x" * 70 + "\n")
    message.add_attachment(b"\0" * (2 * 1024 * 1024), maintype="application", subtype="zip")

    with pytest.raises(smtplib.SMTPException) as caught:
        deliver(listener, [logging_address(user)], message)

    assert "552" in str(caught.value)
    assert attempts(user) == []


def test_more_than_50_recipients_are_refused(user: User, listener: Listener) -> None:
    with_an_email_action(user)
    crowd = ", ".join(f"p{n}@crowd.example" for n in range(51))

    with pytest.raises(smtplib.SMTPDataError) as caught:
        deliver(listener, [logging_address(user)], email(f"ann@acme.example, {crowd}"))

    assert caught.value.smtp_code == 550
    assert attempts(user) == []


def test_recipients_matching_no_contact_are_accepted_and_nothing_logged(
    user: User, listener: Listener
) -> None:
    with_an_email_action(user)

    deliver(listener, [logging_address(user)], email("stranger@elsewhere.example"))

    assert attempts(user) == []
    assert listener.counted("unmatched") == 1


def test_a_forwarded_reply_from_a_contact_logs_inbound_replied(
    user: User, clock: Clock, listener: Listener
) -> None:
    _, ann = acme_and_ann(user)
    forwarded = email(
        logging_address(user),
        subject="Fwd: Re: Congratulations on the launch",
        body="---------- Forwarded message ---------\n"
        "From: Ann Lee <ann@acme.example>\n"
        "Date: Mon, 7 Dec 2026 at 09:12\n"
        "Subject: Re: Congratulations on the launch\n\n"
        "Thanks! The team loves it.\n",
    )

    deliver(listener, [logging_address(user)], forwarded)

    (attempt,) = attempts(user)
    assert (attempt["direction"], attempt["outcome"], attempt["contact_id"]) == (
        "inbound",
        "replied",
        ann["id"],
    )
    assert attempt["notes"] == "Fwd: Re: Congratulations on the launch"
    assert "team loves it" not in str(attempt)


def test_the_logging_address_is_null_where_the_server_receives_no_mail(user: User) -> None:
    assert user.get("/v1/mail/logging-address").json() == {"address": None}


def test_a_new_accounts_private_addresses_are_read_while_another_writer_holds_the_database(
    user: User, listener: Listener, app: FastAPI
) -> None:
    """Both private tokens are made at sign-up: reading the logging address or the feed URL
    never writes, so neither waits behind the scheduler's write (SQLite has one writer)."""
    engine = app.state.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's readers never wait for its writers")
    assert user.get("/v1/organizations").status_code == 200  # the key's first use is written
    other = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        address = user.get("/v1/mail/logging-address")
        feed = user.get("/v1/calendar")
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert address.status_code == 200, address.text
    assert address.json()["address"].endswith(f"@{DOMAIN}")
    assert feed.status_code == 200, feed.text
    assert logging_address(user) == address.json()["address"]
