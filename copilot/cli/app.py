"""The `devops-copilot` command. Each sub-command lives in its own module and returns an int."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from copilot import __version__
from copilot.cli import baseline, review, risk, rollback, rules, scaffold

app = typer.Typer(
    name="devops-copilot",
    help="Review Terraform and CI/CD pipelines: find problems, explain them, suggest fixes.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command("review")(review.command)
app.add_typer(rules.app, name="rules")
app.add_typer(baseline.app, name="baseline")
app.add_typer(rollback.app, name="rollback")
app.add_typer(risk.app, name="risk")
app.add_typer(scaffold.app, name="scaffold")


def _version(value: bool) -> None:
    if value:
        print(f"devops-copilot {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """devops-copilot: suggests and explains; a person decides."""


def main(argv: list[str] | None = None) -> int:
    try:
        app(args=argv, prog_name="devops-copilot")
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
