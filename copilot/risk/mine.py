"""Mine a repository's history in one streaming pass: `git log --numstat` through gitpython's
command interface (no diff object per commit), parsed into plain records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

RECORD, UNIT = "\x1e", "\x1f"
FORMAT = UNIT.join(["%H", "%P", "%an", "%ae", "%at", "%ct", "%s", "%b"])
_RENAME_BRACES = re.compile(r"\{([^{}]*) => ([^{}]*)\}")


@dataclass(frozen=True)
class FileChange:
    path: str
    added: int
    deleted: int
    binary: bool = False
    old_path: str = ""


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    authored: int  # unix time
    committed: int
    subject: str
    body: str
    files: tuple[FileChange, ...] = field(default_factory=tuple)

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def message(self) -> str:
        return f"{self.subject}\n\n{self.body}".strip()


def _paths(raw: str) -> tuple[str, str]:
    """numstat path -> (new, old): `a/{x => y}/b`, `old => new`, or a plain path."""
    if " => " not in raw:
        return raw, ""
    if "{" in raw:
        new = _RENAME_BRACES.sub(lambda m: m.group(2), raw).replace("//", "/")
        old = _RENAME_BRACES.sub(lambda m: m.group(1), raw).replace("//", "/")
        return new, old
    old, new = raw.split(" => ", 1)
    return new, old


def parse_log(text: str) -> Iterator[Commit]:
    for chunk in text.split(RECORD):
        parts = chunk.split(UNIT)
        if len(parts) < 9:
            continue
        sha, parents, author, email, authored, committed, subject, body = parts[:8]
        numstat = UNIT.join(parts[8:]).removeprefix("NUMSTAT")
        files = []
        for line in numstat.splitlines():
            pieces = line.split("\t")
            if len(pieces) != 3:
                continue
            added, deleted, raw_path = pieces
            path, old = _paths(raw_path)
            binary = added == "-"
            files.append(
                FileChange(
                    path, 0 if binary else int(added), 0 if binary else int(deleted), binary, old
                )
            )
        yield Commit(
            sha.strip(),
            tuple(parents.split()),
            author,
            email,
            int(authored or 0),
            int(committed or 0),
            subject,
            body.strip(),
            tuple(files),
        )


def mine(repo: Any, rev: str = "HEAD", max_commits: int | None = None) -> list[Commit]:
    """Commits reachable from `rev`, oldest first, with per-file line counts (first-parent diff
    for merges, so that a merge's own change is what it brought into the mainline)."""
    args = [
        rev,
        f"--format={RECORD}{FORMAT}{UNIT}NUMSTAT",
        "--numstat",
        "-M",
        "--first-parent",
        "--diff-merges=first-parent",
        "--no-color",
        "--encoding=UTF-8",
    ]
    if max_commits:
        args.append(f"--max-count={max_commits}")
    raw = repo.git.log(*args, stdout_as_string=False)
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    commits = list(parse_log(text))
    commits.reverse()
    return commits
