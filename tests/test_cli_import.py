"""keepwarm import FILE --email EMAIL: a JSON export or a LinkedIn CSV, with a progress bar."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from service.config import Settings, Toggle, get_settings
from service.db.migrate import upgrade
from service.main import create_app
from tests.api.test_csv_import import WriteMeanwhile
from tests.conftest import LOOPBACK, PASSWORD
from tests.test_cli import keepwarm, run

CSV = (
    "\ufeffNotes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\r\n'
    "\r\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    "Ann,Lee,https://www.linkedin.com/in/ann,ann@acme.example,Acme,Engineering Manager,"
    "12 Mar 2024\r\n"
    "Bob,Roe,,bob@globex.example,Globex,Recruiter,01 Feb 2025\r\n"
)


class Api:
    """The app on the command's database, for accounts made and read through it."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.keys: dict[str, str] = {}

    def sign_up(self, email: str) -> None:
        body = {"email": email, "password": PASSWORD}
        response = self.client.post("/v1/accounts", json=body)
        assert response.status_code == 201, response.text
        self.keys[email] = response.json()["api_key"]

    def get(self, email: str, path: str) -> Any:
        headers = {"Authorization": f"Bearer {self.keys[email]}"}
        response = self.client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("KEEPWARM_DATABASE_URL", url)
    monkeypatch.setenv("KEEPWARM_LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def api(database: str) -> Iterator[Api]:
    upgrade(database)
    app = create_app(Settings(database_url=database, scheduler=Toggle.OFF))
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        api = Api(client)
        api.sign_up("ada@example.com")
        yield api


@pytest.fixture
def connections(tmp_path: Path) -> Path:
    path = tmp_path / "Connections.csv"
    path.write_bytes(CSV.encode())
    return path


def test_a_linkedin_csv_is_imported_with_a_summary(
    api: Api,
    connections: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        monkeypatch, capsys, "import", str(connections), "--email", "ADA@example.com"
    )

    assert code == 0, err
    assert out.splitlines() == [
        "ADA@example.com: imported 2 organizations and 2 contacts; 0 skipped, 0 rows refused.",
        "  added line 5, Ann Lee at Acme (new organization, watching: no follow-ups)",
        "  added line 6, Bob Roe at Globex (new organization, watching: no follow-ups)",
    ]
    assert "rows" in err  # the progress bar
    people = api.get("ada@example.com", "/v1/contacts")["data"]
    assert {(p["name"], p["role"]) for p in people} == {
        ("Ann Lee", "other"),
        ("Bob Roe", "recruiter"),
    }


def test_a_dry_run_lists_who_would_be_added_where_and_who_is_skipped(
    api: Api,
    connections: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    headers = {"Authorization": f"Bearer {api.keys['ada@example.com']}"}
    acme = api.client.post("/v1/organizations", json={"name": "ACME"}, headers=headers).json()
    bob = {"organization_id": acme["id"], "name": "Bob Roe", "role": "recruiter"}
    assert api.client.post("/v1/contacts", json=bob, headers=headers).status_code == 201
    path = connections.parent / "more.csv"
    path.write_text(CSV + "Bob,Roe,,,acme,Recruiter,\r\nAnn,Lee,,ANN@acme.example,Acme,,\r\n")
    argv = ("import", str(path), "--email", "ada@example.com", "--dry-run")

    code, out, _ = run(monkeypatch, capsys, *argv)

    assert code == 0
    assert out.splitlines() == [
        "ada@example.com: would import 1 organization and 2 contacts; 2 skipped (1 already in "
        "your account, 1 repeated in the file), 0 rows refused.",
        "  would add line 5, Ann Lee at ACME",
        "  would add line 6, Bob Roe at Globex (new organization, watching: no follow-ups)",
        "  skipped line 7, Bob Roe: Bob Roe at ACME is already in your account (the same name "
        "at the same company)",
        "  skipped line 8, Ann Lee: the same email as line 5",
    ]
    assert len(api.get("ada@example.com", "/v1/contacts")["data"]) == 1


def test_a_dry_run_holds_no_write_lock(
    api: Api,
    database: str,
    connections: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    meanwhile = WriteMeanwhile(database.removeprefix("sqlite:///"))
    event.listen(Engine, "before_cursor_execute", meanwhile)
    try:
        argv = ("import", str(connections), "--email", "ada@example.com", "--dry-run")
        code, _, err = run(monkeypatch, capsys, *argv)
    finally:
        event.remove(Engine, "before_cursor_execute", meanwhile)
    assert code == 0, err
    assert meanwhile.outcomes == ["wrote"]


def test_refused_rows_are_listed_and_the_exit_code_says_so(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "connections.csv"
    path.write_text(CSV + "Cy,Doe,,not-an-email,Acme,,\r\n")

    code, out, _ = run(monkeypatch, capsys, "import", str(path), "--email", "ada@example.com")

    assert code == 1
    assert "2 contacts" in out and "1 row refused" in out
    assert "refused line 7, Email Address:" in out
    assert len(api.get("ada@example.com", "/v1/contacts")["data"]) == 2


def test_a_json_export_is_imported_into_another_account(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    org = api.client.post(
        "/v1/organizations",
        json={"name": "Acme"},
        headers={"Authorization": f"Bearer {api.keys['ada@example.com']}"},
    )
    assert org.status_code == 201
    exported = api.get("ada@example.com", "/v1/export")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported))
    api.sign_up("bob@example.com")

    mine = run(monkeypatch, capsys, "import", str(path), "--email", "ada@example.com")
    code, out, err = run(monkeypatch, capsys, "import", str(path), "--email", "bob@example.com")

    assert mine[0] == 1
    assert "organizations.0.id: this id is already in use in your account" in mine[2]
    assert "--new-ids" in mine[2]
    assert code == 0, err
    assert out.strip() == (
        "bob@example.com: imported 1 organization, 0 news items, 0 contacts, 0 attempts, "
        "0 next actions, 0 webhooks."
    )
    (acme,) = api.get("bob@example.com", "/v1/organizations")["data"]
    assert acme["name"] == "Acme"
    assert acme["id"] != exported["organizations"][0]["id"], "ada's id is not bob's to take"


def test_an_invalid_document_is_refused_naming_each_field(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format_version": 1, "organizations": [{"name": ""}]}))

    code, out, err = run(monkeypatch, capsys, "import", str(path), "--email", "ada@example.com")

    assert code == 2 and out == ""
    assert "export.json is not a keepwarm export; nothing was imported" in err
    assert "organizations.0.id: Field required" in err
    assert "organizations.0.name:" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("import", "CSV", "--email", "nobody@example.com"),
            "no account has the email nobody@example.com",
        ),
        (("import", "/no/such/file.csv", "--email", "ada@example.com"), "cannot read"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    api: Api,
    connections: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    message: str,
) -> None:
    argv = tuple(str(connections) if arg == "CSV" else arg for arg in argv)
    code, out, err = run(monkeypatch, capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("keepwarm: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_refusal_is_one_line_in_the_logs_format(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KEEPWARM_LOG_FORMAT", "json")
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format_version": 1, "organizations": [{"name": ""}]}))

    code, out, err = run(monkeypatch, capsys, "import", str(path), "--email", "ada@example.com")
    missing = run(monkeypatch, capsys, "import", str(path), "--email", "nobody@example.com")

    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    logged = json.loads(line)
    assert logged["level"] == "ERROR"
    assert logged["message"].startswith(f"{path} is not a keepwarm export; nothing was")
    assert "organizations.0.id: Field required" in logged["message"]
    assert missing[0] == 2
    (other,) = missing[2].strip().splitlines()
    assert json.loads(other)["message"] == "no account has the email nobody@example.com"


def test_a_dropped_reference_is_said_once(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    headers = {"Authorization": f"Bearer {api.keys['ada@example.com']}"}
    org = api.client.post("/v1/organizations", json={"name": "Acme"}, headers=headers).json()
    ann = {"organization_id": org["id"], "name": "Ann Lee", "role": "other"}
    contact = api.client.post("/v1/contacts", json=ann, headers=headers).json()
    call = {"contact_id": contact["id"], "channel": "call", "outcome": "conversation"}
    assert api.client.post("/v1/attempts", json=call, headers=headers).status_code == 201
    exported = api.get("ada@example.com", "/v1/export")
    exported["attempts"][0]["news_id"] = "00000000-0000-4000-8000-000000000001"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported))
    argv = ("import", str(path), "--email", "ada@example.com", "--new-ids", "--dry-run")

    code, out, err = run(monkeypatch, capsys, *argv)

    assert code == 0, err
    assert out.splitlines()[1:] == [
        "  dropped attempts.0.news_id: no news item with that id in the document"
    ]


def test_the_installed_command_imports(api: Api, database: str, connections: Path) -> None:
    done = keepwarm(
        "import",
        str(connections),
        "--email",
        "ada@example.com",
        env={"KEEPWARM_DATABASE_URL": database},
    )
    assert done.returncode == 0, done.stderr
    assert "imported 2 organizations and 2 contacts" in done.stdout
