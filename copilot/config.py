"""User configuration: `[tool.devops-copilot]` in pyproject.toml, or `.devops-copilot.yaml`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.findings.model import Severity

CONFIG_NAMES = (".devops-copilot.yaml", ".devops-copilot.yml", "pyproject.toml")

_KEYS: dict[str, type | tuple[type, ...]] = {
    "rules": list,
    "select": list,
    "ignore": list,
    "severity": dict,
    "required-tags": list,
    "skip-paths": list,
    "fail-on": str,
    "baseline": str,
    "rule-params": dict,
    "risk-bands": dict,
}


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: Path | None = None
    rule_dirs: list[Path] = field(default_factory=list)
    select: list[str] = field(default_factory=list)  # ids or prefixes; empty = all
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    required_tags: list[str] | None = None
    skip_paths: list[str] = field(default_factory=list)
    fail_on: Severity | None = None
    baseline: Path | None = None
    rule_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    risk_bands: dict[str, float] = field(
        default_factory=dict
    )  # medium, high: probability thresholds

    def rule_enabled(self, rule_id: str) -> bool:
        if _matches(rule_id, self.ignore):
            return False
        return not self.select or _matches(rule_id, self.select)


def _matches(rule_id: str, patterns: list[str]) -> bool:
    """`TF-AWS-001` matches itself; `TF-AWS-*` matches every AWS rule."""
    return any(rule_id == p or (p.endswith("*") and rule_id.startswith(p[:-1])) for p in patterns)


def find_config(start: Path) -> Path | None:
    start = start.resolve()
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and "[tool.devops-copilot" not in candidate.read_text(
                encoding="utf-8", errors="replace"
            ):
                continue
            return candidate
        if (folder / ".git").exists():
            break
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        section = data.get("tool", {}).get("devops-copilot", {})
    else:
        import yaml

        try:
            section = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else str(path)
            raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return section


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    data = _read(path)
    for key, value in data.items():
        expected = _KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"{path}: unknown option {key!r} (known: {known})")
        if not isinstance(value, expected):
            raise ConfigError(
                f"{path}: {key}: expected a {getattr(expected, '__name__', expected)}"
            )
    base = path.parent
    try:
        severity = {str(k): Severity.parse(str(v)) for k, v in data.get("severity", {}).items()}
        fail_on = Severity.parse(data["fail-on"]) if "fail-on" in data else None
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return Config(
        path=path,
        rule_dirs=[base / str(d) for d in data.get("rules", [])],
        select=[str(s) for s in data.get("select", [])],
        ignore=[str(s) for s in data.get("ignore", [])],
        severity=severity,
        required_tags=[str(t) for t in data["required-tags"]] if "required-tags" in data else None,
        skip_paths=[str(s) for s in data.get("skip-paths", [])],
        fail_on=fail_on,
        baseline=base / str(data["baseline"]) if "baseline" in data else None,
        rule_params=_rule_params(path, data.get("rule-params", {})),
        risk_bands=_bands(path, data.get("risk-bands", {})),
    )


def _bands(path: Path, data: dict[str, Any]) -> dict[str, float]:
    bands = {str(k): v for k, v in data.items()}
    unknown = set(bands) - {"medium", "high"}
    if unknown or not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in bands.values()):
        raise ConfigError(
            f"{path}: risk-bands: give medium and high as probabilities between 0 and 1"
        )
    if "medium" in bands and "high" in bands and bands["medium"] > bands["high"]:
        raise ConfigError(f"{path}: risk-bands: medium must not be above high")
    return {k: float(v) for k, v in bands.items()}


def _rule_params(path: Path, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    for rule_id, params in data.items():
        if not isinstance(params, dict):
            raise ConfigError(f"{path}: rule-params.{rule_id}: expected a mapping of parameters")
    return {str(k): dict(v) for k, v in data.items()}
