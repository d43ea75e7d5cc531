"""Meta-tests over the shipped rule files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from copilot.resources import data_dir
from copilot.rules.load import read_rule_file, rule_files, validate_rule_data

RULE_FILES = rule_files(data_dir("rules"))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_validates_against_the_schema_and_is_named_after_its_id(path: Path) -> None:
    data = read_rule_file(path)
    validate_rule_data(data, path)
    assert path.stem == data["id"]
    assert "Bad:" in data["rationale"] and "Good:" in data["rationale"]
    assert data["references"], "every rule cites at least one reference"
    assert not re.match(r"^(no|disallow)-", data["name"]), "name the pattern, not the fix"


def test_rule_counts_per_provider() -> None:
    prefixes = Counter(path.stem.rsplit("-", 1)[0] for path in RULE_FILES)
    assert prefixes["TF-AWS"] >= 35
    assert prefixes["TF-AZ"] >= 12
    assert prefixes["TF-GCP"] >= 13
    assert sum(prefixes.values()) >= 60


def test_every_category_is_covered() -> None:
    categories = Counter(read_rule_file(p)["category"] for p in RULE_FILES)
    assert set(categories) == {"security", "reliability", "cost"}


def test_the_readme_lists_every_rule_as_it_is() -> None:
    """A user learns the rules from the README's tables: each row must match the rule file."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): (m.group(2), m.group(3), m.group(4))
        for m in re.finditer(
            r"^\| `([A-Z][A-Z0-9-]+)` \| (\w+) \| (\w+) \| ([^|]+?) \|", readme, re.MULTILINE
        )
    }
    for path in RULE_FILES:
        data = read_rule_file(path)
        assert rows.get(data["id"]) == (data["severity"], data["category"], data["title"]), data[
            "id"
        ]
    assert set(rows) == {read_rule_file(p)["id"] for p in RULE_FILES}


def test_the_readme_counts_the_rules_and_their_fixes() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rules = [read_rule_file(p) for p in RULE_FILES]
    fixed = sum(1 for data in rules if "fix" in data)
    assert f"{fixed} of the {len(rules)} rules carry a fix" in readme
    pipeline = [d for d in rules if not d["id"].startswith("TF-")]
    github = sum(1 for d in pipeline if d["id"].startswith("GHA-"))
    assert f"{len(pipeline)} pipeline rules: {github} for GitHub Actions" in readme


def test_action_names_in_rules_are_written_as_steps_are_matched() -> None:
    """A step's type is its action with owner and repository in lower case (GitHub ignores
    their case), so every action named in a GitHub rule's target or tables must be lower case
    or it never matches."""
    action = re.compile(r"^[\w.-]+/[\w./-]+$")

    def names(value: object) -> list[str]:
        if isinstance(value, dict):
            return [k for k in value if isinstance(k, str)] + [
                n for v in value.values() for n in names(v)
            ]
        if isinstance(value, list):
            return [v for v in value if isinstance(v, str)] + [n for v in value for n in names(v)]
        return []

    for path in RULE_FILES:
        if not path.stem.startswith("GHA-"):
            continue
        data = read_rule_file(path)
        found = [n for n in names([data.get("params"), data["target"]]) if action.match(n)]
        assert found == [n.lower() for n in found], path.stem
