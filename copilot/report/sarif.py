"""SARIF 2.1.0, as GitHub code scanning reads it.

`security-severity` (a CVSS-like score) drives code scanning's severity; `partialFingerprints`
keyed on rule, file and subject (not line) lets it track a finding across commits.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from copilot import __version__
from copilot.findings.model import Finding, Severity
from copilot.fixes.model import Applicability
from copilot.parse.source import SourceFile
from copilot.rules.model import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {
    Severity.INFO: "note",
    Severity.LOW: "note",
    Severity.MEDIUM: "warning",
    Severity.HIGH: "error",
    Severity.CRITICAL: "error",
}
_SECURITY_SEVERITY = {
    Severity.INFO: "1.0",
    Severity.LOW: "3.0",
    Severity.MEDIUM: "5.5",
    Severity.HIGH: "8.0",
    Severity.CRITICAL: "9.5",
}


def _rule_descriptor(rule_id: str, rule: Rule | None, finding: Finding) -> dict[str, Any]:
    severity = rule.severity if rule else finding.severity
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": rule.name if rule else rule_id,
        "shortDescription": {"text": rule.title if rule else finding.title},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[severity],
            "tags": [rule.category if rule else finding.category],
        },
    }
    if rule:
        descriptor["fullDescription"] = {"text": rule.rationale.split("\n\n")[0]}
        descriptor["help"] = {"text": rule.rationale, "markdown": rule.rationale}
        if rule.help_uri:
            descriptor["helpUri"] = rule.help_uri
    return descriptor


def fingerprint(finding: Finding, occurrence: int = 0) -> str:
    """Keyed on rule, file, subject and label, never on lines; `occurrence` tells apart the same
    problem twice in one subject (two injections in one step)."""
    key = f"{finding.rule_id}\0{finding.location.path}\0{finding.subject}\0{finding.location.label}"
    if occurrence:
        key += f"\0{occurrence}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def fingerprints(findings: list[Finding]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        base = fingerprint(finding)
        out.append(fingerprint(finding, seen.get(base, 0)))
        seen[base] = seen.get(base, 0) + 1
    return out


def _fixes(finding: Finding, sources: dict[str, SourceFile]) -> list[dict[str, Any]]:
    """SARIF `fixes`: replacements as regions of the original file."""
    fix, source = finding.fix, sources.get(finding.location.path)
    if fix is None or source is None or fix.applicability == Applicability.SUGGESTION:
        return []
    replacements = []
    for edit in fix.edits:
        line, column = source.line_col(edit.start)
        end_line, end_column = source.line_col(edit.end)
        replacements.append(
            {
                "deletedRegion": {
                    "startLine": line,
                    "startColumn": column,
                    "endLine": end_line,
                    "endColumn": end_column,
                },
                "insertedContent": {"text": edit.text},
            }
        )
    return [
        {
            "description": {"text": f"{fix.title} ({fix.applicability.label})"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": finding.location.path, "uriBaseId": "%SRCROOT%"},
                    "replacements": replacements,
                }
            ],
        }
    ]


def render(
    findings: list[Finding], rules: dict[str, Rule], sources: dict[str, SourceFile] | None = None
) -> str:
    order: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for finding, print_ in zip(findings, fingerprints(findings), strict=True):
        if finding.rule_id not in order:
            order[finding.rule_id] = len(descriptors)
            descriptors.append(
                _rule_descriptor(finding.rule_id, rules.get(finding.rule_id), finding)
            )
        loc = finding.location
        results.append(
            {
                "ruleId": finding.rule_id,
                "ruleIndex": order[finding.rule_id],
                "level": _LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"},
                            "region": {
                                "startLine": loc.line,
                                "startColumn": loc.column,
                                "endLine": loc.end_line,
                                "endColumn": max(loc.end_column, 1),
                            },
                        },
                        **({"message": {"text": loc.label}} if loc.label else {}),
                    }
                ],
                "partialFingerprints": {"devopsCopilot/v1": print_},
                **({"fixes": fixes} if (fixes := _fixes(finding, sources or {})) else {}),
                "properties": {"severity": finding.severity.label, "subject": finding.subject},
            }
        )
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "devops-copilot",
                        "version": __version__,
                        "informationUri": "https://github.com/devops-copilot/devops-copilot",
                        "rules": descriptors,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
