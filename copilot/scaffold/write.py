"""Write a rendered project into its folder, and nowhere else.

Every path is checked before the first byte is written: no absolute paths, no `..`, and no
existing symlink (a file or a parent folder) that would carry a write outside the target. A folder
that already holds files is refused unless `force` is given; with `force`, files the scaffold
produces are replaced and all others are left alone. Each file is written beside its final name
and renamed into place, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from copilot.atomic import replace_file
from copilot.scaffold.template import RenderedFile, ScaffoldError


def write_project(target: Path, files: list[RenderedFile], force: bool = False) -> list[Path]:
    target = Path(os.path.abspath(target))
    _check_target(target, force)
    destinations = [_destination(target, f.path) for f in files]
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for destination, file in zip(destinations, files, strict=True):
        destination.parent.mkdir(parents=True, exist_ok=True)
        replace_file(destination, file.text.encode("utf-8"))
        written.append(destination)
    return written


def _check_target(target: Path, force: bool) -> None:
    if target.is_symlink():
        raise ScaffoldError(f"{target}: is a symbolic link; give the real folder")
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ScaffoldError(f"{target}: folder is not empty; pass --force to write into it")


def _destination(target: Path, relative: PurePosixPath) -> Path:
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ScaffoldError(f"template path {relative} would leave the project folder")
    destination = target.joinpath(*relative.parts)
    # An existing symlink anywhere below the target could point outside it.
    probe = target
    for part in relative.parts:
        probe = probe / part
        if probe.is_symlink():
            raise ScaffoldError(f"{probe}: is a symbolic link; refusing to write through it")
    return destination
