"""Sign up, sign out (the key revoked), sign in, and the way back to sign-in."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import Page, expect

from service.config import Settings, Signup
from tests.conftest import PASSWORD


def _key(page: Page) -> str:
    return str(page.evaluate("sessionStorage.getItem('keepwarm.key')"))


def test_sign_up_sign_out_sign_in(anonymous: Page, base_url: str) -> None:
    page = anonymous
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/app/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_focused()
    page.get_by_role("link", name="Create an account").click()
    # The sign-in form stays up until the sign-up page has asked the server what it offers:
    # typing before then fills the form about to be replaced.
    expect(page.get_by_role("heading", name="Create an account")).to_be_focused()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    first = _key(page)
    assert (
        httpx.get(f"{base_url}/v1/me", headers={"Authorization": f"Bearer {first}"}).json()["email"]
        == email
    )
    keys = httpx.get(f"{base_url}/v1/api-keys", headers={"Authorization": f"Bearer {first}"})
    [signed_up] = keys.json()["data"]
    assert signed_up["name"].startswith("Web app · ")  # named for this browser, not "sign-up"

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('keepwarm.key')") is None
    revoked = httpx.get(f"{base_url}/v1/me", headers={"Authorization": f"Bearer {first}"})
    assert revoked.status_code == 401

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    second = _key(page)
    assert second != first
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    gone = httpx.get(f"{base_url}/v1/me", headers={"Authorization": f"Bearer {second}"})
    assert gone.status_code == 401


def test_wrong_password_is_said(anonymous: Page) -> None:
    page = anonymous
    page.goto("/app/#/signin")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password").fill("not the one at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()


def test_sign_up_remembers_its_key_and_sign_out_revokes_only_that_one(
    anonymous: Page, base_url: str
) -> None:
    page = anonymous
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    listed: list[str] = []
    page.on("request", lambda r: listed.append(r.url) if "/v1/api-keys" in r.url else None)
    page.goto("/app/#/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    key = _key(page)
    mine = {"Authorization": f"Bearer {key}"}
    (held,) = httpx.get(f"{base_url}/v1/api-keys", headers=mine).json()["data"]
    assert page.evaluate("sessionStorage.getItem('keepwarm.key_id')") == held["id"]
    assert listed == []  # the sign-up answer said which key it is
    # Another device signs in meanwhile: its key must outlive this browser's sign-out.
    other = httpx.post(
        f"{base_url}/v1/tokens", json={"email": email, "password": PASSWORD, "name": "phone"}
    ).json()["api_key"]

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert httpx.get(f"{base_url}/v1/me", headers=mine).status_code == 401
    still = httpx.get(f"{base_url}/v1/me", headers={"Authorization": f"Bearer {other}"})
    assert still.status_code == 200


def test_a_closed_server_offers_no_sign_up(anonymous: Page, server_settings: Settings) -> None:
    page = anonymous
    server_settings.signup = Signup.CLOSED
    try:
        page.goto("/app/#/signin")
        expect(page.get_by_role("heading", name="Sign in")).to_be_focused()
        expect(page.get_by_text("created by its operator")).to_be_visible()
        expect(page.get_by_role("link", name="Create an account")).to_have_count(0)
        page.goto("/app/#/signup")
        expect(page.get_by_role("button", name="Create account")).to_have_count(0)
        expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    finally:
        server_settings.signup = Signup.OPEN
    page.goto("/app/#/signin")
    expect(page.get_by_role("link", name="Create an account")).to_be_visible()
