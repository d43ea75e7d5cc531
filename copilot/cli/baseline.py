"""`devops-copilot baseline create`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copilot.cli.common import CommandError, ConfigError, error, exits, read_config, read_rules

app = typer.Typer(
    help="Record existing findings so that only new ones fail CI.", no_args_is_help=True
)


@app.command("create")
@exits
def create(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to review (default: .).")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Baseline file to write.")] = Path(
        ".devops-copilot-baseline.json"
    ),
    rules_dirs: Annotated[
        list[Path] | None, typer.Option("--rules", help="A folder of extra rule files.")
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Configuration file to use.")
    ] = None,
) -> int:
    """Review PATHS and write every current finding to a baseline file."""
    from copilot.findings import baseline
    from copilot.pipeline import run_review

    targets = paths or [Path()]
    try:
        config = read_config(config_file, targets)
        result = run_review(targets, read_rules(config, rules_dirs or []), config)
        if result.missing_paths:
            return error(f"no such file or folder: {', '.join(result.missing_paths)}")
        count = baseline.create(result.findings, output)
    except (CommandError, ConfigError) as exc:
        return error(str(exc))
    except OSError as exc:
        return error(f"{output}: cannot write baseline: {exc.strerror or exc}")
    print(f"Wrote {count} finding{'s' if count != 1 else ''} to {output}.")
    print(f"Use it with: devops-copilot review --baseline {output}")
    return 0
