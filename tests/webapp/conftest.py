"""A real uvicorn server on SQLite and a real headless Chromium, shared by the module's tests."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from service.config import Settings, Toggle
from service.db.migrate import upgrade
from service.main import create_app
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium (/usr/bin/chromium) is not installed: apt-get install chromium",
        allow_module_level=True,
    )

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

# As long as an action may wait (set on each context): on 2 busy cores, a sign-up (argon2)
# and the first page's requests can take more than expect's default 5 s.
expect.set_options(timeout=10_000)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 812}
# The README's pictures are refreshed on purpose (KEEPWARM_SCREENSHOTS=docs/screenshots), never
# by an ordinary run: a suite that rewrote tracked files left every clean clone dirty.
SCREENSHOTS = Path(
    os.environ.get("KEEPWARM_SCREENSHOTS") or Path(tempfile.gettempdir()) / "keepwarm-screenshots"
).resolve()
SCREENSHOTS.mkdir(parents=True, exist_ok=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The running server's settings (the app reads them on each request: a test may flip one
    and must put it back)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('webapp') / 'keepwarm.db'}"
    upgrade(url)
    return Settings(database_url=url, scheduler=Toggle.OFF, signup_per_client_per_hour=1000)


@pytest.fixture(scope="session")
def base_url(server_settings: Settings) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(server_settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        ws="none",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="webapp-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# One browser for a run of web app tests, closed before any other test: Playwright's sync API
# holds an event loop running in the worker's main thread while it is open, and under
# pytest-xdist the next test there may be one that runs its own loop (asyncio.run), which that
# would break. Launching Chromium for each module instead cost about two seconds a module.
class Chromium:
    """Chromium under Playwright's sync API, launched when a test first asks for it."""

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None

    def get(self) -> Browser:
        if self.browser is None:
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        return self.browser

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None


CHROMIUM_RUN = Chromium()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a web app test's own teardown: close the browser unless the next test is one too."""
    try:
        return (yield)
    finally:
        if nextitem is None or Path(str(nextitem.path)).parent != Path(str(item.path)).parent:
            CHROMIUM_RUN.close()


@pytest.fixture(scope="module")
def browser() -> Browser:
    return CHROMIUM_RUN.get()


class Api:
    """An account of its own, and its key, to set up and check what the API holds."""

    def __init__(self, base_url: str, email: str | None = None) -> None:
        self.email = email or f"seeker-{uuid.uuid4().hex[:10]}@example.com"
        self.http = httpx.Client(base_url=base_url, timeout=10)
        answer = self.http.post("/v1/accounts", json={"email": self.email, "password": PASSWORD})
        assert answer.status_code == 201, answer.text
        self.key = answer.json()["api_key"]
        self.key_id = answer.json()["api_key_id"]
        self.http.headers["Authorization"] = f"Bearer {self.key}"

    def get(self, path: str, **params: Any) -> Any:
        answer = self.http.get(path, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        answer = self.http.post(path, json=body)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()


@pytest.fixture
def api(base_url: str) -> Iterator[Api]:
    account = Api(base_url)
    yield account
    account.http.close()


def signed_in_context(
    browser: Browser, base_url: str, api: Api, viewport: ViewportSize
) -> BrowserContext:
    """A browser context that holds the account's key, as if it had signed in."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    context.add_init_script(
        "if (!sessionStorage.getItem('keepwarm.key')) {"
        f" sessionStorage.setItem('keepwarm.key', '{api.key}');"
        f" sessionStorage.setItem('keepwarm.key_id', '{api.key_id}'); }}"
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser: Browser, base_url: str, api: Api) -> Iterator[Page]:
    context = signed_in_context(browser, base_url, api, DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def anonymous(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def days_ago(days: int) -> str:
    """A date `days` before today (UTC), as the API writes dates."""
    return (datetime.now(UTC) - timedelta(days=days)).date().isoformat()


def seed(api: Api) -> dict[str, Any]:
    """An organization with people, news and five months of touches: a picture to look at."""
    org = api.post(
        "/v1/organizations",
        {
            "name": "Northwind Labs",
            "role_applied": "Product Designer",
            "rejected_on": days_ago(150),
        },
    )
    manager = api.post(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Dana Whitfield",
            "role": "hiring_manager",
            "title": "Head of Design",
            "email": "dana@northwind.example",
            "phone": "+1 415 555 0134",
        },
    )
    api.post(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Ravi Patel",
            "role": "recruiter",
            "email": "ravi@northwind.example",
        },
    )
    api.post(
        f"/v1/organizations/{org['id']}/news",
        {"headline": "Northwind opens a studio in Lisbon", "noticed_on": days_ago(20)},
    )
    history = [
        (148, "email", "outbound", "sent"),
        (126, "call", "outbound", "no_answer"),
        (124, "call", "outbound", "left_voicemail"),
        (101, "email", "inbound", "replied"),
        (80, "email", "outbound", "sent"),
        (57, "call", "outbound", "conversation"),
        (35, "email", "outbound", "sent"),
    ]
    for days, channel, direction, outcome in history:
        api.post(
            "/v1/attempts",
            {
                "contact_id": manager["id"],
                "channel": channel,
                "direction": direction,
                "outcome": outcome,
                "occurred_at": f"{days_ago(days)}T15:00:00Z",
            },
        )
    api.http.patch("/v1/profile", json={"name": "Sam Park"})
    return {"organization": org, "manager": manager}


def fresh_organization(api: Api, name: str = "Acme Robotics") -> dict[str, Any]:
    """An organization that said no yesterday, with its hiring manager: a first touch is due."""
    org = api.post(
        "/v1/organizations",
        {"name": name, "role_applied": "Data Analyst", "rejected_on": days_ago(1)},
    )
    contact = api.post(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Ann Lee",
            "role": "hiring_manager",
            "email": "ann@acme.example",
            "phone": "+44 20 7946 0018",
        },
    )
    return {"organization": org, "contact": contact}
