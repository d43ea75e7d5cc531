"""Both sides of a change, read from git with gitpython and written to temporary folders, so the
same loader as `review` reads them. Only Terraform and pipeline files are materialised."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

WANTED_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json", ".yml", ".yaml")


class ChangeError(Exception):
    """A revision or repository state we cannot work from; the message says which and why."""


@dataclass
class Side:
    label: str  # the revision, "the index" or "nothing"
    root: Path  # a temporary folder holding its files
    files: set[str] = field(default_factory=set)


@dataclass
class Change:
    repo: Any  # git.Repo
    description: str
    before: Side
    after: Side
    commits: list[Any]  # the commits the change consists of, oldest first
    changed_files: list[str]
    _tmp: Any = None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def _wanted(path: str) -> bool:
    return path.endswith(WANTED_SUFFIXES)


def _write_tree(tree: Any, target: Path) -> set[str]:
    files: set[str] = set()
    for item in tree.traverse():
        if item.type != "blob" or not _wanted(item.path):
            continue
        destination = target / PurePosixPath(item.path)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(item.data_stream.read())
        files.add(item.path)
    return files


def _write_index(repo: Any, target: Path) -> set[str]:
    files: set[str] = set()
    for (path, _stage), entry in repo.index.entries.items():
        if not _wanted(path):
            continue
        destination = target / PurePosixPath(path)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(repo.odb.stream(entry.binsha).read())
        files.add(path)
    return files


def open_repo(path: Path) -> Any:
    import git

    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ChangeError(f"{path}: not inside a git repository") from None


def resolve(repo: Any, rev: str) -> Any:
    import git

    try:
        return repo.commit(rev)
    except (git.BadName, ValueError, git.GitCommandError):
        raise ChangeError(f"unknown revision {rev!r}") from None


def _first_parent(repo: Any, commit: Any) -> Any | None:
    """The first parent, or None for a root commit; a shallow clone that lacks it is an error."""
    shallow = Path(repo.git_dir) / "shallow"
    if shallow.is_file() and commit.hexsha in shallow.read_text().split():
        raise ChangeError(
            f"{commit.hexsha[:12]} is at the edge of a shallow clone: its parent is not here "
            "(run `git fetch --deepen=1` or `git fetch --unshallow`)"
        )
    return commit.parents[0] if commit.parents else None


def load_change(path: Path, spec: str | None, staged: bool) -> Change:
    """The change a user names: REV (its first parent to it), REV1..REV2, or the staged one."""
    repo = open_repo(path)
    if repo.head.is_valid() is False and not staged:
        raise ChangeError("the repository has no commits yet")
    tmp = tempfile.TemporaryDirectory(prefix="devops-copilot-rollback-")
    base = Path(tmp.name)
    before_dir, after_dir = base / "before", base / "after"
    before_dir.mkdir()
    after_dir.mkdir()
    commits: list[Any] = []
    try:
        if staged:
            head = repo.head.commit if repo.head.is_valid() else None
            before = Side(
                "HEAD" if head else "nothing",
                before_dir,
                _write_tree(head.tree, before_dir) if head else set(),
            )
            after = Side("the index", after_dir, _write_index(repo, after_dir))
            description = "the staged change"
            changed = sorted(
                {d.a_path or d.b_path for d in (repo.index.diff(head) if head else [])}
                if head
                else after.files
            )
        else:
            spec = spec or "HEAD"
            if ".." in spec:
                start_rev, end_rev = spec.split("..", 1)
                start, end = resolve(repo, start_rev or "HEAD"), resolve(repo, end_rev or "HEAD")
                commits = list(
                    reversed(
                        list(repo.iter_commits(f"{start.hexsha}..{end.hexsha}", first_parent=True))
                    )
                )
                description = f"{start.hexsha[:12]}..{end.hexsha[:12]}"
                before_commit: Any | None = start
            else:
                end = resolve(repo, spec)
                before_commit = _first_parent(repo, end)
                commits = [end]
                description = f"{end.hexsha[:12]} {end.summary}"
            before = Side(
                before_commit.hexsha[:12] if before_commit else "nothing",
                before_dir,
                _write_tree(before_commit.tree, before_dir) if before_commit else set(),
            )
            after = Side(end.hexsha[:12], after_dir, _write_tree(end.tree, after_dir))
            if before_commit is not None:
                changed = sorted({d.a_path or d.b_path for d in before_commit.diff(end)})
            else:
                changed = sorted(
                    str(item.path) for item in end.tree.traverse() if item.type == "blob"
                )
    except ChangeError:
        tmp.cleanup()
        raise
    except Exception as exc:  # noqa: BLE001 - gitpython raises many kinds; say it in one line
        tmp.cleanup()
        raise ChangeError(f"cannot read the change from git: {type(exc).__name__}: {exc}") from None
    return Change(repo, description, before, after, commits, changed, tmp)
