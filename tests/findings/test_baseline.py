from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.cli.app import main

VOLUME = 'resource "aws_ebs_volume" "{name}" {{\n  encrypted = true\n  type = "gp2"\n}}\n'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_baseline_absorbs_existing_findings_even_when_lines_move(repo: Path, capsys) -> None:
    (repo / "main.tf").write_text(VOLUME.format(name="old"))
    assert main(["baseline", "create", ".", "-o", "baseline.json"]) == 0
    entries = json.loads((repo / "baseline.json").read_text())["findings"]
    assert entries == [
        {"rule": "TF-AWS-016", "path": "main.tf", "subject": "aws_ebs_volume.old", "count": 1}
    ]
    assert main(["review", ".", "--baseline", "baseline.json"]) == 0
    # an unrelated edit moves the old finding down: still baselined
    (repo / "main.tf").write_text("# header\n\n\n" + VOLUME.format(name="old"))
    assert main(["review", ".", "--baseline", "baseline.json"]) == 0
    # a new resource with the same problem is new
    (repo / "main.tf").write_text(VOLUME.format(name="old") + VOLUME.format(name="new"))
    capsys.readouterr()
    assert main(["review", ".", "--baseline", "baseline.json", "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert "aws_ebs_volume.new" in out
    assert "aws_ebs_volume.old" not in out
    assert "1 in the baseline" in out


def test_baseline_from_config_and_broken_baseline(repo: Path, capsys) -> None:
    (repo / "main.tf").write_text(VOLUME.format(name="v"))
    main(["baseline", "create", "-o", "ci/baseline.json"])
    (repo / ".devops-copilot.yaml").write_text("baseline: ci/baseline.json\n")
    assert main(["review"]) == 0
    (repo / "ci" / "baseline.json").write_text("{not json")
    capsys.readouterr()
    assert main(["review"]) == 2
    assert "not a readable baseline" in capsys.readouterr().err
