"""Create a local branch holding the revert of a change, without touching the work tree.

The revert is made in a temporary `git worktree`, so the user's checkout, index and current
branch stay exactly as they were. It never pushes. A conflicting revert is aborted and the branch
removed: nothing is left half-done.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from copilot.rollback.history import ChangeError


def branch_name(commits: list[Any]) -> str:
    newest = commits[-1].hexsha[:12]
    return (
        f"rollback/{newest}" if len(commits) == 1 else f"rollback/{commits[0].hexsha[:8]}-{newest}"
    )


def check_clean(repo: Any) -> None:
    if repo.is_dirty(untracked_files=False):
        raise ChangeError(
            "the work tree has uncommitted changes: commit or stash them first "
            "(the rollback branch is made from committed history only)"
        )


def create_revert_branch(repo: Any, commits: list[Any], name: str | None = None) -> str:
    """Revert `commits` (newest first; merges against their first parent) on a new branch made
    from the current HEAD. Returns the branch name."""
    import git

    check_clean(repo)
    if not commits:
        raise ChangeError("nothing to revert: the change has no commits")
    branch = name or branch_name(commits)
    if branch in [h.name for h in repo.heads]:
        raise ChangeError(f"branch {branch} already exists: delete it or pass --branch NAME")
    start = repo.head.commit.hexsha
    workdir = Path(tempfile.mkdtemp(prefix="devops-copilot-revert-"))
    shutil.rmtree(workdir)
    try:
        repo.git.worktree("add", "-q", "-b", branch, str(workdir), start)
    except git.GitCommandError as exc:
        raise ChangeError(
            f"cannot create a work tree for the revert: {exc.stderr.strip() or exc}"
        ) from None
    try:
        tree = git.Repo(workdir)
        for commit in reversed(commits):
            args = ["--no-edit"]
            if len(commit.parents) > 1:
                args += ["-m", "1"]  # a merge: undo what it brought in relative to its mainline
            try:
                tree.git.revert(*args, commit.hexsha)
            except git.GitCommandError as exc:
                with contextlib.suppress(git.GitCommandError):
                    tree.git.revert("--abort")
                raise ChangeError(
                    f"reverting {commit.hexsha[:12]} conflicts with later changes "
                    f"({(exc.stderr or str(exc)).strip().splitlines()[-1] if (exc.stderr or str(exc)).strip() else 'conflict'}); "
                    "nothing was created: revert it by hand and resolve the conflict"
                ) from None
    except ChangeError:
        _remove_worktree(repo, workdir)
        repo.git.branch("-D", branch)
        raise
    _remove_worktree(repo, workdir)
    return branch


def _remove_worktree(repo: Any, workdir: Path) -> None:
    import git

    try:
        repo.git.worktree("remove", "--force", str(workdir))
    except git.GitCommandError:
        shutil.rmtree(workdir, ignore_errors=True)
        repo.git.worktree("prune")
