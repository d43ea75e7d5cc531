"""`devops-copilot review [PATHS]`."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path

import typer

from copilot.cli.common import (
    exits,
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    CommandError,
    ConfigError,
    error,
    read_config,
    read_rules,
)
from copilot.findings.model import Severity


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"
    markdown = "markdown"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


@exits
def command(
    paths: list[Path] = typer.Argument(None, help="Files or folders to review (default: .)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to FILE."),
    fail_on: str | None = typer.Option(
        None, "--fail-on", help="Exit 1 on findings at or above: info, low, medium, high, critical (default: low)."
    ),
    color: Color = typer.Option(Color.auto, "--color", help="Colour the text output."),
    rules_dirs: list[Path] = typer.Option([], "--rules", help="A folder of extra rule files (repeatable)."),
    config_file: Path | None = typer.Option(None, "--config", help="Configuration file to use."),
    baseline_file: Path | None = typer.Option(None, "--baseline", help="Report only findings not in this baseline."),
    select: list[str] = typer.Option([], "--select", help="Only these rule ids (or prefixes ending in *)."),
    ignore: list[str] = typer.Option([], "--ignore", help="Skip these rule ids (or prefixes ending in *)."),
) -> int:
    """Review Terraform files and report findings."""
    targets = paths or [Path(".")]
    try:
        return _review(targets, format, output, fail_on, color, rules_dirs, config_file, baseline_file, select, ignore)
    except (CommandError, ConfigError) as exc:
        return error(str(exc))


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
    config.select = select or config.select
    config.ignore = [*config.ignore, *ignore]
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


def _render(fmt: Format, findings, rules, result, summary: str, color: bool | None) -> str:  # type: ignore[no-untyped-def]
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

        return sarif.render(findings, rules)
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
