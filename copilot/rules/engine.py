"""Run rules over a loaded Terraform project and produce findings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from copilot.config import Config
from copilot.findings.model import PARSE_ERROR_ID, Category, Finding, Location, Severity
from copilot.fixes.model import Fix
from copilot.parse.source import SourceFile
from copilot.parse.terraform import LoadError, Project
from copilot.rules.checks import CHECKS, CheckContext, Hit
from copilot.rules.model import Rule

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def render_message(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def location(source: SourceFile, start: int, end: int, label: str = "") -> Location:
    line, column = source.line_col(start)
    end_line, end_column = source.line_col(max(start, end))
    return Location(source.path, start, end, line, column, end_line, end_column, label)


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    severity: Severity
    params: dict[str, Any]


def active_rules(rules: Iterable[Rule], config: Config) -> list[ActiveRule]:
    out: list[ActiveRule] = []
    for rule in rules:
        if not config.rule_enabled(rule.id):
            continue
        params = {**rule.params, **config.rule_params.get(rule.id, {})}
        if rule.check == "required_tags" and config.required_tags is not None:
            params["tags"] = config.required_tags
        out.append(ActiveRule(rule, config.severity.get(rule.id, rule.severity), params))
    return out


def _hits(active: ActiveRule, obj: Any, ctx: CheckContext) -> Iterator[Hit]:
    rule = active.rule
    if rule.when is not None:
        outcome = rule.when.evaluate(obj)
        if outcome.state is not True:
            return
        if rule.check is None:
            if outcome.match is not None:
                yield Hit(outcome.match.start, outcome.match.end, _label(outcome.match.value))
            else:
                block = outcome.missing or obj.block
                label = f"`{block.type}` has no such argument" if block is not obj.block else ""
                yield Hit(block.start, block.header_end, label, at_block=True)
            return
    assert rule.check is not None
    yield from CHECKS[rule.check](obj, ctx)


def _label(value: Any) -> str:
    if isinstance(value, bool):
        return f"set to {str(value).lower()}"
    if isinstance(value, (str, int, float)):
        text = str(value)
        return f"set to {text!r}" if len(text) <= 40 else ""
    return ""


def _finding(active: ActiveRule, obj: Any, hit: Hit) -> Finding:
    rule = active.rule
    values = {"address": obj.address, "type": obj.type, "name": obj.name, **hit.values}
    source = hit.source or obj.source
    own_file = source is obj.source
    block_lines = (
        (source.line_col(obj.block.start)[0], source.line_col(obj.block.end)[0])
        if own_file
        else (0, 0)
    )
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        message=render_message(rule.message, values),
        severity=active.severity,
        category=rule.category,
        location=location(source, hit.start, hit.end, hit.label),
        subject=obj.address,
        mask=hit.mask,
        block_lines=block_lines,
        fix=_fix_for(active, obj, hit),
    )


def _fix_for(active: ActiveRule, obj: Any, hit: Hit) -> Fix | None:
    spec = active.rule.fix
    if spec is None or hit.source is not None:
        return None  # the span is in another file (a GitLab template): one change there affects many jobs
    from copilot.rules.fixers import build_fix

    return build_fix(obj, hit, spec, active.params)


def review_project(
    project: Project, rules: list[ActiveRule], only: set[str] | None = None
) -> list[Finding]:
    """Every finding of the active Terraform rules on every object of the project.

    `only`, when given, keeps findings in those display paths (a pre-commit run names files, but
    their module is loaded whole for context).
    """
    return review_objects(project.objects(), rules, project, only)


def review_objects(
    objects: Iterable[Any],
    rules: list[ActiveRule],
    project: Project | None = None,
    only: set[str] | None = None,
) -> list[Finding]:
    """Run the rules whose target matches each object; de-duplicate by rule and span."""
    # each rule with its context, made once: its project and parameters do not change
    by_kind: dict[tuple[str, str], list[tuple[ActiveRule, CheckContext]]] = {}
    for active in rules:
        target = active.rule.target
        ctx = CheckContext(project, active.params)
        for kind in target.kinds:
            for block in target.blocks:
                by_kind.setdefault((kind, block), []).append((active, ctx))
    findings: dict[tuple[str, str, int, int], Finding] = {}
    for obj in objects:
        candidates = by_kind.get((obj.family, obj.kind))
        if not candidates or not obj.exists():
            continue
        if only is not None and obj.source.path not in only:
            continue
        for active, ctx in candidates:
            if not active.rule.target.matches(obj.family, obj.kind, obj.type):
                continue
            try:
                hits = list(_hits(active, obj, ctx))
            except Exception as exc:  # noqa: BLE001 - one rule failing on one block must not stop the scan
                hits = []
                crash = _crash_finding(active, obj, exc)
                findings.setdefault((crash.rule_id, crash.location.path, obj.block.start, 0), crash)
            for hit in hits:
                finding = _finding(active, obj, hit)
                key = (finding.rule_id, finding.location.path, hit.start, hit.end)
                findings.setdefault(key, finding)
    return sorted(findings.values(), key=lambda f: f.sort_key)


INTERNAL_ERROR_ID = "internal-error"


def _crash_finding(active: ActiveRule, obj: Any, exc: Exception) -> Finding:
    return Finding(
        rule_id=INTERNAL_ERROR_ID,
        title="A rule failed on this block",
        message=(
            f"{active.rule.id} could not check `{obj.address}`: {type(exc).__name__}: {exc}. "
            "Please report it."
        ),
        severity=Severity.INFO,
        category=Category.RELIABILITY,
        location=location(obj.source, obj.block.start, obj.block.header_end),
        subject=obj.address,
    )


def load_error_finding(error: LoadError) -> Finding:
    where = Location(error.path, 0, 0, error.line, error.column, error.line, error.column)
    return Finding(
        rule_id=PARSE_ERROR_ID,
        title="File could not be parsed",
        message=error.message,
        severity=Severity.HIGH,
        category=Category.RELIABILITY,
        location=where,
        subject=error.path,
    )


def with_severity(finding: Finding, severity: Severity) -> Finding:
    return replace(finding, severity=severity)
