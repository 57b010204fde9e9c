"""Adding an organization, a contact and news through the forms; errors by their field."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.webapp.conftest import SCREENSHOTS, Api, days_ago


def test_add_organization_contact_and_news(page: Page, api: Api) -> None:
    page.goto("/app/#/organizations")
    page.get_by_role("link", name="Add organization").click()
    expect(page.get_by_role("heading", name="Add an organization")).to_be_focused()
    page.get_by_label("Name").fill("Globex")
    page.get_by_label("Role you applied for").fill("Staff Engineer")
    page.get_by_label("The day they said no").fill(days_ago(3))
    page.get_by_role("button", name="Add organization").click()
    expect(page.get_by_role("heading", name="Globex")).to_be_focused()
    (org,) = api.get("/v1/organizations")["data"]
    assert (org["name"], org["role_applied"], org["rejected_on"]) == (
        "Globex",
        "Staff Engineer",
        days_ago(3),
    )

    page.get_by_role("link", name="Add contact").click()
    expect(page.get_by_role("heading", name="Add a contact")).to_be_focused()
    page.get_by_label("Name").fill("Hank Scorpio")
    page.get_by_label("Role").select_option(label="Hiring manager")
    page.get_by_label("Email").fill("hank@globex.example")
    page.get_by_label("Phone").fill("+1 555 0100")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("heading", name="Globex")).to_be_focused()
    expect(page.get_by_role("region", name="Contacts")).to_contain_text("Hank Scorpio")
    (contact,) = api.get("/v1/contacts", organization_id=org["id"])["data"]
    assert (contact["role"], contact["email"]) == ("hiring_manager", "hank@globex.example")
    expect(page.get_by_role("region", name="Next touch")).to_contain_text("Hank Scorpio")

    page.get_by_role("link", name="Add news").click()
    page.get_by_label("Headline").fill("Globex ships its doomsday device on time")
    page.get_by_label("Tone").select_option("neutral")
    page.get_by_role("button", name="Add news").click()
    expect(page.get_by_role("region", name="News")).to_contain_text("doomsday device")
    (news,) = api.get(f"/v1/organizations/{org['id']}/news")["data"]
    assert news["tone"] == "neutral"


def test_api_validation_error_is_shown_next_to_its_field(page: Page, api: Api) -> None:
    page.goto("/app/#/organizations/new")
    page.get_by_label("Name").fill("Future Inc")
    page.get_by_label("The day they said no").fill(days_ago(-30))  # after today
    page.get_by_role("button", name="Add organization").click()
    rejected = page.get_by_label("The day they said no")
    expect(rejected).to_have_attribute("aria-invalid", "true")
    expect(rejected).to_be_focused()
    described = (rejected.get_attribute("aria-describedby") or "").split()
    message = page.locator(f"#{described[-1]}")
    expect(message).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("check the highlighted fields")
    page.screenshot(path=SCREENSHOTS / "organization-new-error-desktop.png")
    # The field's error sits right under it, and nothing was stored.
    assert message.evaluate("node => node.previousElementSibling.name") == "rejected_on"
    assert api.get("/v1/organizations")["data"] == []
    # Corrected, it goes through and the error is gone.
    rejected.fill(days_ago(2))
    page.get_by_role("button", name="Add organization").click()
    expect(page.get_by_role("heading", name="Future Inc")).to_be_visible()


def test_a_form_with_the_keyboard_alone(page: Page, api: Api) -> None:
    page.goto("/app/#/organizations")
    expect(page.get_by_role("heading", name="Organizations")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Add organization")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Add an organization")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Name")).to_be_focused()
    page.keyboard.type("Initech")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Role you applied for")).to_be_focused()
    page.keyboard.type("TPS Analyst")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Initech")).to_be_focused()
    (org,) = api.get("/v1/organizations")["data"]
    assert (org["name"], org["role_applied"]) == ("Initech", "TPS Analyst")
    # Focus is visible: the focused control draws an outline.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
