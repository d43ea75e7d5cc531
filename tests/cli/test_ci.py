"""The CI and pre-commit paths: named files, --staged, --diff-base, GitLab Code Quality, progress."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from copilot.cli import progress
from copilot.cli.app import main
from tests.conftest import git

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GP2 = 'resource "aws_ebs_volume" "{name}" {{\n  encrypted = true\n  type      = "{kind}"\n}}\n'


@pytest.fixture
def repo(git_repo: Path) -> Path:
    return git_repo


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main([*args, "-f", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_named_files_are_reviewed_with_their_module_as_context(repo: Path, capsys) -> None:
    (repo / "vars.tf").write_text('variable "kind" {\n  default = "gp2"\n}\n')
    (repo / "a.tf").write_text(
        'resource "aws_ebs_volume" "a" {\n  encrypted = true\n  type = var.kind\n}\n'
    )
    (repo / "b.tf").write_text(GP2.format(name="b", kind="gp2"))
    code, document = _json(["review", "a.tf"], capsys)
    assert code == 1
    assert [(f["rule_id"], f["location"]["path"]) for f in document["findings"]] == [
        ("TF-AWS-016", "a.tf")
    ]


def test_staged_reviews_the_index_not_the_work_tree(repo: Path, capsys) -> None:
    (repo / "main.tf").write_text(GP2.format(name="v", kind="gp2"))
    git(repo, "add", "main.tf")
    (repo / "main.tf").write_text(GP2.format(name="v", kind="gp3"))  # fixed, but not staged
    code, document = _json(["review", "--staged"], capsys)
    assert code == 1
    assert [f["rule_id"] for f in document["findings"]] == ["TF-AWS-016"]
    git(repo, "add", "main.tf")
    (repo / "main.tf").write_text(GP2.format(name="v", kind="gp2"))  # broken again, not staged
    code, document = _json(["review", "--staged"], capsys)
    assert code == 0
    assert document["findings"] == []


def test_staged_outside_a_repository_is_a_clear_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["review", "--staged"]) == 2
    assert "--staged:" in capsys.readouterr().err


def test_diff_base_reports_only_changed_lines(repo: Path, capsys) -> None:
    (repo / "old.tf").write_text(GP2.format(name="old", kind="gp2"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    (repo / "old.tf").write_text(
        GP2.format(name="old", kind="gp2") + GP2.format(name="new", kind="gp2")
    )
    (repo / "untracked.tf").write_text(GP2.format(name="u", kind="gp2"))
    code, document = _json(["review", ".", "--diff-base", "HEAD"], capsys)
    assert code == 1
    subjects = sorted(f["subject"] for f in document["findings"])
    assert subjects == ["aws_ebs_volume.new", "aws_ebs_volume.u"]
    assert main(["review", ".", "--diff-base", "no-such-ref"]) == 2
    assert "--diff-base no-such-ref" in capsys.readouterr().err


def test_gitlab_code_quality_matches_the_documented_fields(capsys) -> None:
    assert main(["review", str(EXAMPLES), "-f", "gitlab"]) == 1
    issues = json.loads(capsys.readouterr().out)
    jsonschema.validate(issues, json.loads((SCHEMAS / "gitlab-codequality.json").read_text()))
    assert {i["severity"] for i in issues} >= {"blocker", "critical", "major", "minor"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


@pytest.mark.parametrize(
    ("env", "tty", "disabled", "expected"),
    [
        ({}, True, False, True),
        ({"CI": "true"}, True, False, False),
        ({"PRE_COMMIT": "1"}, True, False, False),
        ({}, False, False, False),
        ({}, True, True, False),
    ],
    ids=["terminal", "ci", "pre-commit", "no-terminal", "no-progress"],
)
def test_progress_only_in_a_real_terminal(
    env: dict[str, str], tty: bool, disabled: bool, expected: bool, monkeypatch
) -> None:
    for name in ("CI", "PRE_COMMIT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: tty)
    assert progress.wanted(disabled) is expected
