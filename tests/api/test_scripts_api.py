"""What keepwarm tells you to say, through HTTP: one test per situation, the profile,
greeting names, news tone and freshness (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import Clock, User, assert_problem

Row = dict[str, Any]
NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)  # a Monday


def organization(user: User, name: str = "Acme", **fields: Any) -> Row:
    body = {"name": name, "rejected_on": "2026-02-27", "role_applied": "Staff Engineer"}
    return user.create("/v1/organizations", {**body, **fields})


def contact(user: User, org: Row, name: str = "Dr. Ann Lee", **fields: Any) -> Row:
    body = {
        "organization_id": org["id"],
        "name": name,
        "role": "hiring_manager",
        "email": "ann@acme.example",
        "phone": "+1 312 555 0100",
    }
    return user.create("/v1/contacts", {**body, **fields})


def the_action(user: User, org: Row) -> Row:
    response = user.get("/v1/next-actions", params={"organization_id": org["id"]})
    assert response.status_code == 200, response.text
    (action,) = response.json()["data"]
    return action  # type: ignore[no-any-return]


def checked(user: User, action: Row) -> None:
    """The script passes the service's own check, with its contact."""
    body = {
        "channel": action["channel"],
        "text": action["script"]["text"],
        "contact_id": action["contact_id"],
    }
    result = user.post("/v1/scripts/check", json=body).json()
    assert result["ok"], (action["script"]["text"], result)


def log(user: User, person: Row, when: str, **fields: Any) -> Row:
    body = {"contact_id": person["id"], "channel": "email", "occurred_at": when, **fields}
    return user.create("/v1/attempts", body)


def test_first_touch_thanks_them_for_the_role_and_greets_with_the_honorific_and_surname(
    user: User, clock: Clock
) -> None:
    clock.set(NOW)
    acme = organization(user)
    contact(user, acme)
    action = the_action(user, acme)
    script = action["script"]
    assert script["situation"] == "first_touch"
    assert script["greeting"] == "Dr. Lee"  # Dr. Ann Lee
    assert script["text"].startswith("Hi Dr. Lee,\n\n")
    assert "the Staff Engineer role" in script["parts"]["purpose"]
    assert "again" not in script["text"] and "since we last" not in script["text"]
    assert script["subject"] and action["channel"] == "email"
    assert script["text"].endswith("\n[your name]")  # no profile yet: the one placeholder
    assert script["voicemail"] is None and script["responses"] == []
    checked(user, action)


def test_the_profile_signs_every_open_script(user: User, clock: Clock) -> None:
    clock.set(NOW)
    acme = organization(user)
    contact(user, acme)
    shown = user.get("/v1/profile")
    assert shown.status_code == 200
    assert shown.json() == {"name": None, "signature": None, "phone": None, "email": None}
    changed = user.patch(
        "/v1/profile",
        json={"name": "Sam Park", "signature": "Sam Park\nsam@example.com"},
        headers={"If-Match": shown.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Sam Park"
    stale = user.patch(
        "/v1/profile", json={"name": "Sam P."}, headers={"If-Match": shown.headers["ETag"]}
    )
    assert_problem(stale, 412)
    text = the_action(user, acme)["script"]["text"]
    assert text.endswith("\nSam Park\nsam@example.com") and "[your name]" not in text
    assert_problem(user.patch("/v1/profile", json={"name": ""}), 422, field="name")
    assert_problem(user.patch("/v1/profile", json={"name": "a\x00b"}), 422, field="name")
    assert user.get("/v1/profile").json()["name"] == "Sam Park"  # nothing lost
    cleared = user.patch("/v1/profile", json={"signature": None})
    assert cleared.json()["signature"] is None
    assert the_action(user, acme)["script"]["text"].endswith("\nSam Park")


def test_a_call_carries_its_voicemail_and_prepared_responses(user: User, clock: Clock) -> None:
    clock.set(NOW)
    user.patch("/v1/profile", json={"name": "Sam Park"})
    acme = organization(user)
    ann = contact(user, acme, greeting_name="Dr. Lee")
    log(user, ann, "2026-03-02T10:00:00Z", outcome="sent")  # after an email, a call
    action = the_action(user, acme)
    script = action["script"]
    assert action["channel"] == "call" and script["situation"] == "warm"
    assert script["text"].startswith("Hi Dr. Lee, it's Sam Park.")
    assert script["subject"] is None
    assert script["voicemail"].endswith("Thanks, Sam Park.")
    assert len(script["voicemail"].split()) <= 80
    whens = [response["when"] for response in script["responses"]]
    assert len(whens) == 3 and any("recruiter" in when for when in whens)
    assert all(response["say"] for response in script["responses"])
    checked(user, action)


def test_maintenance_after_the_warm_touches(user: User, clock: Clock) -> None:
    clock.set(NOW)
    user.patch("/v1/settings", json={"warm_touches": 1})
    acme = organization(user, rejected_on="2026-01-05")
    ann = contact(user, acme)
    log(user, ann, "2026-01-06T10:00:00Z")
    log(user, ann, "2026-02-10T10:00:00Z", channel="call", outcome="conversation")
    action = the_action(user, acme)
    assert (action["phase"], action["script"]["situation"]) == ("maintenance", "maintenance")
    checked(user, action)


def test_an_opening_follows_up_on_what_they_brought_up(user: User, clock: Clock) -> None:
    clock.set(NOW)
    acme = organization(user, status="opening")
    contact(user, acme)
    action = the_action(user, acme)
    assert action["script"]["situation"] == "opening"
    assert action["script"]["parts"]["question"].endswith("?")
    checked(user, action)


def test_a_referral_names_who_referred_you(user: User, clock: Clock) -> None:
    clock.set(NOW)
    acme = organization(user)
    ann = contact(user, acme)
    bo = contact(user, acme, "Bo Chen", role="other", email="bo@acme.example")
    log(user, ann, "2026-03-02T10:00:00Z", outcome="referred", referred_to_contact_id=bo["id"])
    action = the_action(user, acme)
    assert action["contact_id"] == bo["id"]
    assert action["script"]["situation"] == "referral"
    assert "Dr. Ann Lee" in action["script"]["parts"]["purpose"]
    checked(user, action)


def test_a_requested_date_is_named(user: User, clock: Clock) -> None:
    clock.set(NOW)
    acme = organization(user)
    ann = contact(user, acme)
    log(user, ann, "2026-03-02T10:00:00Z", outcome="replied", follow_up_on="2026-06-01")
    action = the_action(user, acme)
    assert action["script"]["situation"] == "requested"
    assert "June 1" in action["script"]["parts"]["purpose"]
    checked(user, action)


def test_with_only_a_recruiter_the_script_asks_who_leads_the_team(user: User, clock: Clock) -> None:
    clock.set(NOW)
    acme = organization(user)
    contact(user, acme, "Rita Ortiz", role="recruiter")
    action = the_action(user, acme)
    assert "add_hiring_manager" in action["hints"]
    assert action["script"]["situation"] == "recruiter_only"
    checked(user, action)


def test_news_tone_and_freshness(user: User, clock: Clock) -> None:
    clock.set(NOW)
    acme = organization(user)
    contact(user, acme)
    news = f"/v1/organizations/{acme['id']}/news"
    old = user.create(news, {"headline": "Acme lays off 20% of staff", "noticed_on": "2025-06-10"})
    assert old["tone"] == "positive"  # the default
    action = the_action(user, acme)
    assert "find_news" in action["hints"] and "lays off" not in action["script"]["text"]
    assert action["news_id"] is None
    fresh = {"headline": "Acme closes its Austin site", "noticed_on": "2026-02-20"}
    item = user.create(news, {**fresh, "tone": "difficult"})
    assert item["tone"] == "difficult"
    action = the_action(user, acme)
    assert action["news_id"] == item["id"] and "find_news" not in action["hints"]
    text = action["script"]["text"]
    # Difficult news is never quoted: "the news", or the item's summary (R18).
    assert (
        "Austin" not in text
        and "“" not in text
        and "the news" in action["script"]["parts"]["news"].casefold()
    )
    assert not any(word in text.lower() for word in ("exciting", "great to hear", "congrat"))
    checked(user, action)
    later = {**fresh, "noticed_on": "2026-02-25"}  # the newest unused item is the one said
    summed = user.create(news, {**later, "tone": "difficult", "summary": "the Austin closure"})
    action = the_action(user, acme)
    assert action["news_id"] == summed["id"]
    assert "the austin closure" in action["script"]["text"].casefold()  # may open a sentence
    assert "closes its Austin site" not in action["script"]["text"]
    user.delete(f"{news}/{summed['id']}")
    # A longer freshness makes the older item count as recent again, once this one is gone.
    user.delete(f"{news}/{item['id']}")
    assert user.patch("/v1/settings", json={"news_fresh_days": 365}).status_code == 200
    assert the_action(user, acme)["news_id"] == old["id"]
    assert_problem(user.post(news, json={**fresh, "tone": "sad"}), 422, field="tone")
    assert_problem(user.patch("/v1/settings", json={"news_fresh_days": 0}), 422)


def test_greeting_name_is_a_contact_field(user: User, clock: Clock) -> None:
    clock.set(NOW)
    acme = organization(user)
    ann = contact(user, acme)
    assert ann["greeting_name"] is None
    changed = user.patch(f"/v1/contacts/{ann['id']}", json={"greeting_name": "Annie"})
    assert changed.status_code == 200 and changed.json()["greeting_name"] == "Annie"
    assert the_action(user, acme)["script"]["text"].startswith("Hi Annie,")
    too_long = user.patch(f"/v1/contacts/{ann['id']}", json={"greeting_name": "x" * 101})
    assert_problem(too_long, 422, field="greeting_name")
    nul = user.patch(f"/v1/contacts/{ann['id']}", json={"greeting_name": "An\x00nie"})
    assert_problem(nul, 422, field="greeting_name")
    assert user.get(f"/v1/contacts/{ann['id']}").json()["greeting_name"] == "Annie"
