"""Find the files to review under the paths a user gives."""

from __future__ import annotations

import errno
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

SKIP_DIRS = frozenset(
    {".git", ".terraform", ".terragrunt-cache", "node_modules", "__pycache__", ".venv"}
)


@dataclass
class Discovery:
    terraform_dirs: dict[Path, None] = field(default_factory=dict)  # ordered set
    pipeline_files: dict[Path, bool] = field(default_factory=dict)  # path -> given explicitly
    explicit_files: set[Path] = field(default_factory=set)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    missing: list[str] = field(default_factory=list)


def is_terraform(path: Path) -> bool:
    return path.name.endswith((".tf", ".tf.json")) and not path.name.endswith(".tfvars.json")


def is_yaml(path: Path) -> bool:
    return path.suffix in (".yml", ".yaml")


def is_pipeline(path: Path) -> bool:
    """Found by walking: workflows, actions and .gitlab-ci.yml (other YAML only when named)."""
    if not is_yaml(path):
        return False
    if path.name in ("action.yml", "action.yaml", ".gitlab-ci.yml", ".gitlab-ci.yaml"):
        return True
    return path.parent.name == "workflows" and path.parent.parent.name == ".github"


def display_path(path: Path, base: Path | None = None) -> str:
    """The path as the user should see it: relative to the working folder when inside it."""
    # abspath, not resolve(): a link is shown where the user put it, and a symlink loop
    # (on which resolve() raises) still gets a name.
    absolute = os.path.abspath(path)
    root = os.path.abspath(base) if base is not None else os.getcwd()  # noqa: PTH109 - a str
    if absolute == root:
        return "."
    prefix = root if root.endswith(os.sep) else root + os.sep
    shown = absolute.removeprefix(prefix)
    return shown.replace(os.sep, "/")


def _skipped(path: Path, skip: list[str]) -> bool:
    if not skip:
        return False
    text = display_path(path)
    return any(
        fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(path.name, pattern) for pattern in skip
    )


def discover(paths: list[Path], skip: list[str] | None = None) -> Discovery:
    found = Discovery()
    skip = skip or []
    for path in paths:
        if path.is_symlink() and not path.exists():
            found.problems.append((display_path(path), _link_problem(path)))
        elif not path.exists():
            found.missing.append(str(path))
        elif path.is_file():
            if is_terraform(path):
                found.terraform_dirs[path.resolve().parent] = None
                found.explicit_files.add(path.resolve())
            elif is_yaml(path):
                found.pipeline_files[path] = True
                found.explicit_files.add(path.resolve())
        else:
            _walk(path, found, skip)
    return found


def _link_problem(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop: the link points back to itself"
        return f"broken symlink: {exc.strerror or exc}"
    return "broken symlink"


def _walk(root: Path, found: Discovery, skip: list[str]) -> None:
    visited: set[str] = set()
    for current, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(current)
        if real in visited:
            dirs[:] = []
            found.problems.append(
                (display_path(Path(current)), "symlink loop: folder already visited, skipped")
            )
            continue
        visited.add(real)
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _skipped(here / d, skip))
        for name in sorted(files):
            path = here / name
            terraform, pipeline = is_terraform(path), is_pipeline(path)
            if not (terraform or pipeline) or _skipped(path, skip):
                continue
            if path.is_symlink() and not path.exists():
                found.problems.append((display_path(path), _link_problem(path)))
                continue
            if terraform:
                found.terraform_dirs[here.resolve()] = None
            else:
                found.pipeline_files.setdefault(path, False)
