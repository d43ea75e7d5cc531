"""`devops-copilot scaffold`: list, generate, prompts in a terminal, and clear errors."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from copilot.cli.app import main

ROOT = Path(__file__).resolve().parents[2]


def test_list_shows_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scaffold", "list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("mlops: ")
    assert "--serve fastapi|flask  (default fastapi)" in out
    assert "--cloud none|aws|gcp|azure  (default none)" in out


def test_generates_without_prompting_when_not_in_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scaffold", "mlops", "churn-model", "-o", str(tmp_path), "--serve", "flask"])
    assert code == 0, capsys.readouterr().err
    assert "Created" in capsys.readouterr().out
    project = tmp_path / "churn-model"
    assert "flask" in (project / "pyproject.toml").read_text()
    assert (project / ".github" / "workflows" / "ci.yml").is_file()  # the default CI
    assert not (project / "infra").exists()  # the default: no cloud


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Churn"], "invalid project name 'Churn'"),
        (["churn-model", "--ci", "jenkins"], "--ci: expected one of github, gitlab"),
        ([], "give a project name"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["scaffold", "mlops", *args, "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_refuses_a_folder_with_files_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "churn-model").mkdir()
    (tmp_path / "churn-model" / "keep.txt").write_text("mine")
    assert main(["scaffold", "mlops", "churn-model", "-o", str(tmp_path)]) == 2
    assert "not empty; pass --force" in capsys.readouterr().err
    assert main(["scaffold", "mlops", "churn-model", "-o", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "churn-model" / "keep.txt").read_text() == "mine"
    assert (tmp_path / "churn-model" / "Makefile").is_file()


def test_prompts_for_each_option_in_a_terminal(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "copilot", "scaffold", "mlops", "--cloud", "gcp", "-o", str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        encoding="utf-8",
        timeout=60,
    )
    child.expect("Project name: ")
    child.sendline("Not_Valid")
    child.expect("invalid project name")
    child.expect("Project name: ")
    child.sendline("fraud-model")
    child.expect(r"Web framework of the serving API \(fastapi, flask\) \[fastapi\]: ")
    child.sendline("django")
    child.expect("choose one of fastapi, flask")
    child.sendline("flask")
    child.expect(r"CI/CD platform of the pipelines \(github, gitlab\) \[github\]: ")
    child.sendline("gitlab")
    # --cloud was given, so it is not asked for.
    child.expect(r"Model versioning .*\(mlflow, none\) \[mlflow\]: ")
    child.sendline("")
    child.expect("Created")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    project = tmp_path / "fraud-model"
    assert "flask" in (project / "pyproject.toml").read_text()
    assert (project / ".gitlab-ci.yml").is_file()
    assert "google_cloud_run_v2_service" in (project / "infra" / "main.tf").read_text()
    assert (project / "src" / "fraud_model" / "registry.py").is_file()
