"""Account settings: the cadence defaults of SPEC section 1, validated, and used."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import Clock, User, acme_and_ann, assert_problem

DEFAULTS = {
    "timezone": "UTC",
    "preferred_hour": 10,
    "initial_delay_days": 1,
    "warm_touches": 4,
    "warm_days": 21,
    "warm_window_days": 7,
    "maintenance_days": 60,
    "maintenance_window_days": 15,
    "opening_days": 7,
    "min_gap_days": 10,
    "news_fresh_days": 120,
    "referral_days": 3,
    "retry_days": 2,
    "reminders": "off",
}


def test_the_defaults_are_the_specs(user: User) -> None:
    response = user.get("/v1/settings")
    assert response.status_code == 200
    assert response.json() == DEFAULTS
    assert response.headers["etag"] == '"1"'


def test_patch_is_a_merge_patch_with_etags(user: User, other_user: User) -> None:
    response = user.patch("/v1/settings", json={"timezone": "Europe/Berlin", "preferred_hour": 9})
    assert response.status_code == 200, response.text
    assert response.json() == {**DEFAULTS, "timezone": "Europe/Berlin", "preferred_hour": 9}
    assert response.headers["etag"] == '"2"'
    assert user.get("/v1/settings").json() == response.json()

    # Nothing changed: the same version.
    same = user.patch("/v1/settings", json={"preferred_hour": 9})
    assert same.headers["etag"] == '"2"'
    assert user.patch("/v1/settings", json={}).json() == response.json()

    # Every account has its own.
    assert other_user.get("/v1/settings").json() == DEFAULTS


def test_if_match_guards_against_lost_updates(user: User) -> None:
    etag = user.get("/v1/settings").headers["etag"]
    first = user.patch("/v1/settings", json={"warm_days": 28}, headers={"If-Match": etag})
    assert first.status_code == 200, first.text
    stale = user.patch("/v1/settings", json={"warm_days": 14}, headers={"If-Match": etag})
    assert_problem(stale, 412)
    assert_problem(user.patch("/v1/settings", json={}, headers={"If-Match": "nonsense"}), 412)
    assert user.get("/v1/settings").json()["warm_days"] == 28

    fresh = user.patch(
        "/v1/settings", json={"warm_days": 14}, headers={"If-Match": first.headers["etag"]}
    )
    assert fresh.status_code == 200 and fresh.json()["warm_days"] == 14
    starred = user.patch("/v1/settings", json={"warm_days": 15}, headers={"If-Match": "*"})
    assert starred.status_code == 200


BAD_VALUES: list[tuple[dict[str, Any], str]] = [
    ({"preferred_hour": 24}, "preferred_hour"),
    ({"preferred_hour": -1}, "preferred_hour"),
    ({"preferred_hour": 9.5}, "preferred_hour"),
    ({"preferred_hour": "ten"}, "preferred_hour"),
    ({"preferred_hour": True}, "preferred_hour"),
    ({"preferred_hour": None}, "preferred_hour"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": "europe/berlin"}, "timezone"),
    ({"timezone": None}, "timezone"),
    ({"initial_delay_days": -1}, "initial_delay_days"),
    ({"warm_touches": 21}, "warm_touches"),
    ({"warm_days": 6}, "warm_days"),
    ({"warm_days": 91}, "warm_days"),
    ({"warm_days": None}, "warm_days"),
    ({"warm_window_days": 21}, "warm_window_days"),
    ({"warm_window_days": 30}, "warm_window_days"),
    ({"warm_days": 7}, "warm_window_days"),  # the default window of 7 would swallow it
    ({"warm_days": 10, "warm_window_days": 10}, "warm_window_days"),
    ({"maintenance_days": 13}, "maintenance_days"),
    ({"maintenance_window_days": 60}, "maintenance_window_days"),
    ({"maintenance_days": 15}, "maintenance_window_days"),
    ({"opening_days": 0}, "opening_days"),
    ({"min_gap_days": 61}, "min_gap_days"),
    ({"min_gap_days": None}, "min_gap_days"),
    ({"warm_dayz": 14}, "warm_dayz"),
    ({"referral_days": -1}, "referral_days"),
    ({"referral_days": 31}, "referral_days"),
    ({"referral_days": "3"}, "referral_days"),
    ({"referral_days": None}, "referral_days"),
    ({"retry_days": 0}, "retry_days"),
    ({"retry_days": 31}, "retry_days"),
    ({"retry_days": True}, "retry_days"),
    ({"retry_days": None}, "retry_days"),
    # A warm interval must be shorter than the maintenance one: the changed field is named.
    ({"warm_days": 60}, "warm_days"),
    ({"warm_days": 90, "maintenance_days": 60}, "warm_days"),
    ({"maintenance_days": 21, "maintenance_window_days": 5}, "maintenance_days"),
]


def test_bad_values_are_named(user: User) -> None:
    for body, field in BAD_VALUES:
        assert_problem(user.patch("/v1/settings", json=body), 422, field=field)
    # Each bad field is named, and a good one alongside is not applied.
    both = {"preferred_hour": 24, "timezone": "Nowhere", "warm_days": 28}
    errors = assert_problem(user.patch("/v1/settings", json=both), 422)["errors"]
    assert {e["field"] for e in errors} == {"preferred_hour", "timezone"}
    assert_problem(user.patch("/v1/settings", json=[1, 2]), 422)
    assert user.get("/v1/settings").json() == DEFAULTS


def test_settings_need_a_key(user: User) -> None:
    assert_problem(user.client.get("/v1/settings"), 401)
    assert_problem(user.client.patch("/v1/settings", json={"warm_days": 14}), 401)


def test_every_setting_reaches_the_cadence(user: User, clock: Clock) -> None:
    clock.set(datetime(2026, 3, 10, 18, tzinfo=UTC))
    cadence = {
        "timezone": "America/New_York",
        "preferred_hour": 9,
        "initial_delay_days": 3,
        "warm_touches": 1,
        "warm_days": 14,
        "warm_window_days": 3,
        "maintenance_days": 30,
        "maintenance_window_days": 5,
        "opening_days": 3,
        "min_gap_days": 16,
    }
    assert user.patch("/v1/settings", json=cadence).status_code == 200
    acme, ann = acme_and_ann(user, rejected_on="2026-01-13")

    def action() -> tuple[str, str, str, str]:
        params = {"organization_id": acme["id"]}
        (only,) = user.get("/v1/next-actions", params=params).json()["data"]
        return only["phase"], only["due_at"], only["window_start"], only["window_end"]

    def touch(occurred_at: str, **fields: Any) -> None:
        body = {"contact_id": ann["id"], "channel": "email", "occurred_at": occurred_at}
        user.create("/v1/attempts", {**body, **fields})

    # Tuesday 13 January + 3 = Friday 16 January, 09:00 EST = 14:00Z.
    assert action() == ("initial", "2026-01-16T14:00:00Z", "2026-01-16", "2026-01-16")
    # One warm touch: + 14 = Friday 30 January, but the gap is 16 days: Sunday 1 February,
    # so Monday 2; the window (27 January - 2 February) opens no sooner than the gap.
    touch("2026-01-16T15:00:00Z")
    assert action() == ("warm", "2026-02-02T14:00:00Z", "2026-02-01", "2026-02-02")
    touch("2026-02-02T15:00:00Z")  # then maintenance: + 30 = Wednesday 4 March, ± 5
    assert action() == ("maintenance", "2026-03-04T14:00:00Z", "2026-02-27", "2026-03-09")
    # An opening: every 3 days, the gap does not apply. Saturday 7 March -> Monday 9, when
    # New York is on EDT: 09:00 = 13:00Z.
    touch("2026-03-04T15:00:00Z", outcome="opening_discussed")
    assert action() == ("opening", "2026-03-09T13:00:00Z", "2026-03-07", "2026-03-09")
    touch("2026-03-09T14:00:00Z")
    assert action() == ("opening", "2026-03-12T13:00:00Z", "2026-03-12", "2026-03-12")
