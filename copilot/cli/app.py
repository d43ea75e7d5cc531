"""The `devops-copilot` command. Each sub-command lives in its own module and returns an int."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated

import typer

from copilot import __version__

# Each sub-command: its module, the attribute to register, and whether it is a group of commands.
# Only the one being run is imported and built: a review does not pay for the risk model's or
# the scaffold's command-line set-up. The top-level help (or an unknown name) builds them all.
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "review": ("copilot.cli.review", "command", False),
    "rules": ("copilot.cli.rules", "app", True),
    "baseline": ("copilot.cli.baseline", "app", True),
    "rollback": ("copilot.cli.rollback", "app", True),
    "risk": ("copilot.cli.risk", "app", True),
    "scaffold": ("copilot.cli.scaffold", "app", True),
}


def _version(value: bool) -> None:
    if value:
        print(f"devops-copilot {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """devops-copilot: suggests and explains; a person decides."""


def build_app(only: str | None = None) -> typer.Typer:
    """The command line with every sub-command, or with just `only` (the one being run)."""
    app = typer.Typer(
        name="devops-copilot",
        help="Review Terraform and CI/CD pipelines: find problems, explain them, suggest fixes.",
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(_root)
    for name, (module, attribute, group) in COMMANDS.items():
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(module), attribute)
        if group:
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
    return app


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    first = args[0] if args else None
    try:
        build_app(first if first in COMMANDS else None)(args=args, prog_name="devops-copilot")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: say so plainly, never a bare traceback
        if os.environ.get("DEVOPS_COPILOT_DEBUG"):
            raise
        print(
            f"devops-copilot: internal error: {type(exc).__name__}: {exc}\n"
            "Please report it; set DEVOPS_COPILOT_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return 2
    return 0
