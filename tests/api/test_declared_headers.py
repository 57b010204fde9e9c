"""Every header a client relies on (ETag, Location, Link, Retry-After, X-Request-Id) that an
answer carries is declared for that operation and status in the OpenAPI document."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

from tests.conftest import User

WATCHED = ("ETag", "Location", "Link", "Retry-After", "X-Request-Id")


def _template(document: dict[str, Any], path: str) -> str:
    for template in document["paths"]:
        pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"no documented path for {path}")


def test_headers_that_answers_carry_are_declared(app: FastAPI, user: User) -> None:
    document = app.openapi()
    seen: list[tuple[str, str, int, str]] = []

    def call(method: str, url: str, **kwargs: Any) -> Any:
        response = user.client.request(
            method, url, headers={**user.headers, **kwargs.pop("headers", {})}, **kwargs
        )
        path = url.split("?", 1)[0]
        for name in WATCHED:
            if name.lower() in response.headers:
                seen.append((method.lower(), _template(document, path), response.status_code, name))
        return response

    org = call(
        "POST", "/v1/organizations", json={"name": "Acme", "rejected_on": "2026-11-20"}
    ).json()
    call("POST", "/v1/organizations", json={"name": "Beta"})
    contact = call(
        "POST",
        "/v1/contacts",
        json={
            "organization_id": org["id"],
            "name": "Ann Lee",
            "role": "hiring_manager",
            "email": "ann@acme.example",
        },
    ).json()
    call(
        "POST",
        "/v1/contacts",
        json={"organization_id": org["id"], "name": "Bo Ray", "role": "peer"},
    )
    news = call(
        "POST",
        f"/v1/organizations/{org['id']}/news",
        json={"headline": "Acme grows", "noticed_on": "2026-11-21"},
    ).json()
    action = call("GET", "/v1/next-actions").json()["data"][0]
    etag = call("GET", f"/v1/contacts/{contact['id']}").headers["etag"]
    call("PATCH", f"/v1/contacts/{contact['id']}", json={"title": "VP"}, headers={"If-Match": etag})
    call("GET", f"/v1/organizations/{org['id']}")
    call("GET", f"/v1/organizations/{org['id']}/news/{news['id']}")
    call("GET", f"/v1/next-actions/{action['id']}")
    call("POST", f"/v1/next-actions/{action['id']}/snooze", json={"until": "2030-01-01T10:00:00Z"})
    attempt = call(
        "POST", "/v1/attempts", json={"contact_id": contact["id"], "channel": "email"}
    ).json()
    call("GET", f"/v1/attempts/{attempt['id']}")
    for listing in (
        "/v1/organizations",
        "/v1/contacts",
        "/v1/attempts",
        "/v1/next-actions",
        "/v1/api-keys",
        f"/v1/organizations/{org['id']}/news",
    ):
        call("GET", f"{listing}?limit=1")
    call("GET", "/v1/settings")
    call("GET", "/v1/profile")
    call("GET", "/v1/me")
    call("GET", "/v1/agenda")
    call("POST", "/v1/api-keys", json={"name": "phone"})
    call("GET", "/v1/calendar.ics")
    for _ in range(6):
        user.client.post(
            "/v1/tokens", json={"email": "nobody@example.com", "password": "wrong horse battery"}
        )
    locked = user.client.post(
        "/v1/tokens", json={"email": "nobody@example.com", "password": "wrong horse battery"}
    )
    assert locked.status_code == 429
    seen.append(("post", "/v1/tokens", 429, "Retry-After"))

    assert {name for *_, name in seen} == set(WATCHED)
    missing = [
        entry
        for entry in seen
        if entry[3]
        not in document["paths"][entry[1]][entry[0]]["responses"][str(entry[2])].get("headers", {})
    ]
    assert missing == []
