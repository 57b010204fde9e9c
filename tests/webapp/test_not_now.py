"""Today, "not now": snooze an action to a later time, or skip it and see what comes next."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.webapp.conftest import SCREENSHOTS, Api, fresh_organization


def _slot(days: int) -> datetime:
    """`days` from today at 10:00 UTC (the default hour and zone), a weekend moved to Monday."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    day += timedelta(days={5: 2, 6: 1}.get(day.weekday(), 0))
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _due(action: dict[str, str]) -> datetime:
    return datetime.fromisoformat(action["due_at"].replace("Z", "+00:00"))


def test_snooze_for_a_week(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    (action,) = api.get("/v1/next-actions", organization_id=org["id"])["data"]

    page.goto("/app/#/today")
    card = page.get_by_role("article", name="Acme Robotics")
    card.get_by_text("Snooze", exact=True).click()
    snooze = card.get_by_role("form", name="Snooze the touch with Ann Lee")
    snooze.get_by_role("button", name=re.compile(r"^1 week")).click()

    card = page.get_by_role("article", name="Acme Robotics")
    expect(card.get_by_role("status")).to_contain_text("Snoozed: now due")
    expect(card.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    (held,) = api.get("/v1/next-actions", organization_id=org["id"])["data"]
    assert held["id"] == action["id"]
    assert _due(held) == _slot(7)
    assert held["sequence"] == action["sequence"] + 1
    expect(card.locator(".when")).not_to_contain_text("Overdue")
    page.screenshot(path=SCREENSHOTS / "today-snoozed-desktop.png")


def test_snooze_to_a_chosen_time_errors_by_the_field(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    (action,) = api.get("/v1/next-actions", organization_id=org["id"])["data"]
    page.goto("/app/#/today")
    card = page.get_by_role("article", name="Acme Robotics")
    card.get_by_text("Snooze", exact=True).click()
    until = card.get_by_label("Or choose a day and time")
    expect(until).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT10:00$"))

    until.fill("2020-01-06T10:00")
    card.get_by_role("button", name="Snooze until then").click()
    expect(until).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{(until.get_attribute('aria-describedby') or '').split()[-1]}")
    expect(error).to_contain_text("future")
    assert api.get(f"/v1/next-actions/{action['id']}")["due_at"] == action["due_at"]

    later = date.today() + timedelta(days=20)
    until.fill(f"{later.isoformat()}T09:30")
    card.get_by_role("button", name="Snooze until then").click()
    card = page.get_by_role("article", name="Acme Robotics")
    expect(card.get_by_role("status")).to_contain_text("Snoozed")
    held = api.get(f"/v1/next-actions/{action['id']}")
    assert _due(held) == datetime(later.year, later.month, later.day, 9, 30, tzinfo=UTC)


def test_skip_asks_first_then_shows_the_next_touch(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    (action,) = api.get("/v1/next-actions", organization_id=org["id"])["data"]
    page.goto("/app/#/today")
    card = page.get_by_role("article", name="Acme Robotics")

    card.get_by_role("button", name="Skip this touch").click()
    dialog = page.get_by_role("dialog", name="Skip this touch?")
    expect(dialog).to_contain_text("plans the next touch with Acme Robotics")
    expect(dialog.get_by_role("button", name="Keep it")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(card.get_by_role("button", name="Skip this touch")).to_be_focused()
    assert api.get(f"/v1/next-actions/{action['id']}")["state"] == action["state"]

    card.get_by_role("button", name="Skip this touch").click()
    page.get_by_role("dialog", name="Skip this touch?").get_by_role(
        "button", name="Skip it"
    ).click()
    status = card.get_by_role("status")
    expect(status).to_contain_text("Skipped: nothing was logged.")
    assert api.get(f"/v1/next-actions/{action['id']}")["state"] == "skipped"
    (following,) = api.get("/v1/next-actions", organization_id=org["id"])["data"]
    assert following["id"] != action["id"]
    expect(status).to_contain_text(following["reason"])
    assert api.get("/v1/attempts", organization_id=org["id"])["data"] == []
    page.screenshot(path=SCREENSHOTS / "today-skipped-desktop.png")
