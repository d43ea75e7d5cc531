"""The pre-commit path stays light: a review of a Terraform file imports nothing heavy.
(Speed itself is measured in bench/, never asserted here.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sklearn", "numpy", "jinja2", "git", "jsonschema", "rich.console", "pydantic")


def test_reviewing_a_terraform_file_imports_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
    code = (
        "import sys\nfrom copilot.cli.app import main\n"
        f"code = main(['review', {str(tmp_path / 'main.tf')!r}, '-f', 'json', '-o', {str(tmp_path / 'out.json')!r}])\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy))\nraise SystemExit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 1, result.stderr  # the bucket has findings
    assert result.stdout.strip() == "", f"imported on the fast path: {result.stdout.strip()}"
