"""From a repository to rows: each eligible commit, its features, and its labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.risk.blobs import line_counts
from copilot.risk.features import DEFAULT_FIX, FEATURES, compute, eligible
from copilot.risk.findings import introduced
from copilot.risk.iac import terraform_deltas
from copilot.risk.labels import Label, outcome_labels, revert_labels, szz_labels
from copilot.risk.mine import Commit, mine


class HistoryError(Exception):
    """A repository we cannot learn from; the message says why, with the numbers."""


@dataclass
class Row:
    commit: Commit
    values: dict[str, float]
    labels: list[Label] = field(default_factory=list)

    def bad_at(self, cutoff: int | None) -> bool:
        return any(cutoff is None or label.known_at <= cutoff for label in self.labels)

    def vector(self) -> list[float]:
        return [self.values[name] for name in FEATURES]


@dataclass
class Dataset:
    rows: list[Row]
    commits: list[Commit]
    head: str


def open_repository(path: Path) -> Any:
    import git

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise HistoryError(f"{path}: not inside a git repository") from None
    if not repo.head.is_valid():
        raise HistoryError("the repository has no commits yet")
    return repo


def build(
    repo: Any,
    rev: str = "HEAD",
    max_commits: int | None = None,
    labels_csv: Path | None = None,
    fix_pattern: str = DEFAULT_FIX,
    progress: Any = None,
    with_findings: bool = False,
) -> Dataset:
    import git

    try:
        head = repo.commit(rev).hexsha
    except (git.BadName, ValueError, git.GitCommandError):
        raise HistoryError(f"unknown revision {rev!r}") from None
    commits = mine(repo, head, max_commits)
    if progress:
        progress("mined", len(commits))
    deltas = terraform_deltas(repo, head, max_commits)
    initial: dict[str, int] = {}
    if max_commits and commits and commits[0].parents:
        # a window: how long the files it touches were before it (git cat-file --batch)
        paths = {f.old_path or f.path for c in commits for f in c.files}
        initial = line_counts(Path(repo.git_dir), commits[0].parents[0], paths)
    found = introduced(Path(repo.git_dir), commits) if with_findings else None
    values = compute(commits, deltas, fix_pattern, initial, found)
    labels = revert_labels(commits) + szz_labels(repo, commits, fix_pattern, progress)
    if labels_csv is not None:
        labels += outcome_labels(labels_csv, commits)
    if progress:
        progress("labelled", len(labels))
    by_sha: dict[str, list[Label]] = {}
    for label in labels:
        by_sha.setdefault(label.sha, []).append(label)
    rows = [Row(c, values[c.sha], by_sha.get(c.sha, [])) for c in commits if eligible(c)]
    return Dataset(rows, commits, head)
