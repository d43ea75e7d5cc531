"""Build the wheel, install it into a fresh virtual environment, and review from there.

No network: the wheel is installed with --no-index --no-deps, and the new environment sees this
environment's dependencies through a .pth file (a .pth line adds a folder, but the .pth files in
that folder are not read, so this checkout's editable install does not leak in).
"""

from __future__ import annotations

import email
import shutil
import site
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (built,) = out.glob("devops_copilot-*.whl")
    return built


@pytest.mark.slow
def test_wheel_ships_rules_templates_and_declares_dependencies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(metadata_name))
    assert "copilot/_data/rules/rule.schema.json" in names
    assert "copilot/_data/rules/terraform/aws/TF-AWS-001.yaml" in names
    assert "copilot/_data/templates/report/markdown.md.j2" in names
    shipped_rules = {
        n for n in names if n.startswith("copilot/_data/rules/") and n.endswith(".yaml")
    }
    assert len(shipped_rules) == len(list((ROOT / "rules").rglob("*.yaml")))
    scaffold = ROOT / "templates" / "scaffold"
    expected = {
        "copilot/_data/templates/scaffold/" + p.relative_to(scaffold).as_posix()
        for p in scaffold.rglob("*")
        if p.is_file()
    }
    assert expected <= names  # dotfiles (.github/, .gitignore.j2) included
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]

    def normal(text: str) -> tuple[str, str]:
        requirement = Requirement(text)
        return canonicalize_name(requirement.name), str(requirement.specifier)

    required = {normal(r) for r in metadata.get_all("Requires-Dist", []) if "extra ==" not in r}
    assert required == {normal(d) for d in declared}


@pytest.mark.slow
def test_review_runs_from_a_fresh_environment(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
        check=True,
    )
    target_site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    ours = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    (target_site / "outer-dependencies.pth").write_text("\n".join(dict.fromkeys(ours)) + "\n")
    examples = shutil.copytree(ROOT / "examples", tmp_path / "examples")
    where = subprocess.run(
        [str(python), "-c", "import copilot; print(copilot.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert str(env_dir) in where
    result = subprocess.run(
        [str(env_dir / "bin" / "devops-copilot"), "review", str(examples), "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert '"rule_id": "TF-AWS-002"' in result.stdout
    rules = subprocess.run(
        [str(env_dir / "bin" / "devops-copilot"), "rules", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert rules.stdout.count('"id"') >= 60
    scaffolded = subprocess.run(
        [
            str(env_dir / "bin" / "devops-copilot"),
            "scaffold",
            "mlops",
            "from-wheel",
            "--ci",
            "gitlab",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert scaffolded.returncode == 0, scaffolded.stderr
    assert (tmp_path / "from-wheel" / ".gitlab-ci.yml").is_file()
