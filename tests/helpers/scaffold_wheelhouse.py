"""Download, ahead of the tests, every package a generated MLOps project declares, so the tests
can install generated projects into fresh virtual environments without touching the network.

    python -m tests.helpers.scaffold_wheelhouse [FOLDER]   (default: .wheelhouse-scaffold)

The requirements are read from the rendered projects' own pyproject.toml, for every choice that
changes them; the tests install with `pip --no-index --find-links FOLDER`.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import tomllib
from pathlib import Path

from copilot.scaffold.template import load, render

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / ".wheelhouse-scaffold"
BUILD = ["setuptools>=69", "wheel"]  # the generated project's build backend, for pip install -e


def requirements() -> list[str]:
    """The union of what generated projects declare, dev extras included."""
    scaffold = load("mlops")
    found: set[str] = set(BUILD)
    serves = scaffold.option("serve").choices
    trackings = scaffold.option("tracking").choices
    for serve, tracking in itertools.product(serves, trackings):
        files = render(scaffold, "wheelhouse-probe", {"serve": serve, "tracking": tracking})
        text = next(f.text for f in files if str(f.path) == "pyproject.toml")
        project = tomllib.loads(text)["project"]
        found.update(project["dependencies"])
        for extra in project.get("optional-dependencies", {}).values():
            found.update(extra)
    return sorted(found)


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else DEFAULT
    target.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(target)]
    return subprocess.run([*command, *requirements()], check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
