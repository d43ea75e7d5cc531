from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from copilot.cli.app import main

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def sarif(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("sarif") / "report.sarif"
    assert main(["review", str(EXAMPLES), "-f", "sarif", "-o", str(out)]) == 1
    return json.loads(out.read_text())


def test_sarif_validates_against_the_oasis_schema(sarif: dict) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(sarif)


def test_sarif_carries_rules_levels_severity_and_fingerprints(sarif: dict) -> None:
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    results = run["results"]
    assert results
    for result in results:
        rule = rules[result["ruleId"]]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("note", "warning", "error")
        assert float(rule["properties"]["security-severity"]) > 0
        assert len(result["partialFingerprints"]["devopsCopilot/v1"]) == 32
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    pitr = next(r for r in results if r["ruleId"] == "TF-AWS-033")
    (replacement,) = pitr["fixes"][0]["artifactChanges"][0]["replacements"]
    assert "point_in_time_recovery {" in replacement["insertedContent"]["text"]
    region = replacement["deletedRegion"]
    assert (region["startLine"], region["startColumn"]) == (
        region["endLine"],
        region["endColumn"],
    )  # an insertion
    public_acl = next(r for r in results if r["ruleId"] == "TF-AWS-002")
    assert public_acl["level"] == "error"
    assert rules["TF-AWS-002"]["properties"]["security-severity"] == "9.5"


def test_fingerprints_do_not_depend_on_line_numbers(tmp_path: Path) -> None:
    body = 'resource "aws_ebs_volume" "v" {\n  encrypted = true\n  type = "gp2"\n}\n'
    prints = []
    for padding in ("", "\n\n\n# moved down\n"):
        (tmp_path / "main.tf").write_text(padding + body)
        out = tmp_path / "r.sarif"
        main(["review", str(tmp_path), "-f", "sarif", "-o", str(out)])
        result = json.loads(out.read_text())["runs"][0]["results"][0]
        prints.append(result["partialFingerprints"]["devopsCopilot/v1"])
    assert prints[0] == prints[1]
