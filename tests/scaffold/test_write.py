"""Writing a generated project: only into its own folder, never over a user's files by surprise."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from copilot.scaffold.template import RenderedFile, ScaffoldError
from copilot.scaffold.write import write_project

FILES = [
    RenderedFile(PurePosixPath("README.md"), "# hi\n"),
    RenderedFile(PurePosixPath("src/pkg/__init__.py"), ""),
]


def test_writes_into_a_new_folder_with_ordinary_permissions(tmp_path: Path) -> None:
    written = write_project(tmp_path / "new", FILES)
    assert [p.relative_to(tmp_path / "new").as_posix() for p in written] == [
        "README.md",
        "src/pkg/__init__.py",
    ]
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "new" / "README.md").stat().st_mode & 0o777 == 0o666 & ~umask
    assert not list((tmp_path / "new").rglob(".*.tmp"))


def test_a_folder_that_is_not_empty_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    (target / "README.md").write_text("old")
    with pytest.raises(ScaffoldError, match="not empty; pass --force"):
        write_project(target, FILES)
    assert (target / "README.md").read_text() == "old"
    write_project(target, FILES, force=True)
    assert (target / "README.md").read_text() == "# hi\n"
    assert (target / "notes.txt").read_text() == "mine"  # not the scaffold's: left alone


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    with pytest.raises(ScaffoldError, match="not a folder"):
        write_project(tmp_path / "taken", FILES)


@pytest.mark.parametrize("bad", ["../escape.txt", "/etc/escape.txt", "a/../../escape.txt"])
def test_paths_that_leave_the_folder_are_refused_before_anything_is_written(
    tmp_path: Path, bad: str
) -> None:
    target = tmp_path / "project"
    with pytest.raises(ScaffoldError, match="would leave the project folder"):
        write_project(target, [*FILES, RenderedFile(PurePosixPath(bad), "x")])
    assert not target.exists()
    assert not (tmp_path / "escape.txt").exists()


def test_symlinks_inside_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "project"
    target.mkdir()
    (target / "src").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ScaffoldError, match="symbolic link"):
        write_project(target, FILES, force=True)
    assert list(outside.iterdir()) == []
    assert not (target / "README.md").exists()  # refused before the first write


def test_the_target_itself_may_not_be_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    with pytest.raises(ScaffoldError, match="symbolic link"):
        write_project(tmp_path / "link", FILES)
