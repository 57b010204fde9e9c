"""Rules R1-R12 through the HTTP API, with every date worked out by hand (2026 calendar)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import Clock, User

Row = dict[str, Any]
LATER = datetime(2026, 6, 8, 18, tzinfo=UTC)  # after every attempt below: none is "in the future"
FULL = {"email": "ann@acme.example", "phone": "+1 312 555 0100"}


def org(user: User, name: str = "Acme", **fields: Any) -> Row:
    return user.create("/v1/organizations", {"name": name, **fields})


def person(user: User, organization: Row, name: str = "Ann Lee", **fields: Any) -> Row:
    body = {"organization_id": organization["id"], "name": name, "role": "hiring_manager"}
    return user.create("/v1/contacts", {**body, **fields})


def log(user: User, contact: Row, occurred_at: str, channel: str = "email", **fields: Any) -> Row:
    body = {"contact_id": contact["id"], "channel": channel, "occurred_at": occurred_at}
    return user.create("/v1/attempts", {**body, **fields})


def open_actions(user: User, organization: Row) -> list[Row]:
    params = {"organization_id": organization["id"], "state": ["scheduled", "due"]}
    response = user.get("/v1/next-actions", params=params)
    assert response.status_code == 200, response.text
    data: list[Row] = response.json()["data"]
    return data


def the_action(user: User, organization: Row) -> Row:
    actions = open_actions(user, organization)
    assert len(actions) == 1, actions  # R12
    return actions[0]


def when(action: Row) -> tuple[str, str, str]:
    return action["due_at"], action["window_start"], action["window_end"]


def test_r1_first_touch_the_day_after_the_no_at_ten_weekends_to_monday(
    user: User, clock: Clock
) -> None:
    clock.set(datetime(2026, 1, 13, 18, tzinfo=UTC))
    table = [
        # rejected_on, contact time zone, due_at, window_start, window_end
        ("2026-01-13", None, "2026-01-14T10:00:00Z", "2026-01-14", "2026-01-14"),  # Tue -> Wed
        (
            "2026-01-09",
            None,
            "2026-01-12T10:00:00Z",
            "2026-01-10",
            "2026-01-12",
        ),  # Fri -> Sat -> Mon
        (
            "2026-01-10",
            None,
            "2026-01-12T10:00:00Z",
            "2026-01-11",
            "2026-01-12",
        ),  # Sat -> Sun -> Mon
        ("2026-01-13", "America/Chicago", "2026-01-14T16:00:00Z", "2026-01-14", "2026-01-14"),
        ("2026-01-13", "Asia/Tokyo", "2026-01-14T01:00:00Z", "2026-01-14", "2026-01-14"),
        ("2026-12-31", None, "2027-01-01T10:00:00Z", "2027-01-01", "2027-01-01"),  # year end, Fri
        ("2025-12-01", None, "2025-12-02T10:00:00Z", "2025-12-02", "2025-12-02"),  # overdue stays
    ]
    for n, (rejected_on, zone, *expected) in enumerate(table):
        if rejected_on > "2026-01-13":  # a No cannot be dated after today: live on that day
            clock.set(datetime.fromisoformat(f"{rejected_on}T18:00:00+00:00"))
        acme = org(user, f"Acme {n}", rejected_on=rejected_on)
        person(user, acme, timezone=zone, **FULL)
        action = the_action(user, acme)
        assert when(action) == tuple(expected), (rejected_on, zone)
        assert action["phase"] == "initial" and action["channel"] == "email"
        assert action["reason"].startswith(f"First touch since the No from Acme {n}: email Ann")


def test_r1_without_rejected_on_counts_from_the_creation_date(user: User, clock: Clock) -> None:
    clock.set(datetime(2026, 1, 15, 23, 30, tzinfo=UTC))  # Thursday in UTC, Friday in Tokyo
    utc = org(user, "In UTC")
    person(user, utc, **FULL)
    tokyo = org(user, "In Tokyo")
    person(user, tokyo, timezone="Asia/Tokyo", **FULL)

    assert when(the_action(user, utc)) == ("2026-01-16T10:00:00Z", "2026-01-16", "2026-01-16")
    # Created Friday 16 January in Tokyo: Saturday 17 -> Monday 19, 10:00 JST = 01:00Z.
    assert when(the_action(user, tokyo)) == ("2026-01-19T01:00:00Z", "2026-01-17", "2026-01-19")

    # The account's time zone dates the creation when the contact has none.
    assert user.patch("/v1/settings", json={"timezone": "Pacific/Auckland"}).status_code == 200
    # 16 January 12:30 NZDT -> Saturday 17 -> Monday 19, 10:00 NZDT (UTC+13) = 18 Jan 21:00Z.
    assert when(the_action(user, utc)) == ("2026-01-18T21:00:00Z", "2026-01-17", "2026-01-19")


def test_r2_r3_warm_every_three_weeks_then_maintenance_every_two_months(
    user: User, clock: Clock
) -> None:
    clock.set(LATER)
    acme = org(user, rejected_on="2026-01-12")
    ann = person(user, acme, **FULL)
    steps = [
        # outbound touch, then: phase, due_at, window_start, window_end (touch ± 7 around + 21)
        ("2026-01-13T15:00:00Z", "warm", "2026-02-03T10:00:00Z", "2026-01-27", "2026-02-10"),
        ("2026-02-03T15:00:00Z", "warm", "2026-02-24T10:00:00Z", "2026-02-17", "2026-03-03"),
        ("2026-02-24T15:00:00Z", "warm", "2026-03-17T10:00:00Z", "2026-03-10", "2026-03-24"),
        ("2026-03-17T15:00:00Z", "warm", "2026-04-07T10:00:00Z", "2026-03-31", "2026-04-14"),
        # Fifth touch: maintenance, 7 April + 60 = Saturday 6 June -> Monday 8; ± 15 days.
        ("2026-04-07T15:00:00Z", "maintenance", "2026-06-08T10:00:00Z", "2026-05-22", "2026-06-21"),
        # 8 June + 60 = Friday 7 August; window 23 July - 22 August.
        ("2026-06-08T15:00:00Z", "maintenance", "2026-08-07T10:00:00Z", "2026-07-23", "2026-08-22"),
    ]
    assert the_action(user, acme)["phase"] == "initial"
    for n, (touched, phase, *expected) in enumerate(steps):
        log(user, ann, touched, "email" if n % 2 == 0 else "call")
        action = the_action(user, acme)
        assert (action["phase"], *when(action)) == (phase, *expected), touched


def test_r4_an_inbound_touch_restarts_the_clock(user: User, clock: Clock) -> None:
    clock.set(LATER)
    acme = org(user, rejected_on="2026-01-12")
    ann = person(user, acme, **FULL)
    bob = person(user, acme, "Bob Ray", role="recruiter", email="bob@acme.example")
    log(user, ann, "2026-01-13T15:00:00Z", "email")
    assert the_action(user, acme)["due_at"] == "2026-02-03T10:00:00Z"

    log(user, ann, "2026-01-27T17:00:00Z", "call", direction="inbound", outcome="conversation")
    action = the_action(user, acme)
    # Still warm (one outbound touch); 27 January + 21 = Tuesday 17 February.
    assert (action["phase"], *when(action)) == (
        "warm",
        "2026-02-17T10:00:00Z",
        "2026-02-10",
        "2026-02-24",
    )
    assert (
        action["reason"] == "Three weeks since Ann Lee's call: email them this time to mix it up."
    )

    # Whoever it was with: an incoming email from the recruiter restarts Ann's clock too.
    log(user, bob, "2026-02-02T09:00:00Z", "email", direction="inbound", outcome="replied")
    action = the_action(user, acme)
    assert action["contact_id"] == ann["id"]
    assert when(action) == ("2026-02-23T10:00:00Z", "2026-02-16", "2026-03-02")


def test_r5_an_opening_in_discussion_means_a_weekly_follow_up(user: User, clock: Clock) -> None:
    clock.set(LATER)
    acme = org(user, rejected_on="2026-01-12")
    ann = person(user, acme, **FULL)
    log(user, ann, "2026-01-13T15:00:00Z", "email", outcome="sent")
    log(user, ann, "2026-02-03T15:00:00Z", "call", outcome="opening_discussed")

    assert user.get(f"/v1/organizations/{acme['id']}").json()["status"] == "opening"
    action = the_action(user, acme)
    assert (action["phase"], action["channel"]) == ("opening", "email")
    assert when(action) == ("2026-02-10T10:00:00Z", "2026-02-10", "2026-02-10")

    # Seven days, not the ten-day minimum gap (R7 does not apply while opening).
    log(user, ann, "2026-02-10T15:00:00Z", "email", outcome="replied")
    action = the_action(user, acme)
    assert (action["phase"], *when(action)) == (
        "opening",
        "2026-02-17T10:00:00Z",
        "2026-02-17",
        "2026-02-17",
    )

    # The user sets it back: warm again (three outbound touches), 10 February + 21.
    user.patch(f"/v1/organizations/{acme['id']}", json={"status": "nurturing"})
    action = the_action(user, acme)
    assert (action["phase"], *when(action)) == (
        "warm",
        "2026-03-03T10:00:00Z",
        "2026-02-24",
        "2026-03-10",
    )

    # The user may set the status to opening too: 13 January + 7 = Tuesday 20 January.
    direct = org(user, "Direct", rejected_on="2026-01-12")
    log(user, person(user, direct, **FULL), "2026-01-13T15:00:00Z", "email")
    user.patch(f"/v1/organizations/{direct['id']}", json={"status": "opening"})
    action = the_action(user, direct)
    assert (action["phase"], *when(action)) == (
        "opening",
        "2026-01-20T10:00:00Z",
        "2026-01-20",
        "2026-01-20",
    )


def test_r6_asked_to_stop_is_for_good(user: User, clock: Clock) -> None:
    clock.set(LATER)
    acme = org(user, rejected_on="2026-01-12")
    # A referrer: from the hiring manager, asked_to_stop pauses the whole organization (R14,
    # tests/api/test_cadence_edges_api.py).
    ann = person(user, acme, role="referrer", **FULL)
    bob = person(user, acme, "Bob Ray", role="recruiter", email="bob@acme.example")
    first = the_action(user, acme)
    assert first["contact_id"] == ann["id"]

    log(user, ann, "2026-01-13T15:00:00Z", "call", outcome="asked_to_stop")
    assert user.get(f"/v1/contacts/{ann['id']}").json()["status"] == "do_not_contact"
    action = the_action(user, acme)
    assert action["contact_id"] == bob["id"]
    assert "add_hiring_manager" in action["hints"]

    back = user.patch(f"/v1/contacts/{ann['id']}", json={"status": "active"})
    assert back.status_code == 409, back.text
    assert user.get(f"/v1/contacts/{ann['id']}").json()["status"] == "do_not_contact"

    # Corrected after the fact: the attempt now says they asked to stop.
    said = log(user, bob, "2026-02-03T15:00:00Z", "email", outcome="replied")
    patched = user.patch(f"/v1/attempts/{said['id']}", json={"outcome": "asked_to_stop"})
    assert patched.status_code == 200, patched.text
    assert user.get(f"/v1/contacts/{bob['id']}").json()["status"] == "do_not_contact"
    assert open_actions(user, acme) == []
    params = {"organization_id": acme["id"], "state": "cancelled"}
    cancelled = user.get("/v1/next-actions", params=params).json()["data"]
    assert [a["id"] for a in cancelled] == [action["id"]]
    assert cancelled[0]["state"] == "cancelled"


def test_r6_paused_closed_or_hired_cancels_the_open_action(user: User, clock: Clock) -> None:
    clock.set(datetime(2026, 1, 13, 18, tzinfo=UTC))
    for status in ("paused", "closed", "hired"):
        acme = org(user, f"Acme {status}", rejected_on="2026-01-12")
        person(user, acme, **FULL)
        action = the_action(user, acme)
        changed = user.patch(f"/v1/organizations/{acme['id']}", json={"status": status})
        assert changed.status_code == 200, changed.text

        assert open_actions(user, acme) == [], status
        shown = user.get(f"/v1/next-actions/{action['id']}").json()
        assert shown["state"] == "cancelled", status
        params = {"organization_id": acme["id"], "state": "cancelled"}
        assert [a["id"] for a in user.get("/v1/next-actions", params=params).json()["data"]] == [
            action["id"]
        ]

    # Created paused: no action at all. An archived contact gets none either.
    quiet = org(user, "Quiet", rejected_on="2026-01-12", status="paused")
    person(user, quiet, **FULL)
    assert open_actions(user, quiet) == []
    acme = org(user, "Archive", rejected_on="2026-01-12")
    ann = person(user, acme, **FULL)
    user.patch(f"/v1/contacts/{ann['id']}", json={"status": "archived"})
    assert open_actions(user, acme) == []


def test_r7_never_sooner_than_the_minimum_gap_whoever_it_was_with(user: User, clock: Clock) -> None:
    clock.set(LATER)
    settings = {"warm_days": 7, "warm_window_days": 2, "min_gap_days": 10}
    assert user.patch("/v1/settings", json=settings).status_code == 200
    acme = org(user, rejected_on="2026-01-12")
    ann = person(user, acme, **FULL)
    bob = person(user, acme, "Bob Ray", role="recruiter", email="bob@acme.example")

    log(user, ann, "2026-01-13T15:00:00Z", "email")
    # 13 January + 7 = 20 January, but not before 13 + 10 = Friday 23 January.
    assert when(the_action(user, acme)) == ("2026-01-23T10:00:00Z", "2026-01-23", "2026-01-23")

    log(user, bob, "2026-01-23T15:00:00Z", "email")
    action = the_action(user, acme)
    # Ann again, but counted from Bob's touch: 23 + 10 = Monday 2 February.
    assert action["contact_id"] == ann["id"]
    assert when(action) == ("2026-02-02T10:00:00Z", "2026-02-02", "2026-02-02")


def test_r8_the_target_follows_role_priority_not_the_recruiter(user: User, clock: Clock) -> None:
    clock.set(datetime(2026, 1, 13, 18, tzinfo=UTC))
    acme = org(user, rejected_on="2026-01-12")
    # Added from the lowest priority up: each newcomer becomes the target.
    for name, role, recruiter_only in [
        ("Hana Hr", "hr", True),
        ("Rita Rec", "recruiter", True),
        ("Olga Other", "other", False),
        ("Ray Ref", "referrer", False),
        ("Ann Lee", "hiring_manager", False),
    ]:
        contact = person(user, acme, name, role=role, email=f"{role}@acme.example")
        action = the_action(user, acme)
        assert action["contact_id"] == contact["id"], role
        assert ("add_hiring_manager" in action["hints"]) is recruiter_only, role


def test_r8_ties_go_to_the_contact_touched_least_recently(user: User, clock: Clock) -> None:
    clock.set(LATER)
    acme = org(user, rejected_on="2026-01-12")
    ann = person(user, acme, **FULL)
    amy = person(user, acme, "Amy Zhu", email="amy@acme.example")
    log(user, ann, "2026-01-13T15:00:00Z", "email")
    assert the_action(user, acme)["contact_id"] == amy["id"]
    log(user, amy, "2026-02-03T15:00:00Z", "email")
    assert the_action(user, acme)["contact_id"] == ann["id"]


def test_r8_a_referral_is_followed_once(user: User, clock: Clock) -> None:
    clock.set(LATER)
    acme = org(user, rejected_on="2026-01-12")
    ann = person(user, acme, **FULL)
    cal = person(user, acme, "Cal Diaz", role="other", email="cal@acme.example")
    log(
        user,
        ann,
        "2026-01-13T15:00:00Z",
        "call",
        outcome="referred",
        referred_to_contact_id=cal["id"],
    )

    action = the_action(user, acme)
    assert action["contact_id"] == cal["id"]
    # R13: Tuesday 13 January + 3 working days = Friday 16, the R7 gap aside.
    assert action["due_at"] == "2026-01-16T10:00:00Z"
    assert "Ann Lee referred you to Cal Diaz" in action["reason"]

    log(user, cal, "2026-02-03T15:00:00Z", "email")
    action = the_action(user, acme)
    assert action["contact_id"] == ann["id"]
    assert action["due_at"] == "2026-02-24T10:00:00Z"


def test_r9_mix_it_up_channel_after_channel(user: User, clock: Clock) -> None:
    clock.set(LATER)
    every = {**FULL, "profile_url": "https://www.linkedin.com/in/ann"}
    table = [
        # details, previous channel, its outcome, recommended channel, single_channel hint
        (every, None, None, "email", False),
        (every, "email", "sent", "call", False),
        (every, "call", "conversation", "email", False),
        (every, "call", "left_voicemail", "email", False),
        (every, "voicemail", None, "email", False),
        (every, "message", "sent", "call", False),
        (every, "in_person", "conversation", "email", False),
        ({"email": "ann@acme.example"}, None, None, "email", True),
        ({"email": "ann@acme.example"}, "email", "sent", "email", True),
        ({"phone": "+1 312 555 0100"}, "call", "conversation", "call", True),
        ({"profile_url": "https://www.linkedin.com/in/ann"}, None, None, "message", True),
        # No email: after a voicemail, anything but a voice channel.
        (
            {"phone": "+1 312 555 0100", "profile_url": "https://x.example/ann"},
            "voicemail",
            None,
            "message",
            False,
        ),
    ]
    for n, (details, previous, outcome, channel, single) in enumerate(table):
        acme = org(user, f"Acme {n}", rejected_on="2026-01-12")
        ann = person(user, acme, **details)
        if previous is not None:
            log(user, ann, "2026-01-13T15:00:00Z", previous, outcome=outcome)
        action = the_action(user, acme)
        assert action["channel"] == channel, (n, previous)
        assert ("single_channel" in action["hints"]) is single, (n, previous)


def test_r10_slots_in_the_contacts_time_zone(user: User, clock: Clock) -> None:
    clock.set(LATER)
    chicago = org(user, "Chicago", rejected_on="2026-01-09")
    ann = person(user, chicago, timezone="America/Chicago", **FULL)
    # 13 January 03:00Z is still Monday 12 January in Chicago: + 21 = Monday 2 February,
    # 10:00 CST = 16:00Z; the window is counted on Chicago dates too.
    log(user, ann, "2026-01-13T03:00:00Z", "email")
    assert when(the_action(user, chicago)) == ("2026-02-02T16:00:00Z", "2026-01-26", "2026-02-09")

    summer = org(user, "Summer", rejected_on="2026-06-02")
    person(user, summer, timezone="America/Chicago", **FULL)
    assert the_action(user, summer)["due_at"] == "2026-06-03T15:00:00Z"  # 10:00 CDT

    london = org(user, "London", rejected_on="2026-03-06")
    lee = person(user, london, timezone="Europe/London", **FULL)
    # 9 March (GMT) + 21 = Monday 30 March, the day after the clocks went forward: 09:00Z.
    log(user, lee, "2026-03-09T12:00:00Z", "email")
    assert when(the_action(user, london)) == ("2026-03-30T09:00:00Z", "2026-03-23", "2026-04-06")

    plain = org(user, "Plain", rejected_on="2026-01-13")
    person(user, plain, **FULL)
    changed = user.patch("/v1/settings", json={"timezone": "Europe/Berlin", "preferred_hour": 8})
    assert changed.status_code == 200, changed.text
    # No contact time zone: the account's. 14 January 08:00 CET = 07:00Z.
    assert the_action(user, plain)["due_at"] == "2026-01-14T07:00:00Z"
    # The contact's own zone still wins, at the new hour: 08:00 CST = 14:00Z.
    assert the_action(user, chicago)["due_at"] == "2026-02-02T14:00:00Z"


def test_r11_follow_up_on_the_date_they_asked_for(user: User, clock: Clock) -> None:
    clock.set(LATER)
    acme = org(user, rejected_on="2026-01-12")
    ann = person(user, acme, **FULL)
    attempt = log(user, ann, "2026-01-13T15:00:00Z", "email", follow_up_on="2026-04-04")

    action = the_action(user, acme)
    # Saturday 4 April -> Monday 6 April, whatever the warm cadence says.
    assert when(action) == ("2026-04-06T10:00:00Z", "2026-04-04", "2026-04-06")
    assert action["reason"] == (
        "Ann Lee asked you to follow up on or after Saturday 4 April 2026, so call them then."
    )

    # Sooner than the minimum gap is fine when they asked for it.
    edited = user.patch(f"/v1/attempts/{attempt['id']}", json={"follow_up_on": "2026-01-15"})
    assert edited.status_code == 200, edited.text
    assert the_action(user, acme)["due_at"] == "2026-01-15T10:00:00Z"

    # A later touch ends the request: 20 January + 21 = Tuesday 10 February.
    log(user, ann, "2026-01-20T15:00:00Z", "email", direction="inbound", outcome="replied")
    assert when(the_action(user, acme)) == ("2026-02-10T10:00:00Z", "2026-02-03", "2026-02-17")

    # The date is the contact's: Monday 6 April, 10:00 CDT = 15:00Z.
    chicago = org(user, "Chicago", rejected_on="2026-01-12")
    cal = person(user, chicago, timezone="America/Chicago", **FULL)
    log(user, cal, "2026-01-13T15:00:00Z", "email", follow_up_on="2026-04-04")
    assert the_action(user, chicago)["due_at"] == "2026-04-06T15:00:00Z"


def test_r12_one_open_action_per_organization_through_every_change(
    user: User, clock: Clock
) -> None:
    clock.set(LATER)
    acme, globex = org(user, "Acme", rejected_on="2026-01-12"), org(user, "Globex")
    ann = person(user, acme, **FULL)
    gus = person(user, globex, "Gus Roe", role="recruiter", phone="+1 312 555 0199")
    first = the_action(user, acme)
    changes = [
        lambda: person(user, acme, "Bob Ray", role="recruiter", email="bob@acme.example"),
        lambda: log(user, ann, "2026-01-13T15:00:00Z", "email", next_action_id=first["id"]),
        lambda: log(user, gus, "2026-01-14T15:00:00Z", "call"),
        lambda: user.patch(f"/v1/contacts/{ann['id']}", json={"phone": None}),
        lambda: user.patch("/v1/settings", json={"warm_days": 14}),
        lambda: user.post(f"/v1/organizations/{acme['id']}/news", json={"headline": "Acme IPO"}),
        lambda: user.post(f"/v1/next-actions/{the_action(user, acme)['id']}/skip"),
        lambda: user.patch(f"/v1/organizations/{globex['id']}", json={"status": "opening"}),
    ]
    for n, change in enumerate(changes):
        change()
        actions = user.get("/v1/next-actions", params={"state": ["scheduled", "due"]}).json()
        assert sorted(a["organization_id"] for a in actions["data"]) == sorted(
            [acme["id"], globex["id"]]
        ), n
