"""Settings and profile: edited with If-Match, and a change made elsewhere is not overwritten."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.webapp.conftest import Api


def test_edit_profile_and_cadence(page: Page, api: Api) -> None:
    page.goto("/app/#/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_focused()
    profile = page.get_by_role("form", name="Profile")
    profile.get_by_label("Your name").fill("Sam Park")
    profile.get_by_label("Email signature").fill("Sam Park\nsam.park.example")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_text("Saved.")).to_be_visible()
    assert api.get("/v1/profile") == {
        "name": "Sam Park",
        "signature": "Sam Park\nsam.park.example",
        "phone": None,
        "email": None,
    }

    zone = page.get_by_role("form", name="Time zone")
    zone.get_by_label("Your time zone").select_option("Europe/Paris")
    zone.get_by_role("button", name="Save time zone").click()
    expect(zone.get_by_text("Saved.")).to_be_visible()
    cadence = page.get_by_role("form", name="Cadence")
    cadence.get_by_label("Days between warm touches").fill("28")
    cadence.get_by_role("button", name="Save cadence").click()
    expect(cadence.get_by_text("Saved.")).to_be_visible()
    held = api.get("/v1/settings")
    assert (held["timezone"], held["warm_days"]) == ("Europe/Paris", 28)

    # Refused by the API: said under the field it names.
    cadence.get_by_label("Days between warm touches").fill("400")
    cadence.get_by_role("button", name="Save cadence").click()
    field = cadence.get_by_label("Days between warm touches")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    assert api.get("/v1/settings")["warm_days"] == 28


def test_a_change_made_elsewhere_is_not_overwritten(page: Page, api: Api) -> None:
    page.goto("/app/#/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_focused()
    api.http.patch("/v1/profile", json={"name": "Changed Elsewhere"})
    profile = page.get_by_role("form", name="Profile")
    profile.get_by_label("Your name").fill("Sam Park")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("alert")).to_contain_text("changed elsewhere")
    assert api.get("/v1/profile")["name"] == "Changed Elsewhere"


def test_saving_again_after_a_conflict_keeps_the_change_made_elsewhere(
    page: Page, api: Api
) -> None:
    page.goto("/app/#/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_focused()
    before = api.get("/v1/settings")
    changed = api.http.patch("/v1/settings", json={"warm_days": before["warm_days"] + 7})
    assert changed.status_code == 200
    cadence = page.get_by_role("form", name="Cadence")
    cadence.get_by_label("Preferred hour").fill("8")
    cadence.get_by_role("button", name="Save cadence").click()
    alert = cadence.get_by_role("alert")
    expect(alert).to_contain_text("changed elsewhere")
    expect(alert).to_contain_text("Days between warm touches")
    expect(cadence.get_by_label("Days between warm touches")).to_have_value(
        str(before["warm_days"] + 7)
    )

    cadence.get_by_role("button", name="Save cadence").click()
    expect(cadence.get_by_text("Saved.")).to_be_visible()
    assert api.get("/v1/settings")["warm_days"] == before["warm_days"] + 7

    cadence.get_by_label("Preferred hour").fill("8")
    cadence.get_by_role("button", name="Save cadence").click()
    expect(cadence.get_by_role("alert")).to_have_count(0)
    expect(cadence.get_by_text("Saved.")).to_be_visible()
    held = api.get("/v1/settings")
    assert (held["warm_days"], held["preferred_hour"]) == (before["warm_days"] + 7, 8)
