"""The LinkedIn connections export (Connections.csv): its rows, and the contacts they describe."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from service.domain.model import ContactRole
from service.services.errors import InvalidField

# The columns of a LinkedIn export, by their names with case, spaces and dashes left out.
COLUMNS = {
    "firstname": "first_name",
    "lastname": "last_name",
    "url": "url",
    "profileurl": "url",
    "emailaddress": "email",
    "email": "email",
    "company": "company",
    "position": "position",
    "connectedon": "connected_on",
}
REQUIRED = ("first_name", "last_name", "company")
# Which column a contact's field comes from, to name it in an error.
SOURCE = {
    "name": "first_name",
    "company": "company",
    "email": "email",
    "profile_url": "url",
    "title": "position",
    "notes": "connected_on",
}
# Words of a position that say who the person is to a job seeker (any word starting so).
RECRUITER_WORDS = ("recruit", "talent", "sourcer", "sourcing", "headhunt", "staffing")
HR_WORDS = (
    "hr",
    "hrbp",
    "hrm",
    "chro",
    "human resources",
    "people operations",
    "people ops",
    "people partner",
    "people culture",
    "people and culture",
    "personnel",
)
CONNECTED_ON = "LinkedIn connection since {day}."
NO_HEADER = (
    "no header row: a LinkedIn connections export has the columns First Name, Last Name, URL, "
    "Email Address, Company, Position and Connected On"
)


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]


def read_rows(data: bytes, encoding: str = "utf-8") -> tuple[dict[str, str], list[Row]]:
    """The header's names of the columns found, and the rows after it, each with its line.

    Lines before the header (an export starts with "Notes:") are skipped; a row's line is
    where it starts in the file, quoted line breaks counted.
    """
    try:
        name = codecs.lookup(encoding).name
        text = data.decode("utf-8-sig" if name == "utf-8" else name).lstrip("\ufeff")
    except (LookupError, ValueError):  # an unknown charset, or bytes not in it
        raise InvalidField("body", f"the file is not {encoding} text") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header: dict[str, int] | None = None
    names: dict[str, str] = {}
    rows, start = [], 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                found = {COLUMNS.get(_squeezed(cell)): i for i, cell in enumerate(cells)}
                if all(column in found for column in REQUIRED):
                    header = {k: i for k, i in found.items() if k is not None}
                    names = {k: cells[i].strip() for k, i in header.items()}
                continue
            if any(cell.strip() for cell in cells):
                values = {k: cells[i].strip() if i < len(cells) else "" for k, i in header.items()}
                rows.append(Row(line, values))
    except csv.Error as exc:
        raise InvalidField("body", f"line {reader.line_num}: {exc}") from None
    if header is None:
        raise InvalidField("body", NO_HEADER)
    return names, rows


def _squeezed(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).casefold()


def guess_role(position: str) -> ContactRole:
    """Recruiters and HR by the words of their position; anyone else is `other`."""
    words = " " + " ".join(re.findall(r"[a-z]+", position.casefold())) + " "
    if any(f" {word}" in words for word in RECRUITER_WORDS):
        return ContactRole.RECRUITER
    if any(f" {phrase} " in words for phrase in HR_WORDS):
        return ContactRole.HR
    return ContactRole.OTHER


def contact_values(row: Row) -> dict[str, Any]:
    """The contact a row describes, with its company (as `company`), before any check."""
    cells = row.cells
    name = " ".join(part for part in (cells["first_name"], cells["last_name"]) if part)
    connected = cells.get("connected_on")
    return {
        "name": name,
        "company": cells["company"],
        "email": cells.get("email") or None,
        "profile_url": cells.get("url") or None,
        "title": cells.get("position") or None,
        "role": guess_role(cells.get("position", "")),
        "notes": CONNECTED_ON.format(day=connected) if connected else None,
    }
