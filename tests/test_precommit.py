"""Our repository works as a pre-commit hook repository, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.wheelhouse import build

ROOT = Path(__file__).resolve().parents[1]
BAD = 'resource "aws_ebs_volume" "v" {\n  encrypted = true\n  type      = "gp2"\n}\n'
GOOD = BAD.replace("gp2", "gp3")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("wheelhouse")
    assert build(target) > 10
    return target


@pytest.mark.slow
def test_hook_fails_on_a_bad_staged_file_and_passes_on_a_good_one(
    tmp_path: Path, wheelhouse: Path
) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit, "pre-commit is in the [test] extra"
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    _git(project, "config", "user.email", "t@t")
    _git(project, "config", "user.name", "t")
    env = {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "NO_COLOR": "1",
    }
    (project / "main.tf").write_text(BAD)
    _git(project, "add", "main.tf")
    run = [pre_commit, "try-repo", str(ROOT), "devops-copilot", "--verbose"]
    bad = subprocess.run(run, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "TF-AWS-016" in bad.stdout
    (project / "main.tf").write_text(GOOD)
    _git(project, "add", "main.tf")
    good = subprocess.run(run, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
