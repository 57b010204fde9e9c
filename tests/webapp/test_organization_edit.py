"""Editing an organization (with If-Match) and a contact; removing a contact or a news item."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.webapp.conftest import Api, days_ago, fresh_organization


def test_edit_organization_open_a_role_then_pause(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    page.goto(f"/app/#/organizations/{org['id']}")
    page.get_by_role("link", name="Edit organization").click()
    expect(page.get_by_role("heading", name="Edit Acme Robotics")).to_be_focused()
    page.get_by_label("Role you applied for").fill("Senior Data Analyst")
    page.get_by_label("Status").select_option("opening")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    expect(page.locator(".page-head")).to_contain_text("Opening")
    held = api.get(f"/v1/organizations/{org['id']}")
    assert (held["role_applied"], held["status"]) == ("Senior Data Analyst", "opening")

    page.get_by_role("link", name="Edit organization").click()
    page.get_by_label("Status").select_option(label="Paused: no follow-ups until I set it back")
    page.get_by_label("Why it is paused").fill("Hiring freeze until spring")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    expect(page.get_by_role("region", name="Next touch")).to_contain_text("Nothing planned")
    held = api.get(f"/v1/organizations/{org['id']}")
    assert (held["status"], held["paused_reason"]) == ("paused", "Hiring freeze until spring")
    assert api.get("/v1/next-actions", organization_id=org["id"])["data"] == []


def test_a_change_made_elsewhere_is_reloaded_not_overwritten(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    page.goto(f"/app/#/organizations/{org['id']}/edit")
    expect(page.get_by_role("heading", name="Edit Acme Robotics")).to_be_focused()
    changed = api.http.patch(f"/v1/organizations/{org['id']}", json={"name": "Acme Robotics Ltd"})
    assert changed.status_code == 200
    page.get_by_label("Role you applied for").fill("Analytics Lead")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("changed elsewhere")
    expect(page.get_by_label("Name")).to_have_value("Acme Robotics Ltd")
    expect(page.get_by_label("Role you applied for")).to_have_value("Data Analyst")
    assert api.get(f"/v1/organizations/{org['id']}")["role_applied"] == "Data Analyst"

    page.get_by_label("Role you applied for").fill("Analytics Lead")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Acme Robotics Ltd")).to_be_focused()
    held = api.get(f"/v1/organizations/{org['id']}")
    assert (held["name"], held["role_applied"]) == ("Acme Robotics Ltd", "Analytics Lead")


def test_edit_then_remove_a_contact(page: Page, api: Api) -> None:
    made = fresh_organization(api)
    org, ann = made["organization"], made["contact"]
    api.post("/v1/attempts", {"contact_id": ann["id"], "channel": "email", "outcome": "sent"})
    page.goto(f"/app/#/organizations/{org['id']}")
    page.get_by_role("link", name="Edit Ann Lee").click()
    expect(page.get_by_role("heading", name="Edit Ann Lee")).to_be_focused()
    page.get_by_label("Name").fill("Ann Lee-Hart")
    page.get_by_label("Role").select_option(label="Referrer")
    page.get_by_label("Email").fill("ann.hart@acme.example")
    page.get_by_label("Phone").fill("")
    page.get_by_label("Profile URL").fill("https://www.linkedin.com/in/annleehart")
    page.get_by_role("button", name="Save changes").click()
    contacts = page.get_by_role("region", name="Contacts")
    expect(contacts).to_contain_text("Ann Lee-Hart")
    held = api.get(f"/v1/contacts/{ann['id']}")
    assert (held["name"], held["role"], held["email"], held["phone"], held["profile_url"]) == (
        "Ann Lee-Hart",
        "referrer",
        "ann.hart@acme.example",
        None,
        "https://www.linkedin.com/in/annleehart",
    )

    page.get_by_role("link", name="Edit Ann Lee-Hart").click()
    page.get_by_role("button", name="Remove contact").click()
    dialog = page.get_by_role("dialog", name="Remove Ann Lee-Hart?")
    expect(dialog).to_contain_text("the touch logged with them")
    dialog.get_by_role("button", name="Keep").click()
    expect(dialog).to_be_hidden()
    assert api.get(f"/v1/contacts/{ann['id']}")["name"] == "Ann Lee-Hart"

    page.get_by_role("button", name="Remove contact").click()
    page.get_by_role("dialog", name="Remove Ann Lee-Hart?").get_by_role(
        "button", name="Remove"
    ).click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    expect(page.get_by_role("region", name="Contacts")).to_contain_text("Nobody on file yet")
    assert api.http.get(f"/v1/contacts/{ann['id']}").status_code == httpx.codes.NOT_FOUND
    assert api.get("/v1/attempts", organization_id=org["id"])["data"] == []


def test_remove_a_news_item(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    path = f"/v1/organizations/{org['id']}/news"
    api.post(path, {"headline": "Acme opens a lab in Leeds", "noticed_on": days_ago(3)})
    page.goto(f"/app/#/organizations/{org['id']}")
    news = page.get_by_role("region", name="News")
    news.get_by_role("button", name="Remove news: Acme opens a lab in Leeds").click()
    page.get_by_role("dialog", name="Remove this news item?").get_by_role(
        "button", name="Keep"
    ).click()
    assert len(api.get(path)["data"]) == 1

    news.get_by_role("button", name="Remove news: Acme opens a lab in Leeds").click()
    page.get_by_role("dialog", name="Remove this news item?").get_by_role(
        "button", name="Remove"
    ).click()
    expect(news).to_contain_text("No news yet")
    expect(news.get_by_role("heading", name="News")).to_be_focused()
    assert api.get(path)["data"] == []
