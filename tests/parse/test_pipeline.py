from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.config import Config
from copilot.parse.pipeline import (
    GITHUB_ACTION,
    GITHUB_WORKFLOW,
    GITLAB_CI,
    family_of,
    load_document,
)
from copilot.parse.source import SourceError, SourceFile
from copilot.parse.yamlsafe import compose_bounded
from copilot.pipeline import run_review
from copilot.rules.load import load_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules()
WORKFLOW = "name: ci\non: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: make\n"


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)


def _review(root: Path) -> list:
    return run_review([root], RULES, Config()).findings


@pytest.mark.parametrize(
    ("path", "text", "family"),
    [
        (".github/workflows/ci.yml", "", GITHUB_WORKFLOW),
        ("tools/action.yaml", "", GITHUB_ACTION),
        (".gitlab-ci.yml", "", GITLAB_CI),
        ("ci/anything.yml", "on: push\njobs: {}\n", GITHUB_WORKFLOW),
        (
            "ci/anything.yml",
            "name: x\ndescription: y\nruns: {using: composite, steps: []}\n",
            GITHUB_ACTION,
        ),
        ("ci/anything.yml", "stages: [test]\ntest:\n  script: make\n", GITLAB_CI),
        ("docker-compose.yml", "services:\n  web:\n    image: nginx\n", None),
    ],
)
def test_family_from_name_or_content(path: str, text: str, family: str | None) -> None:
    root = compose_bounded(SourceFile.from_text(path, text)) if text else None
    assert family_of(path, root) == family


def test_on_key_stays_a_string() -> None:
    document = load_document(SourceFile.from_text(".github/workflows/ci.yml", WORKFLOW))
    assert document is not None
    assert document.triggers() == {"push"}


def test_billion_laughs_is_refused_with_a_message() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(SourceError, match="billion laughs"):
        compose_bounded(SourceFile.from_text("bomb.yml", "\n".join(lines) + "\n"))


def test_bad_pipeline_files_become_located_findings_and_the_scan_goes_on(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{'abcdefghi'[i]}"] * 9) + "]")
    _write(
        tmp_path,
        {
            ".github/workflows/malformed.yml": "on: push\njobs:\n  t:\n    runs-on: [ubuntu\n",
            ".github/workflows/list.yml": "- on: push\n- jobs: {}\n",
            ".github/workflows/empty.yml": "",
            ".github/workflows/bomb.yml": "\n".join(lines) + "\n",
            ".github/workflows/good.yml": WORKFLOW,
            "main.tf": 'resource "aws_ebs_volume" "v" {\n  encrypted = true\n  type = "gp2"\n}\n',
        },
    )
    findings = _review(tmp_path)
    errors = {Path(f.location.path).name: f for f in findings if f.rule_id == "parse-error"}
    assert set(errors) == {"malformed.yml", "list.yml", "bomb.yml"}
    assert errors["malformed.yml"].location.line >= 4
    assert "invalid YAML" in errors["malformed.yml"].message
    assert "must be a mapping at the top level, not a list" in errors["list.yml"].message
    assert "billion laughs" in errors["bomb.yml"].message
    rules = {f.rule_id for f in findings}
    assert {"GHA-018", "TF-AWS-016"} <= rules  # both kinds reported in one run


def test_gitlab_local_includes_extends_and_default(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            ".gitlab-ci.yml": (
                "include:\n  - local: /ci/templates.yml\n  - remote: https://example.com/x.yml\n"
                "default:\n  image: python\n"
                "test:\n  extends: .base\n  script: make test\n"
            ),
            "ci/templates.yml": ".base:\n  only:\n    - main\n  timeout: 10m\n",
        },
    )
    findings = _review(tmp_path)
    where = {(f.rule_id, Path(f.location.path).name, f.location.line) for f in findings}
    assert ("GL-003", ".gitlab-ci.yml", 5) in where  # image inherited from default
    assert ("GL-002", "templates.yml", 2) in where  # only: reached through extends
    assert not any(f.rule_id == "GL-006" for f in findings)  # timeout inherited from the template


def test_include_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text("x:\n  only: [main]\n  script: make\n")
    repo = tmp_path / "repo"
    _write(
        repo,
        {
            ".gitlab-ci.yml": "include:\n  - local: ../outside.yml\nt:\n  image: alpine:3.20\n  script: make\n"
        },
    )
    findings = _review(repo)
    assert all(Path(f.location.path).name != "outside.yml" for f in findings)
    assert not any(f.rule_id == "GL-002" for f in findings)


def test_explicit_yaml_path_is_recognised_by_content(tmp_path: Path) -> None:
    _write(
        tmp_path, {"ci/pipeline.yml": "stages: [build]\nbuild:\n  image: node\n  script: npm ci\n"}
    )
    findings = run_review([tmp_path / "ci" / "pipeline.yml"], RULES, Config()).findings
    assert "GL-003" in {f.rule_id for f in findings}
    assert _review(tmp_path) == []  # not found by walking: not a known pipeline file name


def test_every_output_format_carries_pipeline_positions(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            ".github/workflows/ci.yml": "name: ci\non: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-20.04\n    timeout-minutes: 5\n    steps:\n      - run: make\n"
        },
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "copilot", "review", ".", "-f", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    ).stdout
    (finding,) = json.loads(out)["findings"]
    assert finding["rule_id"] == "GHA-021"
    assert (finding["location"]["line"], finding["location"]["column"]) == (6, 14)
    for fmt, needle in (
        ("sarif", '"startLine": 6'),
        ("github", "line=6,col=14"),
        ("junit", "ci.yml:6:14"),
        ("text", "ci.yml:6:14"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "copilot", "review", ".", "-f", fmt, "--color", "never"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            check=False,
        )
        assert needle in result.stdout, fmt


def test_a_sha_pin_is_judged_by_its_version_comment(tmp_path: Path, all_rules) -> None:
    from tests.conftest import review_files

    steps = [
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1  # v7.0.1",
        "actions/cache@2f8e54208210a422b2efd51efaa6bd6d7ca8920f # v2.1.7",
        "actions/setup-go@4d34df0c2316fe8122ab82dc22947d607c0c91f9",
    ]
    workflow = "on: push\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-24.04\n"
    workflow += "    timeout-minutes: 5\n    steps:\n"
    workflow += "".join(f"      - uses: {step}\n" for step in steps)
    findings = review_files({".github/workflows/ci.yml": workflow}, tmp_path, all_rules)
    retired = [f.location.line for f in findings if f.rule_id == "GHA-022"]
    assert retired == [9]  # the cache step: a v2 behind a SHA; the others are current or unknown
    assert "GHA-020" not in {f.rule_id for f in findings}  # setup-go of unknown version: no guess


def _pipeline_documents() -> list[tuple[str, object]]:
    from copilot.parse.yamlsafe import to_python

    root = Path(__file__).resolve().parents[2]
    found = []
    for path in sorted(root.glob("tests/fixtures/rules/G*/*.y*ml")) + sorted(
        root.glob("examples/**/*.y*ml")
    ):
        try:
            document = load_document(SourceFile.read(path, str(path)), None)
        except SourceError:
            continue
        if document is not None and document.family in ("github-workflow", "gitlab-ci"):
            data = to_python(document.root)
            if isinstance(data, dict) and "true" in data and "on" not in data:
                data["on"] = data.pop("true")
            found.append((document.family, data))
    return found


def _violations(family: str, data: object, *, rust: bool) -> list[tuple[str, str]]:
    """(where, keyword) of each error a schema check would report, from one validator."""
    from copilot.rules.checks import pipeline_common as pc

    if rust:
        validator = pc._rust_validator(family)
        assert validator is not None
        errors = [pc._from_rust(e) for e in validator.iter_errors(data)]
    else:
        errors = [pc._from_python(e) for e in pc._validator(family).iter_errors(data)]
    details = [pc._most_specific(e) for e in errors]
    return sorted({(".".join(map(str, d.path)), d.keyword) for d in details})


def test_jsonschema_rs_and_jsonschema_agree_on_every_fixture_and_example() -> None:
    """Reviews take the verdict and the located errors from jsonschema-rs; jsonschema is the
    reference it must match: the same documents rejected, the same places, the same keywords."""
    documents = _pipeline_documents()
    assert len(documents) > 40
    rejected = 0
    for family, data in documents:
        python = _violations(family, data, rust=False)
        assert _violations(family, data, rust=True) == python, data
        rejected += bool(python)
    assert rejected >= 2  # the schema-violation fixtures, at least


def test_schema_violations_are_the_same_without_jsonschema_rs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, all_rules
) -> None:
    from copilot.rules.checks import pipeline_common
    from tests.conftest import review_files

    bad = "on: push\njobs:\n  b:\n    runs-on: ubuntu-24.04\n    stepz: []\n"
    files = {".github/workflows/ci.yml": bad}
    with_rust = review_files(files, tmp_path / "a", all_rules)
    pipeline_common._rust_validator.cache_clear()
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)  # as if it were not installed
    try:
        without = review_files(files, tmp_path / "b", all_rules)
    finally:
        pipeline_common._rust_validator.cache_clear()
    schema = [(f.rule_id, f.location.line) for f in with_rust if f.rule_id == "GHA-001"]
    assert schema == [(f.rule_id, f.location.line) for f in without if f.rule_id == "GHA-001"]
    assert schema and schema[0][1] == 5


def test_infinity_is_a_number_to_the_schema_check(tmp_path: Path, all_rules) -> None:
    """jsonschema-rs reads an infinite float as null; such a document goes to jsonschema instead,
    so `timeout-minutes: 1.0e+400` (a number, too large) is not reported while a real type error
    still is."""
    from tests.conftest import review_files

    job = "on: push\njobs:\n  b:\n    runs-on: ubuntu-24.04\n    timeout-minutes: {}\n"
    job += "    steps:\n      - run: make\n"
    found = review_files(
        {
            ".github/workflows/inf.yml": job.format("1.0e+400"),
            ".github/workflows/bad.yml": job.format("[1]"),
        },
        tmp_path,
        all_rules,
    )
    schema = [
        (Path(f.location.path).name, f.location.line) for f in found if f.rule_id == "GHA-001"
    ]
    assert schema == [("bad.yml", 5)]


def test_inputs_of_a_reusable_workflow_and_code_inputs_of_known_actions_are_sinks(
    tmp_path: Path, all_rules
) -> None:
    from tests.conftest import review_files

    reusable = (
        "on:\n  workflow_call:\n    inputs:\n      name: {type: string}\npermissions: {}\n"
        "jobs:\n  b:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    steps:\n"
        '      - run: echo "${{ inputs.name }}"\n'
    )
    dispatched = reusable.replace("workflow_call", "workflow_dispatch")
    pwsh = (
        "on: pull_request\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 5\n    steps:\n"
        "      - uses: Amadevus/pwsh-script@97a8b211a5922816aa8a69ced41fa32f23477186 # v2.0.3\n"
        "        with:\n          script: Write-Host '${{ github.event.pull_request.title }}'\n"
    )
    yq = pwsh.replace(
        "Amadevus/pwsh-script@97a8b211a5922816aa8a69ced41fa32f23477186 # v2.0.3",
        "mikefarah/yq@b534aa9ee5d38001fba3cd8fe254a037e4847b37 # v4.45.4",
    ).replace("script: Write-Host", "cmd: yq")
    found = {}
    cases = (("reusable", reusable), ("dispatched", dispatched), ("pwsh", pwsh), ("yq", yq))
    for name, text in cases:
        findings = review_files({".github/workflows/ci.yml": text}, tmp_path / name, all_rules)
        found[name] = [f.location.line for f in findings if f.rule_id == "GHA-003"]
    assert found == {"reusable": [11], "dispatched": [], "pwsh": [10], "yq": [10]}


def test_offline_a_retired_sha_pin_gets_a_suggestion_not_a_tag(tmp_path: Path, all_rules) -> None:
    from copilot.fixes import online
    from copilot.fixes.model import Applicability
    from tests.conftest import review_files

    before = online.current()
    online.use(None)  # offline: a review without --online
    workflow = (
        "on: push\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 5\n    steps:\n"
        "      - uses: actions/cache@2f8e54208210a422b2efd51efaa6bd6d7ca8920f # v2.1.7\n"
        "        with: {path: x, key: y}\n"
    )
    try:
        findings = review_files({".github/workflows/ci.yml": workflow}, tmp_path, all_rules)
    finally:
        online.use(before)
    (retired,) = [f for f in findings if f.rule_id == "GHA-022"]
    assert retired.fix is not None
    assert retired.fix.applicability == Applicability.SUGGESTION
    assert [e.text for e in retired.fix.edits] == ["actions/cache@<commit-sha>", "v4"]


def test_the_bot_condition_fix_is_offered_only_where_every_trigger_is_a_pull_request(
    tmp_path: Path, all_rules
) -> None:
    """On `push` or `workflow_run` there is no pull request whose author could be checked."""
    from tests.conftest import review_files

    workflow = (
        "on: {}\npermissions: {{}}\njobs:\n  b:\n    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 5\n    if: github.actor == 'dependabot[bot]'\n"
        "    steps:\n      - run: make\n"
    )
    fixes = {}
    for name, on in (
        ("pr", "[pull_request, pull_request_target]"),
        ("mixed", "[pull_request, push]"),
        ("workflow_run", "{workflow_run: {workflows: [ci]}}"),
        ("push", "push"),
    ):
        findings = review_files(
            {".github/workflows/ci.yml": workflow.format(on)}, tmp_path / name, all_rules
        )
        fixes[name] = [f.fix is not None for f in findings if f.rule_id == "GHA-025"]
    assert fixes == {"pr": [True], "mixed": [False], "workflow_run": [False], "push": []}


def test_a_composite_action_publishing_with_a_stored_token_is_found(
    tmp_path: Path, all_rules
) -> None:
    from tests.conftest import review_files

    action = (
        "name: release\ndescription: publish\ninputs:\n  token: {required: true}\n"
        "runs:\n  using: composite\n  steps:\n"
        "    - run: cargo publish --token ${{ secrets.CRATES_TOKEN }}\n      shell: bash\n"
        "    - run: gem push pkg/*.gem\n      shell: bash\n"
        "      env:\n        GEM_HOST_API_KEY: ${{ inputs.token }}\n"
    )
    findings = review_files({"release/action.yml": action}, tmp_path, all_rules)
    # the second step's token comes from the caller, not visibly from a stored secret
    assert [(f.rule_id, f.location.line) for f in findings if f.rule_id == "GHA-024"] == [
        ("GHA-024", 8)
    ]


def test_a_release_workflow_is_not_asked_to_cache_and_a_build_workflow_may_cache(
    tmp_path: Path, all_rules
) -> None:
    """GHA-020 asks for a dependency cache; GHA-026 asks release workflows to build without
    one. The two never ask for opposite things in the same workflow."""
    from tests.conftest import review_files

    workflow = (
        "on: {}\npermissions: {{}}\njobs:\n  b:\n    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 5\n    steps:\n"
        "      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5.6.0\n"
        "{}"
    )
    cache = "        with:\n          cache: pip\n"
    found = {}
    cases = (
        ("build, no cache", "push", ""),
        ("build, cache", "push", cache),
        ("release, no cache", "{release: {types: [published]}}", ""),
        ("tag push, cache", "{push: {tags: ['v*']}}", cache),
    )
    for number, (name, on, extra) in enumerate(cases):
        files = {".github/workflows/ci.yml": workflow.format(on, extra)}
        findings = review_files(files, tmp_path / str(number), all_rules)
        found[name] = sorted({f.rule_id for f in findings} & {"GHA-020", "GHA-026"})
    assert found == {
        "build, no cache": ["GHA-020"],
        "build, cache": [],
        "release, no cache": [],
        "tag push, cache": ["GHA-026"],
    }


def test_rules_know_an_action_however_its_name_is_spelt(tmp_path: Path, all_rules) -> None:
    """GitHub ignores the case of owner and repository and resolves `.`, `..` and empty path
    segments; every rule matches the action it runs, not the spelling (GHA-033 reports the
    spelling)."""
    from copilot.parse.pipeline import action_of
    from tests.conftest import review_files

    assert action_of("Actions/Cache/save/../restore/@v4") == ("actions/cache/restore", "v4")
    assert action_of("./.github/Actions/build") == ("./.github/Actions/build", "")
    workflow = (
        "on: push\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 5\n    steps:\n"
        "      - uses: Actions/Checkout/@v2\n"
        "        with:\n          persist-credentials: false\n"
        "      - uses: ACTIONS/SETUP-PYTHON@v5\n"
    )
    findings = review_files({".github/workflows/ci.yml": workflow}, tmp_path, all_rules)
    found = {(f.rule_id, f.location.line) for f in findings}
    assert {("GHA-022", 8), ("GHA-033", 8), ("GHA-020", 11)} <= found
