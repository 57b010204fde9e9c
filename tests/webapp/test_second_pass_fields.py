"""The second pass's fields in the web app: what you talked about (organization), your phone
and email (profile), a news item in your own words; each saved through the API and shown in
the scripts."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.webapp.conftest import Api, fresh_organization


def test_talked_about_is_edited_with_the_organization(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    page.goto(f"/app/#/organizations/{org['id']}/edit")
    expect(page.get_by_role("heading", name="Edit Acme Robotics")).to_be_focused()
    page.get_by_label("What you talked about").fill("the data-platform migration")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    assert api.get(f"/v1/organizations/{org['id']}")["talked_about"] == (
        "the data-platform migration"
    )


def test_the_profile_takes_a_phone_and_an_email(page: Page, api: Api) -> None:
    page.goto("/app/#/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_focused()
    profile = page.get_by_role("form", name="Profile")
    profile.get_by_label("Your phone").fill("+1 312 555 0199")
    profile.get_by_label("Your email").fill("sam@example.com")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_text("Saved.")).to_be_visible()
    held = api.get("/v1/profile")
    assert (held["phone"], held["email"]) == ("+1 312 555 0199", "sam@example.com")
    # Refused by the API: said under the field it names.
    profile.get_by_label("Your phone").fill("call me")
    profile.get_by_role("button", name="Save profile").click()
    field = profile.get_by_label("Your phone")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert api.get("/v1/profile")["phone"] == "+1 312 555 0199"


def test_news_in_your_own_words(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    page.goto(f"/app/#/organizations/{org['id']}/news/new")
    form = page.get_by_role("form", name="Add news")
    form.get_by_label("Headline").fill("Acme Robotics lays off 80 staff")
    form.get_by_label("Tone").select_option("difficult")
    form.get_by_label("In your own words").fill("the restructuring")
    form.get_by_role("button", name="Add news").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    (item,) = api.get(f"/v1/organizations/{org['id']}/news")["data"]
    assert (item["tone"], item["summary"]) == ("difficult", "the restructuring")
