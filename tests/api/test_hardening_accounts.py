"""Sign-up and log-in under attack: hashing outside the write gate, limits, throttles."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.db.models import LoginThrottle
from service.db.session import session_scope
from service.services.accounts import passwords
from service.services.planning import scheduling
from tests.conftest import PASSWORD, Clock, User, assert_others_not_held, assert_problem

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Hold:
    """Holds the thread that calls `wait` until `release` (3 s at most); tells when it waits."""

    def __init__(self, baseline_connections: int) -> None:
        self.entered = threading.Event()
        self.released = threading.Event()
        self.baseline_connections = baseline_connections  # what the app holds at rest

    def wait(self) -> None:
        self.entered.set()
        self.released.wait(3)


class CountingHasher(PasswordHasher):
    """argon2id as the service uses it, counting (and optionally holding) each hash and check."""

    def __init__(self, hold: Hold | None = None) -> None:
        super().__init__()
        self.hold = hold
        self.hashed = 0
        self.verified = 0

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.hashed += 1
        if self.hold is not None:
            self.hold.wait()
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified += 1
        if self.hold is not None:
            self.hold.wait()
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(passwords, "hasher", counting)
    return counting


def from_client(app: FastAPI, client: TestClient, host: str) -> TestClient:
    """A client of the same running app that connects from another address."""
    other = TestClient(app, base_url="https://testserver", client=(host, 40000))
    other.portal = client.portal  # the app's own event loop (the lifespan already ran)
    return other


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/v1/tokens", json={"email": email, "password": password})


def sign_up(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/v1/accounts", json={"email": email, "password": password})


@pytest.fixture
def held(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hold]:
    hold = Hold(app.state.engine.pool.checkedout())
    monkeypatch.setattr(passwords, "hasher", CountingHasher(hold))
    yield hold
    hold.released.set()


# Finding 2: password hashing inside the write gate


def test_sign_up_hashes_before_its_unit_of_work(
    app: FastAPI, client: TestClient, other_user: User, held: Hold
) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        signing = pool.submit(sign_up, client, "slow@example.com")
        assert_others_not_held(app, other_user, held)
        assert signing.result().status_code == 201


def test_log_in_checks_the_password_before_its_unit_of_work(
    app: FastAPI, user: User, other_user: User, held: Hold
) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        logging_in = pool.submit(log_in, user.client, user.email)
        assert_others_not_held(app, other_user, held)
        assert logging_in.result().status_code == 201


@pytest.fixture
def strict_sign_up(app: FastAPI, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    strict = app.state.settings.model_copy(update={"signup_per_client_per_hour": 3})
    monkeypatch.setattr(app.state, "settings", strict)
    clock.set(T0)


def test_sign_ups_are_limited_per_client(
    app: FastAPI, client: TestClient, strict_sign_up: None, clock: Clock, hasher: CountingHasher
) -> None:
    for n in range(3):
        assert sign_up(client, f"user{n}@example.com").status_code == 201
    hashed = hasher.hashed

    refused = sign_up(client, "user3@example.com")

    body = assert_problem(refused, 429)
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    assert "sign-up" in body["detail"].lower()
    assert hasher.hashed == hashed  # refused before any slow work
    other = from_client(app, client, "198.51.100.7")
    assert sign_up(other, "user3@example.com").status_code == 201
    clock.set(T0 + timedelta(hours=1, seconds=1))
    assert sign_up(client, "user4@example.com").status_code == 201


def test_a_sign_up_for_a_taken_email_counts_and_costs_the_same(
    client: TestClient, user: User, strict_sign_up: None, hasher: CountingHasher
) -> None:
    taken = sign_up(client, user.email)

    assert_problem(taken, 409)
    assert hasher.hashed == 1  # as long as a new account takes: the answer's timing tells nothing
    for n in range(2):  # the fixture's sign-up, this one, then the limit
        sign_up(client, f"new{n}@example.com")
    assert_problem(sign_up(client, "late@example.com"), 429)


# Finding 4: log-in timing tells which emails have accounts


def test_log_in_checks_a_hash_whether_or_not_the_email_exists(
    user: User, hasher: CountingHasher
) -> None:
    assert_problem(log_in(user.client, user.email, "wrong password"), 401)
    assert hasher.verified == 1

    assert_problem(log_in(user.client, "nobody@example.com", "wrong password"), 401)
    assert hasher.verified == 2


# Finding 9: lock-outs, throttle rows, weak passwords


@pytest.fixture
def strict_throttle(app: FastAPI, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    monkeypatch.setattr(app.state.settings, "login_max_failures", 3)
    monkeypatch.setattr(app.state.settings, "login_lockout_seconds", 60)
    clock.set(T0)


def test_a_locked_out_owner_still_logs_in_from_another_client(
    app: FastAPI, user: User, strict_throttle: None
) -> None:
    for _ in range(3):
        assert_problem(log_in(user.client, user.email, "a wrong guess"), 401)
    assert_problem(log_in(user.client, user.email), 429)

    phone = from_client(app, user.client, "203.0.113.9")
    assert log_in(phone, user.email).status_code == 201
    assert_problem(log_in(user.client, user.email), 429)  # the failing client stays locked


def test_clients_are_told_apart_by_ipv6_network(
    app: FastAPI, user: User, strict_throttle: None
) -> None:
    first = from_client(app, user.client, "2001:db8:1:2::10")
    for _ in range(3):
        assert_problem(log_in(first, user.email, "a wrong guess"), 401)

    same_network = from_client(app, user.client, "2001:db8:1:2::99")
    assert_problem(log_in(same_network, user.email), 429)
    elsewhere = from_client(app, user.client, "2001:db8:1:3::10")
    assert log_in(elsewhere, user.email).status_code == 201


def throttle_rows(app: FastAPI) -> int:
    with session_scope(app.state.session_factory) as session:
        return int(session.scalar(select(func.count()).select_from(LoginThrottle)) or 0)


def test_throttle_records_expire_and_are_purged(
    app: FastAPI, client: TestClient, strict_throttle: None, clock: Clock
) -> None:
    for n in range(5):
        log_in(client, f"nobody{n}@example.com", "a guess")
    assert throttle_rows(app) >= 5

    with session_scope(app.state.session_factory) as session:
        scheduling.purge(session, now=T0 + timedelta(seconds=30))
    assert throttle_rows(app) >= 5  # still counting

    with session_scope(app.state.session_factory) as session:
        scheduling.purge(session, now=T0 + timedelta(hours=2))
    assert throttle_rows(app) == 0


WEAK_PASSWORDS = [
    " " * 10,
    "\t \n" * 4,
    "1234567890",
    "20260302123456",
    "password123",
    "qwertyuiop",
    "QWERTYUIOP",
    "aaaaaaaaaaaa",
    "abababababab",
]


def test_weak_passwords_are_refused(client: TestClient, subtests: pytest.Subtests) -> None:
    for n, password in enumerate(WEAK_PASSWORDS):
        with subtests.test(msg=repr(password)):
            refused = sign_up(client, f"weak{n}@example.com", password)
            body = assert_problem(refused, 422, field="password")
            assert password.strip() == "" or password not in body["detail"]


def test_a_long_uncommon_password_is_accepted(client: TestClient) -> None:
    assert sign_up(client, "ok@example.com", "tangerine lighthouse 42").status_code == 201


# Each guessable password, and the words its refusal names.
GUESSABLE = [
    ("passwordpassword", "Repeats"),
    ("abcdefghijkl", "Sequences"),
    ("letmein12345", "commonly used password"),
    ("grace.hopper@example.com", "your email's name"),
    ("Grace.Hopper1906!", "your email's name"),
    ("gracehopper-2024", "your email's name"),
]


def test_a_guessable_password_is_refused_and_the_reason_named(
    client: TestClient, subtests: pytest.Subtests
) -> None:
    for password, reason in GUESSABLE:
        with subtests.test(password=password):
            refused = sign_up(client, "grace.hopper@example.com", password)
            body = assert_problem(refused, 422, field="password")
            (error,) = body["errors"]
            assert reason in error["message"], error
            assert password not in refused.text


def test_a_new_password_is_held_to_the_same_estimate(user: User) -> None:
    name = user.email.partition("@")[0]
    for new in ("abcdefghijkl", f"{name} at home", user.email):
        body = {"current_password": PASSWORD, "new_password": new}
        refused = user.post("/v1/account/password", json=body)
        assert_problem(refused, 422, field="new_password")
    assert log_in(user.client, user.email).status_code == 201  # the first password still
