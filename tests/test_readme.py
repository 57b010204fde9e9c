"""The README's script examples are what the code writes today."""

from __future__ import annotations

from tests.readme_examples import BEGIN, current, render


def test_the_readme_shows_the_scripts_the_code_writes() -> None:
    shown = current()
    assert shown.startswith(BEGIN), "README.md lacks the generated scripts section"
    assert shown == render(), "README is stale: run python -m tests.readme_examples"
