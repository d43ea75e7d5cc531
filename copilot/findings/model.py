"""The finding: what every rule produces and every report consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from copilot.fixes.model import Fix


class Severity(IntEnum):
    """Ordered, so that `severity >= Severity.MEDIUM` reads as it should."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class Category:
    SECURITY = "security"
    RELIABILITY = "reliability"
    COST = "cost"
    ALL = (SECURITY, RELIABILITY, COST)


@dataclass(frozen=True, slots=True)
class Location:
    """A span in a file. Offsets are str indices; line and column are 1-based, for display."""

    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    `subject` names what the finding is about independently of line numbers (a resource address
    such as `aws_s3_bucket.logs`, or `module.app.aws_s3_bucket.logs`); baselines key on it.
    """

    rule_id: str
    title: str
    message: str
    severity: Severity
    category: str
    location: Location
    subject: str = ""
    suppressed_by: str = ""
    related: tuple[Location, ...] = field(default_factory=tuple)
    mask: tuple[tuple[int, int], ...] = ()  # spans holding secret values, never printed
    block_lines: tuple[int, int] = (0, 0)  # first and last line of the enclosing top-level block
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.column, self.rule_id)


PARSE_ERROR_ID = "parse-error"
