"""Fixtures: a real SQLite file and a real PostgreSQL cluster, an app per database."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pytest
from argon2 import PasswordHasher, profiles
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, text

from service.config import Settings, Toggle
from service.db.base import Base
from service.db.migrate import upgrade
from service.db.session import make_engine
from service.main import create_app
from service.services.accounts import passwords
from tests.pg import create_database, postgres_cluster

# The suite gates every landing: it draws the same examples each run, so a red build is a
# change's doing, never a new draw. KEEPWARM_HYPOTHESIS=explore draws fresh ones (run it
# while working on the cadence or the scripts: that is how the property tests find bugs).
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("KEEPWARM_HYPOTHESIS", "repeatable"))

# The longest tests (whole modules, so module fixtures are made once), handed out first:
# pytest-xdist's worksteal gives each worker a contiguous share and steals from the end of the
# busier one's, so started first they run beside the short ones instead of ending the run.
LONGEST_FIRST = (
    "tests/api/test_schemathesis.py::",
    "tests/api/test_schemathesis_stateful.py::",
    "tests/deploy/test_image.py::",
    "tests/db/test_packaged_migrations.py::",
    "tests/test_generated_client.py::",
    "tests/scheduler/test_replicas.py::",
    "tests/scheduler/test_crash.py::",
    "tests/scheduler/test_soak.py::",
    "tests/domain/test_history.py::",
    "tests/domain/test_scripts_properties.py::",
    "tests/test_quality.py::",
)


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by database
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    longest = [item for item in items if item.nodeid.startswith(LONGEST_FIRST)]
    rest = [item for item in items if not item.nodeid.startswith(LONGEST_FIRST)]
    items[:] = longest + rest


BACKENDS = ("sqlite", "postgresql")
# The hasher the service ships with, before the suite swaps in a cheap one (cheap_hashing).
SERVICE_HASHER = passwords.hasher
# The in-process client, as a loopback client: absolute URLs name its own host.
LOOPBACK = ("127.0.0.1", 50000)
# Every test account's password: strong enough for the sign-up rules (zxcvbn's score 4).
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def cheap_hashing() -> Iterator[None]:
    """argon2id at its cheapest parameters in-process: about 190 ms a hash at full strength,
    paid by every sign-up and log-in, is the cost of the tests about hashing alone (they install
    their own hasher with the service's parameters)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


def make_database(backend: str, request: pytest.FixtureRequest, tmp: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / (name + '.db')}"
    server: str = request.getfixturevalue("pg_server")
    return create_database(server, name)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = make_database(request.param, request, tmp_path_factory.mktemp("db"), "keepwarm_api")
    upgrade(url)
    return url


class Clock:
    """The app's clock in tests: real time unless a test sets it."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def now(self) -> datetime:
        return self.fixed or datetime.now(UTC)

    def set(self, value: datetime) -> None:
        self.fixed = value.astimezone(UTC)


@pytest.fixture(scope="session")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def app_and_engine(database_url: str, clock: Clock) -> Iterator[tuple[FastAPI, TestClient]]:
    settings = Settings(database_url=database_url, scheduler=Toggle.OFF, webhook_allow_private=True)
    app = create_app(settings)
    app.state.clock = clock.now
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        app.state.test_portal = client.portal  # the app's event loop, for direct calls
        yield app, client


def wipe(engine: Engine) -> None:
    # DELETE, children first, on both databases: a test leaves a few rows, and PostgreSQL's
    # TRUNCATE of 17 tables (new files for each) took ten times as long as deleting them.
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        for table in tables:
            conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def app(app_and_engine: tuple[FastAPI, TestClient], clock: Clock) -> Iterator[FastAPI]:
    app, _ = app_and_engine
    wipe(app.state.engine)
    app.state.settings.signup = "open"
    clock.fixed = None
    yield app
    clock.fixed = None


@pytest.fixture
def client(app: FastAPI, app_and_engine: tuple[FastAPI, TestClient]) -> TestClient:
    return app_and_engine[1]


class User:
    """A signed-up account and a client that sends its key."""

    def __init__(self, client: TestClient, email: str) -> None:
        response = client.post("/v1/accounts", json={"email": email, "password": PASSWORD})
        assert response.status_code == 201, response.text
        self.client = client
        self.email = email
        self.key = response.json()["api_key"]
        self.headers = {"Authorization": f"Bearer {self.key}"}

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.client.post(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def patch(self, url: str, **kw: Any) -> Any:
        return self.client.patch(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def delete(self, url: str, **kw: Any) -> Any:
        return self.client.delete(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def create(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.post(url, json=body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result


ANN = {
    "name": "Ann Lee",
    "role": "hiring_manager",
    "email": "ann@acme.example",
    "phone": "+1 312 555 0100",
}


def acme_and_ann(
    user: User, *, rejected_on: str = "2026-02-27", **contact: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An organization that said No, and its hiring manager (fields may be overridden)."""
    acme = user.create("/v1/organizations", {"name": "Acme", "rejected_on": rejected_on})
    ann = user.create("/v1/contacts", {"organization_id": acme["id"], **ANN, **contact})
    return acme, ann


@pytest.fixture
def user(client: TestClient) -> User:
    return User(client, f"ada-{uuid.uuid4().hex[:8]}@example.com")


@pytest.fixture
def other_user(client: TestClient) -> User:
    return User(client, f"bob-{uuid.uuid4().hex[:8]}@example.com")


def new_engine(url: str) -> Engine:
    return make_engine(url)


PROBLEM_MEDIA_TYPE = "application/problem+json"


def assert_problem(response: Any, status: int, *, field: str | None = None) -> dict[str, Any]:
    """Check an RFC 9457 answer (and, given `field`, that `errors` names it); return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert "Traceback" not in response.text
    if field is not None:
        assert field in [error["field"] for error in body.get("errors") or []], body
    return body


def in_database_file(path: str | Path, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """The rows a query finds in a SQLite database file alone, never in its write-ahead log."""
    file_only = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return file_only.execute(sql, params).fetchall()
    finally:
        file_only.close()


def eventually(check: Callable[[], object], seconds: float = 5.0) -> None:
    """Wait until `check()` is true, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError("not within the time allowed")


class Held(Protocol):
    """Something slow a test holds (a hash, a DNS look-up) until it releases it."""

    entered: threading.Event
    released: threading.Event
    baseline_connections: int


def assert_others_not_held(app: FastAPI, other: User, held: Held) -> None:
    """While `held` is held: no connection is taken, and another account's write goes through."""
    assert held.entered.wait(5)
    assert app.state.engine.pool.checkedout() == held.baseline_connections
    started = time.monotonic()
    created = other.post("/v1/organizations", json={"name": "Initech"})
    elapsed = time.monotonic() - started
    held.released.set()
    assert created.status_code == 201, created.text
    assert elapsed < 1.5, f"another account's write waited {elapsed:.1f} s"
