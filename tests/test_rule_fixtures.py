"""Every rule has a firing fixture (`bad`) and a near-miss fixture (`good`), checked exactly.

In `bad`, each line that must produce a finding is preceded by `# expect: RULE-ID` (or marked
from N lines above by `# expect+N: RULE-ID`, where a comment cannot go, as inside JSON); `good` must
produce no finding for the rule. A fixture is a file (`bad.tf`) reviewed alone as its own module,
or a folder (`bad/`) for cases that need several files.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from copilot.config import Config, load_config
from copilot.fixes import online
from copilot.fixes.apply import fix_review
from copilot.fixes.model import Applicability
from copilot.pipeline import run_review
from copilot.rules.load import load_rules
from copilot.rules.model import Rule

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"


def fake_resolver(repository: str, ref: str) -> str:
    """Stands in for `git ls-remote` (no network in tests): a stable fake commit per tag."""
    return hashlib.sha1(f"{repository}@{ref}".encode()).hexdigest()


RULES = {rule.id: rule for rule in load_rules()}
EXPECT = re.compile(r"(?:#|//)\s*expect(?:\+(\d+))?:\s*([A-Z0-9-]+(?:\s*,\s*[A-Z0-9-]+)*)")


# Where a single-file fixture goes, by the rule's target kind.
PLACES = {
    "github-workflow": ".github/workflows/ci.yml",
    "github-action": "action.yml",
    "gitlab-ci": ".gitlab-ci.yml",
}


def _variant(rule_id: str, kind: str) -> Path | None:
    folder = FIXTURES / rule_id
    for suffix in (".tf", ".tf.json", ".yml", ""):
        candidate = folder / f"{kind}{suffix}"
        if candidate.exists():
            return candidate
    return None


def _stage(fixture: Path, tmp_path: Path, rule: Rule | None = None) -> Path:
    target = tmp_path / fixture.name.split(".")[0]
    if fixture.is_dir():
        shutil.copytree(fixture, target)
        return target
    if fixture.suffix == ".yml":
        assert rule is not None
        place = target / PLACES[rule.target.kind]
    else:
        place = target / ("main.tf.json" if fixture.name.endswith(".tf.json") else "main.tf")
    place.parent.mkdir(parents=True)
    shutil.copy(fixture, place)
    return target


def _expected_lines(folder: Path, rule_id: str) -> set[tuple[str, int]]:
    expected = set()
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            match = EXPECT.search(line)
            if match and rule_id in [i.strip() for i in match.group(2).split(",")]:
                offset = int(match.group(1) or 1)
                expected.add((path.relative_to(folder).as_posix(), number + offset))
    return expected


def _config(rule: Rule) -> Config:
    """A fixture folder may hold a `config.yaml` for rules that need one (required tags)."""
    path = FIXTURES / rule.id / "config.yaml"
    config = load_config(path) if path.is_file() else Config()
    # A rule crashing on a fixture is an `internal-error` finding; keep it visible here.
    config.select = [rule.id, "internal-error"]
    return config


def _found(folder: Path, rule: Rule) -> set[tuple[str, int]]:
    config = _config(rule)
    result = run_review([folder], [rule], config)
    out = set()
    for finding in result.findings:
        assert finding.rule_id == rule.id, finding
        out.add(
            (
                Path(finding.location.path).resolve().relative_to(folder.resolve()).as_posix(),
                finding.location.line,
            )
        )
    return out


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_bad_fixture_fires_exactly(rule_id: str, tmp_path: Path) -> None:
    fixture = _variant(rule_id, "bad")
    assert fixture is not None, f"{rule_id} has no bad fixture in {FIXTURES / rule_id}"
    folder = _stage(fixture, tmp_path, RULES[rule_id])
    expected = _expected_lines(folder, rule_id)
    assert expected, f"{fixture} marks no line with `# expect: {rule_id}`"
    assert _found(folder, RULES[rule_id]) == expected


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_good_fixture_is_clean(rule_id: str, tmp_path: Path) -> None:
    fixture = _variant(rule_id, "good")
    assert fixture is not None, f"{rule_id} has no good fixture in {FIXTURES / rule_id}"
    folder = _stage(fixture, tmp_path, RULES[rule_id])
    assert _found(folder, RULES[rule_id]) == set()


def test_every_fixture_folder_names_a_rule() -> None:
    orphans = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in RULES)
    assert orphans == []


def test_a_rule_that_needs_configuration_is_silent_without_it(tmp_path: Path) -> None:
    folder = _stage(FIXTURES / "TF-TF-003" / "bad.tf", tmp_path)
    assert run_review([folder], [RULES["TF-TF-003"]], Config()).findings == []


# --------------------------------------------------------------------------- fixes


@pytest.fixture
def resolver() -> Iterator[None]:
    online.use(fake_resolver)
    yield
    online.use(None)


def _applicable(rule: Rule) -> bool:
    return bool(rule.fix) and str(rule.fix.get("applicability", "unsafe")) != "suggestion"


def _fixed_variant(rule_id: str) -> Path | None:
    folder = FIXTURES / rule_id
    return next(iter(sorted(folder.glob("bad.fixed*"))), None)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_fix_turns_bad_into_bad_fixed_and_is_idempotent(
    rule_id: str, tmp_path: Path, resolver: None
) -> None:
    rule = RULES[rule_id]
    fixed = _fixed_variant(rule_id)
    assert (fixed is not None) == _applicable(rule), (
        "bad.fixed exists exactly when the rule has an applicable fix"
    )
    folder = _stage(_variant(rule_id, "bad"), tmp_path, rule)  # type: ignore[arg-type]
    outcome = fix_review([folder], [rule], _config(rule), Applicability.UNSAFE)
    if fixed is None:
        assert outcome.texts == {}
        return
    ((path, text),) = outcome.texts.items()
    assert text == fixed.read_text(encoding="utf-8")
    assert outcome.dropped == []
    Path(path).write_text(text, encoding="utf-8")
    again = fix_review([folder], [rule], _config(rule), Applicability.UNSAFE)
    assert again.texts == {}, "a second pass changes nothing"
    left = [f for f in again.remaining if f.rule_id == rule_id]
    assert all(f.fix is None or f.fix.applicability == Applicability.SUGGESTION for f in left)
