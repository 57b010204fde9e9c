"""Every account sees only its own data: another account's ids answer 404, or 422 in a body."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker
from tests.conftest import Clock, User, assert_problem

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)

# Bodies that are valid, so that only ownership can make these requests fail.
BODIES: dict[str, Any] = {
    "create_news": {"headline": "Not yours"},
    "snooze_next_action": {"until": (NOW + timedelta(days=3)).isoformat()},
}
# Path parameters that are not ids of a record: the calendar feed token is itself the secret.
NOT_IDS = {"token"}


def deliver_pending(app: FastAPI) -> None:
    async def tick() -> None:
        async with make_client() as client:
            ticker = Ticker(
                app.state.session_factory, client, allow_private=True, clock=lambda: NOW
            )
            await ticker.tick()

    asyncio.run(tick())


def build_world(app: FastAPI, owner: User, label: str) -> dict[str, Any]:
    """One of each record, owned by `owner`; the ids by path parameter name."""
    org = owner.create("/v1/organizations", {"name": f"{label} Corp", "rejected_on": "2026-03-01"})
    news = owner.create(f"/v1/organizations/{org['id']}/news", {"headline": f"{label} news"})
    contact = owner.create(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": f"{label} Person",
            "role": "hiring_manager",
            "email": f"{label.lower()}@{label.lower()}.example",
        },
    )
    referrer = owner.create(
        "/v1/contacts", {"organization_id": org["id"], "name": f"Other {label}", "role": "referrer"}
    )
    actions = owner.get("/v1/next-actions", params={"organization_id": org["id"]}).json()["data"]
    attempt = owner.create(
        "/v1/attempts", {"contact_id": contact["id"], "channel": "email", "news_id": news["id"]}
    )
    webhook = owner.create("/v1/webhooks", {"url": f"https://127.0.0.1:9/{label.lower()}-hook"})
    owner.post(f"/v1/webhooks/{webhook['id']}/ping")
    deliver_pending(app)  # port 9 refuses: a failed delivery attempt, logged
    deliveries = owner.get(f"/v1/webhooks/{webhook['id']}/deliveries").json()["data"]
    key = owner.create("/v1/api-keys", {"name": f"{label.lower()} laptop"})
    assert actions, "an organization with a contact has a next action"
    return {
        "organization_id": org["id"],
        "news_id": news["id"],
        "contact_id": contact["id"],
        "referrer_id": referrer["id"],
        "attempt_id": attempt["id"],
        "action_id": actions[0]["id"],
        "webhook_id": webhook["id"],
        "delivery_id": deliveries[0]["id"],
        "key_id": key["id"],
    }


@pytest.fixture
def theirs(app: FastAPI, other_user: User, clock: Clock) -> dict[str, Any]:
    clock.set(NOW)
    return build_world(app, other_user, "Secret")


@pytest.fixture
def mine(app: FastAPI, user: User, clock: Clock) -> dict[str, Any]:
    clock.set(NOW)
    return build_world(app, user, "Own")


def id_operations(app: FastAPI) -> list[tuple[str, str, str, list[str]]]:
    """(method, path, operationId, path parameter names) of every operation with an id in it."""
    found = []
    for path, item in app.openapi()["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        if not names or set(names) & NOT_IDS:
            continue
        for method, operation in item.items():
            found.append((method.upper(), path, operation["operationId"], names))
    return found


def test_another_accounts_ids_answer_404_on_every_endpoint(
    app: FastAPI, user: User, other_user: User, theirs: dict[str, Any], mine: dict[str, Any]
) -> None:
    operations = id_operations(app)
    unknown = {name for *_, names in operations for name in names} - set(theirs)
    assert not unknown, f"give build_world() a record for {unknown}"
    assert len(operations) >= 20

    for method, path, operation_id, names in operations:
        # Every id theirs, then each id theirs in turn inside an otherwise-own URL.
        variants = [dict.fromkeys(names, "theirs")]
        if len(names) > 1:
            variants += [{n: "theirs" if n == m else "mine" for n in names} for m in names]
        for variant in variants:
            url = path.format(
                **{n: (theirs if whose == "theirs" else mine)[n] for n, whose in variant.items()}
            )
            body = BODIES.get(operation_id, {} if method == "PATCH" else None)
            response = user.client.request(method, url, headers=user.headers, json=body)
            assert response.status_code == 404, f"{method} {url} ({variant}): {response.text}"
            assert_problem(response, 404)
            assert "Secret" not in response.text and "secret" not in response.text

    # Nothing of theirs changed, and their key still works.
    org = other_user.get(f"/v1/organizations/{theirs['organization_id']}")
    assert org.status_code == 200 and org.headers["etag"] == '"1"'
    assert other_user.get(f"/v1/contacts/{theirs['contact_id']}").headers["etag"] == '"1"'
    assert other_user.get(f"/v1/attempts/{theirs['attempt_id']}").status_code == 200
    assert other_user.get(f"/v1/api-keys/{theirs['key_id']}").status_code == 200


def test_lists_show_only_your_own_records(
    user: User, theirs: dict[str, Any], mine: dict[str, Any]
) -> None:
    for url in (
        "/v1/organizations",
        "/v1/contacts",
        "/v1/attempts",
        "/v1/next-actions",
        "/v1/webhooks",
        "/v1/api-keys",
        f"/v1/organizations/{mine['organization_id']}/news",
        f"/v1/webhooks/{mine['webhook_id']}/deliveries",
    ):
        response = user.get(url)
        assert response.status_code == 200, url
        assert "Secret" not in response.text and "secret" not in response.text, url
        for their_id in theirs.values():
            assert their_id not in response.text, url


FILTERS = [
    ("/v1/contacts", "organization_id"),
    ("/v1/attempts", "organization_id"),
    ("/v1/attempts", "contact_id"),
    ("/v1/next-actions", "organization_id"),
    ("/v1/next-actions", "contact_id"),
]


def test_filtering_by_their_ids_finds_nothing(
    user: User, theirs: dict[str, Any], subtests: pytest.Subtests
) -> None:
    for url, filter_ in FILTERS:
        with subtests.test(msg=repr((url, filter_))[:120]):
            response = user.get(url, params={filter_: theirs[filter_]})
            assert response.status_code == 200
            assert response.json()["data"] == []


def test_their_ids_inside_a_body_are_a_bad_field(
    user: User, theirs: dict[str, Any], mine: dict[str, Any]
) -> None:
    own_contact = mine["contact_id"]
    attempt_url = f"/v1/attempts/{mine['attempt_id']}"
    cases = [
        (
            "POST",
            "/v1/contacts",
            {"organization_id": theirs["organization_id"], "name": "X", "role": "other"},
            "organization_id",
        ),
        (
            "POST",
            "/v1/attempts",
            {"contact_id": theirs["contact_id"], "channel": "email"},
            "contact_id",
        ),
        (
            "POST",
            "/v1/attempts",
            {
                "contact_id": own_contact,
                "channel": "call",
                "outcome": "referred",
                "referred_to_contact_id": theirs["referrer_id"],
            },
            "referred_to_contact_id",
        ),
        (
            "POST",
            "/v1/attempts",
            {"contact_id": own_contact, "channel": "email", "news_id": theirs["news_id"]},
            "news_id",
        ),
        (
            "POST",
            "/v1/attempts",
            {"contact_id": own_contact, "channel": "email", "next_action_id": theirs["action_id"]},
            "next_action_id",
        ),
        (
            "PATCH",
            attempt_url,
            {"outcome": "referred", "referred_to_contact_id": theirs["referrer_id"]},
            "referred_to_contact_id",
        ),
        ("PATCH", attempt_url, {"news_id": theirs["news_id"]}, "news_id"),
        (
            "POST",
            "/v1/scripts/check",
            {
                "channel": "email",
                "text": "Hello, how is the team?",
                "contact_id": theirs["contact_id"],
            },
            "contact_id",
        ),
    ]
    for method, url, body, field in cases:
        response = user.client.request(method, url, headers=user.headers, json=body)
        problem = assert_problem(response, 422, field=field)
        assert "Secret" not in response.text, (url, body, problem)

    assert user.get(f"/v1/attempts/{mine['attempt_id']}").json()["news_id"] == mine["news_id"]
    assert len(user.get("/v1/attempts").json()["data"]) == 1
    assert len(user.get("/v1/contacts").json()["data"]) == 2


def test_idempotency_keys_are_per_account(user: User, other_user: User) -> None:
    headers = {"Idempotency-Key": "shared-key-1"}
    theirs = other_user.post("/v1/organizations", json={"name": "Secret Corp"}, headers=headers)
    mine = user.post("/v1/organizations", json={"name": "Secret Corp"}, headers=headers)

    assert theirs.status_code == mine.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert "idempotent-replayed" not in mine.headers
    assert user.get(f"/v1/organizations/{theirs.json()['id']}").status_code == 404
