"""Fixes for Terraform: edits of the HCL text at known offsets, never re-serialised."""

from __future__ import annotations

import re
from typing import Any

from copilot.fixes.model import Applicability, Edit, Fix
from copilot.fixes.render import detect_style, indent_of, line_end, line_start, reindent, render
from copilot.parse.hcl import Block
from copilot.parse.terraform import TfObject, objects_of, references_to
from copilot.rules.checks.base import Hit

_ASSIGN = re.compile(r"^([ \t]*)([\w-]+)([ \t]*)=")


def context(obj: TfObject, hit: Hit) -> dict[str, Any]:
    return {
        "address": obj.address,
        "type": obj.type,
        "name": obj.name,
        "labels": obj.block.labels,
        "current": obj.source.text[hit.start : hit.end],
        **hit.values,
    }


def _fix(
    edits: list[Edit], title: str = "", applicability: Applicability = Applicability.SAFE
) -> Fix:
    return Fix(title, tuple(sorted(edits, key=lambda e: e.start)), applicability)


def _literal(text: str) -> bool:
    """A value written in place (a string, number or bool), not one that comes from elsewhere:
    fixing `var.x` where it is used would replace the reference, not the value."""
    stripped = text.strip()
    return bool(stripped) and (
        stripped[0] in "\"'-0123456789[{" or stripped in ("true", "false", "null")
    )


def declared(obj: TfObject, hit: Hit, spec: dict[str, Any]) -> Fix | None:
    ctx = {**context(obj, hit), "fix": spec}
    at_value = not hit.at_block
    if at_value and ("replace" in spec or "set" in spec) and not _literal(ctx["current"]):
        return None
    if "replace" in spec:
        return _fix([Edit(hit.start, hit.end, render(str(spec["replace"]), ctx))])
    if "set" in spec:
        target = spec["set"]
        return set_attribute(obj, str(target["attribute"]), render(str(target["value"]), ctx))
    if "append" in spec:
        return append_after(obj.block, obj, render(str(spec["append"]), ctx))
    return None


def _aligned(text: str, at: int, name: str) -> str:
    """`name =` padded to the `=` column of the attribute on the line at `at`, as terraform fmt
    aligns consecutive attributes."""
    line = text[at : line_end(text, at)]
    match = _ASSIGN.match(line)
    if match and match.group(3) and len(name) < len(match.group(2)) + len(match.group(3)):
        return name.ljust(len(match.group(2)) + len(match.group(3)) - 1)
    return name


def set_attribute(obj: TfObject, path: str, value: str) -> Fix | None:
    """Give `path` (`a`, or `block.nested.a`) the HCL `value`: replace it where it is written,
    or insert it, with any missing nested blocks, in the innermost block that exists."""
    segments = path.split(".")
    block: Block = obj.block
    depth = 0
    for segment in segments[:-1]:
        nested = [b for b in block.blocks if b.type == segment]
        if not nested:
            break
        block, depth = nested[0], depth + 1
    attribute = segments[-1]
    if depth == len(segments) - 1 and attribute in block.attributes:
        expr = block.attributes[attribute].expr
        return _fix([Edit(expr.start, expr.end, value)])
    if depth == len(segments) - 1 and any(b.type == attribute for b in block.blocks):
        return None  # written as a block; a value cannot replace it
    return insert_into(obj, block, segments[depth:], value)


def insert_into(obj: TfObject, block: Block, segments: list[str], value: str) -> Fix | None:
    text = obj.source.text
    style = detect_style(obj.source)
    after_brace = text[block.header_end : line_end(text, block.header_end)]
    if after_brace.strip() and not after_brace.strip().startswith(("#", "//")):
        return None  # a one-line block: rewriting it is for a person
    # after the block's last argument (arguments come before nested blocks), else at its top
    last = max((a.end for a in block.attributes.values()), default=None)
    at = line_end(text, last) if last is not None else line_end(text, block.header_end)
    neighbour = line_start(text, last) if last is not None else at
    base = indent_of(text, block.start) + style.indent
    lines = []
    for level, segment in enumerate(segments[:-1]):
        lines.append("  " * level + f"{segment} {{")
    name = segments[-1] if len(segments) > 1 else _aligned(text, neighbour, segments[-1])
    lines.append("  " * (len(segments) - 1) + f"{name} = {value}")
    for level in reversed(range(len(segments) - 1)):
        lines.append("  " * level + "}")
    snippet = reindent("\n".join(lines), style, base) + style.newline
    return _fix([Edit(at, at, snippet)])


def append_after(block: Block, obj: TfObject, snippet: str) -> Fix:
    """A new top-level block after `block`, separated by a blank line."""
    style = detect_style(obj.source)
    body = reindent(snippet.strip("\n"), style)
    return _fix([Edit(block.end, block.end, style.newline * 2 + body)])


# --------------------------------------------------------------------------- python fixers


def _public(bucket: TfObject) -> bool:
    """The bucket is meant to be public: a public ACL or a bucket policy refers to it."""
    if str(bucket.value("acl", "")) in ("public-read", "public-read-write"):
        return True
    for other in objects_of(bucket.scope):
        if other.type not in ("aws_s3_bucket_acl", "aws_s3_bucket_policy"):
            continue
        attr = other.block.attributes.get("bucket")
        if attr is None or not references_to(attr.expr, bucket.type, bucket.name):
            continue
        if other.type == "aws_s3_bucket_policy" or str(other.value("acl", "")).startswith("public"):
            return True
    return False


def s3_companion(obj: TfObject, hit: Hit, params: dict[str, Any]) -> Fix | None:
    """Add the missing companion resource after the bucket, or correct a companion's setting."""
    if not hit.at_block:
        # a companion's (or the inline block's) setting holds the wrong value: the check says
        # which value it wants
        wanted = hit.values.get("wanted")
        if wanted is None or hit.start == hit.end:
            return None
        return _fix([Edit(hit.start, hit.end, wanted)])
    template = params.get("append")
    if not template:
        return None
    snippet = render(str(template), {"name": obj.name, "type": obj.type, "address": obj.address})
    fix = append_after(obj.block, obj, snippet)
    if params.get("unsafe_if_public") and _public(obj):
        note = "the bucket has a public ACL or policy: blocking public access would break it"
        return Fix(fix.title, fix.edits, Applicability.UNSAFE, note)
    return fix


def narrow_open_cidr(obj: TfObject, hit: Hit, params: dict[str, Any]) -> Fix | None:
    """Replace the open range with a placeholder the person must fill in (a suggestion)."""
    text = obj.source.text[hit.start : hit.end]
    placeholder = str(params.get("placeholder", "203.0.113.0/24"))
    for world in ('"0.0.0.0/0"', '"::/0"'):
        index = text.find(world)
        if index != -1:
            start = hit.start + index
            return Fix(
                "",
                (Edit(start, start + len(world), f'"{placeholder}"'),),
                Applicability.SUGGESTION,
                "replace the documentation range with the addresses that need access",
            )
    return None
