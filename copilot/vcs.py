"""The few git questions the review path asks, through the git command (fast to start; gitpython
is for history mining, where its object model pays off)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


class GitError(Exception):
    pass


def _git(args: list[str], cwd: Path) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return result.stdout.decode("utf-8", "surrogateescape")


def toplevel(cwd: Path) -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())


def staged_files(cwd: Path) -> dict[Path, str]:
    """Absolute path -> the staged text of each added, copied, modified or renamed file."""
    top = toplevel(cwd)
    names = _git(["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"], top).split("\0")
    out: dict[Path, str] = {}
    for name in filter(None, names):
        try:
            data = subprocess.run(
                ["git", "show", f":{name}"], cwd=top, capture_output=True, check=True
            ).stdout
        except subprocess.CalledProcessError:
            continue
        try:
            out[top / name] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # not text: the loader would refuse it anyway
    return out


def changed_lines(cwd: Path, base: str) -> dict[Path, set[int] | None]:
    """Absolute path -> lines added or changed since `base` (None: the whole file is new)."""
    top = toplevel(cwd)
    _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top)
    out: dict[Path, set[int] | None] = {}
    diff = _git(["diff", "-U0", "--no-color", "--no-ext-diff", base, "--"], top)
    current: Path | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None if name == "/dev/null" else top / name[2:]
            if current is not None:
                out.setdefault(current, set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                lines = out[current]
                assert lines is not None
                lines.update(range(start, start + count))
    for name in filter(
        None, _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0")
    ):
        out[top / name] = None  # untracked: all of it is new
    return out
