"""axe-core (vendored from the npm registry, tests/webapp/vendor) over every page and open
dialog at desktop and phone widths: zero violations of WCAG 2.1 A/AA and best practices."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.conftest import PASSWORD
from tests.webapp.conftest import DESKTOP, PHONE, Api, days_ago, fresh_organization, seed

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def account(base_url: str) -> Iterator[Api]:
    made = Api(base_url)
    seed(made)
    fresh_organization(made)
    caller = made.post("/v1/organizations", {"name": "Initech", "rejected_on": days_ago(1)})
    made.post(
        "/v1/contacts",
        {
            "organization_id": caller["id"],
            "name": "Dr. Carla Moss",
            "role": "hiring_manager",
            "phone": "+1 312 555 0188",
        },
    )
    yield made
    made.http.close()


def violations(page: Page) -> list[str]:
    found: list[dict[str, Any]] = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then((r) => r.violations.map((v) => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map((n) => n.target.join(' '))})))",
        TAGS,
    )
    return [f"{v['id']} ({v['help']}): {', '.join(v['nodes'][:4])}" for v in found]


def _states(api: Api) -> list[tuple[str, str, Callable[[Page], None] | None]]:
    """(name, route, what to open there) for every page, and every dialog or fold to check."""
    orgs = {o["name"]: o["id"] for o in api.get("/v1/organizations")["data"]}
    northwind = orgs["Northwind Labs"]
    dana = api.get("/v1/contacts", q="Dana")["data"][0]["id"]
    touch = api.get("/v1/attempts", organization_id=northwind)["data"][0]["id"]

    def click(name: str, dialog: str) -> Callable[[Page], None]:
        def open_it(page: Page) -> None:
            page.get_by_role("button", name=name).first.click()
            expect(page.get_by_role("dialog", name=dialog)).to_be_visible()

        return open_it

    def fold(text: str) -> Callable[[Page], None]:
        def open_it(page: Page) -> None:
            page.get_by_text(text, exact=True).first.click()

        return open_it

    def deletion(page: Page) -> None:
        page.get_by_label("Your password, to confirm").fill(PASSWORD)
        page.get_by_role("button", name="Delete my account").click()
        expect(page.get_by_role("dialog", name="Delete your account for good?")).to_be_visible()

    org = f"#/organizations/{northwind}"
    return [
        ("today", "#/today", None),
        ("today-snooze", "#/today", fold("Snooze")),
        ("today-something-else", "#/today", fold("Something else happened")),
        ("today-voicemail", "#/today", fold("If nobody answers: voicemail")),
        ("today-skip", "#/today", click("Skip this touch", "Skip this touch?")),
        ("organizations", "#/organizations", None),
        ("organization", org, None),
        ("organization-delete-touch", org, click("Delete the", "Delete this touch?")),
        ("organization-remove-news", org, click("Remove news", "Remove this news item?")),
        ("organization-new", "#/organizations/new", None),
        ("contact-new", f"{org}/contacts/new", None),
        ("news-new", f"{org}/news/new", None),
        ("organization-edit", f"{org}/edit", None),
        ("contact-edit", f"{org}/contacts/{dana}/edit", None),
        ("contact-remove", f"{org}/contacts/{dana}/edit", click("Remove contact", "Remove")),
        ("log-touch", f"{org}/log", None),
        ("touch-edit", f"{org}/touches/{touch}/edit", None),
        ("import", "#/import", None),
        ("settings", "#/settings", None),
        ("settings-rotate", "#/settings", click("Rotate the URL", "Rotate the calendar URL?")),
        ("settings-revoke", "#/settings", click("Revoke", "Revoke this browser\u2019s key?")),
        ("settings-delete", "#/settings", deletion),
    ]


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_no_axe_violations_anywhere(
    browser: Browser, base_url: str, account: Api, width: str, viewport: ViewportSize
) -> None:
    found: dict[str, list[str]] = {}
    anonymous = browser.new_context(base_url=base_url, viewport=viewport)
    anonymous.add_init_script(path=AXE)
    page = anonymous.new_page()
    for name, route, heading in (
        ("signin", "#/signin", "Sign in"),
        ("signup", "#/signup", "Create an account"),
    ):
        page.goto(f"/app/{route}")
        expect(page.get_by_role("heading", name=heading)).to_be_focused()
        found[name] = violations(page)
    anonymous.close()

    context = browser.new_context(base_url=base_url, viewport=viewport)
    context.set_default_timeout(10_000)
    context.add_init_script(
        f"sessionStorage.setItem('keepwarm.key', '{account.key}');"
        f"sessionStorage.setItem('keepwarm.key_id', '{account.key_id}');"
    )
    context.add_init_script(path=AXE)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    for name, route, open_it in _states(account):
        page.goto("/app/#/blank")
        page.goto(f"/app/{route}")
        expect(page.locator("main h1")).to_be_focused()
        if name == "organization":
            expect(
                page.get_by_role("img", name="Timeline of touches with Northwind Labs")
            ).to_be_visible()
        if open_it:
            open_it(page)
        found[name] = violations(page)
        if name != "settings-delete":
            page.keyboard.press("Escape")
    context.close()
    failing = {name: problems for name, problems in found.items() if problems}
    assert not failing, failing
    assert errors == []
    assert len(found) == 24
