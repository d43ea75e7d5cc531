"""Generated projects work on day one: each installs into a fresh virtual environment from its
own declared requirements, passes its own lint and tests (training end to end, a real HTTP
request to the API), and is clean under our review, zizmor and checkov.

Installing needs the packages the projects declare. The tests never touch the network: the setup
step before them (`python -m tests.helpers.scaffold_wheelhouse`, part of .ci/run) downloads them
into .wheelhouse-scaffold/, and pip installs from there with --no-index.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.cli.app import main
from tests.helpers.peers import peer

ROOT = Path(__file__).resolve().parents[2]
WHEELHOUSE = ROOT / ".wheelhouse-scaffold"

# Every pairing of --serve and --ci, each --cloud once, and both --tracking choices.
PROJECTS = [
    {"serve": "fastapi", "ci": "github", "cloud": "aws", "tracking": "mlflow"},
    {"serve": "flask", "ci": "github", "cloud": "gcp", "tracking": "none"},
    {"serve": "fastapi", "ci": "gitlab", "cloud": "azure", "tracking": "none"},
    {"serve": "flask", "ci": "gitlab", "cloud": "none", "tracking": "mlflow"},
]


def _required(what: str, how: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide {what} ({how}; see .ci/run)")
    pytest.skip(f"{what} is not available ({how})")


def _run(command: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _ok(result: subprocess.CompletedProcess[str]) -> bool:
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
    return result.returncode == 0


@pytest.fixture(scope="module")
def wheelhouse() -> Path:
    if not any(WHEELHOUSE.glob("*.whl")):
        _required("a wheelhouse of the generated projects' requirements", "scaffold_wheelhouse")
    return WHEELHOUSE


def _generate(tmp_path: Path, choices: dict[str, str]) -> Path:
    options = [arg for key, value in choices.items() for arg in (f"--{key}", value)]
    assert main(["scaffold", "mlops", "churn-model", "-o", str(tmp_path), *options]) == 0
    return tmp_path / "churn-model"


@pytest.mark.slow
@pytest.mark.parametrize("choices", PROJECTS, ids=lambda c: "-".join(c.values()))
def test_generated_project_passes_its_own_tests_in_a_fresh_venv(
    tmp_path: Path, wheelhouse: Path, choices: dict[str, str]
) -> None:
    project = _generate(tmp_path, choices)
    venv = tmp_path / "venv"
    assert _ok(_run([sys.executable, "-m", "venv", str(venv)], tmp_path))
    python = str(venv / "bin" / "python")
    install = [python, "-m", "pip", "install", "--quiet", "--no-index"]
    assert _ok(_run([*install, "--find-links", str(wheelhouse), "-e", ".[dev]"], project))
    assert _ok(_run([python, "-m", "ruff", "check", "."], project))
    assert _ok(_run([python, "-m", "ruff", "format", "--check", "."], project))
    tests = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)
    assert _ok(tests)
    assert " passed" in tests.stdout and "skipped" not in tests.stdout
    # The training entry point runs as a user would run it, from the project folder.
    trained = _run([python, "-m", "churn_model.train", "--no-tuning"], project)
    assert _ok(trained)
    assert '"accuracy"' in trained.stdout
    assert (project / "models" / "model.skops").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("choices", PROJECTS, ids=lambda c: "-".join(c.values()))
def test_generated_project_is_clean_under_our_review_zizmor_and_checkov(
    tmp_path: Path, choices: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    project = _generate(tmp_path, choices)
    capsys.readouterr()
    assert main(["review", str(project), "--no-progress"]) == 0
    assert "No findings" in capsys.readouterr().out

    if choices["ci"] == "github":
        result = _run([peer("zizmor"), "--offline", "--no-progress", str(project)], tmp_path)
        assert _ok(result), result.stdout

    result = _run([peer("checkov"), "-d", str(project), "--compact"], tmp_path)
    assert _ok(result), result.stdout
    assert "dockerfile scan results" in result.stdout
    if choices["cloud"] != "none":
        assert "terraform scan results" in result.stdout
