"""YAML as nodes with positions, loaded safely.

PyYAML's `compose` (the C composer when built in) gives nodes with start and end marks and never
constructs objects. Aliases are shared nodes, so composing a 'billion laughs' document is cheap but
walking it is not: `compose_bounded` measures the expanded size in linear time (memoised per node)
and refuses a document over the bound. Keys are read as their text: `on:` stays "on", where
`safe_load` would make it the boolean True.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from copilot.parse.source import SourceError, SourceFile

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_EXPANDED_NODES = 250_000

MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode
Node = yaml.Node


def _expanded_size(root: yaml.Node, limit: int) -> int:
    sizes: dict[int, int] = {}
    # iterative post-order, so that deep documents do not hit the recursion limit
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                children.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if ready or not children:
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            sizes[id(node)] = min(total, limit + 1)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def compose_bounded(source: SourceFile) -> yaml.Node | None:
    """The document's root node (None for an empty file). Raises SourceError with the line."""
    try:
        root = yaml.compose(source.text, Loader=SAFE_LOADER)
    except yaml.composer.ComposerError as exc:
        raise _located(exc, "YAML error") from None
    except yaml.YAMLError as exc:
        raise _located(exc, "invalid YAML") from None
    # Aliases need anchors, and anchors need "&": most files have none and need no count.
    if (
        root is not None
        and "&" in source.text
        and _expanded_size(root, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES
    ):
        raise SourceError(
            f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes "
            "(a 'billion laughs' document?); refusing to read it"
        )
    return root


def _located(exc: yaml.YAMLError, prefix: str) -> SourceError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return SourceError(f"{prefix}: {problem}", line, column)


# --------------------------------------------------------------------------- values

_BOOL = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def scalar(node: yaml.ScalarNode) -> Any:
    """A plain scalar's value the way YAML 1.1 tags it; quoted scalars stay strings."""
    text = str(node.value)
    if node.style in ("'", '"', "|", ">"):
        return text
    lowered = text.lower()
    if lowered in ("null", "~", ""):
        return None
    if lowered in _BOOL and node.tag.endswith(":bool"):
        return _BOOL[lowered]
    if _INT.match(text) and node.tag.endswith(":int"):
        return int(text.replace("_", ""))
    if _FLOAT.match(text) and node.tag.endswith(":float"):
        return float(text)
    return text


def items(node: yaml.Node | None) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    """A mapping's (key, value) pairs, with `<<` merge keys folded in (own keys win).

    Memoised on the node: rules look keys up over and over, and nodes do not change.
    """
    if not isinstance(node, yaml.MappingNode):
        return []
    memo: list[tuple[yaml.ScalarNode, yaml.Node]] | None = getattr(node, "_dc_items", None)
    if memo is not None:
        return memo
    own: list[tuple[yaml.ScalarNode, yaml.Node]] = []
    merged: list[tuple[yaml.ScalarNode, yaml.Node]] = []
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "<<" and key.tag.endswith(":merge"):
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                merged.extend(items(source))
        elif isinstance(key, yaml.ScalarNode):
            own.append((key, value))
    if merged:
        names = {k.value for k, _ in own}
        own += [(k, v) for k, v in merged if k.value not in names]
    node._dc_items = own  # type: ignore[attr-defined]
    return own


def _index(node: yaml.Node | None) -> dict[str, tuple[yaml.ScalarNode, yaml.Node]]:
    """A mapping's pairs by key (the first of duplicate keys wins), memoised like `items`."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    index: dict[str, tuple[yaml.ScalarNode, yaml.Node]] | None = getattr(node, "_dc_index", None)
    if index is None:
        index = {str(k.value): (k, v) for k, v in reversed(items(node))}
        node._dc_index = index  # type: ignore[attr-defined]
    return index


def pair(node: yaml.Node | None, key: str) -> tuple[yaml.ScalarNode, yaml.Node] | None:
    """(key node, value node) of a mapping's `key`, or None."""
    return _index(node).get(key)


def get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    found = _index(node).get(key)
    return found[1] if found else None


def key_node(node: yaml.Node | None, key: str) -> yaml.ScalarNode | None:
    found = _index(node).get(key)
    return found[0] if found else None


def to_python(node: yaml.Node | None, depth: int = 0) -> Any:
    if node is None or depth > 200:
        return None
    if isinstance(node, yaml.ScalarNode):
        return scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [to_python(v, depth + 1) for v in node.value]
    if not isinstance(node, yaml.MappingNode):
        return None
    pairs = getattr(node, "_dc_items", None)
    if pairs is None:  # not memoised: walk it directly unless it has merge keys
        pairs = node.value
        if any(k.value == "<<" and k.tag.endswith(":merge") for k, _ in pairs):
            pairs = items(node)
    return {
        str(k.value): to_python(v, depth + 1) for k, v in pairs if isinstance(k, yaml.ScalarNode)
    }


def text(node: yaml.Node | None) -> str | None:
    """A scalar's text as written (without YAML typing), or None."""
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def content_end(node: yaml.Node) -> int:
    """Where a node's own text ends. A block collection's end mark runs on to the next token,
    past any comment lines after its last item; this stops at the last item."""
    while (
        isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
        and node.value
        and not node.flow_style
    ):
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return int(node.end_mark.index)
