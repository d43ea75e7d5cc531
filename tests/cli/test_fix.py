from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.cli.app import main
from tests.conftest import git

ROOT = Path(__file__).resolve().parents[2]
BAD = 'resource "aws_ebs_volume" "v" {\n  encrypted = true\n  type      = "gp2"\n}\n'
WORKFLOW = (
    "name: ci\non: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
    "    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n"
)


@pytest.fixture
def repo(git_repo: Path) -> Path:
    (git_repo / "infra").mkdir()
    (git_repo / "infra" / "main.tf").write_text(BAD)
    workflows = git_repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(WORKFLOW)
    return git_repo


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}


def _review(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`devops-copilot review` in a child process with no terminal (stdin empty)."""
    return subprocess.run(
        [sys.executable, "-m", "copilot", "review", *args],
        capture_output=True,
        text=True,
        cwd=repo,
        env=_env(),
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_diff_changes_nothing_and_git_apply_accepts_it(repo: Path) -> None:
    result = _review(repo, ".", "--diff")
    assert result.returncode == 1
    assert (repo / "infra" / "main.tf").read_text() == BAD
    assert '+  type      = "gp3"' in result.stdout
    assert "+    timeout-minutes: 60" in result.stdout
    assert "fixes applied; would change 2 files" in result.stderr
    subprocess.run(["git", "apply", "-"], input=result.stdout, text=True, cwd=repo, check=True)
    assert '"gp3"' in (repo / "infra" / "main.tf").read_text()
    assert "timeout-minutes: 60" in (repo / ".github" / "workflows" / "ci.yml").read_text()


def test_fix_without_a_terminal_applies_nothing_and_says_how(repo: Path) -> None:
    result = _review(repo, ".", "--fix")
    assert result.returncode == 2
    assert "--fix --yes" in result.stderr
    assert (repo / "infra" / "main.tf").read_text() == BAD


def test_fix_yes_applies_safe_fixes_and_holds_back_unsafe(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".github" / "workflows" / "ci.yml").write_text(
        WORKFLOW.replace("ubuntu-24.04", "ubuntu-20.04")
    )
    assert main(["review", ".", "--fix", "--yes"]) == 0
    err = capsys.readouterr().err
    assert '"gp3"' in (repo / "infra" / "main.tf").read_text()
    assert "unsafe fix" in err and "--unsafe-fixes" in err
    assert "ubuntu-20.04" in (repo / ".github" / "workflows" / "ci.yml").read_text()


def test_unsafe_fixes_flag(repo: Path) -> None:
    (repo / ".github" / "workflows" / "ci.yml").write_text(
        WORKFLOW.replace("ubuntu-24.04", "ubuntu-20.04")
    )
    assert main(["review", ".", "--fix", "--yes", "--unsafe-fixes"]) == 0
    assert "runs-on: ubuntu-24.04" in (repo / ".github" / "workflows" / "ci.yml").read_text()


def test_online_pins_through_git_ls_remote(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A local repository stands in for github.com/acme/setup: no network.
    upstream = tmp_path_factory.mktemp("upstream") / "acme" / "setup"
    upstream.mkdir(parents=True)
    git(upstream, "init", "-q")
    (upstream / "action.yml").write_text("name: setup\n")
    git(upstream, "add", ".")
    git(upstream, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v2")
    git(upstream, "tag", "-a", "v2", "-m", "v2")
    sha = git(upstream, "rev-parse", "HEAD").strip()
    monkeypatch.setenv("DEVOPS_COPILOT_GIT_URL", str(upstream.parent.parent) + "/{repository}")
    workflow = repo / ".github" / "workflows" / "ci.yml"
    workflow.write_text(WORKFLOW.replace("actions/checkout@v4", "acme/setup@v2"))
    assert main(["review", ".", "--fix", "--yes", "--select", "GHA-005"]) == 0
    assert "acme/setup@v2" in workflow.read_text()  # offline: only a suggestion
    assert main(["review", ".", "--fix", "--yes", "--select", "GHA-005", "--online"]) == 0
    assert f"acme/setup@{sha} # v2" in workflow.read_text()


def test_interactive_fix_through_a_real_terminal(repo: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    (repo / "infra" / "main.tf").write_text(BAD + BAD.replace('"v"', '"w"'))
    child = pexpect.spawn(
        sys.executable,
        ["-m", "copilot", "review", "infra", "--fix", "--select", "TF-AWS-016"],
        cwd=str(repo),
        env=_env(),
        encoding="utf-8",
        timeout=60,
    )
    child.expect(r"\(1/2\).*TF-AWS-016")
    child.expect(r"Apply this fix \[y,n,a,q,\?\]\? ")
    child.sendline("?")
    child.expect("apply this fix and all remaining safe fixes")
    child.sendline("y")
    child.expect(r"\(2/2\)")
    child.expect(r"Apply this fix \[y,n,a,q,\?\]\? ")
    child.sendline("n")
    child.expect("1 fix applied")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = (repo / "infra" / "main.tf").read_text()
    assert text.count('"gp3"') == 1 and text.count('"gp2"') == 1
    assert text.index('"gp3"') < text.index('"gp2"')  # the first volume was fixed, the second not
