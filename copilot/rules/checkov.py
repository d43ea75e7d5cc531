"""Run checkov beside us (never inside us) and turn its results into our findings.

checkov installs its own fork of python-hcl2 under the import name `hcl2`, so it can never share
our environment: it runs as a separate process from its own (pipx, a virtual environment, or
--checkov PATH), and we read its JSON. Its open-source edition gives no severity, so ours comes
from rules/_checkov/severity.yaml; its block line ranges are narrowed to the attribute it
evaluated where we can find it; and results our own rules already report (through the checkov ids
they declare) are dropped.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from copilot.findings.model import Category, Finding, Location, Severity
from copilot.parse.discover import display_path
from copilot.parse.hcl import Block, parse_hcl
from copilot.parse.source import SourceError, SourceFile
from copilot.parse.yamlsafe import SAFE_LOADER
from copilot.resources import data_dir
from copilot.rules.model import Rule

FRAMEWORKS = ("terraform", "github_actions", "gitlab_ci")
TIMEOUT = 1800


class CheckovError(Exception):
    pass


def find_checkov(explicit: Path | None) -> str:
    if explicit is not None:
        if not explicit.is_file():
            raise CheckovError(f"--checkov {explicit}: no such file")
        return str(explicit)
    found = shutil.which("checkov")
    if found is None:
        raise CheckovError(
            "--with-checkov: checkov is not installed. Install it in an environment of its own "
            "(`pipx install checkov`, or `python3 -m venv ~/.checkov && ~/.checkov/bin/pip install "
            "checkov`) and put it on PATH or pass --checkov PATH; it cannot be installed next to "
            "devops-copilot (it ships its own `hcl2` module)."
        )
    return found


def run(executable: str, targets: list[Path]) -> list[dict[str, Any]]:
    """checkov's failed checks for the targets, each with the framework it came from."""
    command = [
        executable,
        "-o",
        "json",
        "--quiet",
        "--soft-fail",
        "--skip-download",
        "--framework",
        *FRAMEWORKS,
    ]
    for target in targets:
        command += ["-d" if target.is_dir() else "-f", str(target)]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CheckovError(f"cannot run checkov: {exc}") from None
    try:
        document = json.loads(result.stdout or "[]")
    except ValueError:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise CheckovError(
            f"checkov did not print JSON (exit {result.returncode}): {detail[0]}"
        ) from None
    reports = document if isinstance(document, list) else [document]
    failed: list[dict[str, Any]] = []
    for report in reports:
        if not isinstance(report, dict):
            continue
        for check in (report.get("results") or {}).get("failed_checks", []):
            failed.append({**check, "check_type": report.get("check_type", "")})
    return failed


@cache
def severity_table() -> dict[str, Any]:
    path = data_dir("rules") / "_checkov" / "severity.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return data if isinstance(data, dict) else {}


def severity_of(check_id: str, name: str) -> Severity:
    table = severity_table()
    if check_id in table.get("ids", {}):
        return Severity.parse(table["ids"][check_id])
    for pattern in table.get("patterns", []):
        if re.search(pattern["match"], name):
            return Severity.parse(pattern["severity"])
    return Severity.parse(table.get("default", "medium"))


def _block_at(source: SourceFile, line: int) -> Block | None:
    try:
        parsed = parse_hcl(source)
    except SourceError:
        return None
    return next((b for b in parsed.blocks if source.line_col(b.start)[0] == line), None)


def _narrow(block: Block, keys: Iterable[str]) -> tuple[int, int, str] | None:
    """The span of the first evaluated key written in the block (`a/[0]/b` is nested `a.b`)."""
    for key in keys:
        parts = [p for p in key.split("/") if not (p.startswith("[") and p.endswith("]"))]
        node = block
        for part in parts[:-1]:
            nested = [b for b in node.blocks if b.type == part]
            if not nested:
                break
            node = nested[0]
        else:
            attr = node.attributes.get(parts[-1]) if parts else None
            if attr is not None:
                return attr.expr.start, attr.expr.end, f"checkov evaluated `{key}`"
    return None


def _location(check: dict[str, Any], sources: dict[str, SourceFile]) -> tuple[Location, str]:
    path = display_path(Path(check.get("file_abs_path") or check.get("repo_file_path", "")))
    first, last = (check.get("file_line_range") or [1, 1])[:2]
    source = sources.get(path)
    if source is None:
        try:
            source = SourceFile.read(Path(path), path)
        except SourceError:
            return Location(path, 0, 0, first, 1, last, 1), path
    start = source.offset(first)
    end = source.offset(first) + len(source.line_text(first))
    label = ""
    if check.get("check_type") == "terraform":
        block = _block_at(source, first)
        keys = (check.get("check_result") or {}).get("evaluated_keys") or []
        narrowed = _narrow(block, keys) if block is not None else None
        if narrowed is not None:
            start, end, label = narrowed
    line, column = source.line_col(start)
    end_line, end_column = source.line_col(end)
    return Location(path, start, end, line, column, end_line, end_column, label), path


def to_findings(
    checks: list[dict[str, Any]],
    sources: dict[str, SourceFile],
    ours: list[Finding],
    rules: list[Rule],
) -> list[Finding]:
    """checkov's results as findings, minus what our rules already report."""
    declared = {r.id: r.checkov_ids for r in rules}
    covered: set[tuple[str, str, str]] = set()
    covered_lines: dict[tuple[str, str], list[int]] = {}
    for finding in ours:
        for check_id in declared.get(finding.rule_id, ()):
            covered.add((check_id, finding.location.path, finding.subject))
            covered_lines.setdefault((check_id, finding.location.path), []).append(
                finding.location.line
            )
    out: list[Finding] = []
    seen: set[tuple[str, str, int]] = set()
    for check in checks:
        check_id = str(check.get("check_id", ""))
        name = str(check.get("check_name", check_id))
        resource = str(check.get("resource", ""))
        location, path = _location(check, sources)
        first, last = (check.get("file_line_range") or [location.line, location.line])[:2]
        if (check_id, path, resource) in covered or any(
            first <= line <= last for line in covered_lines.get((check_id, path), [])
        ):
            continue
        key = (check_id, path, location.start)
        if key in seen:
            continue
        seen.add(key)
        guideline = check.get("guideline") or ""
        out.append(
            Finding(
                rule_id=check_id,
                title=name,
                message=f"`{resource}`: {name} (checkov)"
                + (f" See {guideline}" if guideline else ""),
                severity=severity_of(check_id, name),
                category=Category.SECURITY,
                location=location,
                subject=resource,
            )
        )
    return out


def with_block_lines(findings: list[Finding], sources: dict[str, SourceFile]) -> list[Finding]:
    """Give checkov findings the block lines our inline suppressions look at."""
    out = []
    for finding in findings:
        source = sources.get(finding.location.path)
        block = _block_at(source, finding.location.line) if source is not None else None
        if block is not None:
            lines = (source.line_col(block.start)[0], source.line_col(block.end)[0])  # type: ignore[union-attr]
            finding = replace(finding, block_lines=lines)
        out.append(finding)
    return out
