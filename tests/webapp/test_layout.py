"""Every page at phone and desktop widths (screenshots for the README), and how /app is served."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, ViewportSize, expect

from tests.conftest import PASSWORD
from tests.webapp.conftest import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    Api,
    fresh_organization,
    seed,
    signed_in_context,
)


@pytest.fixture(scope="module")
def rich(base_url: str) -> Iterator[Api]:
    account = Api(base_url)
    seed(account)
    fresh_organization(account)
    account.post("/v1/organizations", {"name": "Umbrella Corp"})
    # Signed in on a phone too: a second key on Settings.
    phone = {"email": account.email, "password": PASSWORD, "name": "Web app · Safari on iOS"}
    assert account.http.post("/v1/tokens", json=phone).status_code == 201
    yield account
    account.http.close()


def _pages(api: Api) -> list[tuple[str, str, str]]:
    """(file name, route, heading) of each page."""
    orgs = {o["name"]: o["id"] for o in api.get("/v1/organizations")["data"]}
    northwind = orgs["Northwind Labs"]
    dana = api.get("/v1/contacts", q="Dana")["data"][0]["id"]
    return [
        ("today", "#/today", "Today"),
        ("organizations", "#/organizations", "Organizations"),
        ("organization", f"#/organizations/{northwind}", "Northwind Labs"),
        ("organization-new", "#/organizations/new", "Add an organization"),
        ("contact-new", f"#/organizations/{northwind}/contacts/new", "Add a contact"),
        ("news-new", f"#/organizations/{northwind}/news/new", "Add news"),
        ("organization-edit", f"#/organizations/{northwind}/edit", "Edit Northwind Labs"),
        (
            "contact-edit",
            f"#/organizations/{northwind}/contacts/{dana}/edit",
            "Edit Dana Whitfield",
        ),
        ("import", "#/import", "Import contacts"),
        ("settings", "#/settings", "Settings"),
        ("log-touch", f"#/organizations/{northwind}/log", "Log a touch with Northwind Labs"),
    ]


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_page_fits_and_is_pictured(
    browser: Browser, base_url: str, rich: Api, width: str, viewport: ViewportSize
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = signed_in_context(browser, base_url, rich, viewport)
    # Subscribed to the calendar already: the first-run checklist is done, Today shows the plan.
    account_id = rich.get("/v1/me")["id"]
    context.add_init_script(
        f"localStorage.setItem('keepwarm.reminded-by.{account_id}', 'calendar');"
    )
    page = context.new_page()
    for name, route, heading in _pages(rich):
        page.goto(f"/app/{route}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_focused()
        if name == "organization":
            expect(
                page.get_by_role("img", name="Timeline of touches with Northwind Labs")
            ).to_be_visible()
        # No JavaScript null or undefined ever shows as text.
        shown = page.locator("main").inner_text()
        assert not re.search(r"\b(null|undefined)\b", shown), f"{name}: {shown}"
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        assert scroll <= viewport["width"], f"{name} scrolls sideways at {width}: {scroll}px"
        # Full height: a Today card's log buttons, the whole of Settings.
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    # Below the fold on Settings: the keys of each sign-in.
    page.goto("/app/#/settings")
    keys = page.get_by_role("region", name="Signed-in apps and keys")
    expect(keys.get_by_role("listitem")).to_have_count(2)
    keys.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"settings-keys-{width}.png")
    # The "not now" states of an action card: the snooze choices, and the skip confirmation.
    page.goto("/app/#/today")
    card = page.get_by_role("article", name="Acme Robotics")
    card.get_by_text("Snooze", exact=True).click()
    card.get_by_role("form", name="Snooze the touch with Ann Lee").scroll_into_view_if_needed()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=SCREENSHOTS / f"today-snooze-{width}.png")
    card.get_by_role("button", name="Skip this touch").click()
    expect(page.get_by_role("dialog", name="Skip this touch?")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"today-skip-{width}.png")
    page.keyboard.press("Escape")
    context.close()


def test_phone_menu_with_keyboard_and_screen_reader(
    browser: Browser, base_url: str, rich: Api
) -> None:
    context = signed_in_context(browser, base_url, rich, PHONE)
    page = context.new_page()
    page.goto("/app/#/today")
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    header = page.get_by_role("banner")
    # One tidy row: the brand and the menu button.
    assert (header.bounding_box() or {"height": 999})["height"] < 64
    menu = header.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(header.get_by_role("button", name="Sign out")).to_be_hidden()

    page.get_by_role("link", name="Skip to content").focus()
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    page.keyboard.press("Tab")
    expect(header.get_by_role("link", name="Today")).to_be_focused()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS / "menu-open-phone.png")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()

    menu.click()
    header.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(header.get_by_role("link", name="Settings")).to_be_hidden()
    context.close()


def test_sign_in_pictured(browser: Browser, base_url: str) -> None:
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(base_url=base_url, viewport=viewport)
        page = context.new_page()
        page.goto("/app/")
        expect(page.get_by_role("heading", name="Sign in")).to_be_focused()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=SCREENSHOTS / f"signin-{width}.png")
        context.close()


def test_static_files_revalidate_with_etag(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as http:
        first = http.get("/app/style.css")
        assert first.status_code == 200
        assert first.headers["Content-Type"].startswith("text/css")
        etag = first.headers["ETag"]
        again = http.get("/app/style.css", headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["ETag"] == etag


def test_app_is_served_with_strict_headers(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as http:
        bare = http.get("/app")
        assert bare.status_code in (307, 308)
        assert httpx.URL(f"{base_url}/app").join(bare.headers["Location"]).path == "/app/"
        index = http.get("/app/")
        assert index.status_code == 200
        assert index.headers["Content-Type"].startswith("text/html")
        assert "script-src 'self'" in index.headers["Content-Security-Policy"]
        for path in ("/app", "/app/", "/app/js/app.js", "/app/missing.js"):
            assert http.get(path).headers["X-Content-Type-Options"] == "nosniff", path
        assert http.get("/app/js/app.js").headers["Content-Type"].startswith("text/javascript")
        assert http.get("/app/missing.js").status_code == 404
        document = http.get("/openapi.json").json()
        assert not [path for path in document["paths"] if path.startswith("/app")]


def test_no_console_errors_under_the_policy(page: Page, api: Api) -> None:
    """The content security policy lets the app run: no script or style is refused."""
    seed(api)
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/app/#/organizations")
    page.get_by_role("link", name="Northwind Labs").click()
    expect(page.get_by_role("img", name="Timeline of touches with Northwind Labs")).to_be_visible()
    page.goto("/app/#/today")
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    assert problems == []


def test_app_works_behind_a_path_prefix(browser: Browser, base_url: str, api: Api) -> None:
    """Behind a proxy that serves keepwarm under /kw/, the app asks /kw/v1/…, never /v1/…."""
    context = signed_in_context(browser, base_url, api, DESKTOP)
    asked: list[str] = []

    def proxy(route: Route) -> None:
        path = httpx.URL(route.request.url).raw_path.decode()
        asked.append(path)
        if not path.startswith("/kw/"):
            route.abort()
            return
        route.fulfill(response=route.fetch(url=f"{base_url}{path.removeprefix('/kw')}"))

    context.route(f"{base_url}/**", proxy)
    page = context.new_page()
    page.goto("/kw/app/#/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_focused()
    built = page.evaluate("import('./js/api.js').then((api) => api.apiUrl('/v1/agenda').href)")
    assert built == f"{base_url}/kw/v1/agenda"
    calls = [path for path in asked if "/v1/" in path]
    assert calls and all(path.startswith("/kw/v1/") for path in calls), asked
    context.close()
