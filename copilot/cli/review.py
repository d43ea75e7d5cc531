"""`devops-copilot review [PATHS]`."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
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
    from copilot.config import Config
    from copilot.pipeline import ReviewResult
    from copilot.rules.model import Rule


class Format(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    gitlab = "gitlab"
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
    staged: Annotated[
        bool, typer.Option("--staged", help="Review the staged versions of the staged files.")
    ] = False,
    diff_base: Annotated[
        str | None,
        typer.Option("--diff-base", help="Report only findings on lines changed since REF."),
    ] = None,
    with_checkov: Annotated[
        bool,
        typer.Option(
            "--with-checkov", help="Also run checkov (installed separately) and merge its results."
        ),
    ] = False,
    checkov: Annotated[
        Path | None,
        typer.Option("--checkov", help="The checkov executable to use with --with-checkov."),
    ] = None,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Never show a progress bar.")
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
    from copilot.fixes import online as resolver

    # Set on every call, never left over from an earlier --online review in the same process.
    resolver.use(resolver.git_ls_remote if online else None)
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
            Scope(staged, diff_base, no_progress, with_checkov or checkov is not None, checkov),
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


@dataclass(frozen=True)
class Scope:
    """Which part of the tree to report on, and whether to show progress."""

    staged: bool = False
    diff_base: str | None = None
    no_progress: bool = False
    with_checkov: bool = False
    checkov: Path | None = None


def _staged_targets(targets: list[Path]) -> tuple[list[Path], dict[Path, str]]:
    """The staged Terraform and pipeline files (under the given paths), and their staged text."""
    from copilot.parse.discover import is_pipeline, is_terraform
    from copilot.vcs import GitError, staged_files

    start = targets[0] if targets[0].is_dir() else targets[0].parent
    try:
        staged = staged_files(start)
    except GitError as exc:
        raise CommandError(f"--staged: {exc}") from None
    roots = [Path(os.path.abspath(t)) for t in targets]
    chosen = {
        path: text
        for path, text in staged.items()
        if (
            is_terraform(path)
            or is_pipeline(path)
            or path.name.endswith((".tfvars", ".tfvars.json"))
        )
        and any(path == root or root in path.parents for root in roots)
        and path.exists()
    }
    files = [p for p in chosen if is_terraform(p) or is_pipeline(p)]
    return files, chosen


def _on_changed_lines(findings: list[Finding], base: str, start: Path) -> list[Finding]:
    from copilot.vcs import GitError, changed_lines

    try:
        changed = changed_lines(start, base)
    except GitError as exc:
        raise CommandError(f"--diff-base {base}: {exc}") from None
    kept = []
    for finding in findings:
        lines = changed.get(Path(os.path.abspath(finding.location.path)), set())
        span = set(range(finding.location.line, finding.location.end_line + 1))
        if lines is None or lines & span:
            kept.append(finding)
    return kept


def _checkov_findings(
    targets: list[Path],
    result: ReviewResult,
    rules: list[Rule],
    config: Config,
    executable_path: Path | None,
) -> list[Finding]:
    from copilot.findings.suppress import apply_suppressions
    from copilot.rules import checkov

    try:
        executable = checkov.find_checkov(executable_path)
        checks = checkov.run(executable, targets)
    except checkov.CheckovError as exc:
        raise CommandError(str(exc)) from None
    found = checkov.to_findings(checks, result.sources, result.findings + result.suppressed, rules)
    found = [
        f for f in checkov.with_block_lines(found, result.sources) if config.rule_enabled(f.rule_id)
    ]
    marked = apply_suppressions(found, result.sources, {f.rule_id: (f.rule_id,) for f in found})
    result.suppressed.extend(f for f in marked if f.suppressed_by)
    return [f for f in marked if not f.suppressed_by]


def _risk_note(targets: list[Path], staged: bool) -> None:
    """The deploy risk of the change under review, when the repository has a trained model
    (`risk train`); the default model is not used here, to keep `review` quick."""
    from copilot.risk.model import MODEL_PATH

    start = Path(os.path.abspath(targets[0] if targets else Path()))
    root = next((d for d in [start, *start.parents] if (d / ".git").exists()), None)
    if root is None or not (root / MODEL_PATH).is_file():
        return
    from copilot.risk.dataset import HistoryError, open_repository
    from copilot.risk.model import ModelError, load
    from copilot.risk.score import score_revisions

    try:
        repository = open_repository(root)
        [(commit, result)] = score_revisions(
            repository, None, staged, load(root / MODEL_PATH), False
        )[-1:]
    except (HistoryError, ModelError, ValueError):
        return
    what = "the staged change" if staged else f"HEAD ({commit.sha[:12]})"
    print(
        f"Deploy risk of {what}: {result.probability:.2f} ({result.band})"
        + (f": {'; '.join(result.reasons)}" if result.reasons else "")
    )
    if result.band == "high":
        print(
            "A rollback plan is worth a look: devops-copilot rollback plan"
            + (" --staged" if staged else "")
        )


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
    scope: Scope = Scope(),
) -> int:
    from copilot import pipeline
    from copilot.cli.progress import Bar, wanted
    from copilot.findings import baseline
    from copilot.findings.summary import summary_line

    config = read_config(config_file, targets)
    config.select = _split(select) or config.select
    config.ignore = [*config.ignore, *_split(ignore)]
    try:
        threshold = Severity.parse(fail_on) if fail_on else (config.fail_on or Severity.LOW)
    except ValueError as exc:
        raise CommandError(f"--fail-on: {exc}") from None
    rules = read_rules(config, rules_dirs)
    overlay: dict[Path, str] | None = None
    if scope.staged:
        targets, overlay = _staged_targets(targets)
    bar = Bar() if wanted(scope.no_progress) else None
    try:
        result = (
            pipeline.run_review(targets, rules, config, overlay, bar)
            if targets
            else pipeline.ReviewResult([])
        )
    finally:
        if bar is not None:
            bar.stop()
    if result.missing_paths:
        return error(f"no such file or folder: {', '.join(result.missing_paths)}")
    findings = result.findings
    if scope.with_checkov:
        findings = sorted(
            findings + _checkov_findings(targets, result, rules, config, scope.checkov),
            key=lambda f: f.sort_key,
        )
    if scope.diff_base:
        findings = _on_changed_lines(findings, scope.diff_base, Path.cwd())
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
        if fmt is Format.text:
            _risk_note(targets, scope.staged)
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
    if fmt is Format.gitlab:
        from copilot.report import gitlab

        return gitlab.render(findings)
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
