"""`devops-copilot review [PATHS]`."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from copilot.cli.common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    CommandError,
    ConfigError,
    error,
    exits,
    read_config,
    read_rules,
)
from copilot.findings.model import Finding, Severity

if TYPE_CHECKING:
    from copilot.pipeline import ReviewResult
    from copilot.rules.model import Rule


class Format(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"
    markdown = "markdown"


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


@exits
def command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to review (default: .).")
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            help="Exit 1 on findings at or above: info, low, medium, high, critical (default: low)."
        ),
    ] = None,
    color: Annotated[Color, typer.Option(help="Colour the text output.")] = Color.auto,
    rules_dirs: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="A folder of extra rule files (repeatable)."),
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Configuration file to use.")
    ] = None,
    baseline_file: Annotated[
        Path | None, typer.Option("--baseline", help="Report only findings not in this baseline.")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="Only these rule ids (or prefixes ending in *).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Skip these rule ids (or prefixes ending in *).")
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the fixes as a unified diff; change nothing.")
    ] = False,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Go through the fixes one by one and apply those you accept."),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="With --fix: apply the safe fixes without asking.")
    ] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="Also apply fixes that change behaviour.")
    ] = False,
    online: Annotated[
        bool,
        typer.Option("--online", help="Resolve action tags to commit SHAs with git ls-remote."),
    ] = False,
    exit_zero: Annotated[
        bool,
        typer.Option(
            "--exit-zero", help="Exit 0 even when there are findings (errors still exit 2)."
        ),
    ] = False,
) -> int:
    """Review Terraform, GitHub Actions and GitLab CI files and report findings."""
    targets = paths or [Path()]
    if online:
        from copilot.fixes import online as resolver

        resolver.use(resolver.git_ls_remote)
    if diff or fix:
        try:
            return _fixes(
                targets,
                diff,
                fix,
                yes,
                unsafe_fixes,
                color,
                rules_dirs or [],
                config_file,
                select or [],
                ignore or [],
            )
        except (CommandError, ConfigError) as exc:
            return error(str(exc))
    try:
        code = _review(
            targets,
            format,
            output,
            fail_on,
            color,
            rules_dirs or [],
            config_file,
            baseline_file,
            select or [],
            ignore or [],
        )
    except (CommandError, ConfigError) as exc:
        return error(str(exc))
    return EXIT_OK if exit_zero and code == EXIT_FINDINGS else code


def _fixes(
    targets: list[Path],
    diff: bool,
    fix: bool,
    yes: bool,
    unsafe: bool,
    color: Color,
    rules_dirs: list[Path],
    config_file: Path | None,
    select: list[str],
    ignore: list[str],
) -> int:
    from copilot.cli import fix as fixing

    config = read_config(config_file, targets)
    config.select = _split(select) or config.select
    config.ignore = [*config.ignore, *_split(ignore)]
    rules = read_rules(config, rules_dirs)
    use_color = _use_color(color, None) is True
    if diff:
        return fixing.show_diff(targets, rules, config, unsafe, use_color)
    if yes:
        code, _ = fixing.apply_all(targets, rules, config, unsafe)
        return code
    if not sys.stdin.isatty():
        print(
            "devops-copilot: --fix asks before each change, and there is no terminal to ask in; "
            "nothing was changed.\nUse --fix --yes to apply the safe fixes (add --unsafe-fixes for "
            "the others), or --diff to see them.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return fixing.interactive(targets, rules, config, unsafe, use_color)


def _split(values: list[str]) -> list[str]:
    """`--select A,B --select C` -> [A, B, C], as ruff users expect."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _use_color(choice: Color, output: Path | None) -> bool | None:
    if choice is Color.always:
        return True
    if choice is Color.never or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _review(
    targets: list[Path],
    fmt: Format,
    output: Path | None,
    fail_on: str | None,
    color: Color,
    rules_dirs: list[Path],
    config_file: Path | None,
    baseline_file: Path | None,
    select: list[str],
    ignore: list[str],
) -> int:
    from copilot.findings import baseline
    from copilot.pipeline import run_review
    from copilot.report.text import summary_line

    config = read_config(config_file, targets)
    config.select = _split(select) or config.select
    config.ignore = [*config.ignore, *_split(ignore)]
    try:
        threshold = Severity.parse(fail_on) if fail_on else (config.fail_on or Severity.LOW)
    except ValueError as exc:
        raise CommandError(f"--fail-on: {exc}") from None
    rules = read_rules(config, rules_dirs)
    result = run_review(targets, rules, config)
    if result.missing_paths:
        return error(f"no such file or folder: {', '.join(result.missing_paths)}")
    findings = result.findings
    baseline_path = baseline_file or config.baseline
    if baseline_path is not None:
        try:
            findings, result.baselined = baseline.split(findings, baseline_path)
        except baseline.BaselineError as exc:
            raise CommandError(str(exc)) from None
    summary = summary_line(findings, result.files, len(result.suppressed), result.baselined)
    by_id = {r.id: r for r in rules}
    text = _render(fmt, findings, by_id, result, summary, _use_color(color, output))
    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{output}: cannot write report: {exc.strerror or exc}") from None
        print(summary, file=sys.stderr)
    else:
        sys.stdout.write(text)
    failing = [f for f in findings if f.severity >= threshold]
    return EXIT_FINDINGS if failing else EXIT_OK


def _render(
    fmt: Format,
    findings: list[Finding],
    rules: dict[str, Rule],
    result: ReviewResult,
    summary: str,
    color: bool | None,
) -> str:
    if fmt is Format.json:
        from copilot.report import json as json_report

        counts = {
            "findings": len(findings),
            "files": result.files,
            "suppressed": len(result.suppressed),
            "baselined": result.baselined,
        }
        return json_report.render(findings, rules, counts)
    if fmt is Format.sarif:
        from copilot.report import sarif

        return sarif.render(findings, rules, result.sources)
    if fmt is Format.github:
        from copilot.report import github

        return github.render(findings)
    if fmt is Format.junit:
        from copilot.report import junit

        return junit.render(findings, sorted(result.sources))
    if fmt is Format.markdown:
        from copilot.report import markdown

        return markdown.render(findings, rules, summary)
    from copilot.report import text

    return text.render(findings, rules, result.sources, summary, color)


__all__ = ["EXIT_ERROR", "command"]
