"""Times in the account's zone, named, whatever the browser's; the contact's own time beside."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, expect

from tests.webapp.conftest import DESKTOP, Api, fresh_organization, signed_in_context


def _clock(instant: str, zone: str) -> str:
    local = datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return local.strftime("%-I:%M %p")


def test_times_follow_the_account_not_the_browser(
    browser: Browser, base_url: str, api: Api
) -> None:
    assert api.http.patch("/v1/settings", json={"timezone": "America/New_York"}).is_success
    made = fresh_organization(api)
    ann = made["contact"]
    london_contact = api.http.patch(f"/v1/contacts/{ann['id']}", json={"timezone": "Europe/London"})
    assert london_contact.status_code == 200
    action = api.get("/v1/agenda")["items"][0]
    assert action["contact"]["timezone"] == "Europe/London", action

    # A browser in Tokyo: nothing it shows is Tokyo time.
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, timezone_id="Asia/Tokyo")
    context.set_default_timeout(10_000)
    context.add_init_script(f"sessionStorage.setItem('keepwarm.key', '{api.key}');")
    page = context.new_page()
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Asia/Tokyo"
    page.goto("/app/#/today")
    card = page.get_by_role("article", name="Acme Robotics")
    when = card.locator(".when")
    expect(when).to_be_visible()
    new_york = _clock(action["due_at"], "America/New_York")
    london = _clock(action["due_at"], "Europe/London")
    expect(when).to_contain_text(f"{new_york} EST")
    expect(when).to_contain_text(f"{london} Ann Lee\u2019s time (Europe/London)")
    assert _clock(action["due_at"], "Asia/Tokyo") not in (when.text_content() or "")

    # The same contact in the account's zone: no second time.
    assert api.http.patch(f"/v1/contacts/{ann['id']}", json={"timezone": None}).status_code == 200
    action = api.get("/v1/agenda")["items"][0]
    page.reload()
    expect(card.locator(".when")).to_contain_text(
        f"{_clock(action['due_at'], 'America/New_York')} EST"
    )
    expect(card.locator(".when")).not_to_contain_text("\u2019s time")

    # Settings: a picker of IANA zones, never free text.
    page.goto("/app/#/settings")
    picker = page.get_by_role("form", name="Time zone").get_by_label("Your time zone")
    assert picker.evaluate("node => node.tagName") == "SELECT"
    expect(picker).to_have_value("America/New_York")
    zones = picker.locator("option").evaluate_all("nodes => nodes.map((n) => n.value)")
    assert {"Europe/London", "Asia/Tokyo", "America/Los_Angeles"} <= set(zones)
    assert len(zones) > 300
    picker.select_option("America/Los_Angeles")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_role("form", name="Time zone").get_by_text("Saved.")).to_be_visible()
    assert api.get("/v1/settings")["timezone"] == "America/Los_Angeles"
    action = api.get("/v1/agenda")["items"][0]  # planned again, at 10:00 in Los Angeles
    page.goto("/app/#/today")
    expect(card.locator(".when")).to_contain_text(
        f"{_clock(action['due_at'], 'America/Los_Angeles')} PST"
    )
    context.close()


def test_a_contacts_zone_is_picked_not_typed(browser: Browser, base_url: str, api: Api) -> None:
    made = fresh_organization(api)
    org, ann = made["organization"], made["contact"]
    context = signed_in_context(browser, base_url, api, DESKTOP)
    page = context.new_page()
    page.goto(f"/app/#/organizations/{org['id']}/contacts/{ann['id']}/edit")
    picker = page.get_by_label("Their time zone")
    assert picker.evaluate("node => node.tagName") == "SELECT"
    expect(picker).to_have_value("")
    picker.select_option("Europe/Paris")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    assert api.get(f"/v1/contacts/{ann['id']}")["timezone"] == "Europe/Paris"
    context.close()
