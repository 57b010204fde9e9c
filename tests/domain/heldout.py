"""Labelled sets of sentences for asks_about_openings: reading one and scoring the check on it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from service.domain.script_check import asks_about_openings

# A set labels each sentence `ask`, or `not` / `ok` (set 2 says one, set 3 the other).
ASK, OTHERS = "ask", frozenset({"not", "ok"})


def labelled(path: Path) -> list[tuple[bool, str]]:
    """(is it an ask, the sentence) for each line `label<TAB>sentence` ('#' lines skipped)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t", 1)
        assert label == ASK or label in OTHERS, line
        rows.append((label == ASK, sentence))
    return rows


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    missed: list[str]
    alarms: list[str]


def score(path: Path) -> Score:
    """Precision and recall of the check on the set, with the asks missed and false alarms."""
    rows = labelled(path)
    missed = [text for is_ask, text in rows if is_ask and not asks_about_openings(text)]
    alarms = [text for is_ask, text in rows if not is_ask and asks_about_openings(text)]
    asks = sum(is_ask for is_ask, _ in rows)
    caught = asks - len(missed)
    precision = caught / (caught + len(alarms)) if caught + len(alarms) else 1.0
    return Score(precision, caught / asks, missed, alarms)


def is_balanced_and_unique(path: Path, *, at_least: int) -> bool:
    rows = labelled(path)
    asks = sum(is_ask for is_ask, _ in rows)
    unique = len({text for _, text in rows}) == len(rows)
    return len(rows) >= at_least and asks * 2 == len(rows) and unique
