"""Sign up, sign out (the key revoked), sign in, and the way back to sign-in."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.webapp.conftest import PASSWORD


def _key(page: Page) -> str:
    return str(page.evaluate("sessionStorage.getItem('keepwarm.key')"))


def test_sign_up_sign_out_sign_in(anonymous: Page, base_url: str) -> None:
    page = anonymous
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/app/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_focused()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Today")).to_be_focused()
    first = _key(page)
    assert (
        httpx.get(f"{base_url}/v1/me", headers={"Authorization": f"Bearer {first}"}).json()["email"]
        == email
    )

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
