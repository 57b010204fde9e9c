"""News items of an organization."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import Clock, User, assert_problem


@pytest.fixture
def org(user: User) -> dict[str, Any]:
    return user.create("/v1/organizations", {"name": "Acme"})


def test_create_answers_201_at_a_location_that_resolves(
    user: User, org: dict[str, Any], clock: Clock
) -> None:
    clock.set(datetime(2026, 11, 21, 23, 30, tzinfo=UTC))
    response = user.post(
        f"/v1/organizations/{org['id']}/news",
        json={"headline": "Acme opens a Berlin office", "url": "https://acme.example/berlin"},
    )

    assert response.status_code == 201
    item = response.json()
    assert set(item) == {
        "id",
        "organization_id",
        "headline",
        "url",
        "noticed_on",
        "tone",
        "summary",
        "created_at",
    }
    assert item["organization_id"] == org["id"]
    assert item["noticed_on"] == "2026-11-21"  # today, by default
    location = response.headers["location"]
    assert location == f"https://testserver/v1/organizations/{org['id']}/news/{item['id']}"
    shown = user.get(location.removeprefix("https://testserver"))
    assert shown.status_code == 200 and shown.json() == item
    assert shown.headers["etag"]


def test_noticed_on_can_be_given(user: User, org: dict[str, Any]) -> None:
    item = user.create(
        f"/v1/organizations/{org['id']}/news",
        {"headline": "Series C", "noticed_on": "2026-10-01"},
    )
    assert item["noticed_on"] == "2026-10-01" and item["url"] is None


def test_a_headline_may_be_300_characters(user: User, org: dict[str, Any]) -> None:
    item = user.create(f"/v1/organizations/{org['id']}/news", {"headline": "x" * 300})
    assert len(item["headline"]) == 300


BAD_CREATES = [
    ({}, "headline"),
    ({"headline": " "}, "headline"),
    ({"headline": "x" * 301}, "headline"),
    ({"headline": "News", "url": "acme.example/news"}, "url"),
    ({"headline": "News", "noticed_on": "2026-02-30"}, "noticed_on"),
    ({"headline": "News", "source": "blog"}, "source"),
]


def test_create_names_the_bad_field(
    user: User, org: dict[str, Any], subtests: pytest.Subtests
) -> None:
    for body, field in BAD_CREATES:
        with subtests.test(msg=repr((body, field))[:120]):
            assert_problem(
                user.post(f"/v1/organizations/{org['id']}/news", json=body), 422, field=field
            )


def test_news_of_an_unknown_organization_answers_404(user: User) -> None:
    url = f"/v1/organizations/{uuid.uuid4()}/news"
    assert_problem(user.post(url, json={"headline": "Anything"}), 404)
    assert_problem(user.get(url), 404)


def test_the_list_keeps_the_order_they_were_added_and_pages(
    user: User, org: dict[str, Any], clock: Clock
) -> None:
    other = user.create("/v1/organizations", {"name": "Globex"})
    user.create(f"/v1/organizations/{other['id']}/news", {"headline": "Globex news"})
    for minute, headline in enumerate(("one", "two", "three")):
        clock.set(datetime(2026, 1, 1, 9, minute, tzinfo=UTC))
        user.create(f"/v1/organizations/{org['id']}/news", {"headline": headline})

    first = user.get(f"/v1/organizations/{org['id']}/news", params={"limit": 2})
    rest = user.get(
        f"/v1/organizations/{org['id']}/news",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
    )

    assert [n["headline"] for n in first.json()["data"]] == ["one", "two"]
    assert 'rel="next"' in first.headers["link"]
    assert [n["headline"] for n in rest.json()["data"]] == ["three"]
    assert rest.json()["next_cursor"] is None


def test_delete_answers_204_then_404(user: User, org: dict[str, Any]) -> None:
    item = user.create(f"/v1/organizations/{org['id']}/news", {"headline": "Old news"})
    url = f"/v1/organizations/{org['id']}/news/{item['id']}"

    assert user.delete(url).status_code == 204

    assert_problem(user.get(url), 404)
    assert_problem(user.delete(url), 404)
    assert user.get(f"/v1/organizations/{org['id']}/news").json()["data"] == []


def test_a_news_item_is_only_found_under_its_own_organization(
    user: User, org: dict[str, Any]
) -> None:
    other = user.create("/v1/organizations", {"name": "Globex"})
    item = user.create(f"/v1/organizations/{org['id']}/news", {"headline": "Acme news"})
    wrong = f"/v1/organizations/{other['id']}/news/{item['id']}"

    assert_problem(user.get(wrong), 404)
    assert_problem(user.delete(wrong), 404)
    assert user.get(f"/v1/organizations/{org['id']}/news/{item['id']}").status_code == 200


def test_deleting_used_news_keeps_the_attempt(user: User, org: dict[str, Any]) -> None:
    item = user.create(f"/v1/organizations/{org['id']}/news", {"headline": "Acme news"})
    contact = user.create(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Grace",
            "role": "hiring_manager",
            "email": "grace@acme.example",
        },
    )
    attempt = user.create(
        "/v1/attempts", {"contact_id": contact["id"], "channel": "email", "news_id": item["id"]}
    )

    assert user.delete(f"/v1/organizations/{org['id']}/news/{item['id']}").status_code == 204

    shown = user.get(f"/v1/attempts/{attempt['id']}")
    assert shown.status_code == 200 and shown.json()["news_id"] is None
