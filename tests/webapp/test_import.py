"""Importing a LinkedIn connections CSV: the dry run's report, then the import for real."""

from __future__ import annotations

from playwright.sync_api import FilePayload, Page, expect

from tests.webapp.conftest import SCREENSHOTS, Api

CSV = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ann,Lee,https://www.linkedin.com/in/ann-lee,ann@acme.example,Acme,Engineering Manager,01 Mar 2026
Bo,Chen,https://www.linkedin.com/in/bo-chen,,Acme,Technical Recruiter,02 Mar 2026
Cy,Diaz,https://www.linkedin.com/in/cy-diaz,cy@globex.example,Globex,Designer,03 Mar 2026
,,https://www.linkedin.com/in/nobody,,Nowhere,,04 Mar 2026
Ann,Lee,https://www.linkedin.com/in/ann-lee,ann@acme.example,Acme,Engineering Manager,01 Mar 2026
"""


def test_dry_run_then_import(page: Page, api: Api) -> None:
    page.goto("/app/#/import")
    expect(page.get_by_role("heading", name="Import contacts")).to_be_focused()
    upload: FilePayload = {
        "name": "Connections.csv",
        "mimeType": "text/csv",
        "buffer": CSV.encode(),
    }
    page.get_by_label("LinkedIn connections file (CSV)").set_input_files(files=upload)
    page.get_by_role("button", name="Check the file").click()
    report = page.get_by_role("region", name="What the import would do")
    expect(report).to_be_visible()
    expect(report).to_contain_text("3 contacts to add")
    expect(report).to_contain_text("2 new organizations")
    expect(report).to_contain_text("1 skipped (1 repeated in the file)")
    expect(report).to_contain_text("1 refused")
    expect(report).to_contain_text("Line 8")
    page.screenshot(path=SCREENSHOTS / "import-report-desktop.png")
    assert api.get("/v1/contacts")["data"] == []  # a dry run writes nothing

    page.get_by_role("button", name="Import 3 contacts").click()
    expect(page.get_by_role("heading", name="Imported")).to_be_focused()
    names = sorted(c["name"] for c in api.get("/v1/contacts")["data"])
    assert names == ["Ann Lee", "Bo Chen", "Cy Diaz"]
    assert sorted(o["name"] for o in api.get("/v1/organizations")["data"]) == ["Acme", "Globex"]


def test_no_file_is_said_by_the_field(page: Page) -> None:
    page.goto("/app/#/import")
    page.get_by_role("button", name="Check the file").click()
    file = page.get_by_label("LinkedIn connections file (CSV)")
    expect(file).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Choose a CSV file first.")).to_be_visible()


def test_a_dry_run_shows_who_would_be_added_where_and_the_watching_companies(
    page: Page, api: Api
) -> None:
    contoso = api.post("/v1/organizations", {"name": "Contoso, Inc.", "rejected_on": "2026-03-02"})
    api.post("/v1/contacts", {"organization_id": contoso["id"], "name": "Ann Lee", "role": "other"})
    csv = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        'Ann,Lee,,,"contoso, inc.",Engineering Manager,01 Mar 2026\n'
        'Bo,Chen,,bo@contoso.example,"Contoso, Inc.",Technical Recruiter,02 Mar 2026\n'
        'Cy,Diaz,,cy@fabrikam.example,"Fabrikam, Inc.",Designer,03 Mar 2026\n'
        'Di,Ng,,cy@fabrikam.example,"Fabrikam, Inc.",Designer,03 Mar 2026\n'
    )
    upload: FilePayload = {
        "name": "Connections.csv",
        "mimeType": "text/csv",
        "buffer": csv.encode(),
    }
    page.goto("/app/#/import")
    page.get_by_label("LinkedIn connections file (CSV)").set_input_files(files=upload)
    page.get_by_role("button", name="Check the file").click()

    report = page.get_by_role("region", name="What the import would do")
    expect(report).to_contain_text("2 contacts to add")
    expect(report).to_contain_text("1 new organization")
    expect(report).to_contain_text("2 skipped (1 already in your account, 1 repeated in the file)")
    new = report.get_by_role("heading", name="New organizations it would add").locator("..")
    expect(new).to_contain_text("They come in as watching: people you know, no follow-ups planned")
    expect(new.get_by_role("listitem")).to_have_text(["Fabrikam, Inc."])
    who = report.get_by_role("heading", name="Who would be added, where").locator("..")
    expect(who.get_by_role("listitem")).to_have_text(
        ["Line 3: Bo Chen at Contoso, Inc.", "Line 4: Cy Diaz at Fabrikam, Inc. (new, watching)"]
    )
    assert "Inc.." not in report.inner_text()
    page.screenshot(path=SCREENSHOTS / "import-dry-run-desktop.png", full_page=True)
    assert [c["name"] for c in api.get("/v1/contacts")["data"]] == ["Ann Lee"]
