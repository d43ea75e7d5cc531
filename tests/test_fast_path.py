"""The pre-commit path stays light: a review of a Terraform file, or of workflows whose findings
carry fixes and schema errors, imports nothing heavy.
(Speed itself is measured in bench/, never asserted here.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HEAVY = (
    "sklearn",
    "numpy",
    "jinja2",
    "git",
    "jsonschema",
    "rich.console",
    "pydantic",
    # the other sub-commands' modules: only the command being run is imported and built
    "copilot.cli.risk",
    "copilot.cli.rollback",
    "copilot.cli.scaffold",
    "copilot.cli.rules",
)


def _heavy_imports(target: Path, out: Path) -> tuple[int, str, str]:
    code = (
        "import sys\nfrom copilot.cli.app import main\n"
        f"code = main(['review', {str(target)!r}, '-f', 'json', '-o', {str(out)!r}])\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy))\nraise SystemExit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    return result.returncode, result.stdout.strip(), result.stderr


def _review_workflow(tmp_path: Path, text: str) -> tuple[list[dict[str, Any]], str]:
    """The findings of a review of one workflow that has some, and what heavy it imported."""
    workflow = tmp_path / ".github" / "workflows" / "ci.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(text)
    code, heavy, err = _heavy_imports(tmp_path, tmp_path / "out.json")
    assert code == 1, err
    findings: list[dict[str, Any]] = json.loads((tmp_path / "out.json").read_text())["findings"]
    return findings, heavy


def test_reviewing_a_terraform_file_imports_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
    code, heavy, err = _heavy_imports(tmp_path / "main.tf", tmp_path / "out.json")
    assert code == 1, err  # the bucket has findings
    assert heavy == "", f"imported on the fast path: {heavy}"


def test_reviewing_a_valid_workflow_imports_neither_jinja2_nor_jsonschema(tmp_path: Path) -> None:
    """The schema's yes comes from jsonschema-rs; the fixes of GHA-019 (a raw block), GHA-020 and
    GHA-022 (table lookups) render without jinja2."""
    findings, heavy = _review_workflow(
        tmp_path,
        "on: pull_request\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - uses: actions/checkout@v2\n      - uses: actions/setup-python@v5\n",
    )
    found = {f["rule_id"] for f in findings}
    assert {"GHA-019", "GHA-020", "GHA-022"} <= found
    assert "GHA-001" not in found
    assert heavy == "", f"imported on the fast path: {heavy}"


def test_reviewing_an_invalid_workflow_locates_its_errors_without_jsonschema(
    tmp_path: Path,
) -> None:
    """jsonschema-rs both rejects the document and locates each error."""
    findings, heavy = _review_workflow(
        tmp_path,
        "on: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 5\n    stepz: []\n",
    )
    schema = [f for f in findings if f["rule_id"] == "GHA-001"]
    assert [f["location"]["line"] for f in schema] == [7], schema
    assert "stepz" in schema[0]["message"] + json.dumps(schema[0]), schema
    assert heavy == "", f"imported on the fast path: {heavy}"
