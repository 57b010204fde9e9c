"""The account itself: changing its password, deleting it with every record."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.orm import Session

from service.db.base import Base
from service.db.models import EmailThrottle
from service.services.accounts import passwords
from tests.conftest import (
    PASSWORD,
    Clock,
    User,
    acme_and_ann,
    assert_others_not_held,
    assert_problem,
)
from tests.mail.seeding import fill_mail
from tests.receiver import Receiver
from tests.scheduler.test_delivery import run_tick

NEW_PASSWORD = "tangerine lighthouse 42"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/v1/tokens", json={"email": email, "password": password})


def change(user: User, current: str = PASSWORD, new: str = NEW_PASSWORD) -> Any:
    return user.post(
        "/v1/account/password", json={"current_password": current, "new_password": new}
    )


def delete_account(user: User, password: str = PASSWORD) -> Any:
    return user.client.request(
        "DELETE", "/v1/account", json={"password": password}, headers=user.headers
    )


def from_client(app: FastAPI, client: TestClient, host: str) -> TestClient:
    """A client of the same running app that connects from another address."""
    other = TestClient(app, base_url="https://testserver", client=(host, 40000))
    other.portal = client.portal  # the app's own event loop (the lifespan already ran)
    return other


@pytest.fixture
def strict_throttle(app: FastAPI, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    monkeypatch.setattr(app.state.settings, "login_max_failures", 3)
    monkeypatch.setattr(app.state.settings, "login_lockout_seconds", 60)
    clock.set(T0)


# Changing the password


def test_a_changed_password_is_the_one_that_logs_in(user: User) -> None:
    response = change(user)

    assert response.status_code == 204, response.text
    assert response.content == b""
    assert log_in(user.client, user.email, NEW_PASSWORD).status_code == 201
    assert_problem(log_in(user.client, user.email, PASSWORD), 401)


def test_existing_keys_keep_working_after_a_change(user: User) -> None:
    laptop = log_in(user.client, user.email).json()["api_key"]

    assert change(user).status_code == 204

    assert user.get("/v1/me").status_code == 200
    assert user.client.get("/v1/me", headers=bearer(laptop)).status_code == 200


def test_a_wrong_current_password_names_it_and_changes_nothing(user: User) -> None:
    refused = change(user, current="not my password")

    body = assert_problem(refused, 422, field="current_password")
    assert "not my password" not in refused.text and NEW_PASSWORD not in body["detail"]
    assert log_in(user.client, user.email).status_code == 201
    assert_problem(log_in(user.client, user.email, NEW_PASSWORD), 401)


NEW_PASSWORD_PROBLEMS = ["short", "password123", "1234567890", " " * 12, "x" * 201, PASSWORD]


def test_the_new_password_follows_the_sign_up_rules(user: User, subtests: pytest.Subtests) -> None:
    for new in NEW_PASSWORD_PROBLEMS:
        with subtests.test(new=new[:12]):
            assert_problem(change(user, new=new), 422, field="new_password")
    assert log_in(user.client, user.email).status_code == 201  # still the first password


def test_a_change_needs_both_fields_and_a_valid_key(user: User) -> None:
    only_new = user.post("/v1/account/password", json={"new_password": NEW_PASSWORD})
    assert_problem(only_new, 422, field="current_password")
    only_current = user.post("/v1/account/password", json={"current_password": PASSWORD})
    assert_problem(only_current, 422, field="new_password")
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert_problem(user.client.post("/v1/account/password", json=body), 401)
    anonymous = user.client.post(
        "/v1/account/password", json=body, headers=bearer("kw_not-a-real-key")
    )
    assert_problem(anonymous, 401)
    assert log_in(user.client, user.email).status_code == 201


def test_wrong_current_passwords_count_as_failed_log_ins(
    app: FastAPI, user: User, strict_throttle: None, clock: Clock
) -> None:
    assert_problem(log_in(user.client, user.email, "a wrong guess"), 401)
    for _ in range(2):
        assert_problem(change(user, current="a wrong guess"), 422, field="current_password")

    locked = change(user)  # even the right password, once locked
    assert_problem(locked, 429)
    assert 0 < int(locked.headers["retry-after"]) <= 60
    assert_problem(log_in(user.client, user.email), 429)
    assert user.get("/v1/me").status_code == 200  # the key still works for everything else
    phone = from_client(app, user.client, "203.0.113.9")
    assert log_in(phone, user.email).status_code == 201  # another address is not locked

    clock.set(T0 + timedelta(seconds=61))
    assert change(user).status_code == 204


def test_a_successful_change_forgets_earlier_failures(user: User, strict_throttle: None) -> None:
    for _ in range(2):
        change(user, current="a wrong guess")
    assert change(user).status_code == 204
    for _ in range(2):
        log_in(user.client, user.email, "a wrong guess")

    assert log_in(user.client, user.email, NEW_PASSWORD).status_code == 201


class Hold:
    """Holds the thread that calls `wait` until `release` (3 s at most); tells when it waits."""

    def __init__(self, baseline_connections: int) -> None:
        self.entered = threading.Event()
        self.released = threading.Event()
        self.baseline_connections = baseline_connections

    def wait(self) -> None:
        self.entered.set()
        self.released.wait(3)


class HoldingHasher(PasswordHasher):
    """argon2id as the service uses it, each check held until released."""

    def __init__(self, hold: Hold) -> None:
        super().__init__()
        self.hold = hold

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.hold.wait()
        return super().verify(hash, password)


@pytest.fixture
def held(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hold]:
    hold = Hold(app.state.engine.pool.checkedout())
    monkeypatch.setattr(passwords, "hasher", HoldingHasher(hold))
    yield hold
    hold.released.set()


def test_the_password_is_checked_before_the_unit_of_work(
    app: FastAPI, user: User, other_user: User, held: Hold
) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        changing = pool.submit(change, user)
        assert_others_not_held(app, other_user, held)
        assert changing.result().status_code == 204


def test_the_account_password_is_checked_before_its_deletion(
    app: FastAPI, user: User, other_user: User, held: Hold
) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        deleting = pool.submit(delete_account, user)
        assert_others_not_held(app, other_user, held)
        assert deleting.result().status_code == 204


class MeetingHasher(PasswordHasher):
    """Each check waits until `parties` checks are under way: they all read the same hash."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self.barrier = threading.Barrier(parties, timeout=5)

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.barrier.wait()
        return super().verify(hash, password)


def test_of_two_concurrent_changes_only_one_passes(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passwords, "hasher", MeetingHasher(2))
    candidates = ["tangerine lighthouse 42", "violet harbour crane 7"]

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda new: change(user, new=new), candidates))

    assert sorted(a.status_code for a in answers) == [204, 422], [a.text for a in answers]
    monkeypatch.setattr(passwords, "hasher", PasswordHasher())
    winner, loser = candidates if answers[0].status_code == 204 else candidates[::-1]
    assert_problem(answers[candidates.index(loser)], 422, field="current_password")
    assert log_in(user.client, user.email, winner).status_code == 201
    assert_problem(log_in(user.client, user.email, loser), 401)
    assert_problem(log_in(user.client, user.email, PASSWORD), 401)


# Deleting the account

# Tables that hold no account's records by an account_id column: the account itself, and
# the throttles, kept by email. A new table belongs here only if it holds no one's data.
NOT_BY_ACCOUNT_ID = {"accounts", "login_throttles", "client_throttles"}


def rows_of(app: FastAPI, account_id: str, email: str) -> dict[str, int]:
    """How many rows of every table belong to this account (by id, or by email)."""
    counts = {}
    with app.state.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            query = select(func.count()).select_from(table)
            query = query.where(_owned_by(table, uuid.UUID(account_id), email))
            counts[table.name] = int(connection.scalar(query) or 0)
    return counts


def _owned_by(table: Table, account_id: uuid.UUID, email: str) -> ColumnElement[bool]:
    if "account_id" in table.c:
        return table.c.account_id == account_id
    assert table.name in NOT_BY_ACCOUNT_ID, (
        f"{table.name} has no account_id: make DELETE /v1/account delete its rows, then "
        "count them here"
    )
    return table.c.id == account_id if table.name == "accounts" else table.c.email == email


def fill(app: FastAPI, user: User, receiver: Receiver) -> None:
    """A record in every table of the account, each made the way a user makes it."""
    hook = user.create("/v1/webhooks", {"url": receiver.url_for("/hooks")})
    assert user.post(f"/v1/webhooks/{hook['id']}/ping").status_code == 202
    acme, ann = acme_and_ann(user)
    news = {"headline": "Acme opens a Lisbon office"}
    user.create(f"/v1/organizations/{acme['id']}/news", news)
    user.create("/v1/attempts", {"contact_id": ann["id"], "channel": "email", "outcome": "sent"})
    fill_mail(app, user, ann["email"], T0)
    assert user.patch("/v1/settings", json={"timezone": "Europe/Lisbon"}).status_code == 200
    assert user.patch("/v1/profile", json={"name": "Ada Park"}).status_code == 200
    replayable = user.post(
        "/v1/organizations", json={"name": "Globex"}, headers={"Idempotency-Key": "globex-1"}
    )
    assert replayable.status_code == 201
    elsewhere = from_client(app, user.client, "198.51.100.4")
    assert log_in(elsewhere, user.email, "a guess").status_code == 401  # a throttle row
    assert log_in(user.client, user.email).status_code == 201  # a second key
    # A failed log-in that a replica of the previous release counted, during a rolling upgrade
    # (its table is dropped in the next release: migrations/versions/0007).
    with Session(app.state.engine) as session, session.begin():
        session.add(EmailThrottle(email=user.email, failures=1, first_failed_at=datetime.now(UTC)))


def test_deleting_the_account_leaves_no_row_of_it_behind(
    app: FastAPI, user: User, other_user: User, clock: Clock
) -> None:
    clock.set(T0)
    with Receiver() as receiver:
        fill(app, user, receiver)
        fill(app, other_user, receiver)
        assert run_tick(app, T0).delivered >= 2
    account_id = user.get("/v1/me").json()["id"]
    other_id = other_user.get("/v1/me").json()["id"]
    assert_problem(delete_account(user, "a wrong guess"), 422, field="password")
    before = rows_of(app, account_id, user.email)
    others_before = rows_of(app, other_id, other_user.email)
    assert [name for name, count in before.items() if count == 0] == []  # every table tested

    response = delete_account(user)

    assert response.status_code == 204, response.text
    assert rows_of(app, account_id, user.email) == dict.fromkeys(before, 0)
    assert rows_of(app, other_id, other_user.email) == others_before
    assert other_user.get("/v1/organizations").json()["data"] != []


def test_after_deletion_the_keys_and_the_password_are_refused(user: User) -> None:
    laptop = log_in(user.client, user.email).json()["api_key"]
    feed = user.get("/v1/calendar").json()["feed_url"].removeprefix("https://testserver")
    assert user.client.get(feed).status_code == 200

    assert delete_account(user).status_code == 204

    assert_problem(user.get("/v1/me"), 401)
    assert_problem(user.client.get("/v1/me", headers=bearer(laptop)), 401)
    assert_problem(delete_account(user), 401)
    assert_problem(log_in(user.client, user.email), 401)
    assert user.client.get(feed).status_code == 404
    again = user.client.post("/v1/accounts", json={"email": user.email, "password": PASSWORD})
    assert again.status_code == 201  # the email is free again


def test_a_wrong_password_keeps_the_account(user: User) -> None:
    acme, _ = acme_and_ann(user)

    refused = delete_account(user, "not my password")

    assert_problem(refused, 422, field="password")
    assert user.get(f"/v1/organizations/{acme['id']}").status_code == 200
    assert_problem(delete_account(user, ""), 422, field="password")
    assert_problem(user.delete("/v1/account"), 422)  # no body: nothing to confirm with


def test_wrong_passwords_for_deletion_count_as_failed_log_ins(
    user: User, strict_throttle: None
) -> None:
    for _ in range(3):
        assert_problem(delete_account(user, "a wrong guess"), 422, field="password")

    locked = delete_account(user)

    assert_problem(locked, 429)
    assert int(locked.headers["retry-after"]) > 0
    assert user.get("/v1/me").status_code == 200


def test_the_deletion_needs_a_valid_key(user: User) -> None:
    body = {"password": PASSWORD}
    assert_problem(user.client.request("DELETE", "/v1/account", json=body), 401)
    bogus = bearer("kw_not-a-real-key")
    assert_problem(user.client.request("DELETE", "/v1/account", json=body, headers=bogus), 401)
    assert user.get("/v1/me").status_code == 200


def test_the_openapi_document_shows_both_bodies(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    deletion = paths["/v1/account"]["delete"]
    change_ = paths["/v1/account/password"]["post"]
    assert deletion["requestBody"]["required"] is True
    assert deletion["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/AccountDelete"
    )
    assert change_["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PasswordChange"
    )
    for operation in (deletion, change_):
        assert {"204", "401", "422", "429"} <= set(operation["responses"])
        assert operation["security"] == [{"bearer": []}]
