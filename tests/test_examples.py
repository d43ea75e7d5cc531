"""The examples are the Quickstart's first impression: their full text report is a golden file.

Regenerate after a reviewed change with `UPDATE_GOLDEN=1 pytest tests/test_examples.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from copilot.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_examples_report_matches_golden(fmt: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    code = main(["review", "examples/", "-f", fmt, "--color", "never"])
    out = capsys.readouterr().out
    assert code == 1
    golden = GOLDEN / f"examples.{fmt}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_literal_secret_is_masked_in_text_output(tmp_path: Path, capsys) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n}\n'
    )
    assert main(["review", str(tmp_path), "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert "TF-AWS-022" in out
    assert "wJalr" not in out
    assert 'secret_key = "' + "*" * 40 + '"' in out
