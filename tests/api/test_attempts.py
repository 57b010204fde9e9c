"""Contact attempts: logging, reading, listing, correcting, deleting."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Clock, User, assert_problem

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


@pytest.fixture
def org(user: User, clock: Clock) -> dict[str, Any]:
    clock.set(NOW)
    return user.create("/v1/organizations", {"name": "Acme", "rejected_on": "2026-03-01"})


@pytest.fixture
def grace(user: User, org: dict[str, Any]) -> dict[str, Any]:
    return user.create(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Grace",
            "role": "hiring_manager",
            "email": "grace@acme.example",
            "phone": "+1 312 555 0100",
        },
    )


@pytest.fixture
def hank(user: User, org: dict[str, Any]) -> dict[str, Any]:
    return user.create(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Hank",
            "role": "recruiter",
            "email": "hank@acme.example",
        },
    )


def test_log_answers_201_with_defaults(
    user: User, org: dict[str, Any], grace: dict[str, Any]
) -> None:
    response = user.post("/v1/attempts", json={"contact_id": grace["id"], "channel": "email"})

    assert response.status_code == 201
    attempt = response.json()
    assert attempt["organization_id"] == org["id"]
    assert attempt["direction"] == "outbound"
    assert datetime.fromisoformat(attempt["occurred_at"]) == NOW
    for field in (
        "outcome",
        "referred_to_contact_id",
        "next_action_id",
        "news_id",
        "script_variant",
        "follow_up_on",
        "follow_up_channel",
        "notes",
    ):
        assert attempt[field] is None
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"https://testserver/v1/attempts/{attempt['id']}"
    assert user.get(f"/v1/attempts/{attempt['id']}").json() == attempt


def test_every_field_is_kept(user: User, org: dict[str, Any], grace: dict[str, Any]) -> None:
    news = user.create(f"/v1/organizations/{org['id']}/news", {"headline": "Acme ships v2"})
    body = {
        "contact_id": grace["id"],
        "channel": "call",
        "direction": "inbound",
        "occurred_at": "2026-03-04T09:30:00-05:00",
        "outcome": "conversation",
        "news_id": news["id"],
        "script_variant": "p2-i1-n0-q3",
        "follow_up_on": "2026-06-01",
        "notes": "She called back.",
    }

    created = user.create("/v1/attempts", body)
    shown = user.get(f"/v1/attempts/{created['id']}").json()

    assert {k: shown[k] for k in body if k != "occurred_at"} == {
        k: v for k, v in body.items() if k != "occurred_at"
    }
    # The same instant, returned in UTC.
    assert datetime.fromisoformat(shown["occurred_at"]) == datetime(2026, 3, 4, 14, 30, tzinfo=UTC)
    assert shown["occurred_at"].endswith(("Z", "+00:00"))


def test_the_created_attempt_reads_back_the_same(user: User, grace: dict[str, Any]) -> None:
    created = user.create(
        "/v1/attempts",
        {"contact_id": grace["id"], "channel": "call", "occurred_at": "2026-03-04T09:30:00-05:00"},
    )
    assert user.get(f"/v1/attempts/{created['id']}").json() == created


BAD_LOGS = [
    ({"channel": "pigeon"}, "channel"),
    ({"channel": None}, "channel"),
    ({"direction": "sideways"}, "direction"),
    ({"outcome": "ghosted"}, "outcome"),
    ({"occurred_at": "2026-03-04T09:30:00"}, "occurred_at"),  # no offset
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"occurred_at": (NOW + timedelta(hours=1)).isoformat()}, "occurred_at"),  # future
    ({"follow_up_on": "2026-02-30"}, "follow_up_on"),
    ({"contact_id": "grace"}, "contact_id"),
    ({"contact_id": str(uuid.uuid4())}, "contact_id"),
    ({"news_id": str(uuid.uuid4())}, "news_id"),
    ({"next_action_id": "nope"}, "next_action_id"),
    ({"script_variant": "x" * 201}, "script_variant"),
    ({"mood": "hopeful"}, "mood"),
]


def test_log_names_each_bad_field(
    user: User, grace: dict[str, Any], subtests: pytest.Subtests
) -> None:
    for fields, field in BAD_LOGS:
        with subtests.test(msg=repr((fields, field))[:120]):
            body = {"contact_id": grace["id"], "channel": "email", **fields}
            assert_problem(user.post("/v1/attempts", json=body), 422, field=field)
            assert user.get("/v1/attempts").json()["data"] == []


def test_a_date_before_year_1_in_utc_answers_422(user: User, grace: dict[str, Any]) -> None:
    body = {
        "contact_id": grace["id"],
        "channel": "email",
        "occurred_at": "0001-01-01T00:30:00+01:00",
    }
    assert_problem(user.post("/v1/attempts", json=body), 422, field="occurred_at")


def test_an_attempt_a_few_minutes_ahead_is_clock_skew(user: User, grace: dict[str, Any]) -> None:
    body = {
        "contact_id": grace["id"],
        "channel": "email",
        "occurred_at": (NOW + timedelta(minutes=2)).isoformat(),
    }
    assert user.post("/v1/attempts", json=body).status_code == 201


def test_a_referral_names_another_contact_at_the_organization(
    user: User, org: dict[str, Any], grace: dict[str, Any], hank: dict[str, Any]
) -> None:
    elsewhere = user.create("/v1/organizations", {"name": "Globex"})
    stranger = user.create(
        "/v1/contacts", {"organization_id": elsewhere["id"], "name": "Ida", "role": "other"}
    )

    def log(**fields: Any) -> Any:
        return user.post(
            "/v1/attempts", json={"contact_id": hank["id"], "channel": "call", **fields}
        )

    ok = log(outcome="referred", referred_to_contact_id=grace["id"])
    assert ok.status_code == 201 and ok.json()["referred_to_contact_id"] == grace["id"]
    field = "referred_to_contact_id"
    assert_problem(log(referred_to_contact_id=grace["id"]), 422, field=field)  # not 'referred'
    assert_problem(log(outcome="referred", referred_to_contact_id=hank["id"]), 422, field=field)
    assert_problem(log(outcome="referred", referred_to_contact_id=stranger["id"]), 422, field=field)
    assert_problem(
        log(outcome="referred", referred_to_contact_id=str(uuid.uuid4())), 422, field=field
    )


def test_news_must_belong_to_the_organization(
    user: User, org: dict[str, Any], grace: dict[str, Any]
) -> None:
    elsewhere = user.create("/v1/organizations", {"name": "Globex"})
    foreign = user.create(f"/v1/organizations/{elsewhere['id']}/news", {"headline": "Globex"})

    response = user.post(
        "/v1/attempts",
        json={"contact_id": grace["id"], "channel": "email", "news_id": foreign["id"]},
    )

    assert_problem(response, 422, field="news_id")


def test_asked_to_stop_makes_the_contact_do_not_contact(user: User, grace: dict[str, Any]) -> None:
    user.create(
        "/v1/attempts", {"contact_id": grace["id"], "channel": "call", "outcome": "asked_to_stop"}
    )
    assert user.get(f"/v1/contacts/{grace['id']}").json()["status"] == "do_not_contact"


def test_opening_discussed_sets_the_organization_to_opening(
    user: User, org: dict[str, Any], grace: dict[str, Any]
) -> None:
    user.create(
        "/v1/attempts",
        {"contact_id": grace["id"], "channel": "call", "outcome": "opening_discussed"},
    )
    shown = user.get(f"/v1/organizations/{org['id']}")
    assert shown.json()["status"] == "opening"
    assert shown.headers["etag"] != '"1"'


def test_the_list_is_newest_first_and_filters(
    user: User, org: dict[str, Any], grace: dict[str, Any], hank: dict[str, Any], clock: Clock
) -> None:
    other_org = user.create("/v1/organizations", {"name": "Globex"})
    ida = user.create(
        "/v1/contacts", {"organization_id": other_org["id"], "name": "Ida", "role": "other"}
    )
    for hours, contact in ((3, grace), (2, hank), (1, grace), (0, ida)):
        user.create(
            "/v1/attempts",
            {
                "contact_id": contact["id"],
                "channel": "email",
                "notes": f"{hours}h ago",
                "occurred_at": (NOW - timedelta(hours=hours)).isoformat(),
            },
        )

    def notes(**params: str) -> list[str]:
        response = user.get("/v1/attempts", params=params)
        assert response.status_code == 200
        return [a["notes"] for a in response.json()["data"]]

    assert notes() == ["0h ago", "1h ago", "2h ago", "3h ago"]
    assert notes(contact_id=grace["id"]) == ["1h ago", "3h ago"]
    assert notes(organization_id=org["id"]) == ["1h ago", "2h ago", "3h ago"]
    assert notes(contact_id=str(uuid.uuid4())) == []

    first = user.get("/v1/attempts", params={"limit": 3}).json()
    assert notes(limit="3", cursor=first["next_cursor"]) == ["3h ago"]


def test_pages_of_attempts_at_the_same_instant_cover_each_once(
    user: User, grace: dict[str, Any]
) -> None:
    ids = {
        user.create("/v1/attempts", {"contact_id": grace["id"], "channel": "email"})["id"]
        for _ in range(5)
    }  # every occurred_at is NOW
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = user.get("/v1/attempts", params=params).json()
        seen += [a["id"] for a in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and set(seen) == ids


def test_patch_corrects_an_attempt(user: User, grace: dict[str, Any]) -> None:
    attempt = user.create("/v1/attempts", {"contact_id": grace["id"], "channel": "email"})
    url = f"/v1/attempts/{attempt['id']}"

    response = user.patch(
        url, json={"channel": "call", "outcome": "no_answer", "notes": "Tried her desk."}
    )

    assert response.status_code == 200 and response.headers["etag"] == '"2"'
    patched = response.json()
    assert (patched["channel"], patched["outcome"]) == ("call", "no_answer")
    assert patched["contact_id"] == grace["id"] and patched["direction"] == "outbound"
    cleared = user.patch(url, json={"outcome": None, "notes": None}).json()
    assert cleared["outcome"] is None and cleared["notes"] is None


BAD_PATCHES = [
    ({"channel": None}, "channel"),
    ({"direction": None}, "direction"),
    ({"occurred_at": None}, "occurred_at"),
    ({"occurred_at": (NOW + timedelta(days=1)).isoformat()}, "occurred_at"),
    ({"contact_id": str(uuid.uuid4())}, "contact_id"),
    ({"referred_to_contact_id": str(uuid.uuid4())}, "referred_to_contact_id"),
    ({"outcome": "maybe"}, "outcome"),
    ({"news_id": str(uuid.uuid4())}, "news_id"),
    (
        {"outcome": "referred", "referred_to_contact_id": str(uuid.uuid4())},
        "referred_to_contact_id",
    ),
]


def test_patch_names_each_bad_field(
    user: User, grace: dict[str, Any], subtests: pytest.Subtests
) -> None:
    for body, field in BAD_PATCHES:
        with subtests.test(msg=repr((body, field))[:120]):
            attempt = user.create("/v1/attempts", {"contact_id": grace["id"], "channel": "email"})
            url = f"/v1/attempts/{attempt['id']}"
            assert_problem(user.patch(url, json=body), 422, field=field)
            assert user.get(url).json() == attempt


def test_patch_to_asked_to_stop_is_honoured(user: User, grace: dict[str, Any]) -> None:
    attempt = user.create("/v1/attempts", {"contact_id": grace["id"], "channel": "call"})
    user.patch(f"/v1/attempts/{attempt['id']}", json={"outcome": "asked_to_stop"})
    assert user.get(f"/v1/contacts/{grace['id']}").json()["status"] == "do_not_contact"


def test_patch_and_delete_honour_if_match(user: User, grace: dict[str, Any]) -> None:
    attempt = user.create("/v1/attempts", {"contact_id": grace["id"], "channel": "email"})
    url = f"/v1/attempts/{attempt['id']}"
    user.patch(url, json={"notes": "edit"}, headers={"If-Match": '"1"'})

    assert_problem(user.patch(url, json={"notes": "stale"}, headers={"If-Match": '"1"'}), 412)
    assert_problem(user.delete(url, headers={"If-Match": '"1"'}), 412)
    assert user.get(url).json()["notes"] == "edit"
    assert user.delete(url, headers={"If-Match": '"2"'}).status_code == 204


def test_delete_answers_204_then_404(user: User, grace: dict[str, Any]) -> None:
    attempt = user.create("/v1/attempts", {"contact_id": grace["id"], "channel": "email"})
    url = f"/v1/attempts/{attempt['id']}"

    response = user.delete(url)

    assert response.status_code == 204 and response.content == b""
    assert_problem(user.get(url), 404)
    assert_problem(user.delete(url), 404)
    assert_problem(user.patch(url, json={}), 404)
    assert user.get(f"/v1/contacts/{grace['id']}").status_code == 200


def test_updated_at_is_the_time_of_the_change(
    user: User, grace: dict[str, Any], clock: Clock
) -> None:
    attempt = user.create("/v1/attempts", {"contact_id": grace["id"], "channel": "email"})
    clock.set(NOW + timedelta(hours=2))

    patched = user.patch(f"/v1/attempts/{attempt['id']}", json={"notes": "later"}).json()

    assert patched["created_at"] == attempt["created_at"]
    assert datetime.fromisoformat(patched["updated_at"]) == NOW + timedelta(hours=2)
