"""The scripts' second pass through HTTP (SPEC 6, R18), on SQLite and PostgreSQL: what a
hiring manager reads, and what the user would otherwise have to fix before sending."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from tests.api.test_scripts_api import NOW, Row, checked, contact, log, organization, the_action
from tests.conftest import Clock, User

CLOCK: list[Clock] = []


def touch(user: User, person: Row, when: str, **fields: Any) -> Row:
    """Log an attempt at `when`, the clock an hour later (an attempt is never in the future)."""
    moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    CLOCK[-1].set(max(moment + timedelta(hours=1), NOW))
    return log(user, person, when, **fields)


DIFFICULT_SUBJECTS = {
    "Thinking of you and the team",
    "With good wishes to you and the team",
    "Sending my best to the team",
    "Thoughts with you and the team",
    "Hoping you and the team are well",
    "With warm wishes",
    "A note of support",
}


def news(user: User, org: Row, **fields: str) -> Row:
    return user.create(
        f"/v1/organizations/{org['id']}/news", {"noticed_on": "2026-02-28", **fields}
    )


def test_r18_the_retry_after_an_unanswered_call_still_carries_the_news(
    user: User, clock: Clock
) -> None:
    clock.set(NOW)
    CLOCK.append(clock)
    acme = organization(user)
    ann = contact(user, acme, email=None)  # a phone only: every touch is a call
    touch(user, ann, "2026-03-02T09:00:00Z", channel="call", outcome="conversation")
    item = news(user, acme, headline="Acme ships v2")
    action = the_action(user, acme)
    assert action["news_id"] == item["id"]
    touch(
        user,
        ann,
        "2026-03-24T09:00:00Z",
        channel="call",
        outcome="no_answer",
        news_id=item["id"],
        next_action_id=action["id"],
    )
    retry = the_action(user, acme)
    assert retry["news_id"] == item["id"] and "find_news" not in retry["hints"]
    assert "Acme ships v2" in retry["script"]["text"]


def test_r18_difficult_news_colours_two_touches_and_is_never_quoted(
    user: User, clock: Clock
) -> None:
    clock.set(NOW)
    CLOCK.append(clock)
    acme = organization(user)
    ann = contact(user, acme, phone=None)  # email only: subjects to read
    touch(user, ann, "2026-03-02T09:00:00Z")
    item = news(user, acme, headline="Acme lays off 80 staff", tone="difficult")
    first = the_action(user, acme)
    assert first["news_id"] == item["id"]
    assert first["script"]["subject"] in DIFFICULT_SUBJECTS
    text = first["script"]["text"]
    assert "lays off" not in text and "the news" in text.casefold()  # it may open a sentence
    checked(user, first)
    touch(user, ann, "2026-03-23T09:00:00Z", news_id=item["id"], next_action_id=first["id"])
    second = the_action(user, acme)
    assert second["news_id"] is None
    assert second["script"]["subject"] in DIFFICULT_SUBJECTS
    touch(user, ann, "2026-04-13T09:00:00Z", next_action_id=second["id"])
    third = the_action(user, acme)
    assert third["script"]["subject"] not in DIFFICULT_SUBJECTS


def test_who_you_are_substance_and_subjects_after_months(user: User, clock: Clock) -> None:
    clock.set(NOW)
    CLOCK.append(clock)
    acme = organization(user, talked_about="the data-platform migration")
    ann = contact(user, acme, phone=None)
    soon = the_action(user, acme)
    assert "interviewed for" not in soon["script"]["text"]  # the day after the No
    for when in ("2026-03-02", "2026-03-23", "2026-04-13", "2026-05-04", "2026-05-25"):
        touch(user, ann, f"{when}T09:00:00Z")
    later = the_action(user, acme)  # maintenance: two months after the last touch
    script = later["script"]
    assert "the Staff Engineer role in February" in script["text"]
    assert "the data-platform migration" in script["text"]
    assert "the data-platform migration" in script["subject"]
    assert script["subject"] != "Checking in"
    checked(user, later)


def test_without_talked_about_or_news_the_interest_line_is_plain(user: User, clock: Clock) -> None:
    clock.set(NOW)
    CLOCK.append(clock)
    acme = organization(user)
    ann = contact(user, acme, phone=None)
    for when in ("2026-03-02", "2026-03-23", "2026-04-13"):
        touch(user, ann, f"{when}T09:00:00Z")
        action = the_action(user, acme)
        assert "find_news" in action["hints"]
        assert not re.search(r"follow|progress|closely", action["script"]["text"])


def test_voicemails_leave_the_profiles_number_once(user: User, clock: Clock) -> None:
    clock.set(NOW)
    CLOCK.append(clock)
    acme = organization(user, name="Contoso Labs, Inc.")
    ann = contact(user, acme, email=None)
    touch(user, ann, "2026-03-02T09:00:00Z", channel="call", outcome="conversation")
    action = the_action(user, acme)
    assert action["channel"] == "call" and "add_phone" in action["hints"]
    assert "[your phone number]" in action["script"]["voicemail"]
    user.patch("/v1/profile", json={"name": "Jordan Ellis", "phone": "+1 312 555 0199"})
    action = the_action(user, acme)
    assert "add_phone" not in action["hints"]
    voicemail = action["script"]["voicemail"]
    assert voicemail.startswith("Hi Dr. Lee, it's Jordan Ellis") and voicemail.endswith("Ellis.")
    assert voicemail.count("+1 312 555 0199") == 1
    assert len(re.findall(r"\bthank", voicemail, re.IGNORECASE)) == 1
    text = action["script"]["text"]
    assert text.split("\n\n")[0].endswith("?")  # a good moment?
    for said in (text, voicemail):
        assert said.count("Contoso Labs, Inc.") <= 2 and ".." not in said and "Labs's" not in said
    checked(user, action)


def test_opening_and_referral_through_http(user: User, clock: Clock) -> None:
    clock.set(NOW)
    CLOCK.append(clock)
    acme = organization(user)
    ann = contact(user, acme, phone=None)
    bo = contact(user, acme, name="Bo Chen", role="other", email="bo@acme.example", phone=None)
    user.patch("/v1/profile", json={"name": "Jordan Ellis"})
    touch(user, ann, "2026-03-02T09:00:00Z", outcome="referred", referred_to_contact_id=bo["id"])
    referral = the_action(user, acme)["script"]
    assert referral["situation"] == "referral"
    assert "Jordan Ellis" in referral["text"] and "Dr. Ann Lee" in referral["text"]
    assert "the Staff Engineer role" in referral["text"]
    touch(user, bo, "2026-03-05T09:00:00Z", outcome="opening_discussed")
    opening = the_action(user, acme)
    assert opening["script"]["situation"] == "opening"
    assert re.search(r"\bthank", opening["script"]["parts"]["purpose"], re.IGNORECASE)
    assert "next step" in opening["script"]["parts"]["question"]
    checked(user, opening)
