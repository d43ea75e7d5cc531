"""Features of each commit: the Kamei et al. (TSE 2013) change metrics, plus infrastructure- and
pipeline-aware ones. Pure functions over mined records, replayed oldest first, so each commit
sees only the history before it."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from copilot.risk.mine import Commit

KAMEI = (
    "ns",
    "nd",
    "nf",
    "entropy",
    "la",
    "ld",
    "lt",
    "fix",
    "ndev",
    "age",
    "nuc",
    "exp",
    "rexp",
    "sexp",
)
INFRA = (
    "tf_files",
    "pipeline_files",
    "res_added",
    "res_removed",
    "res_changed",
    "stateful",
    "iam",
    "network",
    "hour",
    "weekday",
)
FEATURES = KAMEI + INFRA
# Counts and sizes spread over orders of magnitude: the models see log(1 + x) of these. The rest
# are a fraction (entropy), a flag (fix) and clock readings (hour, weekday).
LOGGED = tuple(name for name in FEATURES if name not in ("entropy", "fix", "hour", "weekday"))

DEFAULT_FIX = r"(?i)\b(fix(e[sd])?|bug|hotfix|regression|broken|incident|outage|crash|revert)\b"
DOC_SUFFIXES = (".md", ".rst", ".txt", ".adoc")
BOTS = re.compile(
    r"(?i)(\[bot\]|dependabot|renovate|github-actions|release-please|semantic-release|bot@)"
)
DAY = 86400.0


def subsystem(path: str) -> str:
    parts = PurePosixPath(path).parts
    return parts[0] if len(parts) > 1 else ""


def is_doc(path: str) -> bool:
    p = PurePosixPath(path)
    return (
        p.suffix.lower() in DOC_SUFFIXES
        or "docs" in p.parts[:-1]
        or p.name in ("LICENSE", "CHANGELOG")
    )


def is_terraform(path: str) -> bool:
    return path.endswith((".tf", ".tf.json", ".tfvars"))


def is_pipeline(path: str) -> bool:
    p = PurePosixPath(path)
    return (p.parent.name == "workflows" and p.parent.parent.name == ".github") or p.name in (
        ".gitlab-ci.yml",
        "action.yml",
        "action.yaml",
        "Jenkinsfile",
    )


def eligible(commit: Commit) -> bool:
    """Scored and evaluated: touches something other than documentation, and not by a release bot."""
    if BOTS.search(f"{commit.author} {commit.email}") or not commit.files:
        return False
    return not all(is_doc(f.path) for f in commit.files)


@dataclass
class IacDelta:
    """What a commit did to Terraform, read from its -U0 patch (see iac.py)."""

    added: int = 0
    removed: int = 0
    changed: int = 0
    stateful: int = 0
    iam: int = 0
    network: int = 0


@dataclass
class _History:
    lines: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    last_change: dict[str, int] = field(default_factory=dict)
    developers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    changes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    author_times: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    author_subsystems: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))


def _entropy(changes: list[int]) -> float:
    total = sum(changes)
    if total <= 0 or len(changes) < 2:
        return 0.0
    value = -sum((c / total) * math.log2(c / total) for c in changes if c > 0)
    return value / math.log2(len(changes))


def _author(commit: Commit) -> str:
    return commit.email.lower() or commit.author


def compute(
    commits: Iterable[Commit],
    iac: dict[str, IacDelta] | None = None,
    fix_pattern: str = DEFAULT_FIX,
    initial_lines: dict[str, int] | None = None,
    findings: dict[str, int] | None = None,
) -> dict[str, dict[str, float]]:
    """sha -> feature values, for every commit, each computed from the history before it.
    `initial_lines` gives file lengths before the first commit (a --max-commits window);
    `findings` the review findings each commit introduced (see findings.py)."""
    fix_re = re.compile(fix_pattern)
    iac = iac or {}
    findings = findings or {}
    state = _History()
    state.lines.update(initial_lines or {})
    out: dict[str, dict[str, float]] = {}
    for commit in commits:
        author = _author(commit)
        now = commit.authored
        paths = [f.path for f in commit.files]
        subsystems = {subsystem(p) for p in paths}
        directories = {str(PurePosixPath(p).parent) for p in paths}
        touched_before = [f.old_path or f.path for f in commit.files]
        ages = [
            (now - state.last_change[p]) / DAY for p in touched_before if p in state.last_change
        ]
        developers: set[str] = set()
        prior_changes: set[str] = set()
        for p in touched_before:
            developers |= state.developers.get(p, set())
            prior_changes |= state.changes.get(p, set())
        times = state.author_times.get(author, [])
        delta = iac.get(commit.sha, IacDelta())
        values = {
            "ns": float(len(subsystems)),
            "nd": float(len(directories)),
            "nf": float(len(paths)),
            "entropy": _entropy([f.added + f.deleted for f in commit.files]),
            "la": float(sum(f.added for f in commit.files)),
            "ld": float(sum(f.deleted for f in commit.files)),
            "lt": float(sum(state.lines.get(p, 0) for p in touched_before)),
            "fix": 1.0 if fix_re.search(commit.message) else 0.0,
            "ndev": float(len(developers)),
            "age": sum(ages) / len(ages) if ages else 0.0,
            "nuc": float(len(prior_changes)),
            "exp": float(len(times)),
            "rexp": sum(1.0 / (1.0 + max(0.0, (now - t) / (365 * DAY))) for t in times),
            "sexp": float(sum(state.author_subsystems.get((author, s), 0) for s in subsystems)),
            "tf_files": float(sum(1 for p in paths if is_terraform(p))),
            "pipeline_files": float(sum(1 for p in paths if is_pipeline(p))),
            "res_added": float(delta.added),
            "res_removed": float(delta.removed),
            "res_changed": float(delta.changed),
            "stateful": float(delta.stateful),
            "iam": float(delta.iam),
            "network": float(delta.network),
            "findings": float(max(0, findings.get(commit.sha, 0))),
            "hour": float((now // 3600) % 24),
            "weekday": float(((now // 86400) + 3) % 7),  # 0 = Monday (1970-01-01 was a Thursday)
        }
        out[commit.sha] = values
        for f in commit.files:  # the history after this commit
            if f.old_path and f.old_path != f.path:
                state.lines[f.path] = state.lines.pop(f.old_path, 0)
                for table in (state.developers, state.changes):
                    table[f.path] |= table.pop(f.old_path, set())
            state.lines[f.path] = max(0, state.lines.get(f.path, 0) + f.added - f.deleted)
            state.last_change[f.path] = now
            state.developers[f.path].add(author)
            state.changes[f.path].add(commit.sha)
        state.author_times[author].append(now)
        for s in subsystems:
            state.author_subsystems[(author, s)] += 1
    return out
