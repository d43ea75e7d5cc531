"""A Terraform configuration as rules see it: modules, scopes and resolved values.

Each directory of `.tf` files is a module. A root module gets its variables from defaults and from
`terraform.tfvars` / `*.auto.tfvars`; a local module call (`source = "./modules/x"`) evaluates its
inputs in the caller's scope and gives the child module an address prefix (`module.x.`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.parse.evaluate import UNKNOWN, Resolver, evaluate
from copilot.parse.hcl import (
    Attribute,
    Block,
    Expr,
    HclFile,
    Literal,
    ObjectExpr,
    Opaque,
    Ref,
    TupleExpr,
    parse_hcl,
)
from copilot.parse.source import SourceError, SourceFile

MAX_MODULE_DEPTH = 8
Overlay = Mapping[Path, str]  # absolute path -> text to use instead of the file's
_META_ARGUMENTS = frozenset(
    {"source", "version", "count", "for_each", "providers", "depends_on", "lifecycle"}
)


@dataclass(frozen=True, slots=True)
class LoadError:
    path: str
    line: int
    column: int
    message: str


@dataclass
class TfModule:
    """The blocks of one directory's `.tf` and `.tf.json` files."""

    directory: Path
    files: list[HclFile] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)

    def blocks(self, type_: str) -> Iterator[Block]:
        for f in self.files:
            for block in f.blocks:
                if block.type == type_:
                    yield block

    def variables(self) -> dict[str, Block]:
        return {b.labels[0]: b for b in self.blocks("variable") if b.labels}

    def outputs(self) -> dict[str, Block]:
        return {b.labels[0]: b for b in self.blocks("output") if b.labels}

    def locals(self) -> dict[str, Attribute]:
        out: dict[str, Attribute] = {}
        for block in self.blocks("locals"):
            out.update(block.attributes)
        return out


# --------------------------------------------------------------------------- reading files


def read_source(path: Path, display: str, overlay: Overlay | None = None) -> SourceFile:
    """The file's text, or the text an unsaved fix would give it (`overlay`)."""
    if overlay:
        text = overlay.get(Path(os.path.abspath(path)))
        if text is not None:
            return SourceFile.from_text(display, text)
    return SourceFile.read(path, display)


_PARSED: dict[tuple[str, str], HclFile] = {}


def parse_file(path: Path, display: str, overlay: Overlay | None = None) -> HclFile:
    source = read_source(path, display, overlay)
    key = (display, source.digest)
    memo = _PARSED.get(key)
    if memo is not None:  # the fix loop re-reads unchanged files many times
        return memo
    from copilot.parse import hclcache

    hcl = None if path.name.endswith(".json") else hclcache.cached(source)
    if hcl is None:
        hcl = _parse_source(path, source)
        if not path.name.endswith(".json"):
            hclcache.store(source, hcl)
    if len(_PARSED) > 4096:
        _PARSED.clear()
    _PARSED[key] = hcl
    return hcl


def prime(parsed: dict[str, HclFile]) -> None:
    """Seed the in-process memo with files parsed elsewhere (the process pool)."""
    for display, hcl in parsed.items():
        _PARSED[(display, hcl.source.digest)] = hcl


def _parse_source(path: Path, source: SourceFile) -> HclFile:
    if path.name.endswith(".json"):
        from copilot.parse.tfjson import parse_tf_json

        return parse_tf_json(source)
    return parse_hcl(source)


def load_module(
    directory: Path,
    display_of: Any,
    files: list[Path] | None = None,
    overlay: Overlay | None = None,
    on_file: Any = None,
) -> TfModule:
    """Parse every Terraform file of `directory` (or the given ones); errors are collected."""
    module = TfModule(directory)
    paths = files if files is not None else terraform_files(directory)
    for path in paths:
        display = display_of(path)
        if on_file is not None:
            on_file(display)
        try:
            module.files.append(parse_file(path, display, overlay))
        except SourceError as exc:
            module.errors.append(LoadError(display, exc.line, exc.column, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not stop the scan of other files
            message = f"internal error while reading this file: {type(exc).__name__}: {exc}"
            module.errors.append(LoadError(display, 1, 1, message))
    return module


def terraform_files(directory: Path) -> list[Path]:
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return []
    return [
        p
        for p in entries
        if (p.name.endswith(".tf") or p.name.endswith(".tf.json")) and p.is_file()
    ]


def tfvars_files(directory: Path) -> list[Path]:
    """terraform.tfvars first, then *.auto.tfvars in name order, as Terraform reads them."""
    names = ["terraform.tfvars", "terraform.tfvars.json"]
    found = [directory / n for n in names if (directory / n).is_file()]
    try:
        autos = sorted(
            p
            for p in directory.iterdir()
            if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")) and p.is_file()
        )
    except OSError:
        autos = []
    return found + autos


# --------------------------------------------------------------------------- scopes


class ModuleScope(Resolver):
    """One instance of a module: its variable values, locals and child module calls."""

    def __init__(
        self,
        module: TfModule,
        project: Project,
        prefix: str = "",
        inputs: dict[str, Any] | None = None,
        depth: int = 0,
        parent: ModuleScope | None = None,
    ) -> None:
        self.module = module
        self.parent = parent
        self.project = project
        self.prefix = prefix
        self.inputs = inputs or {}
        self.depth = depth
        self._variables = module.variables()
        self._locals = module.locals()
        self._local_values: dict[str, Any] = {}
        self._evaluating: set[str] = set()
        self._children: dict[str, ModuleScope | None] = {}

    # Resolver
    def variable(self, name: str) -> Any:
        if name in self.inputs:
            return self.inputs[name]
        block = self._variables.get(name)
        if block is None or "default" not in block.attributes:
            return UNKNOWN
        return evaluate(block.attributes["default"].expr, Resolver())

    def local(self, name: str) -> Any:
        if name in self._local_values:
            return self._local_values[name]
        attr = self._locals.get(name)
        if attr is None or name in self._evaluating:
            return UNKNOWN
        self._evaluating.add(name)
        try:
            value = evaluate(attr.expr, self)
        finally:
            self._evaluating.discard(name)
        self._local_values[name] = value
        return value

    def module_output(self, module: str, output: str) -> Any:
        child = self.child(module)
        if child is None:
            return UNKNOWN
        block = child.module.outputs().get(output)
        if block is None or "value" not in block.attributes:
            return UNKNOWN
        return evaluate(block.attributes["value"].expr, child)

    def value(self, expr: Expr) -> Any:
        return evaluate(expr, self)

    # Module calls
    def module_calls(self) -> dict[str, Block]:
        return {b.labels[0]: b for b in self.module.blocks("module") if b.labels}

    def child(self, name: str) -> ModuleScope | None:
        if name in self._children:
            return self._children[name]
        self._children[name] = None  # guards against a module that calls itself
        call = self.module_calls().get(name)
        child = self._make_child(name, call) if call is not None else None
        self._children[name] = child
        return child

    def _make_child(self, name: str, call: Block) -> ModuleScope | None:
        directory = local_module_dir(self.module.directory, call)
        if directory is None or self.depth >= MAX_MODULE_DEPTH:
            return None
        module = self.project.module_at(directory)
        inputs = {
            key: self.value(attr.expr)
            for key, attr in call.attributes.items()
            if key not in _META_ARGUMENTS
        }
        return ModuleScope(
            module, self.project, f"{self.prefix}module.{name}.", inputs, self.depth + 1, self
        )

    def lineage(self) -> Iterator[ModuleScope]:
        """This scope, then its caller, up to the root module."""
        scope: ModuleScope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def children(self) -> Iterator[ModuleScope]:
        for name in self.module_calls():
            child = self.child(name)
            if child is not None:
                yield child


def local_module_dir(directory: Path, call: Block) -> Path | None:
    source = call.attributes.get("source")
    if source is None or not isinstance(source.expr, Literal):
        return None
    text = source.expr.value
    if not isinstance(text, str) or not text.startswith(("./", "../")):
        return None
    target = (directory / text).resolve()
    return target if target.is_dir() else None


# --------------------------------------------------------------------------- rule targets


@dataclass(frozen=True, slots=True)
class Match:
    """A value found at a path inside a block, and where it is written."""

    value: Any
    start: int
    end: int
    block: Block | None = None  # set when the path ends at a nested block


@dataclass(frozen=True)
class TfObject:
    """A top-level block that rules look at: resource, data, module, provider, terraform..."""

    kind: str
    type: str
    name: str
    block: Block
    scope: ModuleScope

    @property
    def address(self) -> str:
        if self.kind == "resource":
            local = f"{self.type}.{self.name}"
        elif self.kind == "data":
            local = f"data.{self.type}.{self.name}"
        elif self.kind == "module":
            local = f"module.{self.name}"
        elif self.kind in ("provider", "variable", "output"):
            local = f"{self.kind}.{self.type or self.name}"
        else:
            local = self.kind
        return self.scope.prefix + local

    @property
    def source(self) -> SourceFile:
        return self.block.source

    @property
    def family(self) -> str:
        return "terraform"

    def missing_anchor(self, path: str) -> Block:
        """The innermost existing block on `path`: a missing argument belongs there."""
        block = self.block
        for segment in path.split(".")[:-1]:
            nested = [b for b in block.blocks if b.type == segment]
            if not nested:
                break
            block = nested[0]
        return block

    def lookup(self, path: str) -> list[Match]:
        return lookup(self.block, self.scope, path.split("."))

    def value(self, name: str, default: Any = None) -> Any:
        attr = self.block.attributes.get(name)
        return default if attr is None else self.scope.value(attr.expr)

    def exists(self) -> bool:
        """False when `count` or `for_each` is known to create no instance."""
        count = self.value("count", 1)
        if isinstance(count, int) and not isinstance(count, bool) and count == 0:
            return False
        for_each = self.value("for_each", UNKNOWN) if "for_each" in self.block.attributes else None
        return not (isinstance(for_each, (dict, list)) and not for_each)


def lookup(block: Block, scope: ModuleScope, path: list[str]) -> list[Match]:
    head, rest = path[0], path[1:]
    found: list[Match] = []
    attr = block.attributes.get(head)
    if attr is not None:
        value = scope.value(attr.expr)
        if rest:
            found.extend(_descend(value, attr.expr, rest))
        else:
            found.append(Match(value, attr.expr.start, attr.expr.end))
    for nested in block.blocks:
        if nested.type == head:
            target = nested
        elif nested.type == "dynamic" and nested.labels == (head,):
            contents = nested.blocks_of("content")
            if not contents:
                continue
            target = contents[0]
        else:
            continue
        if rest:
            found.extend(lookup(target, scope, rest))
        else:
            found.append(Match(target, nested.start, nested.end, block=nested))
    return found


def _descend(value: Any, expr: Expr | None, path: list[str]) -> list[Match]:
    """Follow `path` into an object or list-of-objects value (attribute syntax)."""
    if not path:
        start, end = (expr.start, expr.end) if expr is not None else (0, 0)
        return [Match(value, start, end)]
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        items = expr.items if isinstance(expr, TupleExpr) else (None,) * len(value)
        out: list[Match] = []
        for item_value, item_expr in zip(value, items, strict=False):
            out.extend(_descend(item_value, item_expr or expr, path))
        return out
    if not isinstance(value, dict) or head not in value:
        return []
    sub_expr: Expr | None = expr
    if isinstance(expr, ObjectExpr):
        sub_expr = next((i.value for i in expr.items if i.key == head), expr)
    return _descend(value[head], sub_expr, rest)


_KINDS_WITH_TYPE = {"resource": 2, "data": 2}


def objects_of(scope: ModuleScope) -> Iterator[TfObject]:
    for hcl in scope.module.files:
        for block in hcl.blocks:
            kind = block.type
            if kind in _KINDS_WITH_TYPE and len(block.labels) >= 2:
                yield TfObject(kind, block.labels[0], block.labels[1], block, scope)
            elif kind in ("module", "provider", "variable", "output") and block.labels:
                yield TfObject(kind, block.labels[0], block.labels[0], block, scope)
            elif kind == "terraform":
                yield TfObject(kind, "", "", block, scope)


# --------------------------------------------------------------------------- project


class Project:
    """Every module reachable from the scanned directories, parsed once each."""

    def __init__(
        self, display_of: Any, overlay: Overlay | None = None, on_file: Any = None
    ) -> None:
        self._display_of = display_of
        self.overlay = overlay
        self.on_file = on_file
        self._modules: dict[Path, TfModule] = {}
        self.roots: list[ModuleScope] = []

    def module_at(self, directory: Path, files: list[Path] | None = None) -> TfModule:
        key = directory.resolve()
        if key not in self._modules:
            self._modules[key] = load_module(
                key, self._display_of, files, self.overlay, self.on_file
            )
        return self._modules[key]

    def add_root(self, directory: Path) -> ModuleScope:
        module = self.module_at(directory)
        inputs = self._tfvars(directory, module)
        scope = ModuleScope(module, self, inputs=inputs)
        self.roots.append(scope)
        return scope

    def _tfvars(self, directory: Path, module: TfModule) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for path in tfvars_files(directory):
            try:
                hcl = parse_file(path, self._display_of(path), self.overlay)
            except SourceError as exc:
                module.errors.append(
                    LoadError(self._display_of(path), exc.line, exc.column, str(exc))
                )
                continue
            for name, attr in hcl.attributes.items():
                values[name] = evaluate(attr.expr, Resolver())
        return values

    @property
    def modules(self) -> list[TfModule]:
        return list(self._modules.values())

    def root_dirs(self, dirs: list[Path]) -> list[Path]:
        """Of `dirs`, those no other one calls as a local module (all of them, in a cycle)."""
        called: set[Path] = set()
        for directory in dirs:
            module = self.module_at(directory)
            for call in module.blocks("module"):
                target = local_module_dir(module.directory, call)
                if target is not None:
                    called.add(target.resolve())
        roots = [d for d in dirs if d.resolve() not in called]
        return roots or dirs

    def scopes(self) -> Iterator[ModuleScope]:
        """Every module instance, roots first, then their local children, depth first."""
        seen: set[str] = set()
        stack = list(reversed(self.roots))
        while stack:
            scope = stack.pop()
            key = f"{scope.module.directory}|{scope.prefix}"
            if key in seen:
                continue
            seen.add(key)
            yield scope
            stack.extend(reversed(list(scope.children())))

    def objects(self) -> Iterator[TfObject]:
        for scope in self.scopes():
            yield from objects_of(scope)

    def resources(self, scope: ModuleScope, type_: str) -> list[TfObject]:
        return [o for o in objects_of(scope) if o.kind == "resource" and o.type == type_]


def references_to(expr: Expr, type_: str, name: str) -> bool:
    """True when `expr` mentions `type_.name` (as `aws_s3_bucket.x.id`, in a template...)."""
    for ref in iter_refs(expr):
        names = ref.names
        if len(names) >= 2 and names[0] == type_ and names[1] == name:
            return True
    return False


def iter_refs(expr: Expr) -> Iterator[Ref]:
    if isinstance(expr, Ref):
        yield expr
        for part in expr.parts:
            if isinstance(part, Expr):
                yield from iter_refs(part)
        return
    if isinstance(expr, Opaque):
        yield from expr.refs
        return
    for value in vars_of(expr):
        if isinstance(value, Expr):
            yield from iter_refs(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Expr):
                    yield from iter_refs(item)
                elif hasattr(item, "value") and isinstance(item.value, Expr):
                    yield from iter_refs(item.value)


def vars_of(expr: Expr) -> list[Any]:
    return [getattr(expr, name) for name in expr.__slots__ if name not in ("start", "end")]
