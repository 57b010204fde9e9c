"""A new account: sign-up takes the browser's time zone, and a checklist leads the first steps."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.webapp.conftest import DESKTOP, PASSWORD, SCREENSHOTS, Api, signed_in_context


def _item(page: Page, name: str) -> Locator:
    checklist = page.get_by_role("region", name="Get started")
    return checklist.get_by_role("listitem").filter(has=page.get_by_role("link", name=name))


def test_first_run_checklist_ticks_itself_step_by_step(browser: Browser, base_url: str) -> None:
    context = browser.new_context(
        base_url=base_url, viewport=DESKTOP, timezone_id="America/New_York"
    )
    context.set_default_timeout(10_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    email = f"first-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/app/#/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()

    checklist = page.get_by_role("region", name="Get started")
    expect(checklist).to_contain_text("0 of 4 done")
    expect(checklist.get_by_role("listitem")).to_have_count(4)
    expect(page.get_by_text("You are all caught up")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "first-run-desktop.png", full_page=True)

    # The account's zone is the browser's, set at sign-up.
    key = page.evaluate("sessionStorage.getItem('keepwarm.key')")
    http = httpx.Client(base_url=base_url, timeout=10, headers={"Authorization": f"Bearer {key}"})
    assert http.get("/v1/settings").json()["timezone"] == "America/New_York"

    _item(page, "Your name").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_focused()
    page.get_by_role("form", name="Profile").get_by_label("Your name").fill("Sam Park")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("form", name="Profile").get_by_text("Saved.")).to_be_visible()
    page.get_by_role("link", name="Today").click()
    expect(_item(page, "Your name")).to_contain_text("(done)")
    expect(checklist).to_contain_text("1 of 4 done")

    _item(page, "The organization that said no").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Add an organization")).to_be_focused()
    page.get_by_label("Name").fill("Acme Robotics")
    page.get_by_label("The day they said no").fill("2026-11-30")
    page.get_by_role("button", name="Add organization").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    page.get_by_role("link", name="Today").click()
    expect(_item(page, "The organization that said no")).to_contain_text("(done)")

    _item(page, "Its hiring manager").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Add a contact")).to_be_focused()
    expect(page.get_by_role("link", name="Acme Robotics")).to_be_visible()
    page.get_by_label("Name").fill("Ann Lee")
    page.get_by_label("Email").fill("ann@acme.example")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    page.get_by_role("link", name="Today").click()
    expect(_item(page, "Its hiring manager")).to_contain_text("(done)")
    expect(checklist).to_contain_text("3 of 4 done")

    _item(page, "How you want to be reminded").get_by_role("link").click()
    reminders = page.get_by_role("region", name="Reminders")
    reminders.get_by_role("button", name="Copy feed URL for your calendar").click()
    page.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    expect(page.get_by_role("region", name="Get started")).to_have_count(0)
    http.close()
    context.close()


def test_the_checklist_asks_for_a_phone_once_the_profile_has_one(
    browser: Browser, base_url: str, api: Api
) -> None:
    """The name alone ticks the item; a phone is asked for where the API's profile has one.

    The profile is answered without, then with, `phone` and `email`, whichever the API has."""
    context = signed_in_context(browser, base_url, api, DESKTOP)
    page = context.new_page()
    extra: dict[str, None] = {}

    def profile_with(route: Route) -> None:
        if route.request.method != "GET":
            route.continue_()
            return
        answer = route.fetch()
        held = {k: v for k, v in answer.json().items() if k not in ("phone", "email")}
        route.fulfill(response=answer, json={**held, **extra})

    page.route("**/v1/profile", profile_with)
    page.goto("/app/#/settings")
    expect(page.get_by_role("form", name="Profile").get_by_label("Your name")).to_be_visible()
    expect(page.get_by_role("form", name="Profile").get_by_label("Your phone")).to_have_count(0)
    page.goto("/app/#/today")
    expect(_item(page, "Your name")).to_have_count(1)
    expect(page.get_by_role("link", name="Your name and phone")).to_have_count(0)

    extra.update(phone=None, email=None)
    page.goto("/app/#/settings")
    profile = page.get_by_role("form", name="Profile")
    expect(profile.get_by_label("Your phone")).to_be_visible()
    expect(profile.get_by_label("Your email")).to_be_visible()
    page.goto("/app/#/today")
    expect(page.get_by_role("link", name="Your name and phone")).to_be_visible()
    api.http.patch("/v1/profile", json={"name": "Sam Park"})
    page.reload()
    expect(_item(page, "Your name and phone")).to_contain_text("(done)")
    context.close()


def test_the_checklist_can_be_hidden(page: Page, api: Api) -> None:
    page.goto("/app/#/today")
    checklist = page.get_by_role("region", name="Get started")
    checklist.get_by_role("button", name="Hide this checklist").click()
    expect(checklist).to_have_count(0)
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    page.reload()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    expect(page.get_by_role("region", name="Get started")).to_have_count(0)
    assert api.get("/v1/profile")["name"] is None  # hidden, not done
