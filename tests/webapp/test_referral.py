"""Logging "they referred me to someone": the person picked, or added first."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.webapp.conftest import SCREENSHOTS, Api, fresh_organization


def _log_form(page: Page) -> Locator:
    page.goto("/app/#/today")
    card = page.get_by_role("article", name="Acme Robotics")
    card.get_by_text("Something else happened").click()
    form = card.get_by_role("form", name="Log another outcome")
    form.get_by_label("Outcome").select_option(label="They referred me to someone")
    return form


def _error_of(page: Page, control: Locator) -> Locator:
    expect(control).to_have_attribute("aria-invalid", "true")
    return page.locator(f"#{(control.get_attribute('aria-describedby') or '').split()[-1]}")


def test_referred_to_someone_new(page: Page, api: Api) -> None:
    made = fresh_organization(api)
    org, ann = made["organization"], made["contact"]
    form = _log_form(page)
    form.get_by_label("Who did they refer you to?").select_option(label="Someone new: add them")
    form.get_by_label("Their name").fill("Bo Chen")
    form.get_by_label("Their role").select_option(label="Hiring manager")
    form.get_by_label("Their email").fill("bo@acme.example")
    page.screenshot(path=SCREENSHOTS / "today-referred-desktop.png")
    form.get_by_role("button", name="Log it").click()
    card = page.get_by_role("article", name="Acme Robotics")
    expect(card.get_by_role("status")).to_contain_text("Logged: They referred me to someone.")

    contacts = {c["name"]: c for c in api.get("/v1/contacts", organization_id=org["id"])["data"]}
    bo = contacts["Bo Chen"]
    assert (bo["role"], bo["email"]) == ("hiring_manager", "bo@acme.example")
    (attempt,) = api.get("/v1/attempts", organization_id=org["id"])["data"]
    assert (attempt["contact_id"], attempt["outcome"], attempt["referred_to_contact_id"]) == (
        ann["id"],
        "referred",
        bo["id"],
    )
    (following,) = api.get("/v1/next-actions", organization_id=org["id"])["data"]
    assert following["contact_id"] == bo["id"]  # the person named is reached next


def test_referred_to_a_contact_on_file_errors_by_their_field(page: Page, api: Api) -> None:
    made = fresh_organization(api)
    org = made["organization"]
    ravi = api.post(
        "/v1/contacts",
        {"organization_id": org["id"], "name": "Ravi Patel", "role": "recruiter"},
    )
    form = _log_form(page)
    who = form.get_by_label("Who did they refer you to?")
    form.get_by_role("button", name="Log it").click()
    expect(_error_of(page, who)).to_contain_text("who they named")

    who.select_option(label="Someone new: add them")
    form.get_by_role("button", name="Log it").click()
    expect(_error_of(page, form.get_by_label("Their name"))).to_be_visible()
    assert len(api.get("/v1/contacts", organization_id=org["id"])["data"]) == 2

    who.select_option(label="Ravi Patel · Recruiter")
    expect(form.get_by_label("Their name")).to_be_hidden()
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("article", name="Acme Robotics").get_by_role("status")).to_contain_text(
        "Logged"
    )
    (attempt,) = api.get("/v1/attempts", organization_id=org["id"])["data"]
    assert (attempt["outcome"], attempt["referred_to_contact_id"]) == ("referred", ravi["id"])
    assert len(api.get("/v1/contacts", organization_id=org["id"])["data"]) == 2
