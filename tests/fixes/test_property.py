"""Apply every safe fix to every fixture and to the examples: the result parses, the fixed
findings are gone, no new finding appears, and a second pass changes nothing."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from copilot.config import Config, load_config
from copilot.fixes.apply import fix_review, key_of
from copilot.fixes.model import Applicability
from copilot.pipeline import run_review
from copilot.rules.load import load_rules
from tests.test_rule_fixtures import FIXTURES, RULES, _stage, _variant

ROOT = Path(__file__).resolve().parents[2]
ALL_RULES = load_rules()
CASES = [(rule_id, kind) for rule_id in sorted(RULES) for kind in ("bad", "good")]


def _check(folder: Path, config: Config) -> int:
    before = run_review([folder], ALL_RULES, config)
    outcome = fix_review([folder], ALL_RULES, config, Applicability.SAFE)
    assert outcome.dropped == [], [(f.rule_id, r) for f, _, r in outcome.dropped]
    for path, text in outcome.texts.items():
        Path(path).write_text(text, encoding="utf-8")
    after = run_review([folder], ALL_RULES, config)
    assert not any(f.rule_id == "parse-error" for f in after.findings if f not in before.findings)
    old, new = (
        Counter(key_of(f) for f in before.findings),
        Counter(key_of(f) for f in after.findings),
    )
    assert [k for k in new if new[k] > old[k]] == [], "a fix brought a new finding"
    for finding, _fix in outcome.applied:
        assert new[key_of(finding)] < old[key_of(finding)], f"{finding.rule_id} is still reported"
    again = fix_review([folder], ALL_RULES, config, Applicability.SAFE)
    assert again.texts == {}, "a second pass changes nothing"
    return len(outcome.applied)


@pytest.mark.parametrize(("rule_id", "kind"), CASES)
def test_safe_fixes_on_fixture(rule_id: str, kind: str, tmp_path: Path) -> None:
    fixture = _variant(rule_id, kind)
    assert fixture is not None
    folder = _stage(fixture, tmp_path, RULES[rule_id])
    config_file = FIXTURES / rule_id / "config.yaml"
    _check(folder, load_config(config_file) if config_file.is_file() else Config())


def test_safe_fixes_on_the_examples(tmp_path: Path) -> None:
    examples = shutil.copytree(ROOT / "examples", tmp_path / "examples")
    applied = _check(examples, load_config(examples / ".devops-copilot.yaml"))
    assert applied >= 10
