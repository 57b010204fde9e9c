"""Settings beyond the cadence: the calendar feed, export, password change, account deletion."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.webapp.conftest import (
    DESKTOP,
    PASSWORD,
    PHONE,
    SCREENSHOTS,
    Api,
    fresh_organization,
    signed_in_context,
)


def test_calendar_feed_copy_subscribe_rotate(browser: Browser, base_url: str, api: Api) -> None:
    context = signed_in_context(browser, base_url, api, DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto("/app/#/settings")
    reminders = page.get_by_role("region", name="Reminders")
    feed = api.get("/v1/calendar")
    expect(reminders.get_by_label("Your calendar feed URL")).to_have_value(feed["feed_url"])
    expect(reminders.get_by_role("link", name="Subscribe in your calendar app")).to_have_attribute(
        "href", feed["webcal_url"]
    )
    reminders.get_by_role("button", name="Copy feed URL for your calendar").click()
    assert page.evaluate("navigator.clipboard.readText()") == feed["feed_url"]
    for app in ("Google Calendar", "Apple Calendar", "Outlook"):
        steps = reminders.get_by_role("group").filter(has_text=app)
        steps.locator("summary").click()
        expect(steps.get_by_role("listitem").first).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "settings-reminders-desktop.png", full_page=True)

    reminders.get_by_role("button", name="Rotate the URL").click()
    dialog = page.get_by_role("dialog", name="Rotate the calendar URL?")
    dialog.get_by_role("button", name="Rotate it").click()
    expect(reminders.get_by_label("Your calendar feed URL")).not_to_have_value(feed["feed_url"])
    fresh = api.get("/v1/calendar")
    expect(reminders.get_by_label("Your calendar feed URL")).to_have_value(fresh["feed_url"])
    assert httpx.get(feed["feed_url"]).status_code == 404
    assert httpx.get(fresh["feed_url"]).status_code == 200
    context.close()


def test_export_downloads_the_accounts_json(page: Page, api: Api) -> None:
    fresh_organization(api)
    page.goto("/app/#/settings")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data (JSON)").click()
    saved = download.value
    assert saved.suggested_filename.startswith("keepwarm-export-")
    document = json.loads(Path(saved.path()).read_text(encoding="utf-8"))
    assert [org["name"] for org in document["organizations"]] == ["Acme Robotics"]
    assert [c["name"] for c in document["contacts"]] == ["Ann Lee"]
    expect(page.get_by_text(f"Downloaded {saved.suggested_filename}.")).to_be_visible()


def test_change_the_password(page: Page, api: Api, base_url: str) -> None:
    page.goto("/app/#/settings")
    form = page.get_by_role("form", name="Password")
    form.get_by_label("Current password").fill("not my password")
    form.get_by_label("New password").fill("a brand new phrase 7")
    form.get_by_role("button", name="Change password").click()
    current = form.get_by_label("Current password")
    expect(current).to_have_attribute("aria-invalid", "true")

    current.fill(PASSWORD)
    form.get_by_label("New password").fill("a brand new phrase 7")
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_role("status")).to_contain_text("Password changed.")
    sign_in = {"email": api.email, "password": "a brand new phrase 7", "name": "check"}
    assert httpx.post(f"{base_url}/v1/tokens", json=sign_in).status_code == 201


def test_delete_the_account_after_saying_what_is_lost(
    browser: Browser, base_url: str, api: Api
) -> None:
    fresh_organization(api)
    context = signed_in_context(browser, base_url, api, PHONE)
    page = context.new_page()
    page.goto("/app/#/settings")
    form = page.get_by_role("form", name="Delete your account")
    form.get_by_label("Your password, to confirm").fill(PASSWORD)
    form.get_by_role("button", name="Delete my account").click()
    dialog = page.get_by_role("dialog", name="Delete your account for good?")
    expect(dialog).to_contain_text(api.email)
    expect(dialog).to_contain_text("1 organization, 1 contact and 0 logged touches")
    page.screenshot(path=SCREENSHOTS / "settings-delete-phone.png")
    dialog.get_by_role("button", name="Keep my account").click()
    assert api.http.get("/v1/me").status_code == 200

    form.get_by_role("button", name="Delete my account").click()
    dialog.get_by_role("button", name="Delete everything").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_focused()
    assert api.http.get("/v1/me").status_code == 401
    context.close()
