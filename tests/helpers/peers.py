"""Peers (checkov, zizmor) run from virtual environments of their own, never from ours."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def peer(name: str) -> str:
    """`name` from .venv-<name> (made by .ci/run), bench/.venv-<name> or PATH. In CI a missing
    peer fails the test, so that CI always runs it; elsewhere the test is skipped."""
    for venv in (ROOT / f".venv-{name}", ROOT / "bench" / f".venv-{name}"):
        if (venv / "bin" / name).is_file():
            return str(venv / "bin" / name)
    found = shutil.which(name)
    if found:
        return found
    how = f"python3 -m venv .venv-{name} && .venv-{name}/bin/pip install {name}"
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide {name} in an environment of its own ({how}; see .ci/run)")
    pytest.skip(f"{name} is not installed in an environment of its own ({how})")
