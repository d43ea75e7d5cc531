"""Turning a finding into a Fix: declared as data in the rule (`replace`, `set`, `append`), or by a
named Python fixer (`fixer: name`), registered here so that a missing name fails at load time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from copilot.fixes.model import Applicability, Fix
from copilot.fixes.render import RenderError
from copilot.rules.checks.base import Hit
from copilot.rules.fixers import github, gitlab, hcl, yaml_edits

FixerFn = Callable[[Any, Hit, dict[str, Any]], Fix | None]

FIXERS: dict[str, FixerFn] = {
    "s3_companion": hcl.s3_companion,
    "narrow_open_cidr": hcl.narrow_open_cidr,
    "move_expression_to_env": github.move_expression_to_env,
    "pin_action": github.pin_action,
    "move_to_current_major": github.move_to_current_major,
    "github_output_file": github.github_output_file,
    "gitlab_rules_from_only": gitlab.rules_from_only,
}

FORMS = ("replace", "set", "append", "fixer")


def build_fix(obj: Any, hit: Hit, spec: dict[str, Any], params: dict[str, Any]) -> Fix | None:
    """The Fix a rule's `fix:` describes for one hit, or None when it does not apply here."""
    applicability = Applicability.parse(str(spec.get("applicability", "unsafe")))
    title = str(spec.get("title", "Apply the suggested change"))
    note = str(spec.get("note", ""))
    try:
        if "fixer" in spec:
            fix = FIXERS[spec["fixer"]](obj, hit, {**params, **spec})
        elif obj.family == "terraform":
            fix = hcl.declared(obj, hit, spec)
        else:
            fix = yaml_edits.declared(obj, hit, spec)
    except RenderError:
        return None  # a template that does not fit this finding: no fix rather than a crash
    if fix is None:
        return None
    return Fix(
        title=fix.title or title,
        edits=fix.edits,
        applicability=min(fix.applicability, applicability),
        note=fix.note or note,
    )
