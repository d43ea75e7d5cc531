"""Rendering: every combination of options gives a project that parses, holds no template
residue, and that our own review finds nothing in."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest
import yaml

from copilot.config import Config
from copilot.pipeline import run_review
from copilot.scaffold.template import (
    ScaffoldError,
    available,
    check_choices,
    check_name,
    load,
    render,
)
from copilot.scaffold.write import write_project

SCAFFOLD = load("mlops")
COMBINATIONS = [
    dict(zip([o.name for o in SCAFFOLD.options], values, strict=True))
    for values in itertools.product(*(o.choices for o in SCAFFOLD.options))
]
_RESIDUE = re.compile(r"<<|>>|<%|%>|<#|#>|__package__")


def _id(choices: dict[str, str]) -> str:
    return "-".join(choices.values())


def test_the_manifest_names_only_files_that_exist() -> None:
    for prefix in [*SCAFFOLD.only, *SCAFFOLD.rename]:
        assert (SCAFFOLD.root / prefix).exists(), prefix
    for option in SCAFFOLD.options:
        assert option.default in option.choices
    for condition in SCAFFOLD.only.values():
        for key, value in condition.items():
            assert value in SCAFFOLD.option(key).choices


def test_list_shows_every_scaffold_with_its_options() -> None:
    assert [s.name for s in available()] == ["mlops"]
    assert {o.name for o in SCAFFOLD.options} == {"serve", "ci", "cloud", "tracking"}


@pytest.mark.parametrize("choices", COMBINATIONS, ids=_id)
def test_every_combination_renders_files_that_parse(choices: dict[str, str]) -> None:
    files = {str(f.path): f.text for f in render(SCAFFOLD, "churn-model", choices)}
    for path, text in files.items():
        assert not _RESIDUE.search(text.replace("<<EOF", "")), f"template residue in {path}"
        if path.endswith(".py"):
            ast.parse(text, filename=path)
        elif path.endswith((".yml", ".yaml")):
            yaml.safe_load(text)
    assert "src/churn_model/serve.py" in files
    assert ("src/churn_model/registry.py" in files) == (choices["tracking"] == "mlflow")
    assert (".github/workflows/ci.yml" in files) == (choices["ci"] == "github")
    assert (".gitlab-ci.yml" in files) == (choices["ci"] == "gitlab")
    assert ("infra/main.tf" in files) == (choices["cloud"] != "none")
    framework = "fastapi" if choices["serve"] == "fastapi" else "flask"
    assert f"from {framework} import" in files["src/churn_model/serve.py"]
    assert framework in files["pyproject.toml"]


@pytest.mark.parametrize("choices", COMBINATIONS, ids=_id)
def test_our_review_finds_nothing_in_a_generated_project(
    choices: dict[str, str], tmp_path: Path, all_rules
) -> None:
    target = tmp_path / "churn-model"
    write_project(target, render(SCAFFOLD, "churn-model", choices))
    result = run_review([target], all_rules, Config())
    assert [f"{f.location.path}:{f.location.line} {f.rule_id}" for f in result.findings] == []
    # It did look: the workflows (two on GitHub, one on GitLab) and the four Terraform files.
    expected = (2 if choices["ci"] == "github" else 1) + (4 if choices["cloud"] != "none" else 0)
    assert result.files == expected


@pytest.mark.parametrize(
    "name", ["ab", "Churn", "churn_model", "-churn", "churn-", "churn--model", "9lives", "a" * 25]
)
def test_bad_project_names_are_refused(name: str) -> None:
    with pytest.raises(ScaffoldError, match="invalid project name"):
        check_name(name)


@pytest.mark.parametrize("name", ["abc", "churn-model", "m2-model", "a" * 24])
def test_good_project_names(name: str) -> None:
    assert check_name(name) == name


def test_unknown_choices_are_refused() -> None:
    with pytest.raises(ScaffoldError, match="--serve: expected one of fastapi, flask"):
        check_choices(SCAFFOLD, {"serve": "django"})
    with pytest.raises(ScaffoldError, match="unknown option"):
        check_choices(SCAFFOLD, {"colour": "blue"})
    assert check_choices(SCAFFOLD, {})["cloud"] == "none"


@pytest.mark.parametrize("tracking", ["mlflow", "none"])
def test_makefile_and_pre_commit_config_are_well_formed(tmp_path: Path, tracking: str) -> None:
    import shutil
    import subprocess
    import sys

    target = tmp_path / "churn-model"
    write_project(target, render(SCAFFOLD, "churn-model", {"tracking": tracking}))
    make = shutil.which("make")
    if make is not None:
        targets = ["help", "install", "lint", "test", "train", "serve", "monitor", "retrain"]
        targets += ["versions", "promote", "rollback"] if tracking == "mlflow" else []
        dry = subprocess.run(
            [make, "-n", *targets], cwd=target, capture_output=True, text=True, check=False
        )
        assert dry.returncode == 0, dry.stderr
        assert "churn_model.train" in dry.stdout
    validate = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=target,
        capture_output=True,
        text=True,
        check=False,
    )
    assert validate.returncode == 0, validate.stdout + validate.stderr
