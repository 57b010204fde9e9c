"""The second pass's fields through HTTP: talked_about, the profile's phone and email, a news
item's summary; created, changed, read, refused when bad, exported and imported."""

from __future__ import annotations

from tests.conftest import User, acme_and_ann, assert_problem


def test_talked_about_is_kept_changed_and_limited(user: User) -> None:
    acme = user.create(
        "/v1/organizations", {"name": "Acme", "talked_about": "  the data-platform migration "}
    )
    assert acme["talked_about"] == "the data-platform migration"
    url = f"/v1/organizations/{acme['id']}"
    changed = user.patch(url, json={"talked_about": "the billing rewrite"})
    assert changed.status_code == 200, changed.text
    assert user.get(url).json()["talked_about"] == "the billing rewrite"
    assert_problem(user.patch(url, json={"talked_about": "x" * 201}), 422, field="talked_about")
    assert user.patch(url, json={"talked_about": None}).json()["talked_about"] is None


def test_the_profile_keeps_a_phone_and_an_email(user: User) -> None:
    assert user.get("/v1/profile").json() == {
        "name": None,
        "signature": None,
        "phone": None,
        "email": None,
    }
    body = {"phone": "+1 312 555 0199", "email": "sam@example.com"}
    response = user.patch("/v1/profile", json=body)
    assert response.status_code == 200, response.text
    assert user.get("/v1/profile").json() | {"name": None} == {
        "name": None,
        "signature": None,
        **body,
    }
    assert_problem(user.patch("/v1/profile", json={"phone": "call me"}), 422, field="phone")
    assert_problem(user.patch("/v1/profile", json={"email": "nope"}), 422, field="email")


def test_a_news_item_keeps_its_summary(user: User) -> None:
    acme, _ = acme_and_ann(user)
    url = f"/v1/organizations/{acme['id']}/news"
    item = user.create(
        url,
        {"headline": "Acme cuts 10% of staff", "tone": "difficult", "summary": "the restructuring"},
    )
    assert item["summary"] == "the restructuring"
    assert user.get(url).json()["data"][0]["summary"] == "the restructuring"
    plain = user.create(url, {"headline": "Acme opens a Berlin office"})
    assert plain["summary"] is None
    assert_problem(
        user.post(url, json={"headline": "h", "summary": "s" * 201}), 422, field="summary"
    )


def test_export_and_import_carry_the_new_fields(user: User, other_user: User) -> None:
    acme = user.create("/v1/organizations", {"name": "Acme", "talked_about": "the migration"})
    user.create(
        f"/v1/organizations/{acme['id']}/news",
        {"headline": "Acme restructures", "tone": "difficult", "summary": "the restructuring"},
    )
    user.patch("/v1/profile", json={"phone": "+1 312 555 0199", "email": "sam@example.com"})
    document = user.get("/v1/export").json()
    (organization,) = document["organizations"]
    assert organization["talked_about"] == "the migration"
    assert organization["news"][0]["summary"] == "the restructuring"
    assert document["profile"]["phone"] == "+1 312 555 0199"
    imported = other_user.post("/v1/import?ids=new", json=document)
    assert imported.status_code in (200, 201), imported.text
    again = other_user.get("/v1/export").json()
    assert again["organizations"][0]["talked_about"] == "the migration"
    assert again["organizations"][0]["news"][0]["summary"] == "the restructuring"
    assert again["profile"]["email"] == "sam@example.com"
