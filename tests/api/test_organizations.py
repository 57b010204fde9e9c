"""Organizations: create, read, list, merge-patch, delete (with everything under them)."""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import UTC, datetime

import pytest

from tests.conftest import Clock, User, assert_problem

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def test_create_answers_201_with_location_etag_and_defaults(user: User, clock: Clock) -> None:
    clock.set(datetime(2026, 11, 21, 8, 30, tzinfo=UTC))
    response = user.post("/v1/organizations", json={"name": "Acme"})

    assert response.status_code == 201
    org = response.json()
    assert response.headers["location"] == f"https://testserver/v1/organizations/{org['id']}"
    assert response.headers["etag"] == '"1"'
    assert org == {
        "id": org["id"],
        "name": "Acme",
        "website": None,
        "role_applied": None,
        "rejected_on": None,
        "status": "nurturing",
        "paused_reason": None,
        "talked_about": None,
        "notes": None,
        "created_at": org["created_at"],
        "updated_at": org["updated_at"],
    }
    uuid.UUID(org["id"])
    assert RFC3339.match(org["created_at"]) and RFC3339.match(org["updated_at"])
    assert datetime.fromisoformat(org["created_at"]) == datetime(2026, 11, 21, 8, 30, tzinfo=UTC)


def test_every_field_is_kept(user: User) -> None:
    body = {
        "name": "  Acme Robotics ",
        "website": "https://acme.example/careers",
        "role_applied": "Staff engineer",
        "rejected_on": "2026-11-20",
        "status": "paused",
        "notes": "Liked the team.\nSecond round.",
    }
    created = user.create("/v1/organizations", body)
    shown = user.get(f"/v1/organizations/{created['id']}").json()

    assert shown == created
    assert shown["name"] == "Acme Robotics"
    assert {k: shown[k] for k in body if k != "name"} == {
        k: v for k, v in body.items() if k != "name"
    }


BAD_CREATES = [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": 42}, "name"),
    ({"name": "Acme", "website": "not a url"}, "website"),
    ({"name": "Acme", "website": "ftp://acme.example"}, "website"),
    ({"name": "Acme", "website": "javascript:alert(1)"}, "website"),
    ({"name": "Acme", "role_applied": "x" * 201}, "role_applied"),
    ({"name": "Acme", "rejected_on": "2026-13-01"}, "rejected_on"),
    ({"name": "Acme", "rejected_on": "yesterday"}, "rejected_on"),
    ({"name": "Acme", "status": "ghosted"}, "status"),
    ({"name": "Acme", "notes": "x" * 10_001}, "notes"),
    ({"name": "Acme", "nmae": "typo"}, "nmae"),
]


def test_create_names_each_bad_field(user: User, subtests: pytest.Subtests) -> None:
    for body, field in BAD_CREATES:
        with subtests.test(msg=repr((body, field))[:120]):
            body_ = assert_problem(user.post("/v1/organizations", json=body), 422, field=field)
            assert field in body_["detail"]
            assert user.get("/v1/organizations").json()["data"] == []


UNSTORABLE = ["Acme\x00Corp", "Acme \ud83d"]


def test_text_the_database_cannot_store_is_refused(user: User, subtests: pytest.Subtests) -> None:
    for text in UNSTORABLE:
        with subtests.test(msg=repr(text)[:120]):
            response = user.post(
                "/v1/organizations",
                # json.dumps escapes to ASCII: the lone surrogate travels as \\ud83d.
                content=json.dumps({"name": text}),
                headers={"Content-Type": "application/json"},
            )
            assert_problem(response, 422, field="name")


def test_unicode_names_round_trip(user: User) -> None:
    created = user.create("/v1/organizations", {"name": "Zürich Äpfel 🍎 株式会社"})
    assert (
        user.get(f"/v1/organizations/{created['id']}").json()["name"] == "Zürich Äpfel 🍎 株式会社"
    )


def test_an_unknown_id_answers_404_and_a_malformed_one_422(user: User) -> None:
    assert_problem(user.get(f"/v1/organizations/{uuid.uuid4()}"), 404)
    assert_problem(user.get("/v1/organizations/acme"), 422, field="organization_id")


def test_the_list_is_oldest_first_and_filters_by_status(user: User, clock: Clock) -> None:
    for day, (name, status) in enumerate(
        [("A", "nurturing"), ("B", "paused"), ("C", "nurturing")], start=1
    ):
        clock.set(datetime(2026, 1, day, tzinfo=UTC))
        user.create("/v1/organizations", {"name": name, "status": status})

    everything = user.get("/v1/organizations").json()
    nurturing = user.get("/v1/organizations", params={"status": "nurturing"}).json()

    assert [o["name"] for o in everything["data"]] == ["A", "B", "C"]
    assert everything["next_cursor"] is None
    assert [o["name"] for o in nurturing["data"]] == ["A", "C"]
    assert_problem(user.get("/v1/organizations", params={"status": "ghosted"}), 422, field="status")


def test_pages_cover_everything_once_even_with_equal_timestamps(user: User, clock: Clock) -> None:
    clock.set(datetime(2026, 1, 1, tzinfo=UTC))  # every row gets the same created_at
    ids = {user.create("/v1/organizations", {"name": f"Org {i}"})["id"] for i in range(5)}

    seen: list[str] = []
    url: str | None = "/v1/organizations?limit=2"
    sizes = []
    while url is not None:
        response = user.get(url)
        assert response.status_code == 200
        page = response.json()
        sizes.append(len(page["data"]))
        seen += [o["id"] for o in page["data"]]
        if page["next_cursor"] is None:
            assert "link" not in response.headers
            url = None
        else:
            link = re.fullmatch(
                r'<https://testserver(/[^>]+)>; rel="next"', response.headers["link"]
            )
            assert link is not None, response.headers["link"]
            assert f"cursor={page['next_cursor']}" in link.group(1)
            url = link.group(1)

    assert sizes == [2, 2, 1]
    assert len(seen) == len(set(seen)) and set(seen) == ids


def test_the_default_page_holds_50(user: User) -> None:
    for i in range(51):
        user.create("/v1/organizations", {"name": f"Org {i}"})

    first = user.get("/v1/organizations").json()
    assert len(first["data"]) == 50 and first["next_cursor"] is not None
    rest = user.get("/v1/organizations", params={"cursor": first["next_cursor"]}).json()
    assert len(rest["data"]) == 1 and rest["next_cursor"] is None
    assert len(user.get("/v1/organizations", params={"limit": 200}).json()["data"]) == 51


BAD_LIMITS = ["0", "201", "-1", "ten"]


def test_limit_is_1_to_200(user: User, subtests: pytest.Subtests) -> None:
    for limit in BAD_LIMITS:
        with subtests.test(msg=repr(limit)[:120]):
            assert_problem(
                user.get("/v1/organizations", params={"limit": limit}), 422, field="limit"
            )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


FORGED_CURSORS = [
    "garbage!",
    _b64(b"not json"),
    _b64(b"[1, 2]"),
    _b64(b'{"k": "2026-01-01T00:00:00+00:00"}'),
    _b64(b'{"k": "2026-01-01T00:00:00+00:00", "i": 5}'),
    _b64(b'{"k": "2026-01-01T00:00:00+00:00", "i": "nope"}'),
    _b64(json.dumps({"k": 5, "i": str(uuid.uuid4())}).encode()),
    _b64(json.dumps({"k": {"a": 1}, "i": str(uuid.uuid4())}).encode()),
    _b64(json.dumps({"k": "2026-01-01T00:00:00", "i": str(uuid.uuid4())}).encode()),
    _b64(b"\xff\xfe"),
    _b64(json.dumps({"k": "0001-01-01T00:00:00+05:00", "i": str(uuid.uuid4())}).encode()),
    _b64(json.dumps({"k": "9999-12-31T23:59:59-05:00", "i": str(uuid.uuid4())}).encode()),
]


def test_a_forged_cursor_answers_422_not_500(user: User, subtests: pytest.Subtests) -> None:
    for cursor in FORGED_CURSORS:
        with subtests.test(msg=repr(cursor)[:120]):
            response = user.get("/v1/organizations", params={"cursor": cursor})
            assert_problem(response, 422, field="cursor")


def test_patch_changes_only_what_is_sent(user: User) -> None:
    org = user.create(
        "/v1/organizations",
        {"name": "Acme", "website": "https://acme.example", "notes": "keep"},
    )

    response = user.patch(
        f"/v1/organizations/{org['id']}",
        json={"status": "opening", "website": None},
    )

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    patched = response.json()
    assert patched["status"] == "opening"
    assert patched["website"] is None
    assert patched["notes"] == "keep" and patched["name"] == "Acme"
    shown = user.get(f"/v1/organizations/{org['id']}")
    assert shown.json() == patched and shown.headers["etag"] == '"2"'


def test_patch_accepts_the_merge_patch_media_type(user: User) -> None:
    org = user.create("/v1/organizations", {"name": "Acme"})
    response = user.patch(
        f"/v1/organizations/{org['id']}",
        content=json.dumps({"role_applied": "SRE"}),
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["role_applied"] == "SRE"


def test_an_empty_patch_changes_nothing(user: User) -> None:
    org = user.create("/v1/organizations", {"name": "Acme"})
    response = user.patch(f"/v1/organizations/{org['id']}", json={})
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert response.json() == org


BAD_PATCHES = [
    ({"name": None}, "name"),
    ({"status": None}, "status"),
    ({"name": ""}, "name"),
    ({"status": "ghosted"}, "status"),
    ({"website": "nope"}, "website"),
    ({"id": str(uuid.uuid4())}, "id"),
    ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
]


def test_patch_names_each_bad_field(user: User, subtests: pytest.Subtests) -> None:
    for body, field in BAD_PATCHES:
        with subtests.test(msg=repr((body, field))[:120]):
            org = user.create("/v1/organizations", {"name": "Acme"})
            assert_problem(
                user.patch(f"/v1/organizations/{org['id']}", json=body), 422, field=field
            )
            assert user.get(f"/v1/organizations/{org['id']}").json() == org


def test_patch_honours_if_match(user: User) -> None:
    org = user.create("/v1/organizations", {"name": "Acme"})
    url = f"/v1/organizations/{org['id']}"

    first = user.patch(url, json={"notes": "one"}, headers={"If-Match": '"1"'})
    stale = user.patch(url, json={"notes": "two"}, headers={"If-Match": '"1"'})

    assert first.status_code == 200 and first.headers["etag"] == '"2"'
    assert_problem(stale, 412)
    assert user.get(url).json()["notes"] == "one"
    assert (
        user.patch(url, json={"notes": "three"}, headers={"If-Match": 'W/"2"'}).status_code == 200
    )
    assert user.patch(url, json={"notes": "four"}, headers={"If-Match": "*"}).status_code == 200
    assert_problem(user.patch(url, json={"notes": "x"}, headers={"If-Match": "garbage"}), 412)


def test_updated_at_moves_on_patch(user: User, clock: Clock) -> None:
    clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    org = user.create("/v1/organizations", {"name": "Acme"})
    clock.set(datetime(2026, 1, 2, tzinfo=UTC))

    patched = user.patch(f"/v1/organizations/{org['id']}", json={"notes": "later"}).json()

    assert patched["created_at"] == org["created_at"]
    assert datetime.fromisoformat(patched["updated_at"]) == datetime(2026, 1, 2, tzinfo=UTC)


def test_delete_answers_204_then_404(user: User) -> None:
    org = user.create("/v1/organizations", {"name": "Acme"})
    url = f"/v1/organizations/{org['id']}"

    response = user.delete(url)

    assert response.status_code == 204 and response.content == b""
    assert_problem(user.get(url), 404)
    assert_problem(user.delete(url), 404)
    assert_problem(user.patch(url, json={"notes": "x"}), 404)


def test_delete_honours_if_match(user: User) -> None:
    org = user.create("/v1/organizations", {"name": "Acme"})
    url = f"/v1/organizations/{org['id']}"
    user.patch(url, json={"notes": "changed"})

    assert_problem(user.delete(url, headers={"If-Match": '"1"'}), 412)
    assert user.get(url).status_code == 200
    assert user.delete(url, headers={"If-Match": '"2"'}).status_code == 204


def test_delete_takes_contacts_attempts_news_and_next_actions_with_it(user: User) -> None:
    org = user.create("/v1/organizations", {"name": "Acme"})
    kept = user.create("/v1/organizations", {"name": "Globex"})
    news = user.create(f"/v1/organizations/{org['id']}/news", {"headline": "Acme raises"})
    contact = user.create(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Grace",
            "role": "hiring_manager",
            "email": "grace@acme.example",
        },
    )
    other = user.create(
        "/v1/contacts",
        {
            "organization_id": kept["id"],
            "name": "Hank",
            "role": "recruiter",
            "email": "hank@globex.example",
        },
    )
    attempt = user.create(
        "/v1/attempts", {"contact_id": contact["id"], "channel": "email", "news_id": news["id"]}
    )
    user.create("/v1/attempts", {"contact_id": other["id"], "channel": "call"})
    actions = user.get("/v1/next-actions", params={"organization_id": org["id"]}).json()["data"]
    assert actions, "an organization with a contact has a next action"

    assert user.delete(f"/v1/organizations/{org['id']}").status_code == 204

    assert_problem(user.get(f"/v1/contacts/{contact['id']}"), 404)
    assert_problem(user.get(f"/v1/attempts/{attempt['id']}"), 404)
    assert_problem(user.get(f"/v1/organizations/{org['id']}/news"), 404)
    assert [c["id"] for c in user.get("/v1/contacts").json()["data"]] == [other["id"]]
    assert [a["contact_id"] for a in user.get("/v1/attempts").json()["data"]] == [other["id"]]
    assert user.get(f"/v1/organizations/{kept['id']}").status_code == 200
    for action in actions:
        assert_problem(user.get(f"/v1/next-actions/{action['id']}"), 404)
    remaining = user.get("/v1/next-actions").json()["data"]
    assert {a["organization_id"] for a in remaining} == {kept["id"]}
