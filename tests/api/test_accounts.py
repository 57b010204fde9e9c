"""Sign-up, log-in, API keys and the log-in throttle."""

from __future__ import annotations

import importlib.metadata
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.build import commit
from tests.conftest import LOOPBACK, PASSWORD, Clock, User, assert_problem


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def log_in(client: TestClient, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/v1/tokens", json={"email": email, "password": password, **extra})


def test_sign_up_answers_201_with_the_account_and_a_key_shown_once(client: TestClient) -> None:
    response = client.post("/v1/accounts", json={"email": "ada@example.com", "password": PASSWORD})

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"account", "api_key", "api_key_id"}
    assert set(body["account"]) == {"id", "email", "created_at"}
    assert body["account"]["email"] == "ada@example.com"
    uuid.UUID(body["account"]["id"])
    assert len(body["api_key"]) >= 43  # 32 random bytes, url-safe base64
    assert response.headers["location"].endswith("/v1/me")
    assert PASSWORD not in response.text


def test_the_sign_up_key_reads_the_account(client: TestClient) -> None:
    signed = client.post("/v1/accounts", json={"email": "Ada@Example.COM", "password": PASSWORD})
    response = client.get("/v1/me", headers=bearer(signed.json()["api_key"]))

    assert response.status_code == 200
    assert response.json() == signed.json()["account"]
    assert response.json()["email"] == "ada@example.com"
    assert "etag" in response.headers


def test_the_sign_up_names_its_key_so_a_client_can_revoke_it(client: TestClient) -> None:
    signed = client.post("/v1/accounts", json={"email": "ada@example.com", "password": PASSWORD})
    key = bearer(signed.json()["api_key"])

    listed = client.get("/v1/api-keys", headers=key).json()
    assert [item["id"] for item in listed["data"]] == [signed.json()["api_key_id"]]
    assert (
        client.delete(f"/v1/api-keys/{signed.json()['api_key_id']}", headers=key).status_code == 204
    )
    assert client.get("/v1/me", headers=key).status_code == 401


def test_the_sign_up_key_can_be_named_for_its_device(client: TestClient) -> None:
    named = {"email": "ada@example.com", "password": PASSWORD, "key_name": "Web app · Firefox"}
    signed = client.post("/v1/accounts", json=named)

    listed = client.get("/v1/api-keys", headers=bearer(signed.json()["api_key"])).json()
    assert [item["name"] for item in listed["data"]] == ["Web app · Firefox"]
    too_long = {"email": "bo@example.com", "password": PASSWORD, "key_name": "x" * 101}
    assert_problem(client.post("/v1/accounts", json=too_long), 422, field="key_name")


def test_an_email_signs_up_once_whatever_its_case(client: TestClient) -> None:
    client.post("/v1/accounts", json={"email": "ada@example.com", "password": PASSWORD})
    again = client.post("/v1/accounts", json={"email": "ADA@example.com", "password": PASSWORD})

    assert_problem(again, 409)


BAD_SIGN_UPS = [
    ({"email": "not-an-email", "password": PASSWORD}, "email"),
    ({"email": "ada@example.com", "password": "short"}, "password"),
    ({"email": "ada@example.com", "password": "x" * 201}, "password"),
    ({"password": PASSWORD}, "email"),
    ({"email": "ada@example.com"}, "password"),
    ({"email": "ada@example.com", "password": PASSWORD, "admin": True}, "admin"),
]


def test_sign_up_names_the_bad_field(client: TestClient, subtests: pytest.Subtests) -> None:
    for body, field in BAD_SIGN_UPS:
        with subtests.test(msg=repr((body, field))[:120]):
            assert_problem(client.post("/v1/accounts", json=body), 422, field=field)


def test_sign_up_can_be_closed(app: FastAPI, client: TestClient) -> None:
    app.state.settings.signup = "closed"
    response = client.post("/v1/accounts", json={"email": "ada@example.com", "password": PASSWORD})

    assert_problem(response, 403)
    app.state.settings.signup = "open"
    assert (
        client.post(
            "/v1/tokens", json={"email": "ada@example.com", "password": PASSWORD}
        ).status_code
        == 401
    )


def test_a_client_can_ask_whether_sign_up_is_open(app: FastAPI, client: TestClient) -> None:
    opened = client.get("/v1/server")  # no key: asked before anyone signs in
    app.state.settings.signup = "closed"
    try:
        closed = client.get("/v1/server")
    finally:
        app.state.settings.signup = "open"

    assert opened.status_code == 200
    assert opened.json() == {
        "version": importlib.metadata.version("keepwarm"),
        "commit": commit(),
        "signup": "open",
        "reminders": False,  # no KEEPWARM_SMTP_URL here
    }
    assert closed.json()["signup"] == "closed"


def test_the_server_says_whether_it_sends_reminder_emails(app: FastAPI, client: TestClient) -> None:
    settings = app.state.settings
    settings.smtp_url, settings.mail_from = "smtp://127.0.0.1:2525", "kw <r@kw.example>"
    try:
        without_public_url = client.get("/v1/server").json()["reminders"]
        settings.public_url = "https://kw.example"  # the reminders' links need it
        sending = client.get("/v1/server").json()["reminders"]
    finally:
        settings.smtp_url = settings.mail_from = settings.public_url = None

    assert (without_public_url, sending) == (False, True)


def test_log_in_issues_a_new_working_key(user: User) -> None:
    response = log_in(user.client, user.email, name="phone")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "api_key"}
    assert body["name"] == "phone"
    assert body["api_key"] != user.key
    assert response.headers["location"].endswith(f"/v1/api-keys/{body['id']}")
    me = user.client.get("/v1/me", headers=bearer(body["api_key"]))
    assert me.json()["email"] == user.email


def test_log_in_accepts_the_email_in_any_case(user: User) -> None:
    assert log_in(user.client, user.email.upper()).status_code == 201


def test_a_wrong_password_and_an_unknown_email_look_the_same(user: User) -> None:
    wrong = assert_problem(log_in(user.client, user.email, "wrong password"), 401)
    unknown = assert_problem(log_in(user.client, "nobody@example.com"), 401)

    assert wrong["detail"] == unknown["detail"]


@pytest.fixture
def strict_throttle(app: FastAPI, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> datetime:
    monkeypatch.setattr(app.state.settings, "login_max_failures", 3)
    monkeypatch.setattr(app.state.settings, "login_lockout_seconds", 60)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    clock.set(start)
    return start


def test_repeated_failures_answer_429_with_retry_after(
    user: User, other_user: User, strict_throttle: datetime, clock: Clock
) -> None:
    for _ in range(3):
        assert log_in(user.client, user.email, "wrong password").status_code == 401

    locked = assert_problem(log_in(user.client, user.email), 429)  # even the right password
    retry_after = int(
        user.client.post("/v1/tokens", json={"email": user.email, "password": PASSWORD}).headers[
            "retry-after"
        ]
    )
    assert 0 < retry_after <= 61
    assert "retry" in locked["detail"].lower()
    assert log_in(user.client, other_user.email).status_code == 201  # another email is not locked
    assert user.get("/v1/me").status_code == 200  # existing keys keep working

    clock.set(strict_throttle + timedelta(seconds=61))
    assert log_in(user.client, user.email).status_code == 201


def test_unknown_emails_are_throttled_too(client: TestClient, strict_throttle: datetime) -> None:
    for _ in range(3):
        log_in(client, "nobody@example.com", "guess")

    assert_problem(log_in(client, "nobody@example.com", "guess"), 429)


def test_a_successful_log_in_forgets_earlier_failures(
    user: User, strict_throttle: datetime
) -> None:
    for _ in range(2):
        log_in(user.client, user.email, "wrong password")
    assert log_in(user.client, user.email).status_code == 201
    for _ in range(2):
        log_in(user.client, user.email, "wrong password")

    assert log_in(user.client, user.email).status_code == 201


NOT_KEYS = [
    {},
    {"Authorization": "Bearer kw_not-a-real-key"},
    {"Authorization": "Basic YWRhOnBhc3N3b3Jk"},
    {"Authorization": "Bearer "},
]


def test_requests_without_a_valid_key_answer_401(
    client: TestClient, subtests: pytest.Subtests
) -> None:
    for headers in NOT_KEYS:
        with subtests.test(msg=repr(headers)[:120]):
            response = client.get("/v1/me", headers=headers)

            assert_problem(response, 401)
            assert response.headers["www-authenticate"].lower().startswith("bearer")


def test_a_mistyped_key_answers_401_before_the_requests_other_mistakes(
    client: TestClient, subtests: pytest.Subtests
) -> None:
    """The key is read in the endpoint's thread; one refused before the endpoint runs (a bad
    id, a bad body, a bad If-Match) is still read first and answered 401."""
    key = {"Authorization": "Bearer kw_not-a-real-key"}
    for method, path, extra in (
        ("GET", "/v1/contacts/not-a-uuid", {}),
        ("GET", "/v1/next-actions?limit=0", {}),
        ("POST", "/v1/organizations", {"json": {"name": ""}}),
        ("PATCH", f"/v1/contacts/{uuid.uuid4()}", {"headers": {"If-Match": "nonsense"}}),
    ):
        with subtests.test(msg=f"{method} {path}"):
            headers = {**key, **extra.pop("headers", {})}
            response = client.request(method, path, headers=headers, **extra)

            assert_problem(response, 401)


def test_api_keys_are_listed_without_their_secret(user: User) -> None:
    issued = user.create("/v1/api-keys", {"name": "calendar sync"})

    response = user.get("/v1/api-keys")

    assert response.status_code == 200
    keys = response.json()["data"]
    assert [key["name"] for key in keys] == ["sign-up", "calendar sync"]
    for key in keys:
        assert set(key) == {"id", "name", "created_at", "last_used_at"}
    assert user.key not in response.text and issued["api_key"] not in response.text
    assert keys[0]["last_used_at"] is not None  # the sign-up key made this request
    assert keys[1]["last_used_at"] is None


def test_a_created_key_is_at_its_location(user: User) -> None:
    response = user.post("/v1/api-keys", json={"name": "script"})

    assert response.status_code == 201
    issued = response.json()
    location = response.headers["location"]
    assert location.endswith(f"/v1/api-keys/{issued['id']}")
    shown = user.get(location.removeprefix("https://testserver"))
    assert shown.status_code == 200
    assert shown.json()["name"] == "script"
    assert issued["api_key"] not in shown.text
    assert user.client.get("/v1/me", headers=bearer(issued["api_key"])).status_code == 200


BAD_KEY_NAMES = ["", "   ", "x" * 101, "old\x00laptop"]


def test_a_key_name_is_validated(user: User, subtests: pytest.Subtests) -> None:
    for name in BAD_KEY_NAMES:
        with subtests.test(msg=repr(name)[:120]):
            assert_problem(user.post("/v1/api-keys", json={"name": name}), 422, field="name")


def test_revoking_a_key_takes_effect_at_once(user: User) -> None:
    issued = user.create("/v1/api-keys", {"name": "old laptop"})

    assert user.delete(f"/v1/api-keys/{issued['id']}").status_code == 204

    assert_problem(user.client.get("/v1/me", headers=bearer(issued["api_key"])), 401)
    assert user.get("/v1/me").status_code == 200
    assert issued["id"] not in user.get("/v1/api-keys").text
    assert_problem(user.delete(f"/v1/api-keys/{issued['id']}"), 404)


def test_a_key_can_revoke_itself(user: User) -> None:
    own_id = user.get("/v1/api-keys").json()["data"][0]["id"]

    assert user.delete(f"/v1/api-keys/{own_id}").status_code == 204
    assert_problem(user.get("/v1/me"), 401)


def test_revoking_an_unknown_key_answers_404(user: User) -> None:
    assert_problem(user.delete(f"/v1/api-keys/{uuid.uuid4()}"), 404)
    assert_problem(user.delete("/v1/api-keys/not-a-uuid"), 422, field="key_id")


def test_api_keys_are_paged(user: User) -> None:
    for name in ("a", "b", "c"):
        user.create("/v1/api-keys", {"name": name})

    first = user.get("/v1/api-keys", params={"limit": 3})
    second = user.get("/v1/api-keys", params={"limit": 3, "cursor": first.json()["next_cursor"]})

    assert [k["name"] for k in first.json()["data"]] == ["sign-up", "a", "b"]
    assert 'rel="next"' in first.headers["link"]
    assert [k["name"] for k in second.json()["data"]] == ["c"]
    assert second.json()["next_cursor"] is None
    assert "link" not in second.headers


def stored_text(app: FastAPI) -> str:
    """Every value in every table, as text: what someone with a database dump would see."""
    from sqlalchemy import select

    from service.db.base import Base

    parts = []
    with app.state.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                parts += [str(value) for value in row]
    return "\n".join(parts)


def test_keys_and_passwords_are_stored_only_as_hashes(app: FastAPI, user: User) -> None:
    secrets = [
        user.key,
        log_in(user.client, user.email).json()["api_key"],
        user.create("/v1/api-keys", {"name": "plain"})["api_key"],
        user.post(
            "/v1/api-keys", json={"name": "retried"}, headers={"Idempotency-Key": "key-1"}
        ).json()["api_key"],
    ]

    dump = stored_text(app)

    assert PASSWORD not in dump
    for secret in secrets:
        assert secret not in dump
        assert secret.removeprefix("kw_") not in dump


def test_a_replayed_key_creation_answers_with_a_working_key(user: User) -> None:
    headers = {"Idempotency-Key": "new-laptop"}
    first = user.post("/v1/api-keys", json={"name": "laptop"}, headers=headers)
    replay = user.post("/v1/api-keys", json={"name": "laptop"}, headers=headers)

    assert first.status_code == replay.status_code == 201
    assert replay.json()["id"] == first.json()["id"]
    assert replay.headers["location"] == first.headers["location"]
    assert user.client.get("/v1/me", headers=bearer(replay.json()["api_key"])).status_code == 200
    names = [key["name"] for key in user.get("/v1/api-keys").json()["data"]]
    assert names.count("laptop") == 1
    assert_problem(user.client.get("/v1/me", headers=bearer(first.json()["api_key"])), 401)


def test_a_replay_after_revocation_answers_409(user: User) -> None:
    headers = {"Idempotency-Key": "gone"}
    first = user.post("/v1/api-keys", json={"name": "laptop"}, headers=headers)
    user.delete(f"/v1/api-keys/{first.json()['id']}")

    assert_problem(user.post("/v1/api-keys", json={"name": "laptop"}, headers=headers), 409)


def test_concurrent_failed_log_ins_are_all_counted(
    app: FastAPI, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(app.state.settings, "login_max_failures", 4)

    def fail(_: int) -> Any:
        return log_in(user.client, user.email, "wrong password")

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(fail, range(4)))

    assert sorted(a.status_code for a in answers) == [401] * 4, [a.text for a in answers]
    assert_problem(log_in(user.client, user.email), 429)


def test_keepwarm_signup_closed_in_the_environment_closes_sign_up(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.config import Settings, Toggle
    from service.main import create_app

    monkeypatch.setenv("KEEPWARM_SIGNUP", "closed")
    app = create_app(Settings(database_url=database_url, scheduler=Toggle.OFF))
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        response = client.post(
            "/v1/accounts", json={"email": "late@example.com", "password": PASSWORD}
        )
    assert_problem(response, 403)
