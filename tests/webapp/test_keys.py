"""Settings lists the account's keys (this browser's marked) and revokes the ones not wanted."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD
from tests.webapp.conftest import DESKTOP


def _sign_in(page: Page, email: str) -> str:
    page.goto("/app/#/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    return str(page.evaluate("sessionStorage.getItem('keepwarm.key')"))


def _works(base_url: str, key: str) -> int:
    return httpx.get(f"{base_url}/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code


def test_revoke_another_sign_in_then_this_one(browser: Browser, base_url: str) -> None:
    email = f"keys-{uuid.uuid4().hex[:8]}@example.com"
    signed_up = httpx.post(f"{base_url}/v1/accounts", json={"email": email, "password": PASSWORD})
    first_key = signed_up.json()["api_key"]
    # Only the web app's sign-ins on the list.
    gone = httpx.delete(
        f"{base_url}/v1/api-keys/{signed_up.json()['api_key_id']}",
        headers={"Authorization": f"Bearer {first_key}"},
    )
    assert gone.status_code == 204
    contexts = [browser.new_context(base_url=base_url, viewport=DESKTOP) for _ in range(2)]
    laptop, phone = (context.new_page() for context in contexts)
    other = _sign_in(laptop, email)
    mine = _sign_in(phone, email)

    page = phone
    page.get_by_role("link", name="Settings").click()
    section = page.get_by_role("region", name="Signed-in apps and keys")
    keys = section.get_by_role("listitem")
    expect(keys).to_have_count(2)
    expect(keys.first).to_contain_text("Web app · Chrome on Linux · ")
    here = keys.filter(has_text="This browser")
    expect(here).to_have_count(1)
    elsewhere = keys.filter(has_not_text="This browser")
    expect(elsewhere).to_contain_text("Created ")

    elsewhere.get_by_role("button", name="Revoke").click()
    dialog = page.get_by_role("dialog", name="Revoke this key?")
    dialog.get_by_role("button", name="Keep").click()
    expect(keys).to_have_count(2)
    elsewhere.get_by_role("button", name="Revoke").click()
    dialog.get_by_role("button", name="Revoke").click()
    expect(keys).to_have_count(1)
    expect(section.get_by_role("heading", name="Signed-in apps and keys")).to_be_focused()
    assert _works(base_url, other) == 401
    assert _works(base_url, mine) == 200
    # The other browser finds itself signed out at its next request.
    laptop.get_by_role("link", name="Organizations").click()
    expect(laptop.get_by_role("heading", name="Sign in")).to_be_visible()

    here.get_by_role("button", name="Revoke").click()
    page.get_by_role("dialog", name="Revoke this browser").get_by_role(
        "button", name="Revoke and sign out"
    ).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_focused()
    assert page.evaluate("sessionStorage.getItem('keepwarm.key')") is None
    assert _works(base_url, mine) == 401
    for context in contexts:
        context.close()
