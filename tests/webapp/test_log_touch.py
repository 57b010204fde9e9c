"""Logging a touch at any time, from an organization or a contact; correcting and deleting one."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from tests.webapp.conftest import SCREENSHOTS, Api, days_ago, fresh_organization


def _in_new_york(api: Api) -> None:
    assert api.http.patch("/v1/settings", json={"timezone": "America/New_York"}).is_success


def test_log_a_touch_from_the_organization_page(page: Page, api: Api) -> None:
    _in_new_york(api)
    made = fresh_organization(api)
    org = made["organization"]
    api.http.patch(f"/v1/organizations/{org['id']}", json={"notes": "Met Ann at the meetup."})
    page.goto(f"/app/#/organizations/{org['id']}")
    expect(page.get_by_text("Met Ann at the meetup.")).to_be_visible()
    page.get_by_role("link", name="Log a touch with Acme Robotics").click()
    expect(page.get_by_role("heading", name="Log a touch with Acme Robotics")).to_be_focused()
    form = page.get_by_role("form", name="Log a touch with Acme Robotics")
    expect(form.get_by_label("Contact")).to_have_value(made["contact"]["id"])
    expect(form.get_by_text("In your time zone (America/New_York).")).to_be_visible()

    form.get_by_label("How").select_option(label="Call")
    form.get_by_label("They reached me").check()
    outcomes = form.get_by_label("What happened").locator("option").all_inner_texts()
    assert outcomes == [
        "Choose…",
        "We talked",
        "Left a voicemail",
        "They referred me to someone",
        "An opening came up",
        "They asked me to stop",
    ]
    form.get_by_label("When").fill("2026-12-01T09:30")
    form.get_by_label("Notes").fill("She said hiring reopens in Q1.")
    # "Log it" never takes an empty outcome.
    form.get_by_role("button", name="Log it").click()
    outcome = form.get_by_label("What happened")
    expect(outcome).to_have_attribute("aria-invalid", "true")
    expect(outcome).to_be_focused()
    assert api.get("/v1/attempts", organization_id=org["id"])["data"] == []

    outcome.select_option(label="We talked")
    expect(outcome).not_to_have_attribute("aria-invalid", "true")  # fixed: the error goes
    expect(form.get_by_role("alert")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "log-touch-desktop.png", full_page=True)
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    [touch] = api.get("/v1/attempts", organization_id=org["id"])["data"]
    assert (touch["channel"], touch["direction"], touch["outcome"]) == (
        "call",
        "inbound",
        "conversation",
    )
    assert touch["occurred_at"] == "2026-12-01T14:30:00Z"  # 9:30 in New York
    touches = page.get_by_role("list", name="1 touch, newest first")
    expect(touches).to_contain_text("Call from Ann Lee — We talked")
    expect(touches).to_contain_text("9:30 AM EST")
    expect(touches).to_contain_text("She said hiring reopens in Q1.")
    page.screenshot(path=SCREENSHOTS / "organization-logged-desktop.png", full_page=True)


def test_log_a_touch_from_a_contact(page: Page, api: Api) -> None:
    made = fresh_organization(api)
    org, ann = made["organization"], made["contact"]
    page.goto(f"/app/#/organizations/{org['id']}/contacts/{ann['id']}/edit")
    page.get_by_role("link", name="Log a touch with Ann Lee").click()
    form = page.get_by_role("form", name="Log a touch with Ann Lee")
    expect(form.get_by_label("Contact")).to_have_value(ann["id"])
    form.get_by_label("What happened").select_option(label="Sent")
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    [touch] = api.get("/v1/attempts", contact_id=ann["id"])["data"]
    assert (touch["channel"], touch["outcome"]) == ("email", "sent")
    # From the organization's list of contacts too.
    page.get_by_role("link", name="Log a touch with Ann Lee").click()
    expect(page.get_by_role("heading", name="Log a touch with Ann Lee")).to_be_focused()


def test_edit_and_delete_a_logged_touch(page: Page, api: Api) -> None:
    made = fresh_organization(api)
    org, ann = made["organization"], made["contact"]
    touch = api.post(
        "/v1/attempts",
        {"contact_id": ann["id"], "channel": "email", "outcome": "sent", "notes": "First note."},
    )
    page.goto(f"/app/#/organizations/{org['id']}")
    page.get_by_role("link", name=re.compile("^Edit the email to Ann Lee")).click()
    expect(page.get_by_role("heading", name="Edit the touch with Ann Lee")).to_be_focused()
    form = page.get_by_role("form", name="Edit the touch with Ann Lee")
    expect(form.get_by_label("Notes")).to_have_value("First note.")
    # A correction cannot name whom they referred you to: no "referred" here.
    choices = form.get_by_label("What happened").locator("option").all_inner_texts()
    assert "They referred me to someone" not in choices
    assert "They replied" in choices
    form.get_by_label("What happened").select_option(label="They replied")
    form.get_by_label("Notes").fill("They answered within the hour.")
    form.get_by_role("button", name="Save touch").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    held = api.get(f"/v1/attempts/{touch['id']}")
    assert (held["outcome"], held["notes"], held["occurred_at"]) == (
        "replied",
        "They answered within the hour.",
        touch["occurred_at"],
    )
    expect(page.get_by_role("list", name="1 touch, newest first")).to_contain_text(
        "They answered within the hour."
    )

    # Changed elsewhere meanwhile: the form says so and shows the latest.
    page.get_by_role("link", name=re.compile("^Edit the email to Ann Lee")).click()
    # The form has read the touch (and its ETag) before the other change: else it reads that one.
    expect(form.get_by_label("Notes")).to_have_value("They answered within the hour.")
    api.http.patch(f"/v1/attempts/{touch['id']}", json={"notes": "Changed on the phone."})
    form.get_by_label("Notes").fill("Mine.")
    form.get_by_role("button", name="Save touch").click()
    expect(form.get_by_role("alert")).to_contain_text("changed elsewhere")
    expect(form.get_by_label("Notes")).to_have_value("Changed on the phone.")
    assert api.get(f"/v1/attempts/{touch['id']}")["notes"] == "Changed on the phone."

    page.get_by_role("link", name="Acme Robotics").click()
    # Changed elsewhere after the list was read: nothing is deleted, the latest is shown.
    expect(page.get_by_text("Changed on the phone.")).to_be_visible()
    api.http.patch(f"/v1/attempts/{touch['id']}", json={"notes": "Changed again."})
    page.get_by_role("button", name=re.compile("^Delete the email to Ann Lee")).click()
    page.get_by_role("dialog", name="Delete this touch?").get_by_role(
        "button", name="Delete"
    ).click()
    touches = page.get_by_role("list", name="1 touch, newest first")
    expect(touches.get_by_role("alert")).to_contain_text("changed elsewhere meanwhile")
    expect(touches).to_contain_text("Changed again.")
    assert api.get(f"/v1/attempts/{touch['id']}")["notes"] == "Changed again."

    page.get_by_role("button", name=re.compile("^Delete the email to Ann Lee")).click()
    dialog = page.get_by_role("dialog", name="Delete this touch?")
    expect(dialog).to_contain_text("the email to Ann Lee")
    dialog.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("No touches logged yet.")).to_be_visible()
    assert api.get("/v1/attempts", organization_id=org["id"])["data"] == []


def test_a_touch_further_out_opens_on_the_organization_page(page: Page, api: Api) -> None:
    """Three weeks out, past Today's 7 days: its script and log buttons are on its page."""
    assert api.http.patch("/v1/settings", json={"initial_delay_days": 21}).is_success
    org = api.post(
        "/v1/organizations", {"name": "Later Labs", "rejected_on": date.today().isoformat()}
    )
    api.post(
        "/v1/contacts",
        {
            "organization_id": org["id"],
            "name": "Dr. Carla Moss",
            "role": "hiring_manager",
            "email": "carla@later.example",
        },
    )
    action = api.get("/v1/next-actions", organization_id=org["id"])["data"][0]
    assert action["due_at"][:10] > days_ago(-10)
    page.goto("/app/#/today")
    expect(page.get_by_role("article", name=re.compile("Later Labs"))).to_have_count(0)

    page.goto(f"/app/#/organizations/{org['id']}")
    card = page.get_by_role("article", name="Email: Dr. Carla Moss")
    expect(card).to_contain_text(action["script"]["text"])
    expect(card.get_by_role("link", name="Email Dr. Carla Moss")).to_be_visible()
    card.get_by_role("button", name="Sent: log the email with Dr. Carla Moss").click()
    expect(card.get_by_role("status")).to_contain_text("Logged: Sent.")
    expect(page.get_by_role("list", name="1 touch, newest first")).to_contain_text(
        "Email to Dr. Carla Moss — Sent"
    )
    [touch] = api.get("/v1/attempts", organization_id=org["id"])["data"]
    assert touch["next_action_id"] == action["id"]


def test_today_never_logs_an_empty_outcome(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    page.goto("/app/#/today")
    page.get_by_text("Something else happened").click()
    form = page.get_by_role("form", name="Log another outcome with Ann Lee")
    form.get_by_role("button", name="Log it").click()
    outcome = form.get_by_label("Outcome")
    expect(outcome).to_have_attribute("aria-invalid", "true")
    expect(outcome).to_be_focused()
    expect(form).to_contain_text("Choose what happened")
    assert api.get("/v1/attempts", organization_id=org["id"])["data"] == []


def test_log_a_referral_to_someone_new(page: Page, api: Api) -> None:
    org = fresh_organization(api)["organization"]
    page.goto(f"/app/#/organizations/{org['id']}/log")
    form = page.get_by_role("form", name="Log a touch with Acme Robotics")
    expect(form.get_by_label("Who did they refer you to?")).to_be_hidden()
    form.get_by_label("What happened").select_option(label="They referred me to someone")
    form.get_by_label("Who did they refer you to?").select_option(label="Someone new: add them")
    form.get_by_label("Their name").fill("Bo Chen")
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_focused()
    bo = api.get("/v1/contacts", q="Bo Chen")["data"][0]
    [touch] = api.get("/v1/attempts", organization_id=org["id"])["data"]
    assert (touch["outcome"], touch["referred_to_contact_id"]) == ("referred", bo["id"])
