"""Terraform JSON syntax (`*.tf.json`) -> the same model as HCL, with positions.

PyYAML's composer reads JSON and keeps a start and end mark for every node, so findings in a
`.tf.json` file point at the exact key, as they do in HCL.
"""

from __future__ import annotations

import re

import yaml

from copilot.parse.hcl import (
    Attribute,
    Block,
    Expr,
    HclFile,
    Literal,
    ObjectExpr,
    ObjectItem,
    Opaque,
    Ref,
    TupleExpr,
)
from copilot.parse.source import SourceError, SourceFile
from copilot.parse.yamlsafe import SAFE_LOADER

# Block types and how many labels each takes in JSON nesting.
_LABELS = {
    "resource": 2,
    "data": 2,
    "module": 1,
    "provider": 1,
    "variable": 1,
    "output": 1,
    "locals": 0,
    "terraform": 0,
}
_SIMPLE_REF = re.compile(r"^\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+)\s*\}$")


def _expr(node: yaml.Node) -> Expr:
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, yaml.MappingNode):
        items = tuple(ObjectItem(str(k.value), _expr(v), k.start_mark.index) for k, v in node.value)
        return ObjectExpr(start, end, items)
    if isinstance(node, yaml.SequenceNode):
        return TupleExpr(start, end, tuple(_expr(v) for v in node.value))
    assert isinstance(node, yaml.ScalarNode)
    value = yaml.load(yaml.serialize(node), Loader=SAFE_LOADER)
    if isinstance(value, str) and "${" in value:
        match = _SIMPLE_REF.match(value)
        if match:
            return Ref(start, end, tuple(match.group(1).split(".")))
        return Opaque(start, end, "json-template")
    return Literal(start, end, value)


def _body(
    node: yaml.MappingNode, source: SourceFile, type_: str, labels: tuple[str, ...], start: int
) -> Block:
    attributes = {
        str(k.value): Attribute(str(k.value), _expr(v), k.start_mark.index, v.end_mark.index)
        for k, v in node.value
    }
    return Block(
        type_, labels, attributes, (), start, node.end_mark.index, node.start_mark.index + 1, source
    )


def _blocks(
    type_: str, node: yaml.Node, depth: int, labels: tuple[str, ...], start: int, source: SourceFile
) -> list[Block]:
    if depth == 0:
        if isinstance(node, yaml.SequenceNode):
            return [
                b
                for item in node.value
                for b in _blocks(type_, item, 0, labels, item.start_mark.index, source)
            ]
        if not isinstance(node, yaml.MappingNode):
            raise SourceError(
                f"`{type_}` must be an object", node.start_mark.line + 1, node.start_mark.column + 1
            )
        return [_body(node, source, type_, labels, start)]
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(
            f"`{type_}` must be an object", node.start_mark.line + 1, node.start_mark.column + 1
        )
    out: list[Block] = []
    for key, value in node.value:
        out.extend(
            _blocks(
                type_, value, depth - 1, (*labels, str(key.value)), key.start_mark.index, source
            )
        )
    return out


def parse_tf_json(source: SourceFile) -> HclFile:
    try:
        root = yaml.compose(source.text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(f"invalid JSON: {problem}", line, column) from None
    if root is None:
        return HclFile(source, ())
    if not isinstance(root, yaml.MappingNode):
        raise SourceError("a .tf.json file must hold a JSON object", 1, 1)
    blocks: list[Block] = []
    for key, value in root.value:
        type_ = str(key.value)
        if type_ in _LABELS:
            blocks.extend(_blocks(type_, value, _LABELS[type_], (), key.start_mark.index, source))
    if source.path.endswith(".tfvars.json"):
        attrs = {
            str(k.value): Attribute(str(k.value), _expr(v), k.start_mark.index, v.end_mark.index)
            for k, v in root.value
        }
        return HclFile(source, (), attrs)
    return HclFile(source, tuple(blocks))
