"""What a Terraform configuration declares, per address, in a form two sides can be compared in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from copilot.parse.discover import discover
from copilot.parse.hcl import Block, Expr
from copilot.parse.terraform import Project, iter_refs

_SPACE = re.compile(r"\s+")
_KINDS = (
    "resource",
    "data",
    "module",
    "variable",
    "output",
    "provider",
    "moved",
    "removed",
    "import",
)
_NOT_ADDRESSES = {"var", "local", "each", "count", "path", "terraform", "self"}


@dataclass(frozen=True)
class Item:
    kind: str
    address: str
    type: str
    name: str
    path: str  # repository-relative file
    line: int
    attributes: dict[str, str]  # argument or nested block type -> normalised source text
    refs: frozenset[str]
    lifecycle: dict[str, str] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)  # statically known argument values


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _text(block: Block, start: int, end: int) -> str:
    return _norm(block.source.text[start:end])


def _attributes(block: Block) -> dict[str, str]:
    out = {
        name: _text(block, attr.expr.start, attr.expr.end)
        for name, attr in block.attributes.items()
    }
    for nested in block.blocks:
        if nested.type == "lifecycle":
            continue
        key = (
            nested.type
            if nested.type != "dynamic"
            else f"dynamic.{nested.labels[0] if nested.labels else ''}"
        )
        body = _text(nested, nested.header_end, nested.end - 1)
        out[key] = f"{out[key]} | {body}" if key in out else body
    return out


def _refs(block: Block, prefix: str) -> frozenset[str]:
    exprs: list[Expr] = [a.expr for a in block.attributes.values()]
    stack = list(block.blocks)
    while stack:
        nested = stack.pop()
        exprs.extend(a.expr for a in nested.attributes.values())
        stack.extend(nested.blocks)
    found: set[str] = set()
    for expr in exprs:
        for ref in iter_refs(expr):
            names = ref.names
            if not names or names[0] in _NOT_ADDRESSES:
                continue
            if names[0] == "data" and len(names) >= 3:
                found.add(f"{prefix}data.{names[1]}.{names[2]}")
            elif names[0] == "module" and len(names) >= 2:
                found.add(f"{prefix}module.{names[1]}")
            elif len(names) >= 2:
                found.add(f"{prefix}{names[0]}.{names[1]}")
    return frozenset(found)


def _lifecycle(block: Block) -> dict[str, str]:
    out: dict[str, str] = {}
    for nested in block.blocks_of("lifecycle"):
        for name, attr in nested.attributes.items():
            out[name] = _text(nested, attr.expr.start, attr.expr.end)
    return out


def inventory(root: Path) -> dict[str, Item]:
    """Every addressable block of the configuration under `root`, keyed by address (prefixed
    with the root module's folder when the tree holds several root modules)."""
    found = discover([root])
    dirs = list(found.terraform_dirs)

    def display(path: Path) -> str:
        return path.resolve().relative_to(root.resolve()).as_posix()

    project = Project(display)
    roots = project.root_dirs(dirs)
    for directory in roots:
        project.add_root(directory)
    several = len(roots) > 1
    items: dict[str, Item] = {}
    for scope in project.scopes():
        root_dir = scope
        while root_dir.parent is not None:
            root_dir = root_dir.parent
        stack = display(root_dir.module.directory) if several else ""
        for hcl in scope.module.files:
            for block in hcl.blocks:
                if block.type not in _KINDS:
                    continue
                item = _item(block, scope.prefix, hcl.source.path, scope)
                if item is None:
                    continue
                key = f"{stack}:{item.address}" if stack and stack != "." else item.address
                items.setdefault(key, item)
    return items


def _item(block: Block, prefix: str, path: str, scope: object) -> Item | None:
    kind = block.type
    labels = block.labels
    line = block.source.line_col(block.start)[0]
    attributes = _attributes(block)
    if kind in ("resource", "data"):
        if len(labels) < 2:
            return None
        type_, name = labels[0], labels[1]
        local = f"{type_}.{name}" if kind == "resource" else f"data.{type_}.{name}"
    elif kind == "module":
        if not labels:
            return None
        type_, name, local = "module", labels[0], f"module.{labels[0]}"
    elif kind in ("variable", "output"):
        if not labels:
            return None
        type_, name, local = (
            kind,
            labels[0],
            f"{'var' if kind == 'variable' else 'output'}.{labels[0]}",
        )
    elif kind == "provider":
        alias = attributes.get("alias", "").strip('"')
        type_, name = labels[0] if labels else "", alias
        local = f"provider.{type_}" + (f".{alias}" if alias else "")
    else:  # moved, removed, import: keyed by what they point at
        target = attributes.get("to") or attributes.get("from") or attributes.get("id", "")
        type_, name, local = kind, target, f"{kind}[{attributes.get('from', '')}->{target}]"
    values: dict[str, object] = {}
    for key in (
        "deletion_protection",
        "skip_final_snapshot",
        "force_destroy",
        "final_snapshot_identifier",
        "source",
    ):
        attr = block.attributes.get(key)
        if attr is not None:
            values[key] = scope.value(attr.expr)  # type: ignore[attr-defined]
    return Item(
        kind,
        prefix + local,
        type_,
        name,
        path,
        line,
        attributes,
        _refs(block, prefix),
        _lifecycle(block),
        values,
    )
