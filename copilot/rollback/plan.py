"""What undoing a change means for the infrastructure, step by step.

Rolling back applies the configuration as it was before the change. So what the change added is
destroyed, what it removed is created again (empty: the forward apply already destroyed it),
what it changed goes back, and Terraform replaces a resource when an argument that forces a new
resource goes back. The plan says which of these lose data, what stands in the way
(prevent_destroy, deletion protection), in which order to do them, and how to check each.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import yaml

from copilot.parse.yamlsafe import SAFE_LOADER
from copilot.resources import data_dir
from copilot.rollback.inventory import Item

SOURCE_CONFIG = "configuration diff (inferred: no plan was given)"
SOURCE_PLAN = "terraform plan JSON (exact)"


@cache
def force_new() -> dict[str, list[str]]:
    return {str(k): [str(a) for a in v or []] for k, v in _table("force-new.yaml").items()}


@cache
def stateful() -> dict[str, str]:
    return {str(k): str(v) for k, v in _table("stateful.yaml").items()}


def _table(name: str) -> dict[str, Any]:
    path = data_dir("rules") / "_rollback" / name
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}


@dataclass
class Step:
    action: str  # destroy | recreate | replace | update | move | import | none
    address: str
    type: str
    path: str
    line: int
    reason: str
    attributes: list[str] = field(default_factory=list)  # what goes back
    replaced_by: list[str] = field(default_factory=list)  # which of them force a new resource
    stateful: bool = False
    data_loss: str = ""
    blockers: list[str] = field(default_factory=list)  # what makes Terraform or the API refuse
    verify: list[str] = field(default_factory=list)
    order: int = 0


@dataclass
class PipelineChange:
    path: str
    status: str  # added | removed | changed
    jobs_added: list[str] = field(default_factory=list)
    jobs_removed: list[str] = field(default_factory=list)
    jobs_changed: list[str] = field(default_factory=list)


@dataclass
class Plan:
    change: str
    source: str
    steps: list[Step] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # variables, outputs, providers...
    pipelines: list[PipelineChange] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    revert: list[str] = field(default_factory=list)  # the git commands that undo the change
    warnings: list[str] = field(default_factory=list)

    @property
    def blast_radius(self) -> dict[str, int]:
        counts: dict[str, int] = {
            "destroy": 0,
            "recreate": 0,
            "replace": 0,
            "update": 0,
            "move": 0,
            "import": 0,
        }
        for step in self.steps:
            counts[step.action] = counts.get(step.action, 0) + 1
        counts["data_loss"] = sum(1 for s in self.steps if s.data_loss)
        counts["stateful"] = sum(1 for s in self.steps if s.stateful)
        counts["blocked"] = sum(1 for s in self.steps if s.blockers)
        counts["pipeline_files"] = len(self.pipelines)
        return counts

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["blast_radius"] = self.blast_radius
        return data


# --------------------------------------------------------------------------- protections


def _truthy(value: Any, text: str = "") -> bool:
    return value is True or str(value).lower() == "true" or text == "true"


def blockers(item: Item) -> list[str]:
    out = []
    if item.lifecycle.get("prevent_destroy") == "true":
        out.append(
            "lifecycle.prevent_destroy = true: Terraform refuses to destroy it; remove it first"
        )
    if _truthy(
        item.values.get("deletion_protection"), item.attributes.get("deletion_protection", "")
    ):
        out.append(
            "deletion_protection = true: the provider refuses to delete it; turn it off first"
        )
    return out


def _loss_note(item: Item, verb: str) -> str:
    what = stateful().get(item.type)
    if not what:
        return ""
    note = f"{verb} loses its {what}"
    if item.type in ("aws_db_instance", "aws_rds_cluster"):
        skip = _truthy(
            item.values.get("skip_final_snapshot"), item.attributes.get("skip_final_snapshot", "")
        )
        note += (
            "; skip_final_snapshot = true: no final snapshot is taken"
            if skip
            else "; a final snapshot is taken first"
        )
    if item.type == "aws_s3_bucket" and _truthy(
        item.values.get("force_destroy"), item.attributes.get("force_destroy", "")
    ):
        note += "; force_destroy = true: every object is deleted with it"
    return note


VERIFY = {
    "destroy": "`terraform state list | grep -F '{a}'` prints nothing, and nothing that used it fails",
    "recreate": "`terraform state show '{a}'` shows it again; restore its data from the latest backup or snapshot",
    "replace": "`terraform state show '{a}'` shows a new id; restore its data and re-point anything that stored the old id",
    "update": "`terraform plan` shows no further change for {a}",
    "move": "`terraform plan` shows {a} unchanged (moved, not destroyed)",
    "import": "`terraform state show '{a}'` shows it under its old address after `terraform import`",
}


def _verify(step: Step) -> list[str]:
    checks = [VERIFY[step.action].format(a=step.address)] if step.action in VERIFY else []
    if step.stateful and step.action in ("destroy", "replace"):
        checks.append(f"take a snapshot or backup of {step.address} before you start")
    return checks


# --------------------------------------------------------------------------- comparison


def _similar(a: Item, b: Item) -> bool:
    """Same type and (nearly) the same body: a rename, not a removal and an addition."""
    if a.type != b.type or a.kind != b.kind:
        return False
    keys = set(a.attributes) | set(b.attributes)
    if not keys:
        return True
    same = sum(1 for k in keys if a.attributes.get(k) == b.attributes.get(k))
    return same / len(keys) >= 0.8


def _moved_pairs(after: dict[str, Item]) -> set[tuple[str, str]]:
    pairs = set()
    for item in after.values():
        if item.kind == "moved":
            pairs.add((item.attributes.get("from", ""), item.attributes.get("to", "")))
    return pairs


def _removed_kept(after: dict[str, Item]) -> set[str]:
    """Addresses a `removed { lifecycle { destroy = false } }` block forgets without destroying."""
    kept = set()
    for item in after.values():
        if item.kind == "removed" and item.lifecycle.get("destroy") == "false":
            kept.add(item.attributes.get("from", ""))
    return kept


def _strip_stack(key: str) -> str:
    return key.split(":", 1)[1] if ":" in key else key


def compare(before: dict[str, Item], after: dict[str, Item], change: str) -> Plan:
    plan = Plan(change=change, source=SOURCE_CONFIG)
    added = {k: v for k, v in after.items() if k not in before}
    removed = {k: v for k, v in before.items() if k not in after}
    moved = _moved_pairs(after)
    kept = _removed_kept(after)
    renamed_modules: list[str] = []
    for new_key, new in list(added.items()):  # renames first
        if new.kind not in ("resource", "module"):
            continue
        old_key = next((k for k, old in removed.items() if _similar(old, new)), None)
        if old_key is None:
            continue
        old = removed.pop(old_key)
        del added[new_key]
        if new.kind == "module":
            renamed_modules.extend((old.address + ".", new.address + "."))
        with_block = (_strip_stack(old_key), _strip_stack(new_key)) in moved
        reason = (
            f"renamed from {old.address} with a `moved` block: add the reverse `moved` block "
            f"(from = {new.address}, to = {old.address}) when reverting"
            if with_block
            else f"renamed from {old.address} without a `moved` block: the change destroyed and "
            f"recreated it; before reverting, run `terraform state mv '{new.address}' '{old.address}'` "
            "(or add a `moved` block) so the rollback does not do it again"
        )
        step = Step("move", new.address, new.type, new.path, new.line, reason)
        if not with_block:
            step.stateful = new.type in stateful() or new.kind == "module"
            what = stateful().get(new.type)
            step.data_loss = (
                f"the forward change destroyed and recreated it, losing its {what}; "
                "a revert without `state mv` does it again"
                if what
                else ""
            )
        plan.steps.append(step)

    def inside_renamed(item: Item) -> bool:
        return item.kind in ("variable", "output", "provider") and item.address.startswith(
            tuple(renamed_modules)
        )

    for item in added.values():
        if inside_renamed(item):
            continue
        if item.kind in ("resource", "module"):
            plan.steps.append(_destroy(item))
        elif item.kind == "data":
            plan.other.append(f"data source {item.address} added: reverting stops reading it")
        elif item.kind in ("moved", "import", "removed"):
            plan.other.append(
                f"`{item.kind}` block added ({item.attributes.get('from', '')} -> {item.name}): reverting removes it; {_block_note(item.kind)}"
            )
        else:
            plan.other.append(f"{item.kind} {item.address} added: reverting removes it")
    for key, item in removed.items():
        if inside_renamed(item):
            continue
        if item.kind in ("resource", "module"):
            plan.steps.append(_recreate(item, _strip_stack(key) in kept))
        elif item.kind in ("variable", "output", "provider", "data"):
            plan.other.append(f"{item.kind} {item.address} removed: reverting brings it back")
    for key in sorted(set(before) & set(after)):
        old, new = before[key], after[key]
        if old.attributes == new.attributes and old.lifecycle == new.lifecycle:
            continue
        if new.kind in ("resource", "module"):
            plan.steps.append(_update(old, new))
        else:
            changed = sorted(
                k
                for k in set(old.attributes) | set(new.attributes)
                if old.attributes.get(k) != new.attributes.get(k)
            )
            plan.other.append(
                f"{new.kind} {new.address} changed ({', '.join(changed)}): reverting restores it"
            )
    order(plan, before, after)
    return plan


def _block_note(kind: str) -> str:
    return {
        "moved": "keep it, or state addresses change back and Terraform plans destroy-and-create",
        "import": "the imported object stays in state: `terraform state rm` it if it should be unmanaged again",
        "removed": "the object left state; reverting makes Terraform want to create it again: `terraform import` it instead",
    }[kind]


def _gone(item: Item, what: str) -> str:
    note = f"its {what} went with the forward change; reverting cannot bring them back"
    if item.type in ("aws_db_instance", "aws_rds_cluster"):
        skip = _truthy(
            item.values.get("skip_final_snapshot"), item.attributes.get("skip_final_snapshot", "")
        )
        if skip:
            return (
                note
                + "; skip_final_snapshot = true, so no final snapshot was taken: restore from an automated backup or an older snapshot, if one is left"
            )
        return note + "; restore the final snapshot taken when it was destroyed"
    return note + "; restore from a backup"


def _destroy(item: Item) -> Step:
    loss = _loss_note(item, "destroying it")
    step = Step(
        "destroy",
        item.address,
        item.type,
        item.path,
        item.line,
        "added by the change"
        + (
            " (a whole module instance: everything in it is destroyed)"
            if item.kind == "module"
            else ""
        ),
        stateful=bool(loss) or item.kind == "module",
        data_loss=loss,
        blockers=blockers(item),
    )
    step.verify = _verify(step)
    return step


def _recreate(item: Item, kept: bool) -> Step:
    if kept:
        step = Step(
            "import",
            item.address,
            item.type,
            item.path,
            item.line,
            "removed from the configuration with `removed { lifecycle { destroy = false } }`: it still "
            f"exists; `terraform import` it back under {item.address} instead of creating a new one",
        )
    else:
        what = stateful().get(item.type)
        step = Step(
            "recreate",
            item.address,
            item.type,
            item.path,
            item.line,
            "removed by the change: the forward apply destroyed it; reverting creates a new, empty one",
            stateful=bool(what),
            data_loss=_gone(item, what) if what else "",
        )
    step.verify = _verify(step)
    return step


def _update(old: Item, new: Item) -> Step:
    changed = sorted(
        k
        for k in set(old.attributes) | set(new.attributes)
        if old.attributes.get(k) != new.attributes.get(k)
    )
    if old.lifecycle != new.lifecycle:
        changed.append("lifecycle")
    forcing = [a for a in force_new().get(new.type, []) if a.split(".")[0] in changed]
    if new.kind == "module" and "source" in changed:
        forcing.append("source")
    action = "replace" if forcing else "update"
    loss = _loss_note(new, "replacing it") if action == "replace" else ""
    reason = (
        f"changing back {', '.join(forcing)} forces a new resource"
        if action == "replace"
        else "changed arguments go back in place"
    )
    step = Step(
        action,
        new.address,
        new.type,
        new.path,
        new.line,
        reason,
        attributes=changed,
        replaced_by=forcing,
        stateful=bool(loss),
        data_loss=loss,
        blockers=blockers(new) if action == "replace" else [],
    )
    step.verify = _verify(step)
    return step


# --------------------------------------------------------------------------- ordering

_PHASE = {"move": 0, "import": 0, "destroy": 1, "replace": 2, "update": 3, "recreate": 4}


def _topological(addresses: list[str], edges: dict[str, set[str]]) -> list[str]:
    """Order `addresses` so that every address comes after those in `edges[address]`."""
    placed: list[str] = []
    seen: set[str] = set()

    def visit(address: str, trail: tuple[str, ...] = ()) -> None:
        if address in seen or address in trail:
            return
        for dependency in sorted(edges.get(address, ())):
            if dependency in addresses:
                visit(dependency, (*trail, address))
        seen.add(address)
        placed.append(address)

    for address in sorted(addresses):
        visit(address)
    return placed


def order(plan: Plan, before: dict[str, Item], after: dict[str, Item]) -> None:
    """Moves first; destroys with dependents first; then replacements and updates; recreations
    with dependencies first."""
    refs_after = {item.address: set(item.refs) for item in after.values()}
    refs_before = {item.address: set(item.refs) for item in before.values()}
    by_phase: dict[int, list[Step]] = {}
    for step in plan.steps:
        by_phase.setdefault(_PHASE.get(step.action, 5), []).append(step)
    ordered: list[Step] = []
    for phase in sorted(by_phase):
        steps = {s.address: s for s in by_phase[phase]}
        if phase == 1:  # destroy: whatever refers to X goes before X
            reverse: dict[str, set[str]] = {}
            for address, refs in refs_after.items():
                for ref in refs:
                    reverse.setdefault(ref, set()).add(address)
            names = _topological(list(steps), reverse)
        else:
            names = _topological(list(steps), refs_before if phase == 4 else refs_after)
        ordered.extend(steps[name] for name in names)
    for index, step in enumerate(ordered, start=1):
        step.order = index
    plan.steps = ordered
