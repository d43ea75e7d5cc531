"""Named checks that rule files refer to with `check: <name>`.

Registered explicitly here, so that a rule naming a check that does not exist fails when the rules
are loaded, not in the middle of a scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from copilot.parse.terraform import TfObject
from copilot.rules.checks import aws, azure, common, gcp
from copilot.rules.checks.base import CheckContext, Hit

CheckFn = Callable[[TfObject, CheckContext], Iterable[Hit]]

CHECKS: dict[str, CheckFn] = {
    "s3_bucket_companion": aws.s3_bucket_companion,
    "aws_open_ingress": aws.open_ingress,
    "iam_wildcard_action": aws.iam_wildcard_action,
    "iam_wildcard_resource": aws.iam_wildcard_resource,
    "hardcoded_secret": common.hardcoded_secret,
    "provider_version_unconstrained": common.provider_version_unconstrained,
    "module_source_unpinned": common.module_source_unpinned,
    "required_tags": common.required_tags,
    "azure_open_inbound": azure.open_inbound,
    "gcp_open_firewall": gcp.open_firewall,
    "gcp_kms_rotation": gcp.kms_rotation,
}

__all__ = ["CHECKS", "CheckContext", "CheckFn", "Hit"]
