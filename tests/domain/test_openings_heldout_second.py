"""asks_about_openings on held-out set 2 (openings_heldout_second.tsv): a floor, as SPEC 6 asks.

The 90 sentences (45 asks, 45 not) were written before the detector's second pass, without
reading its rules: offers to step in, join or take over, contract, consulting and trial work,
moving or sponsorship to make a role possible, "let me know first" and "keep me in mind" on one
side; the article's statement of future interest, passing mentions of one's own job search and
questions about their news, team or work on the other. Measured once before the second pass
and once after (the figures are in docs/scripts-second-pass.md); the test keeps the floor.
"""

from __future__ import annotations

from pathlib import Path

from tests.domain.heldout import is_balanced_and_unique, score

DATA = Path(__file__).with_name("openings_heldout_second.tsv")


def test_the_set_is_large_balanced_and_unique() -> None:
    assert is_balanced_and_unique(DATA, at_least=80)


def test_the_check_keeps_its_floor_on_the_second_held_out_set() -> None:
    found = score(DATA)
    assert found.recall >= 0.90, f"recall {found.recall:.3f}; missed: {found.missed}"
    assert found.precision >= 0.95, f"precision {found.precision:.3f}; false alarms: {found.alarms}"


if __name__ == "__main__":
    found = score(DATA)
    print(f"precision {found.precision:.3f} recall {found.recall:.3f}")
    print("missed:", *found.missed, sep="\n  ")
    print("false alarms:", *found.alarms, sep="\n  ")
