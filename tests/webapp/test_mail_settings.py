"""Mail in the web app: reminders offered at sign-up and switched in Settings; the logging
address shown with a copy button, and replaced."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from service.config import Settings
from tests.webapp.conftest import PASSWORD, SCREENSHOTS, Api

DOMAIN = "in.kw.example"


@pytest.fixture
def receiving(server_settings: Settings) -> Iterator[None]:
    server_settings.mail_domain = DOMAIN
    try:
        yield
    finally:
        server_settings.mail_domain = None


@pytest.fixture
def sending(server_settings: Settings) -> Iterator[None]:
    """A server that sends reminder emails (its scheduler is off here: none goes out)."""
    server_settings.smtp_url = "smtp://127.0.0.1:2525"
    server_settings.mail_from = "keepwarm <reminders@kw.example>"
    server_settings.public_url = "https://kw.example"
    try:
        yield
    finally:
        server_settings.smtp_url = server_settings.mail_from = server_settings.public_url = None


def test_sign_up_offers_daily_reminders(anonymous: Page, base_url: str, sending: None) -> None:
    page = anonymous
    page.goto("/app/#/signup")
    page.get_by_label("Email").fill(f"new-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    reminders = page.get_by_label("Send me a daily reminder when a follow-up is due")
    expect(reminders).not_to_be_checked()
    reminders.check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()

    key = page.evaluate("sessionStorage.getItem('keepwarm.key')")
    held = httpx.get(f"{base_url}/v1/settings", headers={"Authorization": f"Bearer {key}"})
    assert held.json()["reminders"] == "daily"


def test_settings_switch_reminders_and_show_the_logging_address(
    page: Page, api: Api, receiving: None, sending: None
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/app/#/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_focused()
    section = page.get_by_role("region", name="Email")
    reminders = section.get_by_label("Send me a daily reminder when a follow-up is due")
    expect(reminders).not_to_be_checked()

    reminders.check()
    expect(section.get_by_role("status")).to_have_text("Daily reminders on.")
    assert api.get("/v1/settings")["reminders"] == "daily"

    address = api.get("/v1/mail/logging-address")["address"]
    assert address.startswith("log-") and address.endswith("@" + DOMAIN)
    expect(section.get_by_text(address)).to_be_visible()
    section.get_by_role("button", name="Copy address for logging emails").click()
    expect(section.get_by_role("button", name="Copied address for logging emails")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address
    page.screenshot(path=SCREENSHOTS / "settings-mail-desktop.png", full_page=True)

    section.get_by_role("button", name="New address").click()
    page.get_by_role("dialog").get_by_role("button", name="Replace it").click()
    expect(section.get_by_text(address)).to_have_count(0)
    replaced = api.get("/v1/mail/logging-address")["address"]
    assert replaced != address
    expect(section.get_by_text(replaced)).to_be_visible()

    reminders.uncheck()
    expect(section.get_by_role("status")).to_have_text("Reminders off.")
    assert api.get("/v1/settings")["reminders"] == "off"


def test_a_server_that_receives_no_mail_says_so(page: Page) -> None:
    page.goto("/app/#/settings")
    section = page.get_by_role("region", name="Email")
    expect(section.get_by_text("This server does not receive email")).to_be_visible()


def test_a_server_that_sends_no_mail_offers_no_reminders(anonymous: Page) -> None:
    page = anonymous
    page.goto("/app/#/signup")
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_label("Send me a daily reminder when a follow-up is due")).to_have_count(0)
    page.get_by_label("Email").fill(f"new-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()

    page.goto("/app/#/settings")
    section = page.get_by_role("region", name="Email")
    expect(section.get_by_text("This server does not send reminder emails")).to_be_visible()
    expect(section.get_by_role("checkbox")).to_have_count(0)
