"""`devops-copilot rollback plan|apply`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from copilot.cli.common import EXIT_ERROR, EXIT_OK, RepoOption, error, exits

app = typer.Typer(
    help="What undoing a change costs, and a local branch that undoes it.", no_args_is_help=True
)


@app.command("plan")
@exits
def plan_command(
    rev: Annotated[
        str | None, typer.Argument(help="REV (its first parent to it) or REV1..REV2; default HEAD.")
    ] = None,
    staged: Annotated[
        bool, typer.Option("--staged", help="Plan for the staged change instead.")
    ] = False,
    plan_json: Annotated[
        Path | None,
        typer.Option(
            "--plan-json", help="`terraform show -json` of the forward plan: exact actions."
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text, markdown or json.")] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the plan to FILE.")
    ] = None,
    repo: RepoOption = Path(),
    color: Annotated[str, typer.Option(help="auto, always or never.")] = "auto",
) -> int:
    """Say what rolling a change back does to the infrastructure: destroyed, recreated,
    replaced, data lost, in which order, and how to check each step."""
    from copilot.report.rollback import render
    from copilot.rollback.build import build_plan
    from copilot.rollback.history import ChangeError, load_change
    from copilot.rollback.planjson import PlanJsonError, read_plan_json

    if format not in ("text", "markdown", "json"):
        return error(f"--format: expected text, markdown or json, got {format!r}")
    if staged and rev:
        return error("give a revision or --staged, not both")
    try:
        document = read_plan_json(plan_json) if plan_json else None
        change = load_change(repo, rev, staged)
    except (ChangeError, PlanJsonError) as exc:
        return error(str(exc))
    try:
        plan = build_plan(change, document)
    finally:
        change.close()
    use_color = color == "always" or (color == "auto" and output is None and sys.stdout.isatty())
    text = render(plan, format, use_color)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


@app.command("apply")
@exits
def apply_command(
    rev: Annotated[str, typer.Argument(help="The commit (or REV1..REV2) to undo.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    checkout: Annotated[
        bool, typer.Option("--checkout", help="Switch to the new branch afterwards.")
    ] = False,
    branch: Annotated[
        str | None, typer.Option("--branch", help="Name of the branch to create.")
    ] = None,
    repo: RepoOption = Path(),
) -> int:
    """Show the rollback plan, then create a local branch holding the revert commit(s). Never
    pushes and never runs terraform; your work tree and current branch are left as they are."""
    from copilot.report.rollback import render
    from copilot.rollback.build import build_plan
    from copilot.rollback.history import ChangeError, load_change
    from copilot.rollback.revert import branch_name, check_clean, create_revert_branch

    try:
        change = load_change(repo, rev, staged=False)
    except ChangeError as exc:
        return error(str(exc))
    try:
        check_clean(change.repo)
        plan = build_plan(change)
        sys.stdout.write(render(plan, "text", sys.stdout.isatty()))
        name = branch or branch_name(change.commits)
        if not yes:
            if not sys.stdin.isatty():
                return error("no terminal to confirm in: pass --yes to create the branch")
            if not typer.confirm(f"Create the local branch {name} with the revert?", default=False):
                print("Nothing created.")
                return EXIT_OK
        original = (
            change.repo.active_branch.name
            if not change.repo.head.is_detached
            else change.repo.head.commit.hexsha[:12]
        )
        created = create_revert_branch(change.repo, change.commits, name)
        if checkout:
            change.repo.git.checkout(created)
            print(f"Created {created} with the revert, and switched to it.")
        else:
            print(f"Created {created} with the revert; you are still on {original}.")
        print(
            f"Nothing was pushed. When ready: git push -u origin {created}, then open a pull request."
        )
        return EXIT_OK
    except ChangeError as exc:
        return error(str(exc))
    finally:
        change.close()


__all__ = ["EXIT_ERROR", "app"]
