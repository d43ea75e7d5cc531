"""The checkov bridge: mapping, severities, narrowing, de-duplication; and the real checkov, run
from a virtual environment of its own (CI makes .venv-checkov)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from copilot.cli.app import main
from copilot.config import Config
from copilot.findings.model import Severity
from copilot.parse.hcl import parse_hcl
from copilot.parse.source import SourceFile
from copilot.pipeline import run_review
from copilot.rules import checkov
from copilot.rules.load import load_rules
from tests.helpers.peers import peer

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checkov"
RULES = load_rules()


def _recorded(tmp_path: Path) -> list[dict]:
    """checkov 3.3.30's result on the fixture folder, re-pointed at a copy of it."""
    folder = shutil.copytree(FIXTURES, tmp_path / "stack")
    report = json.loads((folder / "result.json").read_text())
    (folder / "result.json").unlink()
    checks = []
    for check in report["results"]["failed_checks"]:
        checks.append(
            {
                **check,
                "check_type": "terraform",
                "file_abs_path": str(folder / check["file_path"].lstrip("/")),
            }
        )
    return checks


def test_results_map_into_findings_without_duplicating_ours(tmp_path: Path, monkeypatch) -> None:
    checks = _recorded(tmp_path)
    monkeypatch.chdir(tmp_path)
    review = run_review([Path("stack")], RULES, Config())
    merged = checkov.to_findings(checks, review.sources, review.findings, RULES)
    ids = {f.rule_id for f in merged}
    ours_cover = {"CKV2_AWS_6", "CKV_AWS_20", "CKV_AWS_21", "CKV_AWS_18", "CKV_AWS_145"}
    assert not ids & ours_cover, "checks our rules declare as equivalents are dropped"
    assert {"CKV_AWS_189", "CKV2_AWS_62", "CKV_AWS_144"} <= ids, "checkov's other checks are kept"
    ebs = next(f for f in merged if f.rule_id == "CKV_AWS_189")
    assert (ebs.location.path, ebs.location.line, ebs.subject) == (
        "stack/ebs.tf",
        1,
        "aws_ebs_volume.old",
    )
    assert ebs.severity == Severity.MEDIUM  # "encrypted" in its name
    assert all(f.message.endswith("(checkov)") or "(checkov) See" in f.message for f in merged)


def test_location_is_narrowed_to_the_evaluated_attribute() -> None:
    source = SourceFile.from_text(
        "main.tf",
        'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  versioning {\n    enabled = false\n  }\n}\n',
    )
    (block,) = parse_hcl(source).blocks
    start, end, label = checkov._narrow(block, ["resource_type", "versioning/[0]/enabled"])  # type: ignore[misc]
    assert source.text[start:end] == "false"
    assert "versioning/[0]/enabled" in label
    assert checkov._narrow(block, ["kms_key_id"]) is None


@pytest.mark.parametrize(
    ("check_id", "name", "expected"),
    [
        ("CKV_AWS_20", "anything", Severity.CRITICAL),  # declared by TF-AWS-002
        ("CKV_AWS_999", "Ensure the bucket is not public", Severity.HIGH),
        ("CKV_AWS_998", "Ensure logging is enabled", Severity.LOW),
        ("CKV_AWS_997", "Ensure something else", Severity.MEDIUM),
    ],
)
def test_severity_comes_from_our_table(check_id: str, name: str, expected: Severity) -> None:
    assert checkov.severity_of(check_id, name) == expected


def test_missing_checkov_is_said_clearly(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    (tmp_path / "main.tf").write_text(
        'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n'
    )
    assert main(["review", str(tmp_path), "--with-checkov"]) == 2
    err = capsys.readouterr().err
    assert "checkov is not installed" in err and "environment of its own" in err
    assert main(["review", str(tmp_path), "--checkov", str(tmp_path / "nope")]) == 2


@pytest.mark.slow
def test_with_the_real_checkov(tmp_path: Path, monkeypatch, capsys) -> None:
    executable = peer("checkov")
    stack = shutil.copytree(FIXTURES, tmp_path / "stack")
    (stack / "result.json").unlink()
    monkeypatch.chdir(tmp_path)
    assert main(["review", "stack", "--checkov", executable, "-f", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    ids = {f["rule_id"] for f in findings}
    assert "TF-AWS-002" in ids and "CKV_AWS_189" in ids
    assert "CKV_AWS_20" not in ids  # our TF-AWS-002 declares it
