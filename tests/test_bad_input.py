"""Bad files become located `parse-error` findings; the rest of the scan goes on; no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GP2 = 'resource "aws_ebs_volume" "v" {\n  encrypted = true\n  type = "gp2"\n}\n'


def _review(folder: Path) -> tuple[int, dict, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "copilot", "review", str(folder), "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=folder,
    )
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


def _errors(document: dict) -> dict[str, tuple[int, str]]:
    return {
        Path(f["location"]["path"]).name: (f["location"]["line"], f["message"])
        for f in document["findings"]
        if f["rule_id"] == "parse-error"
    }


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "stack"
    sub.mkdir()
    (sub / "good.tf").write_text(GP2)
    return sub


def test_syntax_error_is_a_finding_with_its_line_and_the_scan_goes_on(folder: Path) -> None:
    (folder / "broken.tf").write_text('resource "a" "b" {\n  x = 1\n  y = = 2\n}\n')
    code, document, _ = _review(folder)
    assert code == 1
    assert _errors(document)["broken.tf"][0] == 3
    assert any(f["rule_id"] == "TF-AWS-016" for f in document["findings"])


def test_non_utf8_file(folder: Path) -> None:
    (folder / "latin1.tf").write_bytes(b'# caf\xe9\nresource "a" "b" {}\n')
    _, document, _ = _review(folder)
    line, message = _errors(document)["latin1.tf"]
    assert line == 1
    assert "not UTF-8" in message


def test_binary_file(folder: Path) -> None:
    (folder / "blob.tf").write_bytes(b"\x00\x01\x02binary")
    _, document, _ = _review(folder)
    assert "binary file" in _errors(document)["blob.tf"][1]


def test_huge_file(folder: Path) -> None:
    with (folder / "huge.tf").open("w") as handle:
        handle.write("# padding\n" * 600_000)
    _, document, _ = _review(folder)
    assert "over the" in _errors(document)["huge.tf"][1]


def test_symlink_loop(folder: Path) -> None:
    (folder / "loop.tf").symlink_to(folder / "loop.tf")
    (folder / "sub").mkdir()
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)
    _, document, _ = _review(folder)
    errors = _errors(document)
    assert "symlink loop" in errors["loop.tf"][1]
    assert "symlink loop" in errors["back"][1]
    assert any(f["rule_id"] == "TF-AWS-016" for f in document["findings"])


def test_empty_file_is_fine(folder: Path) -> None:
    (folder / "empty.tf").write_text("")
    code, document, _ = _review(folder)
    assert _errors(document) == {}
    assert code == 1  # the gp2 volume in good.tf
