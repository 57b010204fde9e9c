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

DATA = Path(__file__).with_name("openings_heldout_third.tsv")


def _labelled() -> list[tuple[bool, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t", 1)
        assert label in {"ask", "ok"}, line
        rows.append((label == "ask", sentence))
    return rows


def figures() -> tuple[float, float, list[str], list[str]]:
    """Precision, recall, the asks missed and the false alarms on the set."""
    rows = _labelled()
    missed = [text for is_ask, text in rows if is_ask and not asks_about_openings(text)]
    alarms = [text for is_ask, text in rows if not is_ask and asks_about_openings(text)]
    asks = sum(is_ask for is_ask, _ in rows)
    caught = asks - len(missed)
    precision = caught / (caught + len(alarms)) if caught + len(alarms) else 1.0
    return precision, caught / asks, missed, alarms


def test_the_set_is_large_balanced_and_unique() -> None:
    rows = _labelled()
    asks = [text for is_ask, text in rows if is_ask]
    others = [text for is_ask, text in rows if not is_ask]
    assert len(rows) == 100
    assert len(asks) == len(others)
    assert len({text for _, text in rows}) == len(rows)


def test_the_check_keeps_its_floor_on_the_third_set() -> None:
    precision, recall, missed, alarms = figures()
    assert recall >= 0.90, f"recall {recall:.3f}; missed: {missed}"
    assert precision >= 0.95, f"precision {precision:.3f}; false alarms: {alarms}"


def test_the_false_alarm_it_showed_stays_gone() -> None:
    assert not asks_about_openings("Your post about job hunting in a tough market was spot on.")


if __name__ == "__main__":
    p, r, m, a = figures()
    print(f"precision {p:.3f} recall {r:.3f}")
    print("missed:", *m, sep="\n  ")
    print("false alarms:", *a, sep="\n  ")
