"""The Dockerfile, read as Docker reads it: stages of instructions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from tests.deploy.paths import ROOT


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def exec_form(self) -> list[str]:
        words: list[str] = json.loads(self.arguments)
        return words


@dataclass(frozen=True)
class Stage:
    base: str
    name: str
    instructions: list[Instruction]

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


def dockerfile_stages() -> list[Stage]:
    """The Dockerfile's stages, continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    stages: list[Stage] = []
    for line in filter(str.strip, joined.splitlines()):
        keyword, _, arguments = line.strip().partition(" ")
        arguments = " ".join(arguments.split())
        if keyword.upper() == "FROM":
            base, as_, name = arguments.split()
            assert as_.upper() == "AS"
            stages.append(Stage(base, name, []))
        else:
            stages[-1].instructions.append(Instruction(keyword.upper(), arguments))
    return stages


def copy_sources(stage: Stage) -> list[str]:
    """What the stage copies from the build context (not from another stage)."""
    sources: list[str] = []
    for copy in stage.all("COPY"):
        words = [w for w in copy.arguments.split() if not w.startswith("--")]
        if "--from=" not in copy.arguments:
            sources += words[:-1]
    return sources
