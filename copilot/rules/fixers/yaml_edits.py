"""Fixes for workflow and GitLab YAML: splice text at node offsets, never dump the document."""

from __future__ import annotations

from typing import Any

from copilot.fixes.model import Applicability, Edit, Fix
from copilot.fixes.render import detect_style, line_end, render
from copilot.parse import yamlsafe as y
from copilot.parse.pipeline import PipelineObject
from copilot.rules.checks.base import Hit


def context(obj: PipelineObject, hit: Hit) -> dict[str, Any]:
    return {
        "address": obj.address,
        "name": obj.name,
        "type": obj.type,
        "current": obj.source.text[hit.start : hit.end],
        **hit.values,
    }


def declared(obj: PipelineObject, hit: Hit, spec: dict[str, Any]) -> Fix | None:
    ctx = {**context(obj, hit), "fix": spec}
    if "replace" in spec:
        return Fix(
            "", (Edit(hit.start, hit.end, render(str(spec["replace"]), ctx)),), Applicability.SAFE
        )
    if "set" in spec:
        target = spec["set"]
        value = render(str(target["value"]), ctx)
        after = target.get("after", [])
        return set_key(
            obj, obj.node, str(target["key"]).split("."), value, after, target.get("before")
        )
    return None


def key_column(obj: PipelineObject, mapping: y.MappingNode) -> int:
    first = mapping.value[0][0] if mapping.value else None
    return 0 if first is None else int(first.start_mark.column)


def _value_text(value: str, column: int, indent: str, newline: str) -> str:
    """`value` as what follows `key:`: inline for a scalar, an indented block for a mapping."""
    if "\n" not in value and ": " not in value and not value.endswith(":"):
        return " " + value
    lines = value.strip("\n").split("\n")
    pad = " " * column + indent
    return newline + newline.join(pad + line if line else "" for line in lines)


def _end_of(obj: PipelineObject, node: y.Node) -> int:
    """The offset after the last line a value's own text occupies (not comments after it)."""
    text = obj.source.text
    end = y.content_end(node)
    if end > 0 and text[end - 1] == "\n":
        return end
    return line_end(text, max(end - 1, 0))


def set_key(
    obj: PipelineObject,
    mapping: y.Node,
    path: list[str],
    value: str,
    after: list[str],
    before: str | None = None,
) -> Fix | None:
    """Give `path` the YAML `value` in `mapping`: replace it, or insert it (with any missing
    intermediate mappings) in the file's own indentation."""
    if not isinstance(mapping, y.MappingNode) or mapping.flow_style:
        return None
    text = obj.source.text
    style = detect_style(obj.source)
    indent = style.indent if style.indent != "\t" else "  "
    head = path[0]
    existing = y.get(mapping, head)
    if existing is not None:
        if len(path) == 1:
            return Fix(
                "",
                (Edit(existing.start_mark.index, existing.end_mark.index, value.strip()),),
                Applicability.SAFE,
            )
        return set_key(obj, existing, path[1:], value, [], None)
    column = key_column(obj, mapping)
    nested = value
    for segment in reversed(path[1:]):
        nested = f"{segment}:" + _value_text(nested, 0, indent, "\n")
    body = f"{head}:" + _value_text(nested, column, indent, "\n")
    body = body.replace("\n", style.newline)
    anchor_key = next(
        (y.key_node(mapping, k) for k in after if y.get(mapping, k) is not None), None
    )
    before_key = y.key_node(mapping, before) if before else None
    if before_key is not None:
        at = before_key.start_mark.index - before_key.start_mark.column
        return Fix("", (Edit(at, at, " " * column + body + style.newline * 2),), Applicability.SAFE)
    if anchor_key is not None:
        at = _end_of(obj, y.get(mapping, str(anchor_key.value)))  # type: ignore[arg-type]
    else:
        last_value = mapping.value[-1][1]
        at = _end_of(obj, last_value)
    prefix = "" if at == 0 or text[at - 1] == "\n" else style.newline
    return Fix(
        "", (Edit(at, at, prefix + " " * column + body + style.newline),), Applicability.SAFE
    )
