"""Checks for Azure resources that a declarative condition cannot express."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from copilot.parse.evaluate import UNKNOWN
from copilot.parse.hcl import Block
from copilot.parse.terraform import TfObject
from copilot.rules.checks.base import CheckContext, Hit, as_list, covers, parse_port_spec

_ANYWHERE = {"*", "internet", "any", "0.0.0.0/0", "0.0.0.0", "::/0"}


def _rules(obj: TfObject) -> Iterator[Block]:
    if obj.type == "azurerm_network_security_rule":
        yield obj.block
    else:
        yield from obj.block.blocks_of("security_rule")


def open_inbound(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    """An Allow/Inbound security rule from any source to one of the given ports."""
    ports: list[int] = list(ctx.params.get("ports", []))
    for block in _rules(obj):

        def value(name: str, default: Any = None, block: Block = block) -> Any:
            attr = block.attributes.get(name)
            return default if attr is None else obj.scope.value(attr.expr)

        if str(value("direction", UNKNOWN)).lower() != "inbound":
            continue
        if str(value("access", UNKNOWN)).lower() != "allow":
            continue
        sources = as_list(value("source_address_prefix")) + as_list(
            value("source_address_prefixes")
        )
        if not any(isinstance(s, str) and s.lower() in _ANYWHERE for s in sources):
            continue
        specs = as_list(value("destination_port_range")) + as_list(value("destination_port_ranges"))
        for spec in specs:
            span = parse_port_spec(spec)
            port = None if span is None else covers(span, ports)
            if port is None:
                continue
            name = (
                "destination_port_range"
                if "destination_port_range" in block.attributes
                else "destination_port_ranges"
            )
            attr = block.attributes[name]
            yield Hit(
                attr.expr.start,
                attr.expr.end,
                f"port {port} open to any source",
                {"port": str(port)},
            )
            break
