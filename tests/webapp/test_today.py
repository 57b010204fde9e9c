"""Today: the agenda with its script and links, and one tap to log the touch."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.webapp.conftest import (
    DESKTOP,
    SCREENSHOTS,
    Api,
    days_ago,
    fresh_organization,
    signed_in_context,
)


def test_today_shows_the_action_and_logs_the_touch(page: Page, api: Api) -> None:
    made = fresh_organization(api)
    org = made["organization"]
    api.post("/v1/organizations", {"name": "Quiet Co"})  # nobody on file: it needs you
    action = api.get("/v1/agenda")["items"][0]

    page.goto("/app/#/today")
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    card = page.get_by_role("article", name="Acme Robotics")
    expect(card).to_contain_text(action["reason"])
    expect(card).to_contain_text(action["script"]["text"])
    expect(card).to_contain_text(action["script"]["subject"])
    email = card.get_by_role("link", name="Email Ann")
    expect(email).to_have_attribute("href", action["links"]["mailto"])
    assert action["links"]["mailto"].startswith("mailto:ann@acme.example")
    expect(card.get_by_role("link", name="Call Ann")).to_have_attribute(
        "href", action["links"]["tel"]
    )
    needs = page.get_by_role("region", name="Needs you")
    expect(needs.get_by_role("link", name="Quiet Co")).to_be_visible()
    expect(needs).to_contain_text("Nobody on file yet")

    card.get_by_role("group", name="Log the touch with Ann Lee").get_by_role(
        "button", name="Sent"
    ).click()
    expect(card.get_by_role("status")).to_contain_text("Logged: Sent.")
    expect(card.get_by_role("status")).to_contain_text("Next:")

    attempts = api.get("/v1/attempts", organization_id=org["id"])["data"]
    assert [(a["channel"], a["outcome"], a["next_action_id"]) for a in attempts] == [
        ("email", "sent", action["id"])
    ]
    assert attempts[0]["script_variant"] == action["script"]["variant"]
    following = api.get("/v1/next-actions", organization_id=org["id"])["data"][0]
    assert following["id"] != action["id"] or following["sequence"] > action["sequence"]
    expect(card.get_by_role("status")).to_contain_text(following["reason"])
    page.screenshot(path=SCREENSHOTS / "today-logged-desktop.png")


def test_copy_buttons_say_whose_script_they_copy(browser: Browser, base_url: str, api: Api) -> None:
    fresh_organization(api)
    other = api.post("/v1/organizations", {"name": "Globex", "rejected_on": days_ago(1)})
    api.post(
        "/v1/contacts",
        {
            "organization_id": other["id"],
            "name": "Bo Chen",
            "role": "hiring_manager",
            "email": "bo@globex.example",
        },
    )
    items = api.get("/v1/agenda")["items"]
    ann = next(item for item in items if item["contact"]["name"] == "Ann Lee")
    context = signed_in_context(browser, base_url, api, DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto("/app/#/today")
    expect(page.get_by_role("button", name="Copy script for Bo Chen")).to_be_visible()
    button = page.get_by_role("button", name="Copy script for Ann Lee", exact=True)
    # Short to the eye: the contact's name is for screen readers.
    expect(button).to_have_text("Copy script")
    button.click()
    expect(page.get_by_role("button", name="Copied script for Ann Lee", exact=True)).to_have_text(
        "Copied"
    )
    assert page.evaluate("navigator.clipboard.readText()") == ann["script"]["text"]
    context.close()


def test_another_outcome_refused_by_the_api_is_shown_by_its_field(page: Page, api: Api) -> None:
    fresh_organization(api)
    page.goto("/app/#/today")
    page.get_by_text("Something else happened").click()
    form = page.get_by_role("form", name="Log another outcome")
    form.get_by_label("Outcome").select_option(label="They replied")
    form.get_by_label("They asked me to follow up on").fill("2020-01-01")
    form.get_by_role("button", name="Log it").click()
    date = form.get_by_label("They asked me to follow up on")
    expect(date).to_have_attribute("aria-invalid", "true")
    described = date.get_attribute("aria-describedby") or ""
    error = page.locator(f"#{described.split()[-1]}")
    expect(error).to_contain_text("cannot be before")
