"""The README's configuration and deployment sections match the settings and the roles."""

from __future__ import annotations

import re

from service.config import Settings
from tests.deploy.paths import INIT_SQL, ROOT


def readme_section(heading: str) -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index(f"\n## {heading}\n")
    return text[start : text.index("\n## ", start + 1)]


def test_readme_configuration_lists_every_setting() -> None:
    rows = [
        line.split("|")[1]
        for line in readme_section("Configuration").splitlines()
        if line.startswith("| `")
    ]
    listed = {name for row in rows for name in re.findall(r"`(\w+)`", row)}
    assert listed == {name.upper() for name in Settings.model_fields}


def test_readme_deployment_names_the_roles_and_files_there_are() -> None:
    section = readme_section("Deployment on PostgreSQL, with several replicas")
    roles = set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
    assert roles == set(re.findall(r"CREATE ROLE (\w+) LOGIN", INIT_SQL.read_text()))
    for path in re.findall(r"\]\(([\w./-]+)\)", section):
        assert (ROOT / path).exists(), path
    assert str(INIT_SQL.relative_to(ROOT)) in section
    assert "### Rolling out a release" in section
