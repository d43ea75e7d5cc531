"""Read rule files (one YAML document per rule) and turn them into `Rule` values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from copilot import cache
from copilot.findings.model import Category, Severity
from copilot.parse.yamlsafe import SAFE_LOADER
from copilot.resources import data_dir
from copilot.rules.conditions import ConditionError, compile_condition
from copilot.rules.model import Rule, Target


class RuleError(Exception):
    """A rule file that cannot be used; the message names the file and the key."""


def rule_files(directory: Path) -> list[Path]:
    """Rule files under `directory`; folders whose name starts with "_" hold data, not rules."""
    return sorted(
        p
        for p in directory.rglob("*.y*ml")
        if p.suffix in (".yaml", ".yml")
        and not any(part.startswith("_") for part in p.relative_to(directory).parts[:-1])
    )


def read_rule_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RuleError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise RuleError(f"{path}: a rule file must hold one mapping")
    return data


def validate_rule_data(data: dict[str, Any], path: Path) -> None:
    """Check a rule file against rules/rule.schema.json, naming the file and the key."""
    import jsonschema

    schema = json.loads((data_dir("rules") / "rule.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise RuleError(f"{path}: {key}: {error.message}")


def _tuple(value: Any) -> tuple[str, ...]:
    return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)


def _check_fix(fix: Any, path: Path) -> None:
    from copilot.fixes.model import Applicability
    from copilot.rules.fixers import FIXERS, FORMS

    if not isinstance(fix, dict):
        raise RuleError(f"{path}: fix: must be a mapping")
    forms = [f for f in FORMS if f in fix]
    if "fixer" not in fix and len(forms) != 1:  # a fixer takes the other keys as parameters
        raise RuleError(f"{path}: fix: needs exactly one of {', '.join(FORMS)}")
    if "fixer" in fix and fix["fixer"] not in FIXERS:
        raise RuleError(f"{path}: fix.fixer: no fixer named {fix['fixer']!r} exists")
    try:
        Applicability.parse(str(fix.get("applicability", "unsafe")))
    except ValueError as exc:
        raise RuleError(f"{path}: fix.applicability: {exc}") from None


def build_rule(data: dict[str, Any], path: Path, checks: dict[str, Any]) -> Rule:
    try:
        target_data = data["target"]
        types = target_data.get("resource", target_data.get("type", ()))
        target = Target(
            kinds=_tuple(target_data["kind"]),
            blocks=_tuple(target_data.get("block", "resource")),
            types=_tuple(types),
        )
        category = data["category"]
        if category not in Category.ALL:
            raise RuleError(f"{path}: category: must be one of {', '.join(Category.ALL)}")
        check = data.get("check")
        if check is not None and check not in checks:
            raise RuleError(f"{path}: check: no check named {check!r} exists")
        if check is None and "when" not in data:
            raise RuleError(f"{path}: a rule needs `when` or `check`")
        when = compile_condition(data["when"]) if "when" in data else None
        fix = data.get("fix")
        if fix is not None:
            _check_fix(fix, path)
        return Rule(
            id=str(data["id"]),
            name=str(data["name"]),
            title=str(data["title"]),
            severity=Severity.parse(str(data["severity"])),
            category=category,
            target=target,
            message=str(data["message"]),
            rationale=str(data["rationale"]).strip(),
            when=when,
            check=check,
            params=dict(data.get("params") or {}),
            references=tuple(str(r) for r in data.get("references", ())),
            fix=fix,
            path=str(path),
        )
    except KeyError as exc:
        raise RuleError(f"{path}: missing required key {exc.args[0]!r}") from None
    except (ConditionError, ValueError) as exc:
        raise RuleError(f"{path}: {exc}") from None


def _folder_data(directory: Path, validate: bool) -> list[tuple[Path, dict[str, Any]]]:
    """Every rule file of a folder, read (and validated) once, then served from the cache
    until a file is added, removed or changed."""
    paths = rule_files(directory)
    try:
        stamp = [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths]
    except OSError:
        stamp = None
    key = cache.digest(directory.resolve(), validate, stamp) if stamp is not None else ""
    cached = cache.read("rules", key) if key else None
    if isinstance(cached, list):
        return [(Path(path), data) for path, data in cached]
    loaded = []
    for path in paths:
        data = read_rule_file(path)
        if validate:
            validate_rule_data(data, path)
        loaded.append((path, data))
    if key:
        cache.write("rules", key, [(str(path), data) for path, data in loaded])
    return loaded


def load_rules(
    extra_dirs: list[Path] | None = None, *, validate_builtin: bool = False
) -> list[Rule]:
    """The shipped rules, then each extra folder's (validated against the schema)."""
    from copilot.rules.checks import CHECKS

    rules: list[Rule] = []
    seen: dict[str, str] = {}
    sources = [(data_dir("rules"), validate_builtin)] + [(d, True) for d in extra_dirs or []]
    for directory, validate in sources:
        if not directory.is_dir():
            raise RuleError(f"{directory}: rule folder does not exist")
        for path, data in _folder_data(directory, validate):
            rule = build_rule(data, path, CHECKS)
            if rule.id in seen:
                raise RuleError(f"{path}: rule id {rule.id} is already defined in {seen[rule.id]}")
            seen[rule.id] = str(path)
            rules.append(rule)
    return rules
