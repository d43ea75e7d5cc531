"""GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding."""

from __future__ import annotations

from copilot.findings.model import Finding, Severity

_COMMAND = {
    Severity.INFO: "notice",
    Severity.LOW: "notice",
    Severity.MEDIUM: "warning",
    Severity.HIGH: "error",
    Severity.CRITICAL: "error",
}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        loc = f.location
        props = ",".join(
            [
                f"file={_escape_property(loc.path)}",
                f"line={loc.line}",
                f"col={loc.column}",
                f"endLine={loc.end_line}",
                f"title={_escape_property(f'{f.rule_id} {f.title}')}",
            ]
        )
        lines.append(f"::{_COMMAND[f.severity]} {props}::{_escape_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
