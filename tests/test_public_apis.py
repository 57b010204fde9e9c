"""keepwarm reaches its libraries through their public APIs only (SPEC section 5).

A name with a leading underscore that belongs to another module (SQLAlchemy's, FastAPI's,
Starlette's, a driver's) is private: it can change in any release. The check reads the
code's syntax trees: an attribute `x._name` is allowed only on `self` or `cls`, and a
`from module import _name` only from keepwarm's own modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("service/**/*.py"), *ROOT.glob("bench/**/*.py")])
OWN = ("service", "bench", "tests")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _reaches(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and not (node.module or "").startswith(OWN):
            found += [
                f"line {node.lineno}: from {node.module} import {alias.name}"
                for alias in node.names
                if _private(alias.name)
            ]
        elif isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {alias.name}"
                for alias in node.names
                if any(_private(part) for part in alias.name.split("."))
            ]
    return sorted(found, key=lambda line: int(line.split()[1].rstrip(":")))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_of_another_module_is_reached(path: Path) -> None:
    assert _reaches(ast.parse(path.read_text(), str(path))) == []


def test_the_check_sees_what_it_is_for() -> None:
    code = (
        "from sqlalchemy.orm import _private_thing\n"
        "import starlette._utils\n"
        "row._asdict()\n"
        "self._own = 1\n"
        "dialect._json_serializer\n"
    )
    assert _reaches(ast.parse(code)) == [
        "line 1: from sqlalchemy.orm import _private_thing",
        "line 2: import starlette._utils",
        "line 3: ._asdict",
        "line 5: ._json_serializer",
    ]
