"""Checks that apply across providers: secrets, version pins, tags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from copilot.parse.evaluate import UNKNOWN, is_known
from copilot.parse.hcl import Literal, ObjectExpr
from copilot.parse.terraform import TfObject
from copilot.rules.checks.base import COMMIT_SHA, CheckContext, Hit, header_hit

# --------------------------------------------------------------------------- secrets

_SECRET_NAME = re.compile(
    r"(^|_)(password|passwd|secret|secret_key|access_key|token|api_key|private_key|"
    r"client_secret|connection_string|secret_string|auth_token|master_password)$"
)
_NOT_SECRET_NAME = re.compile(r"(length|_arn|_id|_version|_wo_version|_rotation|_enabled|_name)$")
_PLACEHOLDER = re.compile(
    r"^(|changeme|change-me|placeholder|<.*>|\$\{.*\}|arn:aws:secretsmanager:.*|arn:aws:ssm:.*|"
    r"projects/.*/secrets/.*|https://[\w-]+\.vault\.azure\.net/.*)$",
    re.IGNORECASE,
)


def _secret_by_type(obj: TfObject, name: str) -> bool:
    """Arguments that hold a secret because of the resource they are on, whatever their name."""
    if obj.type == "aws_ssm_parameter" and name == "value":
        return bool(obj.value("type", None) == "SecureString")
    return (obj.type, name) in {
        ("kubernetes_secret", "data"),
        ("azurerm_key_vault_secret", "value"),
        ("google_secret_manager_secret_version", "secret_data"),
    }


def _is_secret_name(obj: TfObject, name: str, names: list[str] | None) -> bool:
    if names is not None:
        return name in names
    if _secret_by_type(obj, name):
        return True
    return bool(_SECRET_NAME.search(name)) and not _NOT_SECRET_NAME.search(name)


def hardcoded_secret(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    """A secret-named argument whose value is known from the repository (literal, default, tfvars)."""
    names = ctx.params.get("attributes")
    for name, attr in obj.block.attributes.items():
        if not _is_secret_name(obj, name, names):
            continue
        value = obj.scope.value(attr.expr)
        if not isinstance(value, str) or len(value) < 4 or _PLACEHOLDER.match(value):
            continue
        origin = (
            "written here"
            if isinstance(attr.expr, Literal)
            else "resolved from a default or .tfvars"
        )
        mask = (attr.expr.start, attr.expr.end) if isinstance(attr.expr, Literal) else ()
        yield Hit(
            attr.expr.start,
            attr.expr.end,
            f"secret value {origin}",
            {"attribute": name},
            (mask,) if mask else (),
        )


# --------------------------------------------------------------------------- versions


def provider_version_unconstrained(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    for block in obj.block.blocks_of("required_providers"):
        for name, attr in block.attributes.items():
            value = obj.scope.value(attr.expr)
            if isinstance(value, str):
                continue  # legacy `aws = "~> 5.0"`: a constraint
            if isinstance(value, dict) and "version" not in value:
                yield Hit(attr.start, attr.end, "no version constraint", {"provider": name})


_REGISTRY = re.compile(r"^([\w.-]+/)?[\w-]+/[\w-]+/[\w-]+(//.*)?$")


def module_source_unpinned(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    attr = obj.block.attributes.get("source")
    if attr is None or not isinstance(attr.expr, Literal) or not isinstance(attr.expr.value, str):
        return
    source = attr.expr.value
    if source.startswith(("./", "../")):
        return
    if _REGISTRY.match(source) and "::" not in source and "github.com" not in source:
        if "version" not in obj.block.attributes:
            yield Hit(attr.expr.start, attr.expr.end, "registry module without `version`")
        return
    is_vcs = (
        source.startswith(("git::", "github.com/", "bitbucket.org/", "hg::")) or ".git" in source
    )
    if not is_vcs:
        return
    ref = re.search(r"[?&]ref=([^&]+)", source)
    if ref is None:
        yield Hit(attr.expr.start, attr.expr.end, "follows the default branch")
    elif ctx.params.get("require_commit_sha") and not COMMIT_SHA.match(ref.group(1)):
        yield Hit(attr.expr.start, attr.expr.end, "ref is not a commit SHA")


# --------------------------------------------------------------------------- tags


def _default_tags(obj: TfObject) -> set[str] | None:
    """Keys every AWS resource gets from `provider "aws" { default_tags { tags = ... } }`."""
    keys: set[str] = set()
    for scope in obj.scope.lineage():
        for hcl in scope.module.files:
            for block in hcl.blocks:
                if block.type != "provider" or block.labels[:1] != ("aws",):
                    continue
                for default in block.blocks_of("default_tags"):
                    attr = default.attributes.get("tags")
                    if attr is None:
                        continue
                    value = scope.value(attr.expr)
                    if not isinstance(value, dict):
                        return None
                    keys.update(value)
    return keys


def required_tags(obj: TfObject, ctx: CheckContext) -> Iterator[Hit]:
    wanted: list[str] = list(ctx.params.get("tags", []))
    if not wanted:
        return
    taggable: list[str] = ctx.params.get("taggable", [])
    tag_attr = "labels" if obj.type.startswith("google_") else "tags"
    attr = obj.block.attributes.get(tag_attr)
    if attr is None and obj.type not in taggable:
        return
    present: set[str] = set()
    if obj.type.startswith("aws_"):
        defaults = _default_tags(obj)
        if defaults is None:
            return
        present |= defaults
    if attr is not None:
        value: Any = obj.scope.value(attr.expr)
        if value is UNKNOWN or not isinstance(value, dict):
            return
        if not is_known(value) and not isinstance(attr.expr, ObjectExpr):
            return
        present |= set(value)
    missing = [t for t in wanted if t not in present]
    if not missing:
        return
    listed = ", ".join(missing)
    if attr is None:
        yield header_hit(obj, f"no `{tag_attr}`", tags=listed)
    else:
        yield Hit(attr.expr.start, attr.expr.end, f"missing {listed}", {"tags": listed})
