"""Checks for AWS resources that a declarative condition cannot express."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from copilot.parse.evaluate import UNKNOWN, evaluate, is_known
from copilot.parse.hcl import Call
from copilot.parse.terraform import Match, TfObject, references_to
from copilot.rules.checks.base import (
    WORLD_V4,
    WORLD_V6,
    CheckContext,
    Hit,
    as_list,
    covers,
    header_hit,
    match_hit,
    port_range,
)

# --------------------------------------------------------------------------- S3 split resources


def _protects(companion: TfObject, bucket: TfObject) -> bool:
    """A companion resource belongs to a bucket by reference or by the same known name."""
    attr = companion.block.attributes.get("bucket")
    if attr is None:
        return False
    if references_to(attr.expr, bucket.type, bucket.name):
        return True
    name = bucket.value("bucket", UNKNOWN)
    return is_known(name) and name is not None and companion.scope.value(attr.expr) == name


def _unmet(
    obj: TfObject, require: dict[str, Any], prefix: str = ""
) -> Iterator[tuple[Match, Any]] | None:
    """(match, wanted value) for each setting known to violate `require`; None when a required
    setting is unknown."""
    bad: list[tuple[Match, Any]] = []
    for path, wanted in require.items():
        matches = obj.lookup(prefix + path)
        if not matches:
            bad.append((Match(None, obj.block.start, obj.block.header_end), wanted))
            continue
        for match in matches:
            if match.value is UNKNOWN:
                return None
            if match.value != wanted and str(match.value) != str(wanted):
                bad.append((match, wanted))
    return iter(bad)


def _wanted(value: Any) -> str:
    """The HCL literal of a required value, for the fix."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, (int, float)) else f'"{value}"'


def s3_bucket_companion(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    """The bucket needs a companion resource (AWS provider v4+) or the legacy inline block."""
    params = ctx.params
    companion_type: str = params["companion"]
    require: dict[str, Any] = params.get("require", {})
    account_type = params.get("account_companion")
    if account_type:
        for account in ctx.resources(obj, account_type):
            unmet = _unmet(account, require)
            if unmet is None or not list(unmet):
                return
    inline = params.get("inline")
    if inline:
        blocks = obj.lookup(inline)
        if blocks:
            unmet = _unmet(obj, params.get("inline_require", {}), inline + ".")
            for match, wanted in [] if unmet is None else unmet:
                yield match_hit(
                    match, f"set here on the inline `{inline}` block", wanted=_wanted(wanted)
                )
            return
    companions = [c for c in ctx.resources(obj, companion_type) if _protects(c, obj)]
    if not companions:
        yield header_hit(obj, f"no {companion_type} refers to this bucket")
        return
    for companion in companions:
        unmet = _unmet(companion, require)
        for match, wanted in [] if unmet is None else unmet:
            yield Hit(
                match.start, match.end, f"set on {companion.address}", {"wanted": _wanted(wanted)}
            )


# --------------------------------------------------------------------------- security groups


def _ingress_rules(obj: TfObject) -> Iterator[tuple[dict[str, Match | None], bool]]:
    """(fields, is_ingress) for each rule a security-group resource declares."""
    if obj.type == "aws_security_group":
        blocks = [m for m in obj.lookup("ingress") if m.block is not None]
        for match in blocks:
            block = match.block
            assert block is not None
            body = block if block.type != "dynamic" else (block.blocks_of("content") or (block,))[0]
            fields = {
                name: (
                    Match(
                        obj.scope.value(body.attributes[name].expr),
                        body.attributes[name].expr.start,
                        body.attributes[name].expr.end,
                    )
                    if name in body.attributes
                    else None
                )
                for name in ("from_port", "to_port", "protocol", "cidr_blocks", "ipv6_cidr_blocks")
            }
            yield fields, True
        # attribute syntax: ingress = [{ ... }]
        for match in obj.lookup("ingress"):
            if match.block is None and isinstance(match.value, list):
                for item in match.value:
                    if isinstance(item, dict):
                        fields = {
                            k: Match(item.get(k, None), match.start, match.end)
                            if k in item
                            else None
                            for k in (
                                "from_port",
                                "to_port",
                                "protocol",
                                "cidr_blocks",
                                "ipv6_cidr_blocks",
                            )
                        }
                        yield fields, True
        return
    if obj.type == "aws_security_group_rule":
        kind = obj.value("type", UNKNOWN)
        fields = {
            k: _first(obj.lookup(k))
            for k in ("from_port", "to_port", "protocol", "cidr_blocks", "ipv6_cidr_blocks")
        }
        yield fields, kind == "ingress"
        return
    if obj.type == "aws_vpc_security_group_ingress_rule":
        fields = {
            "from_port": _first(obj.lookup("from_port")),
            "to_port": _first(obj.lookup("to_port")),
            "protocol": _first(obj.lookup("ip_protocol")),
            "cidr_blocks": _first(obj.lookup("cidr_ipv4")),
            "ipv6_cidr_blocks": _first(obj.lookup("cidr_ipv6")),
        }
        yield fields, True


def _first(matches: list[Match]) -> Match | None:
    return matches[0] if matches else None


def _value(field: Match | None) -> Any:
    return None if field is None else field.value


def _world_source(fields: dict[str, Match | None]) -> Match | None:
    for key, world in (("cidr_blocks", WORLD_V4), ("ipv6_cidr_blocks", WORLD_V6)):
        field = fields.get(key)
        if field is not None and world in as_list(field.value):
            return field
    return None


def open_ingress(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    """Ingress from 0.0.0.0/0 or ::/0 to the given ports (or to every port, with `all_ports`)."""
    ports: list[int] = list(ctx.params.get("ports", []))
    all_ports = bool(ctx.params.get("all_ports", False))
    for fields, ingress in _ingress_rules(obj):
        if not ingress:
            continue
        source = _world_source(fields)
        if source is None:
            continue
        protocol = str(_value(fields["protocol"])).lower()
        every_port = protocol in ("-1", "all")
        span = (
            None
            if every_port
            else port_range(_value(fields["from_port"]), _value(fields["to_port"]))
        )
        if span is None and not every_port:
            continue
        if span is not None and span[0] <= 0 and span[1] >= 65535:
            every_port = True
        if all_ports:
            if every_port:
                yield match_hit(source, "open to the internet on every port")
            continue
        if every_port or span is None:
            continue  # reported by the every-port rule
        port = covers(span, ports)
        if port is not None:
            yield match_hit(source, f"port {port} open to the internet", port=str(port))


# --------------------------------------------------------------------------- IAM


_READ_ONLY = re.compile(
    r"^[\w-]+:(Get|List|Describe|Head|View|Search|Lookup|Select)", re.IGNORECASE
)


def _statements(obj: TfObject) -> Iterator[tuple[dict[str, Any], Match]]:
    if obj.kind == "data" and obj.type == "aws_iam_policy_document":
        for match in obj.lookup("statement"):
            block = match.block
            if block is None:
                continue
            values = {k: obj.scope.value(a.expr) for k, a in block.attributes.items()}
            statement = {
                "Effect": values.get("effect", "Allow"),
                "Action": values.get("actions", []),
                "Resource": values.get("resources", []),
                "NotAction": values.get("not_actions"),
            }
            attr = block.attributes.get("actions")
            where = Match(None, attr.expr.start, attr.expr.end) if attr else match
            yield statement, where
        return
    attr = obj.block.attributes.get("policy")
    if attr is None:
        return
    expr = attr.expr
    if isinstance(expr, Call) and expr.name == "jsonencode" and len(expr.args) == 1:
        document = evaluate(expr.args[0], obj.scope)
    else:
        text = obj.scope.value(expr)
        if not isinstance(text, str):
            return
        try:
            document = json.loads(text)
        except ValueError:
            return
    if not isinstance(document, dict):
        return
    where = Match(None, expr.start, expr.end)
    for statement in as_list(document.get("Statement")):
        if isinstance(statement, dict):
            yield statement, where


def _locate(obj: TfObject, where: Match, key: str) -> tuple[int, int]:
    """Narrow a policy span to the `"*"` that follows `key` (Action / Resource) when we can."""
    text = obj.source.text[where.start : where.end]
    found = re.search(rf'(?i)"?{key}s?"?\s*[:=]\s*\[?[^\]]*?("\*")', text)
    if found:
        start = where.start + found.start(1)
        return start, start + 3
    return where.start, where.end


def _allow(statement: dict[str, Any]) -> bool:
    return bool(statement.get("Effect", "Allow") == "Allow")


def iam_wildcard_action(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    for statement, where in _statements(obj):
        actions = as_list(statement.get("Action"))
        if _allow(statement) and ("*" in actions or "*:*" in actions):
            start, end = _locate(obj, where, "Action")
            yield Hit(start, end, "allows every action")


def iam_wildcard_resource(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    for statement, where in _statements(obj):
        if not _allow(statement) or statement.get("NotAction"):
            continue
        resources = as_list(statement.get("Resource"))
        actions = [a for a in as_list(statement.get("Action")) if isinstance(a, str)]
        if "*" in actions or "*" not in resources or not actions:
            continue  # a full wildcard is the wildcard-action rule's finding
        writes = [a for a in actions if not _READ_ONLY.match(a)]
        if writes and all(is_known(a) for a in actions):
            start, end = _locate(obj, where, "Resource")
            yield Hit(start, end, f"{writes[0]} on every resource", {"action": writes[0]})
