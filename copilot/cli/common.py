"""Helpers shared by commands: errors, config and rule loading."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec

import typer

from copilot.config import Config, ConfigError, find_config, load_config
from copilot.rules.model import Rule

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

# Options that several commands take, spelled once.
RepoOption = Annotated[Path, typer.Option("--repo", help="The git repository.")]


class CommandError(Exception):
    """Reported as `devops-copilot: error: ...` with exit code 2."""


P = ParamSpec("P")


def exits(func: Callable[P, int]) -> Callable[P, None]:
    """Let a command return its exit code; typer learns it through `typer.Exit`."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        raise typer.Exit(func(*args, **kwargs))

    return wrapper


def error(message: str) -> int:
    print(f"devops-copilot: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def read_config(explicit: Path | None, paths: list[Path]) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise CommandError(f"{explicit}: configuration file does not exist")
        return load_config(explicit)
    start = paths[0] if paths else Path.cwd()
    start = start if start.is_dir() else start.parent
    found = find_config(start) or find_config(Path.cwd())
    return load_config(found)


def read_rules(config: Config, extra: list[Path]) -> list[Rule]:
    from copilot.rules.load import RuleError, load_rules

    try:
        return load_rules([*config.rule_dirs, *extra])
    except RuleError as exc:
        raise CommandError(str(exc)) from None


__all__ = ["CommandError", "ConfigError", "read_config", "read_rules"]
