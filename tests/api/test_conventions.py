"""Conventions every endpoint keeps: problems, pages, creation, idempotency, ETags."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, Clock, User, assert_problem

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


UNKNOWN_PATHS = ["/nope", "/v1/nope", "/v1/organizations/x/y/z", "/v2/contacts"]


def test_unknown_routes_answer_404_as_problem_json(
    client: TestClient, subtests: pytest.Subtests
) -> None:
    for path in UNKNOWN_PATHS:
        with subtests.test(msg=repr(path)[:120]):
            assert_problem(client.get(path), 404)


def test_a_wrong_method_answers_405_with_allow(user: User) -> None:
    response = user.client.put("/v1/organizations", headers=user.headers, json={})
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, POST"
    one = user.client.put(f"/v1/organizations/{uuid.uuid4()}", headers=user.headers, json={})
    assert_problem(one, 405)
    assert one.headers["allow"] == "DELETE, GET, PATCH"


def test_malformed_json_answers_400(user: User) -> None:
    response = user.post(
        "/v1/organizations",
        content=b'{"name": "Acme",',
        headers={"Content-Type": "application/json"},
    )
    body = assert_problem(response, 400)
    assert "json" in body["detail"].lower()


NOT_OBJECTS = [b"[]", b'"Acme"', b"42", b"null"]


def test_a_body_that_is_not_an_object_answers_422(user: User, subtests: pytest.Subtests) -> None:
    for payload in NOT_OBJECTS:
        with subtests.test(msg=repr(payload)[:120]):
            response = user.post(
                "/v1/organizations", content=payload, headers={"Content-Type": "application/json"}
            )
            assert_problem(response, 422)


def test_a_missing_body_answers_422(user: User) -> None:
    assert_problem(user.post("/v1/organizations"), 422)


def test_a_validation_problem_names_every_bad_field(user: User) -> None:
    response = user.post(
        "/v1/contacts",
        json={"organization_id": "nope", "name": "", "role": "ceo", "shoe_size": 44},
    )

    body = assert_problem(response, 422)
    assert body["type"].endswith("validation-error")
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"organization_id", "name", "role", "shoe_size"}
    for error in body["errors"]:
        assert error["location"] == "body"
        assert error["message"] and error["type"]
    shoe = next(e for e in body["errors"] if e["field"] == "shoe_size")
    assert shoe["type"] == "extra_forbidden"


def test_query_and_path_errors_say_where(user: User) -> None:
    query = assert_problem(user.get("/v1/contacts", params={"limit": "x"}), 422, field="limit")
    path = assert_problem(user.get("/v1/contacts/x"), 422, field="contact_id")

    assert query["errors"][0]["location"] == "query"
    assert path["errors"][0]["location"] == "path"


@pytest.fixture
def org(user: User, clock: Clock) -> dict[str, Any]:
    clock.set(NOW)
    return user.create("/v1/organizations", {"name": "Acme"})


@pytest.fixture
def contact(user: User, org: dict[str, Any]) -> dict[str, Any]:
    return user.create(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Grace",
            "role": "hiring_manager",
            "email": "grace@acme.example",
        },
    )


def creations(org: dict[str, Any], contact: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("/v1/organizations", {"name": "Globex"}),
        (f"/v1/organizations/{org['id']}/news", {"headline": "Acme ships"}),
        (
            "/v1/contacts",
            {"organization_id": org["id"], "name": "Hank", "role": "recruiter"},
        ),
        ("/v1/attempts", {"contact_id": contact["id"], "channel": "email"}),
        ("/v1/api-keys", {"name": "script"}),
        ("/v1/webhooks", {"url": "https://127.0.0.1:9/hook"}),
    ]


def test_every_create_answers_201_with_a_location_that_resolves(
    user: User, org: dict[str, Any], contact: dict[str, Any]
) -> None:
    for url, body in creations(org, contact):
        response = user.post(url, json=body)
        assert response.status_code == 201, (url, response.text)
        created = response.json()
        location = response.headers["location"]
        assert location.startswith("https://testserver/") and created["id"] in location, url
        shown = user.get(location.removeprefix("https://testserver"))
        assert shown.status_code == 200, location
        assert shown.json()["id"] == created["id"]
        assert shown.headers["etag"]


def test_times_carry_an_offset_and_ids_are_uuids(
    user: User, org: dict[str, Any], contact: dict[str, Any]
) -> None:
    attempt = user.create("/v1/attempts", {"contact_id": contact["id"], "channel": "email"})
    rfc3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
    for record in (org, contact, attempt):
        uuid.UUID(record["id"])
        for key, value in record.items():
            if key.endswith("_at") and value is not None:
                assert rfc3339.match(value), (key, value)


def test_an_idempotent_replay_returns_the_first_response(
    user: User, org: dict[str, Any], contact: dict[str, Any]
) -> None:
    for n, (url, body) in enumerate(creations(org, contact)):
        headers = {"Idempotency-Key": f"retry-{n}"}
        first = user.post(url, json=body, headers=headers)
        replay = user.post(url, json=body, headers=headers)

        assert first.status_code == replay.status_code == 201, (url, replay.text)
        # An API key's secret is never stored: its replay carries a fresh one (test_accounts).
        # Secrets are never stored: a replay of a key or webhook creation issues a new one.
        fresh = {"api_key", "secret", "updated_at"}
        same = {k: v for k, v in first.json().items() if k not in fresh}
        assert {k: v for k, v in replay.json().items() if k not in fresh} == same, url
        assert replay.headers["location"] == first.headers["location"]
        assert replay.headers.get("idempotent-replayed") == "true"
        assert "idempotent-replayed" not in first.headers

    assert len(user.get("/v1/organizations").json()["data"]) == 2
    assert len(user.get("/v1/attempts").json()["data"]) == 1
    assert len(user.get("/v1/contacts").json()["data"]) == 2
    assert len(user.get(f"/v1/organizations/{org['id']}/news").json()["data"]) == 1
    assert len(user.get("/v1/webhooks").json()["data"]) == 1


def test_a_replay_keeps_the_etag(user: User) -> None:
    headers = {"Idempotency-Key": "etag-please"}
    first = user.post("/v1/organizations", json={"name": "Acme"}, headers=headers)
    replay = user.post("/v1/organizations", json={"name": "Acme"}, headers=headers)
    assert replay.headers.get("etag") == first.headers["etag"]


def test_the_same_key_with_another_body_answers_422(user: User) -> None:
    headers = {"Idempotency-Key": "once"}
    user.post("/v1/organizations", json={"name": "Acme"}, headers=headers)

    other_body = user.post("/v1/organizations", json={"name": "Globex"}, headers=headers)
    other_url = user.post("/v1/api-keys", json={"name": "Acme"}, headers=headers)

    problem = assert_problem(other_body, 422, field="Idempotency-Key")
    assert problem["errors"][0]["location"] == "header"
    assert_problem(other_url, 422, field="Idempotency-Key")
    assert [o["name"] for o in user.get("/v1/organizations").json()["data"]] == ["Acme"]


def test_a_failed_request_does_not_burn_its_key(user: User) -> None:
    headers = {"Idempotency-Key": "fix-and-retry"}
    assert user.post("/v1/organizations", json={"name": ""}, headers=headers).status_code == 422
    assert user.post("/v1/organizations", json={"name": "Acme"}, headers=headers).status_code == 201


def test_keys_are_kept_at_least_24_hours(user: User, clock: Clock) -> None:
    clock.set(NOW)
    headers = {"Idempotency-Key": "tomorrow"}
    first = user.post("/v1/organizations", json={"name": "Acme"}, headers=headers)

    clock.set(NOW + timedelta(hours=23, minutes=59))
    replay = user.post("/v1/organizations", json={"name": "Acme"}, headers=headers)

    assert replay.json()["id"] == first.json()["id"]
    assert len(user.get("/v1/organizations").json()["data"]) == 1


BAD_IDEMPOTENCY_KEYS = ["", "x" * 256]


def test_an_idempotency_key_is_1_to_255_characters(user: User, subtests: pytest.Subtests) -> None:
    for key in BAD_IDEMPOTENCY_KEYS:
        with subtests.test(msg=repr(key)[:120]):
            response = user.post(
                "/v1/organizations", json={"name": "Acme"}, headers={"Idempotency-Key": key}
            )
            assert_problem(response, 422, field="Idempotency-Key")


def resources(user: User, org: dict[str, Any], contact: dict[str, Any]) -> list[tuple[str, dict]]:
    attempt = user.create("/v1/attempts", {"contact_id": contact["id"], "channel": "email"})
    webhook = user.create("/v1/webhooks", {"url": "https://127.0.0.1:9/hook"})
    return [
        (f"/v1/organizations/{org['id']}", {"notes": "edited"}),
        (f"/v1/contacts/{contact['id']}", {"title": "CTO"}),
        (f"/v1/attempts/{attempt['id']}", {"notes": "edited"}),
        (f"/v1/webhooks/{webhook['id']}", {"description": "edited"}),
    ]


def test_etags_follow_every_change_and_if_match_refuses_stale_writes(
    user: User, org: dict[str, Any], contact: dict[str, Any]
) -> None:
    current = {}
    for url, change in resources(user, org, contact):
        before = user.get(url).headers["etag"]
        patched = user.patch(url, json=change, headers={"If-Match": before})
        assert patched.status_code == 200, (url, patched.text)
        after = patched.headers["etag"]
        assert after != before and user.get(url).headers["etag"] == after

        assert_problem(user.patch(url, json=change, headers={"If-Match": before}), 412)
        assert_problem(user.delete(url, headers={"If-Match": before}), 412)
        assert user.get(url).status_code == 200
        current[url] = after
    for url, etag in reversed(current.items()):  # the organization last: it takes the rest
        assert user.delete(url, headers={"If-Match": etag}).status_code == 204, url


def test_settings_honour_if_match(user: User) -> None:
    current = user.get("/v1/settings")
    etag = current.headers["etag"]
    assert (
        user.patch(
            "/v1/settings", json={"preferred_hour": 9}, headers={"If-Match": etag}
        ).status_code
        == 200
    )
    assert_problem(
        user.patch("/v1/settings", json={"preferred_hour": 8}, headers={"If-Match": etag}), 412
    )
    assert user.get("/v1/settings").json()["preferred_hour"] == 9


def test_deletes_answer_204_without_a_body(
    user: User, org: dict[str, Any], contact: dict[str, Any]
) -> None:
    news = user.create(f"/v1/organizations/{org['id']}/news", {"headline": "Acme ships"})
    key = user.create("/v1/api-keys", {"name": "spare"})
    for url in (
        f"/v1/organizations/{org['id']}/news/{news['id']}",
        f"/v1/api-keys/{key['id']}",
        f"/v1/contacts/{contact['id']}",
        f"/v1/organizations/{org['id']}",
    ):
        response = user.delete(url)
        assert response.status_code == 204 and response.content == b"", url
        assert_problem(user.get(url), 404)


LISTS = [
    "/v1/organizations",
    "/v1/contacts",
    "/v1/attempts",
    "/v1/api-keys",
    "/v1/next-actions",
    "/v1/webhooks",
]


def test_every_list_has_the_same_shape_and_limits(user: User, subtests: pytest.Subtests) -> None:
    for url in LISTS:
        with subtests.test(msg=repr(url)[:120]):
            response = user.get(url, params={"limit": 200})
            assert response.status_code == 200
            assert set(response.json()) == {"data", "next_cursor"}
            assert_problem(user.get(url, params={"limit": 201}), 422, field="limit")
            assert_problem(user.get(url, params={"limit": 0}), 422, field="limit")
            assert_problem(user.get(url, params={"cursor": "forged"}), 422, field="cursor")


def test_the_link_header_keeps_the_filters(user: User, org: dict[str, Any], clock: Clock) -> None:
    for minute, name in enumerate(("B", "C", "D"), start=1):
        clock.set(NOW + timedelta(minutes=minute))
        user.create("/v1/organizations", {"name": name, "status": "paused"})

    first = user.get("/v1/organizations", params={"status": "paused", "limit": 2})
    link = re.fullmatch(r'<https://testserver(/[^>]+)>; rel="next"', first.headers["link"])
    assert link is not None
    second = user.get(link.group(1))

    assert "status=paused" in link.group(1) and "limit=2" in link.group(1)
    assert [o["name"] for o in first.json()["data"] + second.json()["data"]] == ["B", "C", "D"]
    assert second.json()["next_cursor"] is None


def longest(field: str, length: int) -> str | None:
    """The longest valid value of a documented string field, None when it cannot be padded."""
    if field in ("website", "url", "profile_url"):
        prefix = "https://127.0.0.1:9/" if field == "url" else "https://acme.example/"
        return prefix + "p" * (length - len(prefix))
    if field in ("timezone", "email", "phone"):
        return None  # only real names and addresses are valid
    return "Ä" * length  # non-ASCII: the limit is in characters, not bytes


MAXIMA = [
    ("Organization", "POST"),
    ("Organization", "PATCH"),
    ("News", "POST"),
    ("Contact", "POST"),
    ("Contact", "PATCH"),
    ("Attempt", "POST"),
    ("Attempt", "PATCH"),
    ("ApiKey", "POST"),
    ("Webhook", "POST"),
    ("Webhook", "PATCH"),
]


@pytest.mark.parametrize(("resource", "method"), MAXIMA, ids=[f"{r}-{m}" for r, m in MAXIMA])
def test_every_documented_maximum_fits_the_database(
    app: Any,
    user: User,
    org: dict[str, Any],
    contact: dict[str, Any],
    resource: str,
    method: str,
) -> None:
    schema = app.openapi()["components"]["schemas"][
        resource + ("Create" if method == "POST" else "Update")
    ]
    posts = dict(
        zip(
            ["Organization", "News", "Contact", "Attempt", "ApiKey", "Webhook"],
            creations(org, contact),
            strict=True,
        )
    )
    url, body = posts[resource]
    if method == "PATCH":
        url = (
            f"{url}/{user.create(url, body)['id']}"
            if resource != "Organization"
            else f"{url}/{org['id']}"
        )
        body = {}
    for field, spec in schema["properties"].items():
        for option in spec.get("anyOf", [spec]):
            if option.get("type") == "string" and "maxLength" in option:
                value = longest(field, option["maxLength"])
                if value is not None:
                    body[field] = value
    if "paused_reason" in body:
        body["status"] = "paused"  # a reason only goes with that status (R14)

    response = user.client.request(method, url, headers=user.headers, json=body)

    assert response.status_code in (200, 201), response.text
    shown = user.get(
        response.headers.get("location", f"https://testserver{url}").removeprefix(
            "https://testserver"
        )
    ).json()
    for field, value in body.items():
        if field in shown and len(str(value)) > 50:
            assert shown[field] == value, field


def test_a_long_host_does_not_break_an_idempotent_create(user: User) -> None:
    host = "h" * 60 + "." + "o" * 60 + "." + "s" * 60 + "." + "t" * 60 + ".example"
    headers = {"Idempotency-Key": "long-host", "Host": host * 2}
    first = user.post("/v1/organizations", json={"name": "Acme"}, headers=headers)
    replay = user.post("/v1/organizations", json={"name": "Acme"}, headers=headers)

    assert first.status_code == replay.status_code == 201, first.text
    assert replay.json()["id"] == first.json()["id"]
    assert replay.headers["location"] == first.headers["location"]


def test_concurrent_retries_with_one_key_create_one_resource(user: User) -> None:
    from concurrent.futures import ThreadPoolExecutor

    headers = {"Idempotency-Key": "racing"}

    def attempt(_: int) -> Any:
        return user.post("/v1/organizations", json={"name": "Acme"}, headers=headers)

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(attempt, range(6)))

    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, [a.text for a in answers]
    assert 201 in statuses
    assert len({a.json()["id"] for a in answers if a.status_code == 201}) == 1
    assert len(user.get("/v1/organizations").json()["data"]) == 1


def test_concurrent_sign_ups_with_one_email_make_one_account(client: TestClient) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def sign_up(_: int) -> Any:
        return client.post("/v1/accounts", json={"email": "twin@example.com", "password": PASSWORD})

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(sign_up, range(4)))

    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]


def test_concurrent_writes_with_one_etag_let_exactly_one_through(
    user: User, org: dict[str, Any], contact: dict[str, Any]
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    for url, _change in resources(user, org, contact)[:3]:
        etag = user.get(url).headers["etag"]

        def write(n: int, url: str = url, etag: str = etag) -> Any:
            return user.patch(url, json={"notes": f"writer {n}"}, headers={"If-Match": etag})

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(write, range(4)))

        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200, 412, 412, 412], (url, [a.text for a in answers])
        winner = next(a for a in answers if a.status_code == 200)
        assert user.get(url).json()["notes"] == winner.json()["notes"]
