"""A rule as declared in a YAML file under rules/."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from copilot.findings.model import Severity


@dataclass(frozen=True)
class Target:
    """What a rule looks at. `block` is the Terraform block kind; `types` its first label."""

    kinds: tuple[str, ...]  # terraform | github-workflow | github-action | gitlab-ci
    blocks: tuple[str, ...] = ("resource",)  # terraform: resource, data...; pipelines: job, step...
    types: tuple[str, ...] = ()  # resource types; for steps, the actions used

    @property
    def kind(self) -> str:
        return self.kinds[0]

    @property
    def block(self) -> str:
        return self.blocks[0]

    def matches(self, family: str, block: str, type_: str) -> bool:
        return (
            family in self.kinds
            and block in self.blocks
            and (not self.types or type_ in self.types)
        )


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    severity: Severity
    category: str
    target: Target
    message: str
    rationale: str
    when: Any = None  # compiled condition (copilot.rules.conditions.Condition)
    check: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    fix: dict[str, Any] | None = None
    path: str = ""

    @property
    def checkov_ids(self) -> tuple[str, ...]:
        return tuple(r.split(":", 1)[1] for r in self.references if r.startswith("checkov:"))

    @property
    def links(self) -> tuple[str, ...]:
        return tuple(r for r in self.references if not r.startswith("checkov:"))

    @property
    def help_uri(self) -> str:
        return self.links[0] if self.links else ""
