from __future__ import annotations

import json
from pathlib import Path

from copilot.cli.app import main

VOLUME = 'resource "aws_ebs_volume" "{name}" {{\n  encrypted = true\n  type = "gp2"\n}}\n'


def test_baseline_absorbs_existing_findings_even_when_lines_move(project: Path, capsys) -> None:
    (project / "main.tf").write_text(VOLUME.format(name="old"))
    assert main(["baseline", "create", ".", "-o", "baseline.json"]) == 0
    entries = json.loads((project / "baseline.json").read_text())["findings"]
    assert entries == [
        {"rule": "TF-AWS-016", "path": "main.tf", "subject": "aws_ebs_volume.old", "count": 1}
    ]
    assert main(["review", ".", "--baseline", "baseline.json"]) == 0
    # an unrelated edit moves the old finding down: still baselined
    (project / "main.tf").write_text("# header\n\n\n" + VOLUME.format(name="old"))
    assert main(["review", ".", "--baseline", "baseline.json"]) == 0
    # a new resource with the same problem is new
    (project / "main.tf").write_text(VOLUME.format(name="old") + VOLUME.format(name="new"))
    capsys.readouterr()
    assert main(["review", ".", "--baseline", "baseline.json", "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert "aws_ebs_volume.new" in out
    assert "aws_ebs_volume.old" not in out
    assert "1 in the baseline" in out


def test_baseline_from_config_and_broken_baseline(project: Path, capsys) -> None:
    (project / "main.tf").write_text(VOLUME.format(name="v"))
    main(["baseline", "create", "-o", "ci/baseline.json"])
    (project / ".devops-copilot.yaml").write_text("baseline: ci/baseline.json\n")
    assert main(["review"]) == 0
    (project / "ci" / "baseline.json").write_text("{not json")
    capsys.readouterr()
    assert main(["review"]) == 2
    assert "not a readable baseline" in capsys.readouterr().err


def test_each_baselined_finding_absorbs_one_occurrence(project: Path, capsys) -> None:
    workflow = project / ".github" / "workflows" / "ci.yml"
    workflow.parent.mkdir(parents=True)
    steps = "      - uses: acme/setup@v1\n"
    head = (
        "name: ci\non: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 10\n    steps:\n"
    )
    workflow.write_text(head + steps)
    assert main(["baseline", "create", ".", "-o", "baseline.json"]) == 0
    assert main(["review", ".", "--baseline", "baseline.json"]) == 0
    # the same unpinned action again, same job: same rule, file and subject, but one more
    workflow.write_text(head + steps + steps)
    capsys.readouterr()
    assert main(["review", ".", "--baseline", "baseline.json", "-f", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [f["rule_id"] for f in report["findings"]] == ["GHA-005"]
