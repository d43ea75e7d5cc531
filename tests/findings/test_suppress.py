from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import review_files

BUCKET = (
    'resource "aws_ebs_volume" "v" {{\n  encrypted = true\n{inside}  type = "gp2"{trailing}\n}}\n'
)


@pytest.mark.parametrize(
    ("text", "suppressed"),
    [
        (
            "# devops-copilot:ignore[TF-AWS-016] gp2 until the AMI supports gp3\n"
            + BUCKET.format(inside="", trailing=""),
            True,
        ),
        (BUCKET.format(inside="", trailing="  # devops-copilot:ignore[TF-AWS-016] reason"), True),
        (BUCKET.format(inside="  // devops-copilot:ignore[TF-AWS-016]\n", trailing=""), True),
        (BUCKET.format(inside="", trailing="  # devops-copilot:ignore"), True),
        (
            BUCKET.format(
                inside="", trailing="  # checkov:skip=CKV_AWS_3:encryption via account default"
            ),
            False,
        ),
        ("# devops-copilot:ignore[TF-AWS-001]\n" + BUCKET.format(inside="", trailing=""), False),
        ("# devops-copilot:ignore[TF-AWS-016]\n\n" + BUCKET.format(inside="", trailing=""), False),
    ],
    ids=[
        "above-block",
        "same-line",
        "inside-block",
        "bare",
        "checkov-other-id",
        "other-rule",
        "not-adjacent",
    ],
)
def test_inline_suppression(text: str, suppressed: bool, tmp_path: Path, all_rules) -> None:
    findings = review_files({"main.tf": text}, tmp_path, all_rules)
    assert (not any(f.rule_id == "TF-AWS-016" for f in findings)) is suppressed


def test_checkov_skip_comment_is_honoured_through_the_declared_equivalent(
    tmp_path: Path, all_rules
) -> None:
    text = (
        'resource "aws_db_instance" "d" {\n'
        "  # checkov:skip=CKV_AWS_17:reached only through the VPN\n"
        "  publicly_accessible = true\n  storage_encrypted = true\n  deletion_protection = true\n"
        "  backup_retention_period = 7\n}\n"
    )
    findings = review_files({"main.tf": text}, tmp_path, all_rules)
    assert [f.rule_id for f in findings] == []
