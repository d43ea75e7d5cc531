"""`devops-copilot scaffold`: generate a new project from a template."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from copilot.cli.common import EXIT_OK, error, exits

if TYPE_CHECKING:
    from copilot.scaffold.template import Scaffold

app = typer.Typer(
    help="Generate a new project from a template.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.command("list")
@exits
def list_command() -> int:
    """Show the templates and their options."""
    from copilot.scaffold.template import available

    for scaffold in available():
        print(f"{scaffold.name}: {scaffold.description}")
        for option in scaffold.options:
            choices = "|".join(option.choices)
            print(f"  --{option.name} {choices}  (default {option.default}): {option.help}")
    return EXIT_OK


def _choice(help: str) -> object:
    return typer.Option(help=help, show_default=False)


@app.command("mlops")
@exits
def mlops_command(
    name: Annotated[
        str | None, typer.Argument(help="Project name: the folder, package and image name.")
    ] = None,
    serve: Annotated[str | None, _choice("Serving framework: fastapi or flask.")] = None,
    ci: Annotated[str | None, _choice("CI/CD platform: github or gitlab.")] = None,
    cloud: Annotated[
        str | None, _choice("Terraform for serving infrastructure: none, aws, gcp or azure.")
    ] = None,
    tracking: Annotated[str | None, _choice("Model versioning: mlflow or none.")] = None,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Where to create the project folder.")
    ] = Path(),
    force: Annotated[
        bool, typer.Option("--force", help="Write into a folder that is not empty.")
    ] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; use defaults for what is not given.")
    ] = False,
) -> int:
    """Generate a machine-learning service: training, serving, monitoring, CI/CD and retraining.

    In a terminal, each option not given is asked for; elsewhere its default is used.
    """
    # Imported here, not at the top: `review` in a pre-commit hook must not pay for them.
    from copilot.scaffold.template import ScaffoldError, check_name, load, render
    from copilot.scaffold.write import write_project

    try:
        scaffold = load("mlops")
        interactive = not no_input and sys.stdin.isatty() and sys.stdout.isatty()
        if name is None:
            if not interactive:
                return error("give a project name: devops-copilot scaffold mlops NAME")
            name = typer.prompt("Project name", value_proc=_valid_name)
        check_name(name)
        given = {"serve": serve, "ci": ci, "cloud": cloud, "tracking": tracking}
        choices = _ask(scaffold, given) if interactive else {k: v for k, v in given.items() if v}
        files = render(scaffold, name, choices)
        target = output_dir / name
        write_project(target, files, force=force)
    except ScaffoldError as exc:
        return error(str(exc))
    except OSError as exc:
        return error(f"{exc.filename or output_dir}: {exc.strerror or exc}")
    print(f"Created {target} ({len(files)} files). Next:")
    print(f"  cd {target} && make install && make test")
    return EXIT_OK


def _valid_name(value: str) -> str:
    from copilot.scaffold.template import ScaffoldError, check_name

    try:
        return check_name(value.strip())
    except ScaffoldError as exc:
        raise typer.BadParameter(str(exc)) from None


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value.strip() not in choices:
            raise typer.BadParameter(f"choose one of {', '.join(choices)}")
        return value.strip()

    return check


def _ask(scaffold: Scaffold, given: dict[str, str | None]) -> dict[str, str]:
    answers = {}
    for option in scaffold.options:
        value = given.get(option.name)
        if value is None:
            value = typer.prompt(
                f"{option.help.rstrip('.')} ({', '.join(option.choices)})",
                default=option.default,
                value_proc=_one_of(option.choices),
            )
        answers[option.name] = str(value)
    return answers
