"""The one-line summary every output ends with (on stderr for machine-readable formats)."""

from __future__ import annotations

from collections import Counter

from copilot.findings.model import Finding


def summary_line(findings: list[Finding], files: int, suppressed: int, baselined: int) -> str:
    if not findings:
        head = f"No findings in {files} file{'s' if files != 1 else ''}"
    else:
        counts = Counter(f.severity for f in findings)
        parts = [f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True)]
        head = (
            f"{len(findings)} finding{'s' if len(findings) != 1 else ''} "
            f"({', '.join(parts)}) in {files} file{'s' if files != 1 else ''}"
        )
    extras = []
    if suppressed:
        extras.append(f"{suppressed} suppressed inline")
    if baselined:
        extras.append(f"{baselined} in the baseline")
    return head + (f"; {', '.join(extras)}" if extras else "") + "."
