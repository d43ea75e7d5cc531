"""What a named check receives and returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from copilot.parse.evaluate import UNKNOWN
from copilot.parse.source import SourceFile
from copilot.parse.terraform import Match, Project, TfObject, objects_of

# a full commit SHA: the one kind of git ref nobody can move to other code
COMMIT_SHA = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True, slots=True)
class Hit:
    """One place a check fires. `values` fill `{{ name }}` in the rule's message."""

    start: int
    end: int
    label: str = ""
    values: dict[str, str] = field(default_factory=dict)
    mask: tuple[tuple[int, int], ...] = ()
    source: SourceFile | None = None  # when the span is in another file than the object's
    at_block: bool = False  # the span is a block header: something is missing there


@dataclass(frozen=True)
class CheckContext:
    project: Project | None  # None for pipeline rules
    params: dict[str, Any]

    def resources(self, obj: TfObject, type_: str) -> list[TfObject]:
        """Resources of `type_` in the same module instance as `obj`."""
        return [o for o in objects_of(obj.scope) if o.kind == "resource" and o.type == type_]


def header_hit(obj: Any, label: str = "", **values: str) -> Hit:
    """A hit on the block header, for an argument or companion that is missing."""
    return Hit(obj.block.start, obj.block.header_end, label, dict(values), at_block=True)


def match_hit(match: Match, label: str = "", **values: str) -> Hit:
    return Hit(match.start, match.end, label, dict(values))


def known(value: Any) -> bool:
    return value is not UNKNOWN


def as_list(value: Any) -> list[Any]:
    if value is UNKNOWN or value is None:
        return []
    return value if isinstance(value, list) else [value]


def port_range(from_port: Any, to_port: Any) -> tuple[int, int] | None:
    """A known, numeric port range, else None."""
    try:
        low = int(from_port)
        high = int(to_port)
    except (TypeError, ValueError):
        return None
    return (low, high) if low <= high else (high, low)


def parse_port_spec(spec: Any) -> tuple[int, int] | None:
    """`"22"`, `"20-30"`, `"*"` (all), `22` -> an inclusive range; None when unknown."""
    if isinstance(spec, bool) or spec is UNKNOWN or spec is None:
        return None
    if isinstance(spec, (int, float)):
        return int(spec), int(spec)
    text = str(spec).strip()
    if text in ("*", "Any", "any"):
        return 0, 65535
    low, sep, high = text.partition("-")
    try:
        return (int(low), int(high)) if sep else (int(low), int(low))
    except ValueError:
        return None


def covers(span: tuple[int, int], ports: list[int]) -> int | None:
    """The first of `ports` inside `span`."""
    return next((p for p in ports if span[0] <= p <= span[1]), None)


WORLD_V4 = "0.0.0.0/0"
WORLD_V6 = "::/0"
