"""Links on next actions: mailto, tel and profile, in every representation and in webhooks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from fastapi import FastAPI
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from service.api.schemas.webhooks import FollowupEvent
from service.db.outbox import Event
from service.services.planning.action_body import mailto_uri, tel_uri
from tests.conftest import Clock, User

Row = dict[str, Any]
NOW = datetime(2026, 3, 2, 18, tzinfo=UTC)  # a Monday evening


def acme(user: User, name: str = "Acme") -> Row:
    return user.create("/v1/organizations", {"name": name, "rejected_on": "2026-02-27"})


def person(user: User, organization: Row, **fields: Any) -> Row:
    body = {"organization_id": organization["id"], "name": "Ann Lee", "role": "hiring_manager"}
    return user.create("/v1/contacts", {**body, **fields})


def the_action(user: User, organization: Row) -> Row:
    response = user.get("/v1/next-actions", params={"organization_id": organization["id"]})
    assert response.status_code == 200, response.text
    (action,) = response.json()["data"]
    result: Row = action
    return result


def mailto_parts(uri: str) -> tuple[str, dict[str, str]]:
    """The address and the header fields of a mailto URI, decoded."""
    parts = urlsplit(uri)
    assert parts.scheme == "mailto"
    fields = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    assert all(len(values) == 1 for values in fields.values()), fields
    return unquote(parts.path), {name: values[0] for name, values in fields.items()}


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def test_an_email_script_fills_the_subject_and_the_body(user: User, clock: Clock) -> None:
    clock.set(NOW)
    org = acme(user, "R&D Labs? #1")
    person(user, org, email="ann+jobs@rd.example", phone="+44 (0)20 7946-0958")
    action = the_action(user, org)
    assert action["channel"] == "email"

    links = action["links"]
    address, fields = mailto_parts(links["mailto"])
    assert address == "ann+jobs@rd.example"
    assert fields == {
        "subject": action["script"]["subject"],
        "body": crlf(action["script"]["text"]),
    }
    assert links["mailto"].startswith("mailto:ann+jobs@rd.example?subject=")
    query = links["mailto"].split("?", 1)[1]
    # Only unreserved characters, percent escapes and the field separators appear.
    assert re.fullmatch(r"[A-Za-z0-9\-._~%&=]*", query), query
    if "\n" in action["script"]["text"]:
        assert "%0D%0A" in query
    assert " " not in links["mailto"] and "+" not in query
    assert links["tel"] == "tel:+4402079460958"
    assert links["profile"] is None


def test_a_call_carries_its_email_version_not_the_spoken_script(user: User, clock: Clock) -> None:
    clock.set(NOW)
    org = acme(user)
    ann = person(user, org, email="ann@acme.example", phone="312.555.0100")
    first = the_action(user, org)
    user.create("/v1/attempts", {"contact_id": ann["id"], "channel": "email"})
    action = the_action(user, org)
    assert (action["id"], action["channel"]) == (first["id"], "call")  # the same, rewritten
    assert action["script"]["subject"] is None

    address, fields = mailto_parts(action["links"]["mailto"])
    assert address == "ann@acme.example"
    written = action["script"]["as_email"]
    assert fields == {"subject": written["subject"], "body": crlf(written["text"])}
    assert written["text"].startswith("Hi Ann") and "it's" not in written["text"].split("\n")[0]
    assert "good moment" not in written["text"] and written["text"] != action["script"]["text"]
    assert action["links"]["tel"] == "tel:3125550100"


def test_links_are_null_where_the_contact_lacks_the_detail(user: User, clock: Clock) -> None:
    clock.set(NOW)
    org = acme(user)
    person(user, org, profile_url="https://www.linkedin.com/in/ann-lee")
    links = the_action(user, org)["links"]
    assert links == {
        "mailto": None,
        "tel": None,
        "profile": "https://www.linkedin.com/in/ann-lee",
    }


def test_every_representation_carries_the_same_links(user: User, clock: Clock) -> None:
    clock.set(NOW)
    org = acme(user)
    person(user, org, email="ann@acme.example", phone="+1 312 555 0100")
    listed = the_action(user, org)
    shown = user.get(f"/v1/next-actions/{listed['id']}").json()
    assert shown == listed

    until = (NOW + timedelta(days=3)).isoformat()
    snoozed = user.post(f"/v1/next-actions/{listed['id']}/snooze", json={"until": until})
    assert snoozed.status_code == 200, snoozed.text
    assert snoozed.json()["links"] == listed["links"]
    skipped = user.post(f"/v1/next-actions/{listed['id']}/skip")
    assert skipped.status_code == 200, skipped.text
    assert skipped.json()["links"] == listed["links"]
    after = the_action(user, org)
    assert after["links"]["tel"] == "tel:+13125550100"
    assert mailto_parts(after["links"]["mailto"])[1]["body"] == crlf(after["script"]["text"])


def test_links_follow_the_contacts_details(user: User, clock: Clock) -> None:
    clock.set(NOW)
    org = acme(user)
    ann = person(user, org, email="ann@acme.example", phone="+1 312 555 0100")
    before = the_action(user, org)
    etag = user.get(f"/v1/next-actions/{before['id']}").headers["ETag"]

    changed = user.patch(f"/v1/contacts/{ann['id']}", json={"email": "ann.lee@acme.example"})
    assert changed.status_code == 200, changed.text
    after = the_action(user, org)
    assert (after["id"], after["channel"], after["due_at"]) == (
        before["id"],
        before["channel"],
        before["due_at"],
    )
    assert mailto_parts(after["links"]["mailto"])[0] == "ann.lee@acme.example"
    shown = user.get(f"/v1/next-actions/{before['id']}")
    assert shown.json() == after
    assert shown.headers["ETag"] != etag  # the representation changed

    user.patch(
        f"/v1/contacts/{ann['id']}",
        json={"phone": None, "profile_url": "https://www.linkedin.com/in/ann"},
    )
    links = the_action(user, org)["links"]
    assert links["tel"] is None
    assert links["profile"] == "https://www.linkedin.com/in/ann"


def test_past_actions_show_the_contacts_current_details(user: User, clock: Clock) -> None:
    clock.set(NOW)
    org = acme(user)
    ann = person(user, org, email="ann@acme.example")
    first = the_action(user, org)
    user.create(
        "/v1/attempts",
        {"contact_id": ann["id"], "channel": "email", "next_action_id": first["id"]},
    )
    user.patch(f"/v1/contacts/{ann['id']}", json={"phone": "+1 312 555 0199"})
    (done,) = user.get("/v1/next-actions", params={"state": "done"}).json()["data"]
    assert done["id"] == first["id"]
    assert done["links"]["tel"] == "tel:+13125550199"


def test_followup_payloads_carry_the_links(app: FastAPI, user: User, clock: Clock) -> None:
    clock.set(NOW)
    # Events are kept for the endpoints that want them: subscribe one (never called here).
    user.create("/v1/webhooks", {"url": "http://127.0.0.1:9/hooks"})
    org = acme(user)
    ann = person(user, org, email="ann@acme.example", phone="+1 312 555 0100")
    user.patch(f"/v1/contacts/{ann['id']}", json={"email": None})
    action = the_action(user, org)
    assert action["channel"] == "call"

    with app.state.engine.connect() as conn:
        payloads = [p for (p,) in conn.execute(select(Event.payload).order_by(Event.created_at))]
    followups = [p for p in payloads if p["type"].startswith("followup.")]
    assert [p["type"] for p in followups] == ["followup.scheduled", "followup.rescheduled"]
    scheduled, rescheduled = (p["data"]["next_action"]["links"] for p in followups)
    assert scheduled["mailto"].startswith("mailto:ann@acme.example?subject=")
    assert (
        rescheduled
        == action["links"]
        == {
            "mailto": None,
            "tel": "tel:+13125550100",
            "profile": None,
        }
    )
    for payload in followups:
        FollowupEvent.model_validate(payload)  # as the OpenAPI document says


@given(
    local=st.from_regex(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,20}", fullmatch=True),
    subject=st.text(max_size=40),
    body=st.text(max_size=200),
)
def test_mailto_round_trips_through_urllib(local: str, subject: str, body: str) -> None:
    address = f"{local}@example.com"
    uri = mailto_uri(address, subject=subject, body=body)
    assert re.fullmatch(r"mailto:[A-Za-z0-9\-._~%@+]+(\?[A-Za-z0-9\-._~%&=]*)?", uri), uri
    found, fields = mailto_parts(uri)
    assert found == address
    expected = {name: crlf(value) for name, value in (("subject", subject), ("body", body))}
    assert fields == {name: value for name, value in expected.items() if value}


@given(phone=st.from_regex(r"\+?[0-9][0-9 ().\-/]{3,38}", fullmatch=True))
def test_tel_keeps_the_digits_and_a_leading_plus(phone: str) -> None:
    uri = tel_uri(phone)
    assert uri is not None and re.fullmatch(r"tel:\+?[0-9]+", uri)
    assert uri.removeprefix("tel:") == "+" * phone.startswith("+") + re.sub(r"\D", "", phone)
