"""An organization where you know people and nobody said no (R17): `watching`.

Needs the API's `watching` status (another branch adds it): until both are merged, the API
refuses it and this test fails."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.webapp.conftest import Api


def test_add_an_organization_nobody_said_no_at(page: Page, api: Api) -> None:
    page.goto("/app/#/organizations/new")
    page.get_by_label("Name").fill("Contoso")
    stance = page.get_by_role("group", name="Where things stand")
    expect(stance.get_by_label("They said no")).to_be_checked()
    expect(page.get_by_label("The day they said no")).to_be_visible()
    stance.get_by_label("We haven\u2019t talked about a job").check()
    expect(page.get_by_label("The day they said no")).to_be_hidden()
    page.get_by_role("button", name="Add organization").click()
    expect(page.get_by_role("heading", name="Contoso")).to_be_focused()
    expect(page.get_by_text("We haven\u2019t talked about a job")).to_be_visible()
    [org] = api.get("/v1/organizations")["data"]
    assert (org["status"], org["rejected_on"]) == ("watching", None)

    # Once they do say no, the day is set on the edit form, and the status moves on.
    page.get_by_role("link", name="Edit organization").click()
    status = page.get_by_label("Status")
    expect(status).to_have_value("watching")
    status.select_option("nurturing")
    page.get_by_label("The day they said no").fill("2026-11-30")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Contoso")).to_be_focused()
    expect(page.get_by_text("They said no on Mon, Nov 30, 2026")).to_be_visible()


def test_they_said_no_shows_the_day(page: Page, api: Api) -> None:
    page.goto("/app/#/organizations/new")
    page.get_by_label("Name").fill("Globex")
    page.get_by_label("The day they said no").fill("2026-11-30")
    page.get_by_role("button", name="Add organization").click()
    expect(page.get_by_role("heading", name="Globex")).to_be_focused()
    expect(page.get_by_text("They said no on Mon, Nov 30, 2026")).to_be_visible()
    page.get_by_role("link", name="Organizations", exact=True).first.click()
    expect(page.get_by_role("listitem").filter(has_text="Globex")).to_contain_text(
        "They said no on Mon, Nov 30, 2026"
    )
    assert api.get("/v1/organizations")["data"][0]["status"] == "nurturing"
