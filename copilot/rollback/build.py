"""Build the rollback plan of a change: Terraform steps, pipeline jobs, and the git revert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from copilot.parse import yamlsafe as y
from copilot.parse.pipeline import GITHUB_WORKFLOW, GITLAB_CI, family_of, load_document
from copilot.parse.source import SourceError, SourceFile
from copilot.rollback.history import Change
from copilot.rollback.inventory import inventory
from copilot.rollback.plan import PipelineChange, Plan, compare
from copilot.rollback.planjson import plan_from_json


def _jobs(root: Path, path: str) -> dict[str, str] | None:
    file = root / path
    if not file.is_file():
        return None
    try:
        source = SourceFile.read(file, path)
        document = load_document(source)
    except SourceError:
        return {}
    if document is None or document.family not in (GITHUB_WORKFLOW, GITLAB_CI):
        return {} if document is not None else None
    holder = y.get(document.root, "jobs") if document.family == GITHUB_WORKFLOW else document.root
    out = {}
    for key, value in y.items(holder):
        name = str(key.value)
        if document.family == GITLAB_CI and (
            name.startswith(".") or not isinstance(value, y.MappingNode)
        ):
            continue
        out[name] = source.text[value.start_mark.index : value.end_mark.index]
    return out


def _pipeline_changes(change: Change) -> tuple[list[PipelineChange], list[str]]:
    pipelines, others = [], []
    for path in change.changed_files:
        if path.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")):
            continue
        if family_of(path) is None and not path.endswith((".yml", ".yaml")):
            others.append(path)
            continue
        old, new = _jobs(change.before.root, path), _jobs(change.after.root, path)
        if old is None and new is None:
            others.append(path)
            continue
        status = "added" if old is None else "removed" if new is None else "changed"
        old, new = old or {}, new or {}
        if status == "changed" and not old and not new:
            others.append(path)
            continue
        pipelines.append(
            PipelineChange(
                path,
                status,
                jobs_added=sorted(set(new) - set(old)),
                jobs_removed=sorted(set(old) - set(new)),
                jobs_changed=sorted(j for j in set(old) & set(new) if old[j] != new[j]),
            )
        )
    return pipelines, others


def _revert_commands(change: Change) -> list[str]:
    if not change.commits:
        return [
            "git restore --staged . && git restore .  # the change is only staged: unstage and drop it"
        ]
    commands = []
    for commit in reversed(change.commits):
        mainline = " -m 1" if len(commit.parents) > 1 else ""
        commands.append(f"git revert{mainline} --no-edit {commit.hexsha[:12]}")
    return commands


def build_plan(change: Change, plan_json: dict[str, Any] | None = None) -> Plan:
    before, after = inventory(change.before.root), inventory(change.after.root)
    if plan_json is not None:
        plan = plan_from_json(plan_json, change.description, after)
    else:
        plan = compare(before, after, change.description)
    plan.pipelines, plan.other_files = _pipeline_changes(change)
    plan.revert = _revert_commands(change)
    if not any(
        p.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")) for p in change.changed_files
    ):
        plan.warnings.append(
            "the change touches no Terraform file: nothing to undo in the infrastructure"
        )
    return plan
