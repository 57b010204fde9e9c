"""An organization's page: contacts, news, and the timeline of touches with its phases."""

from __future__ import annotations

import itertools

from playwright.sync_api import Page, expect

from tests.webapp.conftest import Api, seed


def test_timeline_shows_every_touch_the_plan_and_the_phases(page: Page, api: Api) -> None:
    made = seed(api)
    org = made["organization"]
    attempts = api.get("/v1/attempts", organization_id=org["id"])["data"]
    action = api.get("/v1/next-actions", organization_id=org["id"])["data"][0]

    page.goto("/app/#/organizations")
    page.get_by_role("link", name="Northwind Labs").click()
    expect(page.get_by_role("heading", name="Northwind Labs")).to_be_focused()
    expect(page.get_by_role("region", name="Contacts")).to_contain_text("Dana Whitfield")
    expect(page.get_by_role("region", name="Contacts")).to_contain_text("Ravi Patel")
    expect(page.get_by_role("region", name="News")).to_contain_text("studio in Lisbon")

    picture = page.get_by_role("img", name="Timeline of touches with Northwind Labs")
    expect(picture).to_be_visible()
    assert picture.locator("circle.touch").count() == len(attempts) == 7
    assert picture.locator("circle.touch-missed").count() == 1  # the call nobody answered
    assert picture.locator("circle.touch-inbound").count() == 1
    expect(picture.locator("circle.planned-mark")).to_have_count(1)
    # Five outbound touches: first touch, then warm (four), then maintenance.
    assert [
        cls.split()[-1]
        for cls in picture.locator("g.band").evaluate_all(
            "gs => gs.map(g => g.getAttribute('class'))"
        )
    ] == ["band-initial", "band-warm", "band-maintenance"]
    assert action["phase"] == "maintenance"
    # Earlier bands end where the next phase's first touch is.
    xs = picture.locator("g.band rect").evaluate_all(
        "rs => rs.map(r => [Number(r.getAttribute('x')), Number(r.getAttribute('width'))])"
    )
    assert all(abs(a[0] + a[1] - b[0]) < 0.01 for a, b in itertools.pairwise(xs))
    expect(page.get_by_role("region", name="Next touch")).to_contain_text(action["reason"])


def test_skip_link_moves_focus_to_the_content_and_stays_on_the_page(page: Page, api: Api) -> None:
    org = seed(api)["organization"]
    page.goto(f"/app/#/organizations/{org['id']}")
    expect(page.get_by_role("heading", name="Northwind Labs")).to_be_focused()
    url = page.url
    skip = page.get_by_role("link", name="Skip to content")
    skip.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    assert page.url == url
    expect(page.get_by_role("heading", name="Northwind Labs", level=1)).to_be_visible()
    # The next Tab goes on from the content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
