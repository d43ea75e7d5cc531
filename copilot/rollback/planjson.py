"""An exact rollback from the forward plan: `terraform show -json tfplan`.

Each resource change's `change.actions` says what the forward apply does; its rollback is the
inverse: create -> delete, delete -> create (empty), update -> update back, a replacement
(["delete","create"] or create-before-destroy ["create","delete"]) -> another replacement, forget
-> import. `read` and `no-op` need nothing. `replace_paths` and `action_reason` say why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from copilot.rollback.inventory import Item
from copilot.rollback.plan import SOURCE_PLAN, Plan, Step, _verify, blockers, order, stateful


class PlanJsonError(Exception):
    pass


def read_plan_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanJsonError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise PlanJsonError(f"{path}: not JSON: {exc}") from None
    if not isinstance(document, dict) or "format_version" not in document:
        raise PlanJsonError(f"{path}: not `terraform show -json` output (no format_version)")
    if not isinstance(document.get("resource_changes", []), list):
        raise PlanJsonError(f"{path}: resource_changes must be a list")
    return document


def _paths(replace_paths: Any) -> list[str]:
    out = []
    for path in replace_paths or []:
        if isinstance(path, list):
            out.append(".".join(str(p) for p in path))
    return out


def _changed(before: Any, after: Any) -> list[str]:
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def plan_from_json(document: dict[str, Any], change: str, config: dict[str, Item]) -> Plan:
    plan = Plan(change=change, source=SOURCE_PLAN)
    for rc in document.get("resource_changes", []):
        if rc.get("mode") == "data":
            continue
        address = str(rc.get("address", ""))
        type_ = str(rc.get("type", ""))
        actions = list((rc.get("change") or {}).get("actions", []))
        before = (rc.get("change") or {}).get("before")
        after = (rc.get("change") or {}).get("after")
        reason = rc.get("action_reason", "")
        item = config.get(address)
        path, line = (item.path, item.line) if item else ("", 0)
        what = stateful().get(type_)
        if actions == ["create"]:
            step = Step(
                "destroy",
                address,
                type_,
                path,
                line,
                "created by the plan",
                stateful=bool(what),
                data_loss=f"destroying it loses its {what}" if what else "",
                blockers=blockers(item) if item else [],
            )
        elif actions == ["delete"]:
            step = Step(
                "recreate",
                address,
                type_,
                path,
                line,
                "deleted by the plan"
                + (f" ({reason})" if reason else "")
                + ": reverting creates a new, empty one",
                stateful=bool(what),
                data_loss=f"its {what} go with the forward apply; only a restore brings them back"
                if what
                else "",
            )
        elif actions == ["update"]:
            step = Step(
                "update",
                address,
                type_,
                path,
                line,
                "updated in place by the plan; goes back in place",
                attributes=_changed(before, after),
            )
        elif sorted(actions) == ["create", "delete"]:
            replaced = _paths((rc.get("change") or {}).get("replace_paths"))
            order_note = (
                "create-before-destroy"
                if actions == ["create", "delete"]
                else "destroy-then-create"
            )
            step = Step(
                "replace",
                address,
                type_,
                path,
                line,
                f"replaced by the plan ({order_note}"
                + (f", {reason}" if reason else "")
                + "): reverting replaces it again",
                attributes=_changed(before, after),
                replaced_by=replaced,
                stateful=bool(what),
                data_loss=f"each replacement loses its {what}" if what else "",
                blockers=blockers(item) if item else [],
            )
        elif actions == ["forget"]:
            step = Step(
                "import",
                address,
                type_,
                path,
                line,
                "forgotten by the plan (removed from state, still exists): `terraform import` it back",
            )
        else:  # no-op, read
            continue
        step.verify = _verify(step)
        plan.steps.append(step)
    order(plan, config, config)
    return plan
