from __future__ import annotations

from pathlib import Path

import pytest

from copilot.atomic import new_file_mode, replace_file
from copilot.findings import baseline


def test_a_new_file_gets_ordinary_permissions_and_a_replaced_file_keeps_its_own(
    tmp_path: Path,
) -> None:
    new = tmp_path / "new.txt"
    replace_file(new, b"a")
    assert new.stat().st_mode & 0o777 == new_file_mode()
    script = tmp_path / "run.sh"
    script.write_text("old")
    script.chmod(0o750)
    replace_file(script, b"new")
    assert script.read_bytes() == b"new"
    assert script.stat().st_mode & 0o777 == 0o750


def test_a_failed_rename_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("original")

    def refuse(self: Path, other: Path) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        replace_file(target, b"new")
    assert target.read_text() == "original"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_a_baseline_file_is_readable_like_any_file_the_user_writes(tmp_path: Path) -> None:
    path = tmp_path / ".devops-copilot-baseline.json"
    baseline.create([], path)
    assert path.stat().st_mode & 0o777 == new_file_mode()  # tempfile alone would give 0600
