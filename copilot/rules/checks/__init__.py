"""Named checks that rule files refer to with `check: <name>`.

Registered explicitly here, so that a rule naming a check that does not exist fails when the rules
are loaded, not in the middle of a scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from copilot.rules.checks import aws, azure, common, gcp, github, gitlab, pipeline_common
from copilot.rules.checks.base import CheckContext, Hit

CheckFn = Callable[[Any, CheckContext], Iterable[Hit]]

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
    # pipelines
    "pipeline_schema": pipeline_common.schema_violations,
    "curl_pipe_shell": pipeline_common.curl_pipe_shell,
    "package_installs": pipeline_common.package_installs,
    "gha_template_injection": github.template_injection,
    "gha_untrusted_checkout": github.untrusted_checkout,
    "gha_unpinned_action": github.unpinned_action,
    "gha_unpinned_docker": github.unpinned_docker,
    "gha_missing_permissions": github.missing_permissions,
    "gha_write_all": github.write_all,
    "gha_workflow_write_scopes": github.workflow_write_scopes,
    "gha_persisted_credentials": github.persisted_credentials,
    "gha_self_hosted_on_pull_requests": github.self_hosted_on_pull_requests,
    "gha_retired_runner": github.retired_runner,
    "gha_retired_node_action": github.retired_node_action,
    "gha_deprecated_commands": github.deprecated_commands,
    "gha_unsecure_commands": github.unsecure_commands,
    "gha_secret_in_run": github.secret_in_run,
    "gha_pull_request_concurrency": github.pull_request_concurrency,
    "gha_setup_without_cache": github.setup_without_cache,
    "gha_continue_on_error_critical": github.continue_on_error_critical,
    "gha_spoofable_bot_condition": github.spoofable_bot_condition,
    "gha_publish_with_token": github.publish_with_token,
    "gha_cache_in_release": github.cache_in_release,
    "gha_env_file_on_untrusted_trigger": github.env_file_on_untrusted_trigger,
    "gha_always_true_condition": github.always_true_condition,
    "gha_container_credentials": github.container_credentials,
    "gha_workspace_action": github.workspace_action,
    "gha_substring_condition": github.substring_condition,
    "gha_obfuscated_uses": github.obfuscated_uses,
    "gha_archived_action": github.archived_action,
    "gha_typosquatted_action": github.typosquatted_action,
    "gha_latest_tool": github.latest_tool,
    "gha_broad_app_token": github.broad_app_token,
    "gitlab_only_except": gitlab.only_except,
    "gitlab_image_unpinned": gitlab.image_unpinned,
    "gitlab_not_interruptible": gitlab.not_interruptible,
    "gitlab_artifacts_without_expiry": gitlab.artifacts_without_expiry,
    "gitlab_long_job_without_timeout": gitlab.long_job_without_timeout,
    "gitlab_secret_variables": gitlab.secret_variables,
    "gitlab_allow_failure_on_security": gitlab.allow_failure_on_security,
    "gitlab_include_unpinned": gitlab.include_unpinned,
}

__all__ = ["CHECKS", "CheckContext", "CheckFn", "Hit"]
