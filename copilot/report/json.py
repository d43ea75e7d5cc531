from __future__ import annotations

import json
from typing import Any

from copilot import __version__
from copilot.findings.model import Finding
from copilot.rules.model import Rule


def finding_dict(finding: Finding, rule: Rule | None) -> dict[str, Any]:
    loc = finding.location
    return {
        "rule_id": finding.rule_id,
        "title": finding.title,
        "severity": finding.severity.label,
        "category": finding.category,
        "message": finding.message,
        "subject": finding.subject,
        "location": {
            "path": loc.path,
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line,
            "end_column": loc.end_column,
            "label": loc.label,
        },
        "references": list(rule.references) if rule else [],
        "fix": _fix(finding),
    }


def _fix(finding: Finding) -> dict[str, Any] | None:
    fix = finding.fix
    if fix is None:
        return None
    return {
        "title": fix.title,
        "applicability": fix.applicability.label,
        "note": fix.note,
        "edits": [{"start": e.start, "end": e.end, "text": e.text} for e in fix.edits],
    }


def render(findings: list[Finding], rules: dict[str, Rule], summary: dict[str, Any]) -> str:
    document = {
        "tool": {"name": "devops-copilot", "version": __version__},
        "summary": summary,
        "findings": [finding_dict(f, rules.get(f.rule_id)) for f in findings],
    }
    return json.dumps(document, indent=2) + "\n"
