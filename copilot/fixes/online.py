"""Resolving an action's tag to a commit SHA needs the network, so it happens only with --online,
through `git ls-remote`. Tests point DEVOPS_COPILOT_GIT_URL at local repositories."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from functools import cache

Resolver = Callable[[str, str], str | None]
_current: Resolver | None = None


def use(resolver: Resolver | None) -> None:
    global _current
    _current = resolver


def current() -> Resolver | None:
    return _current


@cache
def git_ls_remote(repository: str, ref: str) -> str | None:
    """The commit a tag or branch of `owner/repo` points to, peeled for annotated tags."""
    template = os.environ.get("DEVOPS_COPILOT_GIT_URL", "https://github.com/{repository}.git")
    url = template.format(repository=repository)
    try:
        result = subprocess.run(
            [
                "git",
                "ls-remote",
                url,
                f"refs/tags/{ref}",
                f"refs/tags/{ref}^{{}}",
                f"refs/heads/{ref}",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    refs: dict[str, str] = {}
    for line in result.stdout.splitlines():
        sha, _, name = line.partition("\t")
        if name:
            refs[name] = sha
    for name in (f"refs/tags/{ref}^{{}}", f"refs/tags/{ref}", f"refs/heads/{ref}"):
        if name in refs:
            return refs[name]
    return None
