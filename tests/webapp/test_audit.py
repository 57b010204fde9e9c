"""The accessibility audit's findings, held: whose each control is, contrast of what shows a
control or a mark, and a phone card whose log buttons are in reach."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.webapp.conftest import (
    PHONE,
    SCREENSHOTS,
    Api,
    days_ago,
    fresh_organization,
    seed,
    signed_in_context,
)


def _caller(api: Api, name: str = "Dr. Carla Moss") -> dict[str, str]:
    """An organization whose only way in is a phone: a call, with voicemail and responses."""
    org = api.post(
        "/v1/organizations",
        {"name": "Initech", "role_applied": "Analyst", "rejected_on": days_ago(1)},
    )
    api.post(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": name,
            "role": "hiring_manager",
            "phone": "+1 312 555 0188",
        },
    )
    return org


def test_every_control_of_a_card_says_whose_it_is(page: Page, api: Api) -> None:
    org = _caller(api)
    fresh_organization(api)
    page.goto("/app/#/today")
    card = page.get_by_role("article", name="Initech")
    expect(card.get_by_role("link", name="Call Dr. Carla Moss", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Call Dr.", exact=True)).to_have_count(0)
    expect(card.locator("summary", has_text="Snooze")).to_have_attribute(
        "aria-label", "Snooze Dr. Carla Moss\u2019s follow-up"
    )
    expect(
        card.get_by_role("button", name="Skip this touch: Dr. Carla Moss\u2019s follow-up")
    ).to_be_visible()
    expect(
        card.get_by_role("button", name="We talked: log the call with Dr. Carla Moss")
    ).to_be_visible()
    expect(card.get_by_text("Something else happened")).to_have_attribute(
        "aria-label", "Something else happened with Dr. Carla Moss"
    )
    # No two controls on the page share a name (one per card, each naming its person).
    assert not _repeated_names(page)
    page.goto(f"/app/#/organizations/{org['id']}")
    expect(page.get_by_role("article", name="Call: Dr. Carla Moss")).to_be_visible()
    assert not _repeated_names(page)


def _repeated_names(page: Page) -> set[str]:
    names: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('main button, main summary, main a')]
             .map((n) => n.getAttribute('aria-label') || n.textContent.trim())"""
    )
    return {name for name in names if names.count(name) > 1}


def _luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_borders_and_marks_contrast_at_least_3_to_1(page: Page, api: Api) -> None:
    made = seed(api)
    white = "rgb(255, 255, 255)"
    page.goto(f"/app/#/organizations/{made['organization']['id']}/edit")
    field = page.get_by_label("Role you applied for")
    assert _contrast(field.evaluate("n => getComputedStyle(n).borderTopColor"), white) >= 3
    page.goto(f"/app/#/organizations/{made['organization']['id']}")
    secondary = page.get_by_role("link", name="Edit organization")
    assert _contrast(secondary.evaluate("n => getComputedStyle(n).borderTopColor"), white) >= 3
    timeline = page.get_by_role("img", name="Timeline of touches with Northwind Labs")
    expect(timeline).to_be_visible()
    ring = timeline.locator("circle.touch-missed").first.evaluate("n => getComputedStyle(n).stroke")
    bands = timeline.locator(".band rect").evaluate_all(
        "nodes => nodes.map((n) => getComputedStyle(n).fill)"
    )
    assert bands
    for band in bands:
        assert _contrast(ring, band) >= 3, (ring, band)


def test_a_phone_card_reaches_its_log_buttons_first(
    browser: Browser, base_url: str, api: Api
) -> None:
    _caller(api, "Ann Lee")
    action = api.get("/v1/agenda")["items"][0]
    assert action["script"]["voicemail"] and action["script"]["responses"]
    context = signed_in_context(browser, base_url, api, PHONE)
    page = context.new_page()
    page.goto("/app/#/today")
    card = page.get_by_role("article", name="Initech")
    voicemail = card.get_by_text(action["script"]["voicemail"])
    response = card.get_by_text(action["script"]["responses"][0]["say"])
    expect(voicemail).to_be_hidden()
    expect(response).to_be_hidden()
    buttons = card.get_by_role("group", name="Log the touch with Ann Lee")
    page.screenshot(path=SCREENSHOTS / "today-card-phone.png", full_page=True)
    # Between the script and the log buttons: only the two folded summaries, not screens.
    script = card.locator("p.script-text").first
    expect(script).to_have_text(action["script"]["text"])
    script_box = script.bounding_box() or {}
    buttons_box = buttons.bounding_box() or {}
    gap = buttons_box["y"] - (script_box["y"] + script_box["height"])
    assert 0 < gap < 200, gap

    card.get_by_text("If nobody answers: voicemail").click()
    expect(voicemail).to_be_visible()
    card.get_by_text("If Ann Lee says…").click()
    expect(response).to_be_visible()
    context.close()
