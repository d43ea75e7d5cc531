"""Inline suppressions: `# devops-copilot:ignore[RULE-ID] reason`.

A suppression applies to a finding when it sits on the finding's line, in the comment lines right
above that line, in the comment lines right above the enclosing block, or on a comment line inside
that block. `ignore[A,B]` names rules; a bare `ignore` silences every rule there. checkov's
`checkov:skip=CKV_AWS_20:reason` is honoured for rules that declare that checkov id, so existing
suppressions keep working when a team moves over.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from copilot.findings.model import Finding
from copilot.parse.source import SourceFile

_IGNORE = re.compile(r"devops-copilot:\s*ignore(?:\[([^\]]*)\])?(.*)")
_CHECKOV = re.compile(r"checkov:skip=([A-Z0-9_]+)")
_COMMENT_START = ("#", "//", "/*", "*")

ALL = "*"


def directives(source: SourceFile) -> dict[int, set[str]]:
    """Line number -> rule ids (or ALL) suppressed by a comment on that line."""
    found: dict[int, set[str]] = {}
    if "devops-copilot:" not in source.text and "checkov:skip" not in source.text:
        return found
    for number in range(1, source.line_count + 1):
        line = source.line_text(number)
        match = _IGNORE.search(line)
        if match:
            ids = match.group(1)
            names = {i.strip() for i in ids.split(",") if i.strip()} if ids is not None else {ALL}
            found.setdefault(number, set()).update(names)
        for checkov in _CHECKOV.finditer(line):
            found.setdefault(number, set()).add("checkov:" + checkov.group(1))
    return found


def _is_comment_line(source: SourceFile, number: int) -> bool:
    return source.line_text(number).lstrip().startswith(_COMMENT_START)


def _comment_group_above(source: SourceFile, number: int) -> range:
    first = number
    while first > 1 and _is_comment_line(source, first - 1):
        first -= 1
    return range(first, number)


def _candidate_lines(source: SourceFile, finding: Finding) -> set[int]:
    line = finding.location.line
    lines = {line, *_comment_group_above(source, line)}
    block_start, block_end = finding.block_lines
    if block_start:
        lines.update(_comment_group_above(source, block_start))
        lines.add(block_start)
        lines.update(n for n in range(block_start, block_end + 1) if _is_comment_line(source, n))
    return lines


def _names(finding: Finding, checkov_ids: Iterable[str]) -> set[str]:
    return {finding.rule_id, ALL, *("checkov:" + c for c in checkov_ids)}


def apply_suppressions(
    findings: list[Finding], sources: dict[str, SourceFile], checkov_ids: dict[str, tuple[str, ...]]
) -> list[Finding]:
    """Mark each suppressed finding with the line of the comment that suppresses it."""
    cache: dict[str, dict[int, set[str]]] = {}
    out: list[Finding] = []
    for finding in findings:
        source = sources.get(finding.location.path)
        if source is None:
            out.append(finding)
            continue
        if source.path not in cache:
            cache[source.path] = directives(source)
        marks = cache[source.path]
        if not marks:  # no suppression comment in the file: nothing to look for
            out.append(finding)
            continue
        names = _names(finding, checkov_ids.get(finding.rule_id, ()))
        hit = next(
            (n for n in sorted(_candidate_lines(source, finding)) if marks.get(n, set()) & names),
            None,
        )
        out.append(replace(finding, suppressed_by=f"line {hit}") if hit else finding)
    return out
