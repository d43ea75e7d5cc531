"""Human output: each finding with its place, source lines, the marked span, and why it matters."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.text import Text

from copilot.findings.model import Finding, Severity
from copilot.parse.source import SourceFile
from copilot.rules.model import Rule

_STYLE = {
    Severity.INFO: "dim",
    Severity.LOW: "cyan",
    Severity.MEDIUM: "yellow",
    Severity.HIGH: "bold red",
    Severity.CRITICAL: "bold white on red",
}
CONTEXT_LINES = 1
MAX_SPAN_LINES = 6


def _masked_line(source: SourceFile, number: int, finding: Finding) -> str:
    text = source.line_text(number)
    if not finding.mask:
        return text
    line_start = source.line_starts[number - 1]
    chars = list(text)
    for start, end in finding.mask:
        for offset in range(max(start, line_start), min(end, line_start + len(text))):
            if chars[offset - line_start] not in "\"'":
                chars[offset - line_start] = "*"
    return "".join(chars)


def _snippet(finding: Finding, source: SourceFile) -> Text:
    loc = finding.location
    first = max(1, loc.line - CONTEXT_LINES)
    last = min(source.line_count, max(loc.line, min(loc.end_line, loc.line + MAX_SPAN_LINES)))
    width = len(str(last))
    out = Text()
    for number in range(first, last + 1):
        line = (
            _masked_line(source, number, finding).expandtabs(4)
            if "\t" in source.line_text(number)
            else _masked_line(source, number, finding)
        )
        out.append(f" {number:>{width}} │ ", style="dim")
        out.append(line + "\n")
        if number == loc.line:
            start_col = loc.column
            end_col = loc.end_column if loc.end_line == loc.line else len(line) + 1
            marker = "^" * max(1, end_col - start_col)
            out.append(f" {'':>{width}} │ ", style="dim")
            out.append(" " * (start_col - 1) + marker, style=_STYLE[finding.severity])
            if loc.label:
                out.append(" " + loc.label, style=_STYLE[finding.severity])
            out.append("\n")
    return out


def _why(rule: Rule | None) -> str:
    if rule is None:
        return ""
    return rule.rationale.split("\n\n")[0].replace("\n", " ").strip()


def render(
    findings: list[Finding],
    rules: dict[str, Rule],
    sources: dict[str, SourceFile],
    summary: str,
    color: bool | None,
    width: int | None = None,
) -> str:
    buffer = StringIO()
    console = Console(
        file=buffer,
        force_terminal=color is True,
        no_color=color is False,
        color_system="standard" if color else None,
        highlight=False,
        width=width or 100,
        soft_wrap=True,
    )
    for finding in findings:
        loc = finding.location
        header = Text()
        header.append(f"{loc.path}:{loc.line}:{loc.column}", style="bold")
        header.append("  ")
        header.append(finding.severity.label, style=_STYLE[finding.severity])
        header.append(f"  {finding.rule_id}  ", style="magenta")
        header.append(finding.title)
        console.print(header)
        source = sources.get(loc.path)
        if source is not None and loc.end > 0:
            console.print(_snippet(finding, source), end="")
        console.print(Text("  " + finding.message))
        if finding.fix is not None:
            fix = finding.fix
            how = {
                "safe": "--fix --yes",
                "unsafe": "--fix --unsafe-fixes",
                "suggestion": "--diff shows the idea; a person fills it in",
            }
            hint = (
                f" ({how[fix.applicability.label]})"
                if fix.applicability.label != "suggestion"
                else ""
            )
            console.print(
                Text(f"  fix ({fix.applicability.label}): {fix.title}{hint}", style="green")
            )
        why = _why(rules.get(finding.rule_id))
        if why:
            console.print(Text("  why: ", style="dim") + Text(why, style="dim"))
        console.print()
    console.print(Text(summary, style="bold"))
    return buffer.getvalue()
