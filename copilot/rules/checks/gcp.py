"""Checks for Google Cloud resources that a declarative condition cannot express."""

from __future__ import annotations

import re
from collections.abc import Iterator

from copilot.parse.evaluate import UNKNOWN
from copilot.parse.terraform import TfObject
from copilot.rules.checks.base import (
    WORLD_V4,
    WORLD_V6,
    CheckContext,
    Hit,
    as_list,
    covers,
    header_hit,
    parse_port_spec,
)


def open_firewall(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    """An INGRESS firewall rule from 0.0.0.0/0 that allows one of the given ports."""
    ports: list[int] = list(ctx.params.get("ports", []))
    direction = obj.value("direction", "INGRESS")
    if direction is UNKNOWN or str(direction).upper() != "INGRESS":
        return
    ranges = obj.lookup("source_ranges")
    if not ranges or not any(w in as_list(ranges[0].value) for w in (WORLD_V4, WORLD_V6)):
        return
    for allow in obj.lookup("allow"):
        block = allow.block
        if block is None:
            continue
        protocol = (
            obj.scope.value(block.attributes["protocol"].expr)
            if "protocol" in block.attributes
            else UNKNOWN
        )
        if protocol is UNKNOWN or str(protocol).lower() not in ("tcp", "all"):
            continue
        specs = (
            as_list(obj.scope.value(block.attributes["ports"].expr))
            if "ports" in block.attributes
            else ["*"]
        )
        for spec in specs:
            span = parse_port_spec(spec)
            port = None if span is None else covers(span, ports)
            if port is not None:
                yield Hit(
                    ranges[0].start,
                    ranges[0].end,
                    f"port {port} open to the internet",
                    {"port": str(port)},
                )
                return


_SECONDS = re.compile(r"^(\d+(?:\.\d+)?)s$")


def kms_rotation(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    limit = int(ctx.params.get("max_days", 90)) * 86400
    matches = obj.lookup("rotation_period")
    if not matches:
        yield header_hit(obj, "no `rotation_period`")
        return
    value = matches[0].value
    found = _SECONDS.match(value) if isinstance(value, str) else None
    if found and float(found.group(1)) > limit:
        days = float(found.group(1)) / 86400
        yield Hit(matches[0].start, matches[0].end, f"rotates every {days:g} days")
