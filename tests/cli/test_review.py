from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.cli.app import main

ROOT = Path(__file__).resolve().parents[2]
BAD = 'resource "aws_ebs_volume" "v" {\n  encrypted = true\n  type      = "gp2"\n}\n'
GOOD = 'resource "aws_ebs_volume" "v" {\n  encrypted = true\n  type      = "gp3"\n}\n'


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_codes_tell_findings_from_clean_and_from_errors(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "bad").mkdir()
    (project / "bad" / "main.tf").write_text(BAD)
    (project / "good").mkdir()
    (project / "good" / "main.tf").write_text(GOOD)
    assert _run(["review", "good"], capsys)[0] == 0
    code, out, _ = _run(["review", "bad", "--color", "never"], capsys)
    assert code == 1
    assert "bad/main.tf:3:15  low  TF-AWS-016  EBS volume uses the gp2 type" in out
    assert "^^^^^" in out
    code, _, err = _run(["review", "missing-folder"], capsys)
    assert code == 2
    assert "no such file or folder: missing-folder" in err


def test_fail_on_threshold(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "main.tf").write_text(BAD)
    assert _run(["review", ".", "--fail-on", "medium"], capsys)[0] == 0
    assert _run(["review", ".", "--fail-on", "low"], capsys)[0] == 1
    assert _run(["review", ".", "--exit-zero"], capsys)[0] == 0
    assert _run(["review", "nowhere", "--exit-zero"], capsys)[0] == 2
    code, _, err = _run(["review", ".", "--fail-on", "severe"], capsys)
    assert code == 2
    assert "unknown severity" in err


def test_json_output_and_output_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "main.tf").write_text(BAD)
    code, out, err = _run(["review", ".", "-f", "json", "-o", "out/report.json"], capsys)
    assert code == 1
    assert out == ""
    assert "1 finding" in err
    document = json.loads((project / "out" / "report.json").read_text())
    (finding,) = document["findings"]
    assert finding["rule_id"] == "TF-AWS-016"
    assert finding["subject"] == "aws_ebs_volume.v"
    assert finding["location"] == {
        "path": "main.tf",
        "line": 3,
        "column": 15,
        "end_line": 3,
        "end_column": 20,
        "label": "set to 'gp2'",
    }


def test_github_annotations(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "main.tf").write_text(BAD)
    _, out, _ = _run(["review", ".", "-f", "github"], capsys)
    assert out.startswith(
        "::notice file=main.tf,line=3,col=15,endLine=3,title=TF-AWS-016 EBS volume uses the gp2 type::"
    )


def test_junit_output_is_xml_with_one_failure(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from xml.etree import ElementTree as ET

    (project / "main.tf").write_text(BAD)
    _, out, _ = _run(["review", ".", "-f", "junit"], capsys)
    suite = ET.fromstring(out.split("\n", 1)[1])
    assert suite.get("failures") == "1"
    assert suite.find("testcase/failure").get("type") == "TF-AWS-016"


def test_markdown_output_renders_from_the_template(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.tf").write_text(BAD)
    _, out, _ = _run(["review", ".", "-f", "markdown"], capsys)
    assert "| low | `TF-AWS-016` | `main.tf:3` |" in out
    assert "<details><summary><code>TF-AWS-016</code>" in out


def test_color_always_and_never(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "main.tf").write_text(BAD)
    assert "\x1b[" in _run(["review", ".", "--color", "always"], capsys)[1]
    assert "\x1b[" not in _run(["review", ".", "--color", "never"], capsys)[1]


def test_select_and_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "main.tf").write_text(BAD)
    assert _run(["review", ".", "--ignore", "TF-AWS-016"], capsys)[0] == 0
    assert _run(["review", ".", "--select", "TF-AZ-*"], capsys)[0] == 0
    assert _run(["review", ".", "--select", "TF-AWS-*"], capsys)[0] == 1
    assert _run(["review", ".", "--select", "TF-AZ-001,TF-AWS-016"], capsys)[0] == 1


def test_user_rule_folder_adds_a_rule_without_python(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = project / "my-rules"
    rules.mkdir()
    (rules / "ACME-001.yaml").write_text(
        "id: ACME-001\nname: ebs-volume-small\ntitle: EBS volume is smaller than our minimum\n"
        "severity: medium\ncategory: reliability\n"
        "target: {kind: terraform, resource: aws_ebs_volume}\n"
        "when: {attribute: size, less_than: 20}\n"
        "message: '`{{ address }}` is too small.'\n"
        "rationale: Our images need at least 20 GiB of disk to boot.\n"
    )
    (project / "main.tf").write_text(
        'resource "aws_ebs_volume" "v" {\n  size = 8\n  encrypted = true\n}\n'
    )
    code, out, _ = _run(["review", ".", "--rules", "my-rules", "--color", "never"], capsys)
    assert code == 1
    assert "ACME-001" in out
    assert "`aws_ebs_volume.v` is too small." in out


def test_invalid_user_rule_is_named_with_file_and_key(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = project / "my-rules"
    rules.mkdir()
    (rules / "bad.yaml").write_text(
        "id: ACME-002\nname: x\ntitle: A title here\nseverity: severe\ncategory: security\n"
        "target: {kind: terraform}\nwhen: {attribute: a, exists: true}\nmessage: hello there\n"
        "rationale: long enough rationale text here.\n"
    )
    code, _, err = _run(["review", ".", "--rules", "my-rules"], capsys)
    assert code == 2
    assert "bad.yaml: severity:" in err


def test_config_in_pyproject_and_unknown_option(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.tf").write_text(BAD)
    (project / "pyproject.toml").write_text('[tool.devops-copilot]\nignore = ["TF-AWS-016"]\n')
    assert _run(["review", "."], capsys)[0] == 0
    (project / "pyproject.toml").write_text('[tool.devops-copilot]\nignroe = ["TF-AWS-016"]\n')
    code, _, err = _run(["review", "."], capsys)
    assert code == 2
    assert "unknown option 'ignroe'" in err


def test_config_severity_override_and_fail_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.tf").write_text(BAD)
    (project / ".devops-copilot.yaml").write_text("severity:\n  TF-AWS-016: high\nfail-on: high\n")
    code, out, _ = _run(["review", ".", "--color", "never"], capsys)
    assert code == 1
    assert "  high  TF-AWS-016" in out


def test_rules_list_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["rules", "list", "--format", "json"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 60
    gp2 = next(r for r in rows if r["id"] == "TF-AWS-016")
    assert gp2["category"] == "cost"
    assert gp2["fix"] is True
    assert next(r for r in rows if r["id"] == "TF-AWS-020")["fix"] is False
    code, out, _ = _run(["rules", "explain", "TF-AWS-001"], capsys)
    assert code == 0
    assert "Bad:" in out and "Good:" in out and "checkov:CKV2_AWS_6" in out
    assert _run(["rules", "explain", "NOPE-001"], capsys)[0] == 2


def test_no_traceback_reaches_the_user_on_an_internal_error(project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DEVOPS_COPILOT_DEBUG", None)
    (project / "main.tf").write_text(BAD)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import copilot.pipeline as p\n"
                "def boom(*a, **k): raise RuntimeError('kaboom')\n"
                "p.run_review = boom\n"
                "from copilot.cli.app import main\nraise SystemExit(main(['review', '.']))"
            ),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
        check=False,
    )
    assert result.returncode == 2
    assert "internal error: RuntimeError: kaboom" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_color_environment_variable(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "main.tf").write_text(BAD)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in _run(["review", "."], capsys)[1]


def test_skip_paths_and_rule_folders_from_config(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "legacy").mkdir()
    (project / "legacy" / "main.tf").write_text(BAD)
    (project / "policies").mkdir()
    (project / "policies" / "ACME-003.yaml").write_text(
        "id: ACME-003\nname: ebs-volume-untyped\ntitle: EBS volume type is not set\n"
        "severity: low\ncategory: cost\ntarget: {kind: terraform, resource: aws_ebs_volume}\n"
        "when: {attribute: type, exists: false}\nmessage: '`{{ address }}` has no type.'\n"
        "rationale: Say which type you pay for, explicitly.\n"
    )
    (project / "new").mkdir()
    (project / "new" / "main.tf").write_text(
        'resource "aws_ebs_volume" "n" {\n  encrypted = true\n}\n'
    )
    (project / ".devops-copilot.yaml").write_text(
        'skip-paths: ["legacy/*", "legacy"]\nrules: [policies]\n'
    )
    code, out, _ = _run(["review", ".", "--color", "never"], capsys)
    assert code == 1
    assert "legacy/main.tf" not in out
    assert "new/main.tf:1:1  low  ACME-003  EBS volume type is not set" in out


def test_rule_params_from_config(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workflow = project / ".github" / "workflows" / "ci.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "name: ci\non: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 5\n    steps:\n      - uses: acme/setup@v2\n"
    )
    assert _run(["review", "."], capsys)[0] == 1
    (project / ".devops-copilot.yaml").write_text(
        'rule-params:\n  GHA-005:\n    trusted: ["actions/*", "acme/*"]\n'
    )
    assert _run(["review", "."], capsys)[0] == 0
    (project / ".devops-copilot.yaml").write_text("rule-params:\n  GHA-005: [x]\n")
    code, _, err = _run(["review", "."], capsys)
    assert code == 2
    assert "rule-params.GHA-005: expected a mapping" in err


def test_a_review_without_online_never_uses_a_resolver_left_by_an_earlier_one(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from copilot.fixes import online

    online.use(lambda repository, ref: "0" * 40)  # as an earlier `--online` run would leave it
    try:
        main(["review", str(project), "-f", "json"])
        assert online.current() is None
    finally:
        online.use(None)
    capsys.readouterr()
