"""GitLab Code Quality: the JSON a `codequality` report artifact holds.

Fields as GitLab documents them: description, check_name, fingerprint, severity (info, minor,
major, critical, blocker) and location.path with location.lines.begin.
"""

from __future__ import annotations

import json

from copilot.findings.model import Finding, Severity
from copilot.report.sarif import fingerprints

_SEVERITY = {
    Severity.INFO: "info",
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
    Severity.CRITICAL: "blocker",
}


def render(findings: list[Finding]) -> str:
    issues = [
        {
            "description": f"{f.rule_id}: {f.message}",
            "check_name": f.rule_id,
            "fingerprint": print_,
            "severity": _SEVERITY[f.severity],
            "location": {
                "path": f.location.path,
                "lines": {"begin": f.location.line, "end": f.location.end_line},
            },
        }
        for f, print_ in zip(findings, fingerprints(findings), strict=True)
    ]
    return json.dumps(issues, indent=2) + "\n"
