from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from copilot.config import Config
from copilot.findings.model import Finding
from copilot.pipeline import run_review
from copilot.rules.load import load_rules
from copilot.rules.model import Rule

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The test session never reads or fills the user's cache folder."""
    import os

    os.environ["DEVOPS_COPILOT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def all_rules() -> list[Rule]:
    return load_rules()


def review_files(
    files: dict[str, str], root: Path, rules: list[Rule], config: Config | None = None
) -> list[Finding]:
    """Write `files` (relative path -> text) under `root` and review the folder."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return run_review([root], rules, config or Config()).findings


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def git(repo: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, as the working folder; its `.git` stops config discovery there."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository with an identity, as the working folder."""
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@t")
    git(tmp_path, "config", "user.name", "t")
    return tmp_path
