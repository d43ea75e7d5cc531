"""What every benchmark needs: a peer in a virtual environment of its own (it never runs inside
ours), and the median wall time of a command."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def find_peer(
    package: str, executable: str, explicit: Path | None, install: bool, on_path: bool = True
) -> str | None:
    """`explicit` if given; else `executable` from bench/.venv-<package>, created and filled with
    `pip install <package>` first when `install` is set; else, if `on_path`, the one on PATH."""
    if explicit:
        # absolute: the benchmarks run their commands from other folders
        if not explicit.exists():
            raise SystemExit(f"{explicit}: no such {executable} executable")
        return str(explicit.absolute())
    venv = BENCH / f".venv-{package}"
    found = venv / "bin" / executable
    if install and not found.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", package], check=True)
    if found.exists():
        return str(found)
    return shutil.which(executable) if on_path else None


def timed(
    command: list[str],
    repeat: int,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    before_each: Callable[[], None] | None = None,
) -> tuple[float, str]:
    """The median wall time of `repeat` runs, and what the last run printed. `before_each` is
    called, untimed, before every run."""
    times, out = [], ""
    for _ in range(repeat):
        if before_each is not None:
            before_each()
        start = time.perf_counter()
        result = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - start)
        out = result.stdout
    return statistics.median(times), out
