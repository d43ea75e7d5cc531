from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import git

from copilot.cli.app import main
from tests.rollback.conftest import History


def _state(history: History) -> tuple[str, str, dict[str, str]]:
    repo = history.repo
    files = {
        p.relative_to(history.root).as_posix(): p.read_text()
        for p in history.root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }
    return repo.active_branch.name, repo.head.commit.hexsha, files


def test_creates_the_branch_and_leaves_the_checkout_alone(history: History, capsys) -> None:
    change = history.commit(
        "queue", {"queue.tf": 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n'}
    )
    history.write({"notes.txt": "untracked work in progress\n"})
    before = _state(history)
    assert main(["rollback", "apply", "HEAD", "--yes", "--repo", str(history.root)]) == 0
    out = capsys.readouterr().out
    branch = f"rollback/{change[:12]}"
    assert f"Created {branch} with the revert; you are still on main." in out
    assert "Nothing was pushed" in out
    assert _state(history) == before  # branch, HEAD and every file as they were
    tip = history.repo.commit(branch)
    assert tip.parents[0].hexsha == change
    assert tip.message.startswith('Revert "queue"')
    assert "queue.tf" not in [item.path for item in tip.tree.traverse()]
    assert history.repo.git.worktree("list").count("\n") == 0  # the temporary work tree is gone


def test_checkout_switches_to_the_branch(history: History) -> None:
    history.commit("queue", {"queue.tf": 'resource "aws_sqs_queue" "jobs" {}\n'})
    assert (
        main(
            [
                "rollback",
                "apply",
                "HEAD",
                "--yes",
                "--checkout",
                "--branch",
                "undo-queue",
                "--repo",
                str(history.root),
            ]
        )
        == 0
    )
    assert history.repo.active_branch.name == "undo-queue"
    assert not (history.root / "queue.tf").exists()


def test_merge_commit_is_reverted_against_its_mainline(history: History) -> None:
    repo = history.repo
    history.merge("feature", {"queue.tf": 'resource "aws_sqs_queue" "jobs" {}\n'})
    mainline = repo.head.commit.parents[0]
    assert (
        main(
            ["rollback", "apply", "HEAD", "--yes", "--branch", "undo", "--repo", str(history.root)]
        )
        == 0
    )
    assert repo.commit("undo").tree.hexsha == mainline.tree.hexsha


def test_refuses_a_dirty_work_tree(history: History, capsys) -> None:
    history.commit("queue", {"queue.tf": 'resource "aws_sqs_queue" "jobs" {}\n'})
    (history.root / "main.tf").write_text("# edited, not committed\n")
    assert main(["rollback", "apply", "HEAD", "--yes", "--repo", str(history.root)]) == 2
    assert "uncommitted changes" in capsys.readouterr().err
    assert [h.name for h in history.repo.heads] == ["main"]


def test_refuses_an_unknown_revision(history: History, capsys) -> None:
    assert main(["rollback", "apply", "v9.9.9", "--yes", "--repo", str(history.root)]) == 2
    assert "unknown revision 'v9.9.9'" in capsys.readouterr().err


def test_a_conflicting_revert_is_aborted_and_leaves_nothing(history: History, capsys) -> None:
    change = history.commit("name v2", history.edit("main.tf", 'name = "web"', 'name = "web-v2"'))
    history.commit("name v3", history.edit("main.tf", 'name = "web-v2"', 'name = "web-v3"'))
    before = _state(history)
    assert main(["rollback", "apply", change, "--yes", "--repo", str(history.root)]) == 2
    err = capsys.readouterr().err
    assert "conflicts with later changes" in err and "nothing was created" in err
    assert [h.name for h in history.repo.heads] == ["main"]
    assert _state(history) == before
    assert history.repo.git.worktree("list").count("\n") == 0


def test_refuses_a_shallow_clone_that_lacks_the_parent(
    history: History, tmp_path: Path, capsys
) -> None:
    history.commit("queue", {"queue.tf": 'resource "aws_sqs_queue" "jobs" {}\n'})
    clone = tmp_path / "shallow"
    git.Repo.clone_from(f"file://{history.root}", clone, depth=1)
    assert main(["rollback", "apply", "HEAD", "--yes", "--repo", str(clone)]) == 2
    assert "shallow clone" in capsys.readouterr().err
    assert main(["rollback", "plan", "HEAD", "--repo", str(clone)]) == 2


def test_asks_before_creating_and_refuses_without_a_terminal(history: History) -> None:
    history.commit("queue", {"queue.tf": 'resource "aws_sqs_queue" "jobs" {}\n'})
    result = subprocess.run(
        [sys.executable, "-m", "copilot", "rollback", "apply", "HEAD", "--repo", str(history.root)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.returncode == 2
    assert "pass --yes" in result.stderr
    assert [h.name for h in history.repo.heads] == ["main"]
