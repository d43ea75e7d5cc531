"""`devops-copilot rules list|explain`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from copilot.cli.common import CommandError, ConfigError, error, exits, read_config, read_rules
from copilot.rules.model import Rule

app = typer.Typer(help="List and explain the rules.", no_args_is_help=True)


def _rules(rules_dirs: list[Path] | None) -> list[Rule] | int:
    """The rules, or the exit code of the error that stopped loading them."""
    try:
        return read_rules(read_config(None, []), rules_dirs or [])
    except (CommandError, ConfigError) as exc:
        return error(str(exc))


@app.command("list")
@exits
def list_rules(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    rules_dirs: Annotated[
        list[Path] | None, typer.Option("--rules", help="A folder of extra rule files.")
    ] = None,
) -> int:
    """List every rule with its id, severity, category, references and whether it has a fix."""
    rules = _rules(rules_dirs)
    if isinstance(rules, int):
        return rules
    if format == "json":
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "title": r.title,
                "severity": r.severity.label,
                "category": r.category,
                "target": {
                    "kind": list(r.target.kinds),
                    "block": list(r.target.blocks),
                    "types": list(r.target.types),
                },
                "references": list(r.references),
                "checkov": list(r.checkov_ids),
                "fix": r.fix is not None,
            }
            for r in rules
        ]
        print(json.dumps(rows, indent=2))
        return 0
    if format != "text":
        return error(f"--format: expected text or json, got {format!r}")
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("id", "severity", "category", "title", "checkov", "fix"):
        table.add_column(column)
    for r in rules:
        table.add_row(
            r.id,
            r.severity.label,
            r.category,
            r.title,
            ", ".join(r.checkov_ids),
            "yes" if r.fix else "",
        )
    Console(highlight=False, soft_wrap=True).print(table)
    print(f"\n{len(rules)} rules")
    return 0


@app.command("explain")
@exits
def explain(
    rule_id: Annotated[str, typer.Argument(help="A rule id, such as TF-AWS-001, or its name.")],
    rules_dirs: Annotated[
        list[Path] | None, typer.Option("--rules", help="A folder of extra rule files.")
    ] = None,
) -> int:
    """Print a rule's full text: what it flags, why, and how to fix it."""
    rules = _rules(rules_dirs)
    if isinstance(rules, int):
        return rules
    wanted = rule_id.strip()
    rule = next(
        (r for r in rules if wanted in (r.id, r.name) or r.id.lower() == wanted.lower()), None
    )
    if rule is None:
        return error(f"no rule {rule_id!r}; `devops-copilot rules list` shows them all")
    types = ", ".join(rule.target.types) or "any"
    print(f"{rule.id} ({rule.name}): {rule.title}")
    print(
        f"severity: {rule.severity.label}   category: {rule.category}   applies to: {'/'.join(rule.target.kinds)} {'/'.join(rule.target.blocks)} {types}"
    )
    print()
    print(rule.rationale)
    if rule.references:
        print("\nReferences:")
        for ref in rule.references:
            print(f"  - {ref}")
    return 0
