"""asks_about_openings on set 3 (openings_heldout_third.tsv): a floor, no longer a held-out measure.

The 100 sentences (50 asks, 50 not) were written after the check's second pass by someone who
never saw its rules. Measured once, before any change: precision 0.975, recall 0.78 (11 asks
missed, one false alarm on "spot on"). The misses were then used to find the categories the
rules lacked (offers of help without a job word, a place for me on a team, other kinds of
work, conditions making a role possible, being told when a role is re-advertised), so the set
no longer measures how the check generalizes: a fresh set, written without the rules, does.
The categories are tested in new wording in test_openings_third_pass.py; this keeps the floor.
"""

from __future__ import annotations

from pathlib import Path

from service.domain.script_check import asks_about_openings
from tests.domain.heldout import is_balanced_and_unique, score

DATA = Path(__file__).with_name("openings_heldout_third.tsv")


def test_the_set_is_large_balanced_and_unique() -> None:
    assert is_balanced_and_unique(DATA, at_least=100)


def test_the_check_keeps_its_floor_on_the_third_set() -> None:
    found = score(DATA)
    assert found.recall >= 0.90, f"recall {found.recall:.3f}; missed: {found.missed}"
    assert found.precision >= 0.95, f"precision {found.precision:.3f}; false alarms: {found.alarms}"


def test_the_false_alarm_it_showed_stays_gone() -> None:
    assert not asks_about_openings("Your post about job hunting in a tough market was spot on.")


if __name__ == "__main__":
    found = score(DATA)
    print(f"precision {found.precision:.3f} recall {found.recall:.3f}")
    print("missed:", *found.missed, sep="\n  ")
    print("false alarms:", *found.alarms, sep="\n  ")
