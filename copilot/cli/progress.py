"""A progress bar on stderr for long work in a real terminal; silent everywhere else."""

from __future__ import annotations

import os
import sys
from typing import Any

MIN_FILES = 50  # below this a review is over before a bar would help


def wanted(disabled: bool) -> bool:
    """Only in a real terminal: not in CI (`CI`), not under pre-commit (`PRE_COMMIT=1`, whose
    runners fake a terminal), not with --no-progress."""
    if disabled or os.environ.get("CI") or os.environ.get("PRE_COMMIT"):
        return False
    return sys.stderr.isatty()


class Bar:
    """rich's progress bar on stderr, started once the total is known."""

    def __init__(self, label: str = "reviewing", minimum: int = MIN_FILES) -> None:
        self._label = label
        self._minimum = minimum
        self._progress: Any = None
        self._task: Any = None

    def start(self, total: int) -> None:
        if total < self._minimum:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn(self._label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._task = self._progress.add_task("review", total=total)
        self._progress.start()

    def advance(self, path: str = "") -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
