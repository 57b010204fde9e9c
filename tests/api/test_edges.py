"""Hardened edges: NUL, If-Match, public URLs, HEAD, security headers, offline docs."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.config import Settings, Toggle
from service.db.migrate import upgrade
from service.main import create_app
from tests.conftest import PASSWORD, User, acme_and_ann, assert_problem

HOOK = "http://127.0.0.1:9/hook"  # never called: the scheduler is off in tests


# NUL: PostgreSQL text cannot hold it, so every free-text field refuses it with a 422.


def test_nul_in_a_headline_or_a_script_variant_answers_422(user: User) -> None:
    acme, ann = acme_and_ann(user)
    news = user.post(f"/v1/organizations/{acme['id']}/news", json={"headline": "Acme\x00 grows"})
    assert_problem(news, 422, field="headline")
    attempt = {"contact_id": ann["id"], "channel": "email", "script_variant": "warm\x00:1"}
    assert_problem(user.post("/v1/attempts", json=attempt), 422, field="script_variant")
    logged = user.create("/v1/attempts", {"contact_id": ann["id"], "channel": "email"})
    patch = user.patch(f"/v1/attempts/{logged['id']}", json={"script_variant": "a\x00"})
    assert_problem(patch, 422, field="script_variant")
    assert user.get(f"/v1/organizations/{acme['id']}/news").json()["data"] == []


NUL_FIELDS: list[tuple[str, str]] = [
    ("/v1/organizations", "name"),
    ("/v1/organizations", "role_applied"),
    ("/v1/organizations", "notes"),
    ("/v1/organizations", "website"),
    ("/v1/contacts", "name"),
    ("/v1/contacts", "title"),
    ("/v1/contacts", "notes"),
    ("/v1/contacts", "profile_url"),
    ("/v1/attempts", "notes"),
    ("/v1/api-keys", "name"),
    ("/v1/webhooks", "description"),
]


def test_nul_in_any_stored_free_text_answers_422(user: User, subtests: pytest.Subtests) -> None:
    acme, ann = acme_and_ann(user)
    valid: dict[str, dict[str, Any]] = {
        "/v1/organizations": {"name": "Acme"},
        "/v1/contacts": {"organization_id": acme["id"], "name": "Bo", "role": "other"},
        "/v1/attempts": {"contact_id": ann["id"], "channel": "email"},
        "/v1/api-keys": {},
        "/v1/webhooks": {"url": HOOK},
    }
    for url, field in NUL_FIELDS:
        with subtests.test(msg=f"{url} {field}"):
            value = "https://a.example/\x00" if field.endswith(("url", "website")) else "a\x00b"
            response = user.post(url, json={**valid[url], field: value})
            assert_problem(response, 422, field=field)


# If-Match


def test_an_if_match_of_thousands_of_digits_answers_412(user: User) -> None:
    acme = user.create("/v1/organizations", {"name": "Acme"})
    url = f"/v1/organizations/{acme['id']}"
    for tag in ('"' + "9" * 4301 + '"', 'W/"' + "1" * 5000 + '"', '"' + "9" * 30 + '"'):
        assert_problem(user.patch(url, json={"notes": "x"}, headers={"If-Match": tag}), 412)
        assert_problem(user.delete(url, headers={"If-Match": tag}), 412)
    assert user.patch(url, json={"notes": "x"}, headers={"If-Match": '"1"'}).status_code == 200


# KEEPWARM_PUBLIC_URL: absolute URLs never follow a Host header the client chose.


@pytest.fixture
def public_url(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(app.state.settings, "public_url", "https://keepwarm.example/kw")
    return "https://keepwarm.example/kw"


def test_public_url_is_the_base_of_location_and_feed_urls(user: User, public_url: str) -> None:
    evil = {"Host": "evil.example"}
    created = user.post("/v1/organizations", json={"name": "Acme"}, headers=evil)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{public_url}/v1/organizations/{created.json()['id']}"
    urls = user.get("/v1/calendar", headers=evil).json()
    assert urls["feed_url"].startswith(f"{public_url}/calendar/")
    assert urls["webcal_url"] == "webcal://" + urls["feed_url"].removeprefix("https://")
    path = urlsplit(urls["feed_url"]).path.removeprefix("/kw")
    assert user.client.get(path).headers["content-type"].startswith("text/calendar")


@pytest.fixture(scope="module")
def remote_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    url = f"sqlite:///{tmp_path_factory.mktemp('remote') / 'remote.db'}"
    upgrade(url)
    return create_app(Settings(database_url=url, scheduler=Toggle.OFF))


def client_at(app: FastAPI, host: str) -> TestClient:
    return TestClient(app, base_url="https://evil.example", client=(host, 40000))


@pytest.fixture
def remote(remote_app: FastAPI) -> Iterator[User]:
    with client_at(remote_app, "203.0.113.7") as client:
        yield User(client, f"remote-{uuid.uuid4().hex[:8]}@example.com")
    remote_app.state.engine.dispose()


def test_without_public_url_a_remote_client_gets_relative_locations(remote: User) -> None:
    created = remote.post("/v1/organizations", json={"name": "Acme"})
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/v1/organizations/{created.json()['id']}"
    assert remote.get(created.headers["location"]).status_code == 200


def test_without_public_url_a_remote_client_gets_no_feed_url(remote: User) -> None:
    for response in (remote.get("/v1/calendar"), remote.post("/v1/calendar/rotate-token")):
        body = assert_problem(response, 503)
        assert "KEEPWARM_PUBLIC_URL" in body["detail"] and "evil" not in response.text
    assert remote.get("/v1/calendar.ics").status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1"])
def test_a_loopback_client_gets_urls_on_its_own_host(remote_app: FastAPI, host: str) -> None:
    with client_at(remote_app, host) as client:
        user = User(client, f"local-{uuid.uuid4().hex[:8]}@example.com")
        created = user.post("/v1/organizations", json={"name": "Acme"})
        assert created.headers["location"].startswith("https://evil.example/v1/organizations/")
        feed = user.get("/v1/calendar").json()["feed_url"]
        assert feed.startswith("https://evil.example/calendar/")
    remote_app.state.engine.dispose()


def next_link(user: User, **headers: str) -> str:
    for name in ("Acme", "Initech"):
        user.create("/v1/organizations", {"name": name})
    listed = user.get("/v1/organizations", params={"limit": 1, "q": "e"}, headers=headers)
    assert listed.status_code == 200, listed.text
    link = re.fullmatch(r'<([^>]+)>; rel="next"', listed.headers["link"])
    assert link is not None, listed.headers["link"]
    return link.group(1)


def test_the_next_page_link_is_on_the_public_url_whatever_the_host(
    user: User, public_url: str
) -> None:
    link = next_link(user, Host="evil.example")
    assert link.startswith(f"{public_url}/v1/organizations?"), link
    assert "limit=1" in link and "q=e" in link and "cursor=" in link
    second = user.get(link.removeprefix(public_url))
    assert [o["name"] for o in second.json()["data"]] == ["Initech"]


def test_without_public_url_a_remote_client_gets_a_relative_next_page_link(remote: User) -> None:
    link = next_link(remote)
    assert link.startswith("/v1/organizations?") and "evil" not in link, link
    assert remote.get(link).status_code == 200


# HEAD answers wherever GET does: the same status and headers, no body.


def test_head_works_wherever_get_does(user: User) -> None:
    acme = user.create("/v1/organizations", {"name": "Acme"})
    for url in (
        "/healthz",
        "/v1/me",
        "/v1/organizations?limit=1",
        f"/v1/organizations/{acme['id']}",
        "/v1/calendar.ics",
        "/openapi.json",
        "/docs",
    ):
        got = user.get(url)
        head = user.client.head(url, headers=user.headers)
        assert head.status_code == got.status_code == 200, (url, head.text)
        assert head.content == b""
        for name in ("content-type", "content-length", "etag", "link", "cache-control"):
            assert head.headers.get(name) == got.headers.get(name), (url, name)


def test_head_keeps_conditional_answers_and_errors(user: User) -> None:
    etag = user.get("/v1/calendar.ics").headers["etag"]
    unchanged = user.client.head(
        "/v1/calendar.ics", headers={**user.headers, "If-None-Match": etag}
    )
    assert unchanged.status_code == 304 and unchanged.headers["etag"] == etag
    assert user.client.head("/v1/organizations/nope", headers=user.headers).status_code == 422
    assert user.client.head("/v1/me").status_code == 401
    assert user.client.head("/v1/tokens").status_code == 405  # POST only
    assert user.client.head("/nowhere").status_code == 404


# Security headers


def test_responses_carrying_a_secret_are_not_stored(user: User) -> None:
    signup = user.client.post(
        "/v1/accounts", json={"email": "c@example.com", "password": "plum orchard tide 42"}
    )
    login = user.client.post("/v1/tokens", json={"email": user.email, "password": PASSWORD})
    key = user.post("/v1/api-keys", json={"name": "laptop"})
    hook = user.post("/v1/webhooks", json={"url": HOOK})
    rotated = user.post(f"/v1/webhooks/{hook.json()['id']}/rotate-secret")
    calendar = user.get("/v1/calendar")
    new_feed = user.post("/v1/calendar/rotate-token")
    secrets = [signup, login, key, hook, rotated, calendar, new_feed]
    for response in secrets:
        assert response.status_code in (200, 201), response.text
        assert response.headers["cache-control"] == "no-store", response.request.url
    feed = user.client.get(urlsplit(new_feed.json()["feed_url"]).path)
    assert feed.headers["cache-control"].startswith("private")
    assert "cache-control" not in user.get("/v1/organizations").headers


def test_every_response_says_nosniff(user: User) -> None:
    answers = [
        user.get("/v1/organizations"),
        user.get("/v1/nope"),
        user.client.get("/v1/me"),
        user.post("/v1/organizations", json={"name": ""}),
        user.client.put("/v1/organizations"),
        user.client.get("/docs"),
        user.client.head("/healthz"),
    ]
    for response in answers:
        assert response.headers["x-content-type-options"] == "nosniff", response.request.url


def test_an_unexpected_error_says_nosniff_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'boom.db'}"
    upgrade(url)
    app = create_app(Settings(database_url=url, scheduler=Toggle.OFF))

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert_problem(response, 500)
    assert response.headers["x-content-type-options"] == "nosniff"


# The API docs work offline: every asset they load is served by keepwarm itself.


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_load_nothing_from_elsewhere(client: TestClient, page: str) -> None:
    html = client.get(page)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html.text)
    assert assets, html.text
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        assert len(fetched.content) > 1000, asset
    assert "openapi.json" in html.text
    assert client.get("/openapi.json").status_code == 200
