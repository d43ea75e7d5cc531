#!/usr/bin/env python3
"""Time `devops-copilot review` on workflows next to zizmor, and show where their findings overlap.

    python bench/workflows.py [--corpus DIR] [--zizmor PATH | --install-zizmor] [--repeat N]

Without --corpus, a corpus of a few hundred workflows is generated from our pipeline fixtures.
zizmor (PyPI) runs from its own environment (bench/.venv-zizmor with --install-zizmor) in
--offline mode. devops-copilot runs with no cache (DEVOPS_COPILOT_NO_CACHE=1) and with its
bytecode written, as after a normal install. Overlap is counted per zizmor audit and the rules we map to it: a finding is shared
when both tools report it in the same file and job (or at workflow level). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from peers import find_peer, timed

ROOT = Path(__file__).resolve().parents[1]

# zizmor audit -> the devops-copilot rules that look for the same problem
MAPPING = {
    "template-injection": ("GHA-003",),
    "dangerous-triggers": ("GHA-004",),
    "unpinned-uses": ("GHA-005",),
    "unpinned-images": ("GHA-006",),
    "excessive-permissions": ("GHA-007", "GHA-008", "GHA-009"),
    "artipacked": ("GHA-010",),
    "secrets-inherit": ("GHA-011",),
    "self-hosted-runner": ("GHA-012",),
    "insecure-commands": ("GHA-015",),
    "unredacted-secrets": ("GHA-016", "GHA-017"),
    "overprovisioned-secrets": ("GHA-016", "GHA-017"),
    "concurrency-limits": ("GHA-019",),
    "use-trusted-publishing": ("GHA-024",),
    "bot-conditions": ("GHA-025",),
    "cache-poisoning": ("GHA-026",),
    "github-env": ("GHA-027",),
    "unsound-condition": ("GHA-028",),
    "hardcoded-container-credentials": ("GHA-029",),
    "self-repository": ("GHA-030",),
    "unsound-contains": ("GHA-031",),
    "adhoc-packages": ("GHA-032",),
    "obfuscation": ("GHA-033",),
    "archived-uses": ("GHA-034",),
    "typosquat-uses": ("GHA-035",),
    "unpinned-tools": ("GHA-036",),
    "github-app": ("GHA-037",),
}


def generate_corpus(target: Path, copies: int = 6) -> Path:
    fixtures = sorted((ROOT / "tests" / "fixtures" / "rules").glob("GHA-*/*.yml"))
    folder = target / ".github" / "workflows"
    folder.mkdir(parents=True)
    for i in range(copies):
        for fixture in fixtures:
            if fixture.parent.name == "GHA-002":
                continue  # an action, not a workflow
            shutil.copy(fixture, folder / f"{fixture.parent.name}-{fixture.stem}-{i}.yml")
    return target


def _job_of_route(route: list[dict[str, object]]) -> str:
    keys = [step.get("Key") for step in route]
    return str(keys[1]) if len(keys) >= 2 and keys[0] == "jobs" else ""


def zizmor_findings(report: str) -> list[tuple[str, str, str]]:
    """(audit, file, job) for each zizmor finding's primary location."""
    out = []
    for finding in json.loads(report or "[]"):
        locations = finding["locations"]
        primary = next(
            (loc for loc in locations if loc["symbolic"]["kind"] == "Primary"), locations[0]
        )
        key = primary["symbolic"]["key"]
        path = key.get("Local", {}).get("verbatim_path") or key.get("Local", {}).get(
            "given_path", ""
        )
        job = _job_of_route(primary["symbolic"]["route"]["route"])
        out.append((finding["ident"], os.path.realpath(path), job))
    return out


def our_findings(report: str) -> list[tuple[str, str, str]]:
    out = []
    for finding in json.loads(report)["findings"]:
        subject = finding["subject"]
        job = subject.split(".")[1].split(".steps")[0] if subject.startswith("jobs.") else ""
        out.append((finding["rule_id"], os.path.realpath(finding["location"]["path"]), job))
    return out


def overlap(zizmor: list[tuple[str, str, str]], ours: list[tuple[str, str, str]]) -> None:
    print(f"\n{'zizmor audit':32} {'ours':22} {'zizmor':>7} {'ours':>6} {'both':>6}")
    for audit, rules in MAPPING.items():
        theirs = {(f, j) for a, f, j in zizmor if a == audit}
        mine = {(f, j) for r, f, j in ours if r in rules}
        if not theirs and not mine:
            continue
        print(
            f"{audit:32} {','.join(rules):22} {len(theirs):7} {len(mine):6} {len(theirs & mine):6}"
        )
    unmapped = Counter(a for a, _, _ in zizmor if a not in MAPPING)
    ours_only = Counter(r for r, _, _ in ours if not any(r in rules for rules in MAPPING.values()))
    print(
        "\nzizmor audits we have no rule for: "
        + ", ".join(f"{a} {n}" for a, n in unmapped.most_common())
    )
    print(
        "our rules zizmor has no audit for: "
        + ", ".join(f"{r} {n}" for r, n in sorted(ours_only.items()))
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, help="folder of workflows (default: generated)")
    parser.add_argument("--zizmor", type=Path, help="zizmor executable (in its own environment)")
    parser.add_argument("--install-zizmor", action="store_true", help="create bench/.venv-zizmor")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus.resolve() if args.corpus else generate_corpus(Path(scratch) / "corpus")
        files = sum(1 for p in corpus.rglob("*") if p.suffix in (".yml", ".yaml"))
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        )
        print(f"corpus: {corpus} ({files} YAML files)\n")
        ours_cmd = [sys.executable, "-m", "copilot", "review", str(corpus), "-f", "json"]
        # As installed for a user: bytecode written (an editable install under
        # PYTHONDONTWRITEBYTECODE would recompile our modules on every run), and no cache.
        env = {**os.environ, "DEVOPS_COPILOT_NO_CACHE": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        timed(ours_cmd, 1, env=env)  # writes the bytecode; not counted
        ours_time, ours_report = timed(ours_cmd, args.repeat, env=env)
        print(f"devops-copilot: {ours_time:6.2f} s  {files / ours_time:8.1f} files/s")
        zizmor = find_peer("zizmor", "zizmor", args.zizmor, args.install_zizmor)
        if zizmor is None:
            print("\nzizmor: not found (use --zizmor PATH or --install-zizmor)")
            return 0
        zizmor_cmd = [zizmor, "--offline", "--format", "json", str(corpus)]
        zizmor_time, zizmor_report = timed(zizmor_cmd, args.repeat)
        print(f"zizmor:         {zizmor_time:6.2f} s  {files / zizmor_time:8.1f} files/s")
        print(f"ratio (devops-copilot time / zizmor time): {ours_time / zizmor_time:.2f}x")
        overlap(zizmor_findings(zizmor_report), our_findings(ours_report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
