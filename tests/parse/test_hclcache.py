"""The parse cache gives back exactly what the parser gives; a re-run reads it instead of parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.config import Config
from copilot.parse import hclcache
from copilot.parse.hcl import parse_hcl
from copilot.parse.source import SourceFile
from copilot.pipeline import run_review
from copilot.rules.load import load_rules

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "terraform-platform"


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.tf")), ids=lambda p: p.name)
def test_round_trip_is_exact(path: Path) -> None:
    source = SourceFile.read(path, path.name)
    parsed = parse_hcl(source)
    assert hclcache.decode_file(hclcache.encode_file(parsed), source) == parsed


def test_reruns_read_the_cache_and_find_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copilot.parse import terraform

    monkeypatch.setenv("DEVOPS_COPILOT_CACHE_DIR", str(tmp_path / "cache"))
    terraform._PARSED.clear()  # earlier tests in this process may have parsed these files
    rules = load_rules()
    first = run_review([EXAMPLES], rules, Config()).findings
    entries = list((tmp_path / "cache" / hclcache.NAMESPACE).glob("*.json"))
    assert len(entries) == len(list(EXAMPLES.rglob("*.tf"))) + len(list(EXAMPLES.rglob("*.tfvars")))
    calls = []
    monkeypatch.setattr(
        "copilot.parse.terraform.parse_hcl",
        lambda source: calls.append(source) or parse_hcl(source),
    )
    terraform._PARSED.clear()
    second = run_review([EXAMPLES], rules, Config()).findings
    assert calls == []  # nothing parsed again
    assert second == first


def test_the_pool_parses_many_new_files_like_the_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEVOPS_COPILOT_CACHE_DIR", str(tmp_path / "cache"))
    sources = [
        SourceFile.from_text(
            f"f{i}.tf", f'resource "aws_ebs_volume" "v{i}" {{\n  type = "gp{2 + i % 2}"\n}}\n'
        )
        for i in range(hclcache.POOL_MIN_FILES + 4)
    ]
    parsed = hclcache.warm(sources)
    assert len(parsed) == len(sources)
    for source in sources:
        assert parsed[source.path] == parse_hcl(source)
