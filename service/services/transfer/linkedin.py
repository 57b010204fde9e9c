"""The LinkedIn connections export (Connections.csv): its rows, the contacts they describe, and
their checks. Nothing here touches the database, so a file is read and checked before any
transaction opens."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from service.domain.model import ContactRole
from service.services.errors import InvalidField
from service.services.transfer.writes import Progress

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


class RowRefused(Exception):
    """A row's fields that the API would refuse: (field, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


# Checks a row's fields as the API would (its schemas live above the services), returning them
# cleaned, with the company's name as `company`; raises RowRefused.
Check = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class Person:
    """A row the checks passed: the contact's fields, and the company it names."""

    line: int
    fields: dict[str, Any]
    company: str


@dataclass
class CheckedRows:
    """A file's rows, checked: the people to import, and the rows refused."""

    people: list[Person] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# Plain words for a refused row, by the contact's field.
NO_NAME = "this row has no name (First Name and Last Name are empty)"
NO_COMPANY = "this row has no company"
REFUSED = {
    "email": "this row's email address is not valid",
    "profile_url": "this row's URL is not a web address",
}


def check_rows(
    data: bytes, *, check: Check, encoding: str = "utf-8", progress: Progress | None = None
) -> CheckedRows:
    """Every row of a connections export, checked as the API checks a contact and an
    organization; InvalidField when the file is not one."""
    names, rows = read_rows(data, encoding)
    report = progress or (lambda _step, _done, _total: None)
    result = CheckedRows()
    for done, row in enumerate(rows, 1):
        values = contact_values(row)
        problems: dict[str, str] = {}
        if not values["name"]:
            problems["first_name"] = NO_NAME
        if not values["company"]:
            problems["company"] = NO_COMPANY
        fields = None
        try:
            fields = check(values)
        except RowRefused as exc:
            for name, message in exc.errors:
                column = SOURCE.get(name, name)
                plain = REFUSED.get(name, f"this row's {names.get(column, column)} is refused")
                problems.setdefault(column, f"{plain}: {message}")
        for column, message in problems.items():
            result.errors.append(RowError(row.line, names.get(column, column), message))
        if fields is not None and not problems:
            company = fields.pop("company")
            result.people.append(Person(row.line, fields, company))
        report("rows", done, len(rows))
    return result


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
