"""Daily reminders over real SMTP: once a local day at the preferred hour, through the outbox."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.db.mail import Reminder, ReminderState
from service.db.session import make_engine, make_session_factory, session_scope
from service.services.mail import outbox
from service.services.mail.outbox import SendOutcome
from service.services.mail.retention import purge
from tests.conftest import Clock, User
from tests.mail.conftest import PUBLIC_URL, Relay, Reminding, with_an_email_action

CHICAGO = ZoneInfo("America/Chicago")


def due_day_at(action: dict[str, object], hour: int, minute: int = 0) -> datetime:
    """The action's local due day (Chicago) at hour:minute."""
    due = datetime.fromisoformat(str(action["due_at"])).astimezone(CHICAGO)
    return due.replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_a_reminder_arrives_once_at_the_preferred_hour_in_a_non_utc_zone_not_before(
    user: User, relay: tuple[Relay, object], reminding: Reminding
) -> None:
    inbox, _ = relay
    action = with_an_email_action(
        user, timezone="America/Chicago", preferred_hour=9, reminders="daily"
    )

    assert reminding.run(due_day_at(action, 8, 59)) == {}
    assert inbox.messages == []
    for moment in (due_day_at(action, 9), due_day_at(action, 9, 1), due_day_at(action, 17)):
        reminding.run(moment)

    ((envelope, message),) = inbox.messages
    assert envelope.rcpt_tos == [user.email]
    assert message["To"] == user.email
    assert message["Subject"] == "keepwarm: a follow-up with Acme today"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{PUBLIC_URL}/mail/unsubscribe/")
    assert user.key not in message.as_string()
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    script = action["script"]
    for shown in (
        "Acme: Ann Lee (hiring manager), by email (due today)",
        f"Why: {action['reason']}",
        f"Subject: {script['subject']}",
        f"Write: {action['links']['mailto']}",
        f"Open keepwarm: {PUBLIC_URL}/app/",
        unsubscribe,
    ):
        assert shown in text, (shown, text)
    assert script["text"].splitlines()[0] in text
    assert "<img" not in html and "Acme" in html and 'href="mailto:' in html
    assert reminding.counted("sent") == 1


def test_an_smtp_server_that_refuses_then_accepts_gets_one_message(
    user: User, relay: tuple[Relay, object], reminding: Reminding
) -> None:
    inbox, _ = relay
    inbox.refusals = ["451 4.3.0 Mailbox busy, try later"]
    action = with_an_email_action(
        user, timezone="America/Chicago", preferred_hour=9, reminders="daily"
    )
    at = due_day_at(action, 9, 30)

    assert reminding.run(at) == {SendOutcome.RETRYING: 1}
    assert reminding.run(at + timedelta(seconds=2)) == {}  # backoff: not yet
    assert reminding.run(at + timedelta(seconds=10)) == {SendOutcome.SENT: 1}
    assert reminding.run(at + timedelta(minutes=10)) == {}

    assert len(inbox.messages) == 1
    assert (reminding.counted("retrying"), reminding.counted("sent")) == (1, 1)


def test_two_replicas_send_one(
    app: FastAPI, user: User, relay: tuple[Relay, object], reminding: Reminding
) -> None:
    inbox, _ = relay
    action = with_an_email_action(
        user, timezone="America/Chicago", preferred_hour=9, reminders="daily"
    )
    at = due_day_at(action, 9)
    engines = [make_engine(str(app.state.engine.url.render_as_string(False))) for _ in "ab"]
    try:
        jobs = [reminding.job(at, make_session_factory(engine)) for engine in engines]

        async def both() -> None:
            for _ in range(3):
                await asyncio.gather(*(job.run() for job in jobs))

        asyncio.run(both())
    finally:
        for engine in engines:
            engine.dispose()

    assert len(inbox.messages) == 1
    assert reminding.counted("sent") == 1


def test_a_one_click_unsubscribe_stops_the_next_days_reminder(
    client: TestClient, clock: Clock, user: User, relay: tuple[Relay, object], reminding: Reminding
) -> None:
    inbox, _ = relay
    action = with_an_email_action(
        user, timezone="America/Chicago", preferred_hour=9, reminders="daily"
    )
    reminding.run(due_day_at(action, 9))
    ((_, message),) = inbox.messages
    url = message["List-Unsubscribe"].strip("<>")
    path = url.removeprefix(PUBLIC_URL)

    # A link scanner's GET changes nothing; the RFC 8058 POST, without any key, does.
    clock.set(due_day_at(action, 9, 5))
    assert client.get(path).status_code == 200
    assert user.get("/v1/settings").json()["reminders"] == "daily"
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200, response.text
    assert "Reminders are off" in response.text
    assert user.get("/v1/settings").json()["reminders"] == "off"

    # The action is still open, and overdue the next day: no reminder comes.
    reminding.run(due_day_at(action, 9) + timedelta(days=1))
    assert len(inbox.messages) == 1
    assert client.post(path.replace(path[-8:], "x" * 8)).status_code == 404


def test_reminders_are_off_by_default_and_a_bad_value_names_the_field(user: User) -> None:
    assert user.get("/v1/settings").json()["reminders"] == "off"
    response = user.patch("/v1/settings", json={"reminders": "weekly"})
    assert response.status_code == 422
    assert "reminders" in [error["field"] for error in response.json()["errors"]]
    assert user.patch("/v1/settings", json={"reminders": "daily"}).json()["reminders"] == "daily"


def test_a_crash_between_send_and_record_never_sends_twice(
    user: User,
    relay: tuple[Relay, object],
    reminding: Reminding,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, _ = relay
    action = with_an_email_action(
        user, timezone="America/Chicago", preferred_hour=9, reminders="daily"
    )
    at = due_day_at(action, 9)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the process died before it recorded the send")

    with monkeypatch.context() as patched:
        patched.setattr(outbox, "record", crash)
        with pytest.raises(RuntimeError):
            reminding.run(at)
    assert len(inbox.messages) == 1

    # Within the lease nobody touches it; after it, the mark made before DATA settles it.
    assert reminding.run(at + timedelta(seconds=30)) == {}
    assert reminding.run(at + outbox.LEASE + timedelta(seconds=1)) == {SendOutcome.UNCERTAIN: 1}
    for minutes in (5, 60, 600):
        reminding.run(at + timedelta(minutes=minutes))
    assert len(inbox.messages) == 1
    assert reminding.counted("uncertain") == 1


def test_retention_purges_settled_reminders_and_keeps_pending_ones(
    app: FastAPI, user: User, relay: tuple[Relay, object], reminding: Reminding
) -> None:
    inbox, _ = relay
    action = with_an_email_action(
        user, timezone="America/Chicago", preferred_hour=9, reminders="daily"
    )
    at = due_day_at(action, 9)
    reminding.run(at)  # sent
    inbox.refusals = ["451 4.3.0 try later"]
    reminding.run(at + timedelta(days=1))  # the next day's, refused: pending

    with session_scope(app.state.session_factory) as session:
        assert purge(session, before=at + timedelta(days=3), limit=100) == 1
    with session_scope(app.state.session_factory) as session:
        left = session.scalars(select(Reminder.state)).all()
    assert left == [ReminderState.PENDING]
