"""Helpers shared by the GitHub Actions and GitLab CI checks."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from copilot.parse import yamlsafe as y
from copilot.parse.pipeline import PipelineObject
from copilot.rules.checks.base import CheckContext, Hit

# `curl ... | sh`, `wget -O- ... | sudo bash`, `bash <(curl ...)`, `sh -c "$(curl ...)"`
CURL_PIPE_SHELL = re.compile(
    r"\b(curl|wget)\b[^\n|;&]*\|\s*(sudo\s+(-\S+\s+)*)?(ba|z|da|k)?sh\b"
    r"|\b(ba|z)?sh\s+<\(\s*(curl|wget)\b"
    r"|\b(ba|z)?sh\s+-c\s+[\"']?\$\(\s*(curl|wget)\b"
)


def raw(obj: PipelineObject, node: y.Node) -> tuple[int, str]:
    """The text of a node as written in the file, and its offset."""
    start, end = node.start_mark.index, node.end_mark.index
    return start, obj.source.text[start:end]


def find_all(
    obj: PipelineObject, node: y.Node, pattern: re.Pattern[str]
) -> Iterator[tuple[int, int, re.Match[str]]]:
    """Offsets (in the file) of every match of `pattern` inside a scalar as written."""
    start, text = raw(obj, node)
    for match in pattern.finditer(text):
        yield start + match.start(), start + match.end(), match


def node_hit(node: y.Node, label: str = "", **values: str) -> Hit:
    return Hit(node.start_mark.index, node.end_mark.index, label, dict(values))


def scripts(obj: PipelineObject, keys: tuple[str, ...]) -> Iterator[y.Node]:
    """Scalar script lines of a step's `run` or a GitLab job's script keys (lists flattened)."""
    for key in keys:
        node = obj.get(key)
        if isinstance(node, y.ScalarNode):
            yield node
        elif isinstance(node, y.SequenceNode):
            for item in node.value:
                if isinstance(item, y.ScalarNode):
                    yield item
                elif isinstance(item, y.SequenceNode):  # nested lists from YAML anchors
                    yield from (i for i in item.value if isinstance(i, y.ScalarNode))


def curl_pipe_shell(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    keys = ("run",) if obj.family != "gitlab-ci" else ("before_script", "script", "after_script")
    for node in scripts(obj, keys):
        for start, end, _ in find_all(obj, node, CURL_PIPE_SHELL):
            yield Hit(start, end, "downloads and runs a script unchecked")


# the end of one shell command inside a script (a line continued with a backslash goes on)
_COMMAND_END = re.compile(r"(?<!\\)\n|&&|\|\||[;|]")


@cache
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def tool_commands(
    text: str, tools: list[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], re.Match[str], str]]:
    """Each call, in a script, of a command from a rule's table (`command:` is its pattern): the
    table entry, the match and the rest of that shell command, up to `;`, `&&`, `|` or the end
    of the line (a line continued with a backslash goes on). Most scripts call none of them,
    and one search over all the patterns says so."""
    if not _any_of(tuple(str(tool["command"]) for tool in tools)).search(text):
        return
    for tool in tools:
        for match in re.finditer(str(tool["command"]), text):
            end = _COMMAND_END.search(text, match.end())
            yield tool, match, text[match.start() : end.start() if end else len(text)]


def package_installs(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """A script that installs a named package with a package manager's ad-hoc command, outside
    the project's manifest and lock file (`npm install lodash`, `gem install rake`)."""
    keys = ("run",) if obj.family != "gitlab-ci" else ("before_script", "script", "after_script")
    tools = ctx.params.get("commands", ())
    for node in scripts(obj, keys):
        start, text = raw(obj, node)
        for tool, match, command in tool_commands(text, tools):
            words = command[match.end() - match.start() :].split()
            if _names_a_package(words, set(tool.get("value_flags", ()))):
                yield Hit(
                    start + match.start(),
                    start + match.end(),
                    "installs outside a lock file",
                    {"manager": str(tool["manager"])},
                )


def _names_a_package(words: list[str], value_flags: set[str]) -> bool:
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in value_flags
        elif word not in ("\\",):
            return True
    return False


def truthy(value: Any) -> bool:
    """The runner's idea of true for env values: the string "true" (any case) or a true bool."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


# --------------------------------------------------------------------------- schemas

_SCHEMA_FILES = {
    "github-workflow": "github-workflows.json",
    "github-action": "github-actions.json",
    "gitlab-ci": "gitlab-ci.json",
}


@cache
def _schema(family: str) -> dict[str, Any]:
    """The schema, read once for both validators (neither changes it)."""
    import json

    spec = find_spec("check_jsonschema")  # located, not imported: we only read its data files
    if spec is None or spec.origin is None:
        raise RuntimeError("check-jsonschema is not installed; it provides the pipeline schemas")
    path = Path(spec.origin).parent / "builtin_schemas" / "vendor" / _SCHEMA_FILES[family]
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def _rust_validator(family: str) -> Any:
    """jsonschema-rs (Rust) answers yes or no in microseconds and locates each error; most of a
    pipeline review used to go on jsonschema (Python) walking the large schemas, and importing
    it costs more than reading a hundred small workflows."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        return jsonschema_rs.validator_for(_schema(family))
    except Exception:  # noqa: BLE001 - a schema it cannot compile: jsonschema does the work
        return None


@cache
def _validator(family: str) -> Any:
    import jsonschema

    schema = _schema(family)
    # Inlining the local $refs once saves jsonschema a reference lookup at every node.
    return jsonschema.Draft7Validator(_inline_refs(schema, schema), format_checker=None)


def _inline_refs(node: Any, root: dict[str, Any], stack: tuple[str, ...] = ()) -> Any:
    """Replace `{"$ref": "#/definitions/x"}` by its target; recursive references stay refs."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and len(node) == 1 and ref not in stack:
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return _inline_refs(target, root, (*stack, ref))
        return {key: _inline_refs(value, root, stack) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, root, stack) for value in node]
    return node


@dataclass
class SchemaError:
    """One schema error, the same whichever validator found it."""

    path: list[Any]  # where in the document
    message: str
    keyword: str  # the schema keyword that failed: "type", "oneOf", "additionalProperties", ...
    branches: list[list[SchemaError]]  # for oneOf/anyOf: each alternative's own errors


# jsonschema-rs error kinds under the names of the keywords they stand for
_RS_KEYWORDS = {
    "OneOfNotValid": "oneOf",
    "OneOfMultipleValid": "oneOf",
    "AnyOf": "anyOf",
    "Type": "type",
    "Enum": "enum",
    "Constant": "const",
    "AdditionalProperties": "additionalProperties",
    "Required": "required",
}


def _from_rust(error: Any) -> SchemaError:
    kind = error.kind
    name = type(kind).__name__
    context = getattr(kind, "context", None) or []
    return SchemaError(
        path=list(error.instance_path),
        message=str(error.message),
        keyword=_RS_KEYWORDS.get(name, name),
        branches=[[_from_rust(sub) for sub in branch] for branch in context],
    )


def _from_python(error: Any) -> SchemaError:
    grouped: dict[Any, list[SchemaError]] = {}
    for sub in error.context or ():
        grouped.setdefault(sub.relative_schema_path[0], []).append(_from_python(sub))
    return SchemaError(
        path=list(error.absolute_path),
        message=str(error.message),
        keyword=str(error.validator),
        branches=list(grouped.values()),
    )


def _rust_can_take(data: Any) -> bool:
    """jsonschema-rs reads an infinite or NaN float (YAML's `1.0e+400`) as null and would report
    a type error that is not there; documents with one go to jsonschema."""
    if isinstance(data, float):
        return math.isfinite(data)
    if isinstance(data, dict):
        return all(_rust_can_take(value) for value in data.values())
    if isinstance(data, list):
        return all(_rust_can_take(value) for value in data)
    return True


def _rust_errors(family: str, data: Any) -> list[SchemaError] | None:
    """The errors jsonschema-rs finds, or None when it is missing, cannot compile the schema,
    fails, or cannot take the document: then jsonschema decides."""
    rust = _rust_validator(family)
    if rust is None:
        return None
    try:
        if rust.is_valid(data):
            return []
        if not _rust_can_take(data):
            return None
        return [_from_rust(error) for error in rust.iter_errors(data)]
    except Exception:  # noqa: BLE001 - any doubt goes to jsonschema
        return None


def schema_errors(family: str, data: Any) -> Iterator[SchemaError]:
    """The schema errors of a document, from jsonschema-rs when it can tell, else jsonschema."""
    errors = _rust_errors(family, data)
    if errors is not None:
        yield from errors
        return
    for error in _validator(family).iter_errors(data):
        yield _from_python(error)


_UNEXPECTED = re.compile(r"'([^']+)' was unexpected")


def _node_at(root: y.Node, path: list[Any]) -> tuple[y.Node, y.Node | None]:
    """The node at a JSON path, and the key node that names it (None for list items)."""
    node, key = root, None
    for part in path:
        if isinstance(node, y.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node, key = node.value[part], None
        elif isinstance(node, y.MappingNode):
            found = y.key_node(node, str(part))
            child = y.get(node, str(part))
            if found is None or child is None:
                break
            node, key = child, found
        else:
            break
    return node, key


def _most_specific(error: SchemaError) -> SchemaError:
    """Descend a oneOf/anyOf into the branch with the fewest errors: the one the author meant."""
    while error.keyword in ("oneOf", "anyOf") and any(error.branches):
        fewest = min((branch for branch in error.branches if branch), key=len)
        error = max(fewest, key=lambda e: len(e.path))
    return error


def _short(message: str) -> str:
    return message if len(message) <= 160 else message[:157] + "..."


def schema_violations(obj: PipelineObject, ctx: CheckContext) -> Iterator[Hit]:
    """Structure errors against the workflow, action or GitLab CI JSON schema, located."""
    limit = int(ctx.params.get("max_errors", 20))
    data = y.to_python(obj.document.root)
    if (
        obj.family == "github-workflow"
        and isinstance(data, dict)
        and "true" in data
        and "on" not in data
    ):
        data["on"] = data.pop("true")
    seen: set[tuple[int, int]] = set()
    for error in schema_errors(obj.family, data):
        detail = _most_specific(error)
        node, key = _node_at(obj.document.root, detail.path)
        unexpected = _UNEXPECTED.search(detail.message)
        target: y.Node = node
        if unexpected and isinstance(node, y.MappingNode):
            target = y.key_node(node, unexpected.group(1)) or node
        elif key is not None and detail.keyword in ("type", "enum", "const", "oneOf", "anyOf"):
            target = node
        span = (target.start_mark.index, target.end_mark.index)
        if isinstance(target, y.MappingNode | y.SequenceNode):
            end = obj.source.text.find("\n", span[0])
            span = (span[0], end if end != -1 else span[1])
        if span in seen:
            continue
        seen.add(span)
        where = ".".join(str(p) for p in detail.path) or "top level"
        yield Hit(span[0], span[1], "", {"detail": _short(f"{where}: {detail.message}")})
        if len(seen) >= limit:
            return
