"""Fixes: text edits at str offsets, and how far a person must judge them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Applicability(IntEnum):
    """Ordered, so that "applies at level X" is `fix.applicability >= X`."""

    SUGGESTION = 0  # shown, never applied: needs a value only a person knows
    UNSAFE = 1  # changes behaviour a person must judge (applied with --unsafe-fixes)
    SAFE = 2  # keeps behaviour or only hardens it (applied with --fix --yes)

    @classmethod
    def parse(cls, text: str) -> Applicability:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown applicability {text!r} (safe, unsafe or suggestion)"
            ) from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Edit:
    start: int  # str offset into the original text
    end: int  # exclusive; start == end inserts
    text: str  # "" deletes


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]  # sorted by start, non-overlapping
    applicability: Applicability
    note: str = ""  # why it is not safe, or what the person must fill in

    @property
    def start(self) -> int:
        return self.edits[0].start if self.edits else 0

    @property
    def end(self) -> int:
        return max((e.end for e in self.edits), default=0)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Splice edits (sorted, non-overlapping) into text."""
    out: list[str] = []
    last = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[last : edit.start])
        out.append(edit.text)
        last = edit.end
    out.append(text[last:])
    return "".join(out)
