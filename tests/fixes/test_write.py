"""Fixes change only the edited spans: line endings, tabs, a missing final newline, BOM, mode and
everything else are kept byte for byte; a file changed since it was read is not touched."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from copilot.cli.app import main
from copilot.fixes.write import StaleFileError, write_atomic
from copilot.parse.source import SourceFile

GP2 = 'resource "aws_ebs_volume" "v" {{{nl}{ind}# keep me{nl}{ind}encrypted = true{nl}{ind}type = "gp2"{nl}}}'


@pytest.mark.parametrize(
    ("newline", "indent", "final", "bom"),
    [
        ("\n", "  ", "\n", False),
        ("\r\n", "  ", "\r\n", False),
        ("\n", "\t", "", False),
        ("\r\n", "    ", "", True),
    ],
    ids=["lf", "crlf", "tabs-no-final-newline", "crlf-bom-no-final-newline"],
)
def test_only_the_edited_span_changes(
    project: Path, newline: str, indent: str, final: str, bom: bool
) -> None:
    text = GP2.format(nl=newline, ind=indent) + final
    path = project / "main.tf"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    path.chmod(0o640)
    assert main(["review", ".", "--fix", "--yes", "--select", "TF-AWS-016"]) == 0
    expected = (b"\xef\xbb\xbf" if bom else b"") + text.replace('"gp2"', '"gp3"').encode()
    assert path.read_bytes() == expected
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in project.iterdir()) == [
        ".git",
        "main.tf",
    ]  # no temporary file left


def test_inserted_lines_follow_the_file_style(project: Path) -> None:
    text = 'resource "aws_kms_key" "k" {\r\n\tdescription = "x"\r\n}\r\n'
    (project / "main.tf").write_text(text, newline="")
    assert main(["review", ".", "--fix", "--yes", "--select", "TF-AWS-027"]) == 0
    assert (project / "main.tf").read_bytes() == (
        b'resource "aws_kms_key" "k" {\r\n\tdescription = "x"\r\n\tenable_key_rotation = true\r\n}\r\n'
    )


def test_a_file_changed_since_it_was_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text("a = 1\n")
    original = SourceFile.read(path, "main.tf")
    path.write_text("a = 2\n")  # someone else edits it
    with pytest.raises(StaleFileError, match="changed on disk"):
        write_atomic(path, original, "a = 3\n")
    assert path.read_text() == "a = 2\n"


def test_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.tf"
    real.write_text("a = 1\n")
    link = tmp_path / "link.tf"
    link.symlink_to(real)
    write_atomic(link, SourceFile.read(link, "link.tf"), "a = 2\n")
    assert link.is_symlink()
    assert real.read_text() == "a = 2\n"
