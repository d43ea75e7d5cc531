"""Unified diffs for people (coloured) and for `git apply` (plain)."""

from __future__ import annotations

import difflib

NO_NEWLINE = "\\ No newline at end of file\n"


def unified(path: str, before: str, after: str) -> str:
    """A diff `git apply` accepts: a/ and b/ paths, and the no-final-newline marker."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    lines: list[str] = []
    for line in difflib.unified_diff(old, new, f"a/{path}", f"b/{path}", n=3):
        if line.startswith(("---", "+++")):
            lines.append(line.rstrip("\n") + "\n")
            continue
        if not line.endswith("\n"):
            line += "\n" + NO_NEWLINE
        lines.append(line)
    return "".join(lines)


def colour(diff: str) -> str:
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(f"\x1b[1m{line.rstrip()}\x1b[0m\n")
        elif line.startswith("@@"):
            out.append(f"\x1b[36m{line.rstrip()}\x1b[0m\n")
        elif line.startswith("+"):
            out.append(f"\x1b[32m{line.rstrip(chr(10))}\x1b[0m\n")
        elif line.startswith("-"):
            out.append(f"\x1b[31m{line.rstrip(chr(10))}\x1b[0m\n")
        else:
            out.append(line)
    return "".join(out)
