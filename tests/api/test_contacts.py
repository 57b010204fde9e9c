"""Contacts: the people at an organization."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import Clock, User, assert_problem


@pytest.fixture
def org(user: User) -> dict[str, Any]:
    return user.create("/v1/organizations", {"name": "Acme"})


def contact_body(org: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "organization_id": org["id"],
        "name": "Grace Hopper",
        "role": "hiring_manager",
        **fields,
    }


def test_create_answers_201_with_every_field(user: User, org: dict[str, Any]) -> None:
    body = contact_body(
        org,
        title="VP Engineering",
        email="grace@acme.example",
        phone="+1 (312) 555-0100",
        profile_url="https://www.linkedin.com/in/grace",
        timezone="America/Chicago",
        notes="Met at the onsite.",
    )
    response = user.post("/v1/contacts", json=body)

    assert response.status_code == 201
    contact = response.json()
    assert {k: contact[k] for k in body} == body
    assert contact["status"] == "active"
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"https://testserver/v1/contacts/{contact['id']}"
    shown = user.get(f"/v1/contacts/{contact['id']}")
    assert shown.json() == contact and shown.headers["etag"] == '"1"'


def test_optional_fields_default_to_null(user: User, org: dict[str, Any]) -> None:
    contact = user.create("/v1/contacts", contact_body(org, role="recruiter"))
    for field in ("title", "email", "phone", "profile_url", "timezone", "notes"):
        assert contact[field] is None
    assert contact["role"] == "recruiter"


BAD_CREATES = [
    ({"role": "ceo"}, "role"),
    ({"role": None}, "role"),
    ({"name": ""}, "name"),
    ({"email": "grace-at-acme"}, "email"),
    ({"phone": "call me"}, "phone"),
    ({"phone": "12"}, "phone"),
    ({"phone": "+1 312 555 0100 " + "1" * 40}, "phone"),
    ({"profile_url": "linkedin/grace"}, "profile_url"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": "america/chicago"}, "timezone"),
    ({"status": "retired"}, "status"),
    ({"title": "x" * 201}, "title"),
    ({"organization_id": "acme"}, "organization_id"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
]


def test_create_names_each_bad_field(
    user: User, org: dict[str, Any], subtests: pytest.Subtests
) -> None:
    for fields, field in BAD_CREATES:
        with subtests.test(msg=repr((fields, field))[:120]):
            response = user.post("/v1/contacts", json=contact_body(org, **fields))
            assert_problem(response, 422, field=field)


REQUIRED = ["organization_id", "name", "role"]


def test_required_fields(user: User, org: dict[str, Any], subtests: pytest.Subtests) -> None:
    for missing in REQUIRED:
        with subtests.test(msg=repr(missing)[:120]):
            body = contact_body(org)
            del body[missing]
            assert_problem(user.post("/v1/contacts", json=body), 422, field=missing)


def test_an_unknown_organization_is_a_bad_field(user: User) -> None:
    response = user.post("/v1/contacts", json=contact_body({"id": str(uuid.uuid4())}))
    assert_problem(response, 422, field="organization_id")


def test_the_list_filters_by_organization_role_and_status(
    user: User, org: dict[str, Any], clock: Clock
) -> None:
    other = user.create("/v1/organizations", {"name": "Globex"})
    for minute, (at, name, role, status) in enumerate(
        [
            (org, "Grace", "hiring_manager", "active"),
            (org, "Hank", "recruiter", "archived"),
            (other, "Ida", "recruiter", "active"),
        ]
    ):
        clock.set(datetime(2026, 1, 1, 9, minute, tzinfo=UTC))
        user.create("/v1/contacts", contact_body(at, name=name, role=role, status=status))

    def names(**params: str) -> list[str]:
        response = user.get("/v1/contacts", params=params)
        assert response.status_code == 200
        return [c["name"] for c in response.json()["data"]]

    assert names() == ["Grace", "Hank", "Ida"]
    assert names(organization_id=org["id"]) == ["Grace", "Hank"]
    assert names(role="recruiter") == ["Hank", "Ida"]
    assert names(status="active") == ["Grace", "Ida"]
    assert names(organization_id=org["id"], role="recruiter", status="archived") == ["Hank"]
    assert names(organization_id=str(uuid.uuid4())) == []
    assert names(limit="1", cursor=user.get("/v1/contacts?limit=1").json()["next_cursor"]) == [
        "Hank"
    ]
    assert_problem(user.get("/v1/contacts", params={"role": "ceo"}), 422, field="role")
    assert_problem(
        user.get("/v1/contacts", params={"organization_id": "x"}), 422, field="organization_id"
    )


def test_patch_is_a_merge_patch(user: User, org: dict[str, Any]) -> None:
    contact = user.create(
        "/v1/contacts", contact_body(org, email="grace@acme.example", phone="+1 312 555 0100")
    )

    response = user.patch(
        f"/v1/contacts/{contact['id']}",
        json={"email": None, "title": "CTO", "timezone": "Europe/Berlin"},
    )

    assert response.status_code == 200 and response.headers["etag"] == '"2"'
    patched = response.json()
    assert patched["email"] is None
    assert patched["title"] == "CTO" and patched["timezone"] == "Europe/Berlin"
    assert patched["phone"] == "+1 312 555 0100" and patched["name"] == "Grace Hopper"


BAD_PATCHES = [
    ({"name": None}, "name"),
    ({"role": None}, "role"),
    ({"status": None}, "status"),
    ({"role": "boss"}, "role"),
    ({"email": "nope"}, "email"),
    ({"timezone": "Nowhere"}, "timezone"),
    ({"organization_id": str(uuid.uuid4())}, "organization_id"),
]


def test_patch_names_each_bad_field(
    user: User, org: dict[str, Any], subtests: pytest.Subtests
) -> None:
    for body, field in BAD_PATCHES:
        with subtests.test(msg=repr((body, field))[:120]):
            contact = user.create("/v1/contacts", contact_body(org))
            assert_problem(user.patch(f"/v1/contacts/{contact['id']}", json=body), 422, field=field)
            assert user.get(f"/v1/contacts/{contact['id']}").json() == contact


def test_patch_and_delete_honour_if_match(user: User, org: dict[str, Any]) -> None:
    contact = user.create("/v1/contacts", contact_body(org))
    url = f"/v1/contacts/{contact['id']}"
    assert user.patch(url, json={"title": "CTO"}, headers={"If-Match": '"1"'}).status_code == 200

    assert_problem(user.patch(url, json={"title": "CEO"}, headers={"If-Match": '"1"'}), 412)
    assert_problem(user.delete(url, headers={"If-Match": '"1"'}), 412)
    assert user.get(url).json()["title"] == "CTO"
    assert user.delete(url, headers={"If-Match": '"2"'}).status_code == 204


def test_a_contact_who_asked_to_stop_stays_do_not_contact(user: User, org: dict[str, Any]) -> None:
    contact = user.create("/v1/contacts", contact_body(org, email="grace@acme.example"))
    url = f"/v1/contacts/{contact['id']}"
    user.create(
        "/v1/attempts",
        {"contact_id": contact["id"], "channel": "email", "outcome": "asked_to_stop"},
    )

    shown = user.get(url)
    assert shown.json()["status"] == "do_not_contact"
    assert shown.headers["etag"] != '"1"'

    assert_problem(user.patch(url, json={"status": "active"}), 409)
    assert_problem(user.patch(url, json={"status": "archived"}), 409)
    assert user.get(url).json()["status"] == "do_not_contact"
    assert user.patch(url, json={"notes": "Respect it."}).status_code == 200


def test_a_status_set_by_hand_can_be_set_back(user: User, org: dict[str, Any]) -> None:
    contact = user.create("/v1/contacts", contact_body(org))
    url = f"/v1/contacts/{contact['id']}"

    assert user.patch(url, json={"status": "do_not_contact"}).status_code == 200
    assert user.patch(url, json={"status": "active"}).json()["status"] == "active"


def test_delete_takes_the_attempts_with_that_contact(user: User, org: dict[str, Any]) -> None:
    grace = user.create("/v1/contacts", contact_body(org, email="grace@acme.example"))
    hank = user.create("/v1/contacts", contact_body(org, name="Hank", role="recruiter"))
    gone = user.create("/v1/attempts", {"contact_id": grace["id"], "channel": "email"})
    kept = user.create("/v1/attempts", {"contact_id": hank["id"], "channel": "call"})

    response = user.delete(f"/v1/contacts/{grace['id']}")

    assert response.status_code == 204
    assert_problem(user.get(f"/v1/contacts/{grace['id']}"), 404)
    assert_problem(user.get(f"/v1/attempts/{gone['id']}"), 404)
    assert user.get(f"/v1/attempts/{kept['id']}").status_code == 200
    assert_problem(user.delete(f"/v1/contacts/{grace['id']}"), 404)


def test_unknown_and_malformed_ids(user: User) -> None:
    assert_problem(user.get(f"/v1/contacts/{uuid.uuid4()}"), 404)
    assert_problem(user.patch(f"/v1/contacts/{uuid.uuid4()}", json={}), 404)
    assert_problem(user.delete(f"/v1/contacts/{uuid.uuid4()}"), 404)
    assert_problem(user.get("/v1/contacts/grace"), 422, field="contact_id")


def test_updated_at_is_the_time_of_the_change(
    user: User, org: dict[str, Any], clock: Clock
) -> None:
    clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    contact = user.create("/v1/contacts", contact_body(org))
    clock.set(datetime(2026, 1, 2, tzinfo=UTC))

    patched = user.patch(f"/v1/contacts/{contact['id']}", json={"title": "CTO"}).json()

    assert patched["created_at"] == contact["created_at"]
    assert datetime.fromisoformat(patched["updated_at"]) == datetime(2026, 1, 2, tzinfo=UTC)
