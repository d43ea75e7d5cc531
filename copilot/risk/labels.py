"""Which commits went wrong, how we know, and from when we know it.

- revert: a later commit says `This reverts commit <sha>`, or its subject is `Revert "<subject>"`.
- szz: a later fix (message matching the fix patterns) deleted or changed lines this commit last
  touched, traced with `git blame -w` on the fix's parent; fixes that touch only comments or
  blank lines are skipped (Sliwerski, Zimmermann and Zeller, MSR 2005).
- outcome: a CSV export (`commit,build_passed` or `commit,outcome`) from CI or deploys.

Each label keeps its source and the time it became known, so training at a cutoff uses only what
was known then.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copilot.risk.features import DEFAULT_FIX, is_doc
from copilot.risk.mine import Commit

_REVERTS_SHA = re.compile(r"This reverts commit ([0-9a-f]{7,40})")
_REVERT_SUBJECT = re.compile(r'^Revert "(.+)"$')
_COMMENT = re.compile(r"^\s*(#|//|/\*|\*|--|;|$)")
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")
MAX_FIX_FILES = 20
MAX_FIX_LINES = 200


@dataclass(frozen=True)
class Label:
    sha: str  # the commit that went wrong
    source: str  # revert:<sha> | szz:<sha> | outcome
    known_at: int  # unix time from which this is known


def _resolver(commits: list[Commit]) -> dict[str, str]:
    return {c.sha: c.sha for c in commits}


def _full(prefix: str, shas: list[str]) -> str | None:
    matches = [s for s in shas if s.startswith(prefix)]
    return matches[0] if len(matches) == 1 else None


def revert_labels(commits: list[Commit]) -> list[Label]:
    shas = [c.sha for c in commits]
    by_subject: dict[str, str] = {}
    labels = []
    for commit in commits:
        found = _REVERTS_SHA.search(commit.message)
        target = _full(found.group(1), shas) if found else None
        if target is None:
            subject = _REVERT_SUBJECT.match(commit.subject)
            target = by_subject.get(subject.group(1)) if subject else None
        if target is not None and target != commit.sha:
            labels.append(Label(target, f"revert:{commit.sha[:12]}", commit.authored))
        by_subject[commit.subject] = commit.sha
    return labels


def _deleted_lines(patch: str) -> dict[str, list[tuple[int, int, list[str], list[str]]]]:
    """path -> hunks (old start, old count, deleted lines, added lines) of a -U0 patch."""
    out: dict[str, list[tuple[int, int, list[str], list[str]]]] = {}
    path = None
    for line in patch.splitlines():
        if line.startswith("--- "):
            path = None if line[4:] == "/dev/null" else line[6:]
            if path is not None:
                out.setdefault(path, [])
        elif line.startswith("@@") and path is not None:
            match = _HUNK.match(line)
            if match:
                out[path].append((int(match.group(1)), int(match.group(2) or "1"), [], []))
        elif (
            path is not None
            and out.get(path)
            and line[:1] in "+-"
            and not line.startswith(("+++", "---"))
        ):
            hunk = out[path][-1]
            (hunk[2] if line[0] == "-" else hunk[3]).append(line[1:])
    return out


def _meaningful(hunks: list[tuple[int, int, list[str], list[str]]]) -> bool:
    return any(not _COMMENT.match(text) for _, _, old, new in hunks for text in old + new)


def szz_labels(
    repo: Any, commits: list[Commit], fix_pattern: str = DEFAULT_FIX, progress: Any = None
) -> list[Label]:
    import git

    fix_re = re.compile(fix_pattern)
    labels: list[Label] = []
    known = {c.sha for c in commits}
    fixes = [
        c
        for c in commits
        if c.parents and fix_re.search(c.message) and not _REVERT_SUBJECT.match(c.subject)
    ]
    if progress is not None:
        progress("fixes to trace", len(fixes))
    for commit in fixes:
        if progress is not None:
            progress("traced", 1)
        parent = commit.parents[0]
        files = [f.path for f in commit.files if not f.binary and not is_doc(f.path)][
            :MAX_FIX_FILES
        ]
        if not files:
            continue
        try:
            patch = repo.git.diff("-U0", "--no-color", "-w", parent, commit.sha, "--", *files)
        except git.GitCommandError:
            continue
        per_file = _deleted_lines(patch)
        if not any(_meaningful(h) for h in per_file.values()):
            continue  # comments or whitespace only: not a behavioural fix
        blamed: set[str] = set()
        for path, hunks in per_file.items():
            spans = [
                (start, count)
                for start, count, old, _ in hunks
                if count > 0 and any(not _COMMENT.match(t) for t in old)
            ]
            budget = MAX_FIX_LINES
            args = []
            for start, count in spans:
                count = min(count, budget)
                if count <= 0:
                    break
                budget -= count
                args += ["-L", f"{start},{start + count - 1}"]
            if not args:
                continue
            try:
                out = repo.git.blame("-w", "--porcelain", *args, parent, "--", path)
            except git.GitCommandError:
                continue
            for line in out.splitlines():
                token = line.split(" ", 1)[0]
                if len(token) == 40 and token in known:
                    blamed.add(token)
        for sha in sorted(blamed - {commit.sha}):
            labels.append(Label(sha, f"szz:{commit.sha[:12]}", commit.authored))
    return labels


_BAD = {"false", "0", "failed", "failure", "fail", "error", "bad", "broken"}


def outcome_labels(path: Path, commits: list[Commit]) -> list[Label]:
    """Failed outcomes from a CSV of `commit,<outcome>`; the header names the outcome column."""
    by_sha = {c.sha: c for c in commits}
    shas = list(by_sha)
    labels = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            keys = list(row)
            if len(keys) < 2:
                continue
            sha = _full((row.get("commit") or row[keys[0]] or "").strip(), shas)
            outcome = (row[keys[1]] or "").strip().lower()
            if sha is None:
                continue
            passed_column = "passed" in keys[1].lower()
            bad = outcome in ("false", "0", "no") if passed_column else outcome in _BAD
            if bad:
                labels.append(Label(sha, "outcome", by_sha[sha].authored))
    return labels
