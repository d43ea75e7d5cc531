"""The review findings a commit introduced: our own rules run on the Terraform and pipeline files
it changed, before and after (each file alone, so without module context). Each distinct file
version is reviewed once; commits that change many such files are skipped. Opt-in
(`risk train --with-findings`), as it costs a review per file version."""

from __future__ import annotations

import tempfile
from pathlib import Path

from copilot.risk.blobs import read_blobs
from copilot.risk.features import is_pipeline, is_terraform
from copilot.risk.mine import Commit

MAX_FILES = 5
MAX_BYTES = 200_000


def introduced(git_dir: Path, commits: list[Commit]) -> dict[str, int]:
    from copilot.config import Config
    from copilot.pipeline import run_review
    from copilot.rules.load import load_rules

    rules = load_rules()
    specs: dict[str, list[tuple[str, str]]] = {}
    for commit in commits:
        files = [f for f in commit.files if is_terraform(f.path) or is_pipeline(f.path)]
        if not files or len(files) > MAX_FILES or not commit.parents:
            continue
        pairs = []
        for f in files:
            pairs.append((f"{commit.parents[0]}:{f.old_path or f.path}", f"{commit.sha}:{f.path}"))
        specs[commit.sha] = pairs
    blobs = read_blobs(git_dir, (s for pairs in specs.values() for pair in pairs for s in pair))
    counts: dict[bytes, int] = {}

    def count(spec: str) -> int:
        data = blobs.get(spec)
        if not data or len(data) > MAX_BYTES:
            return 0
        if data not in counts:
            name = Path(spec.split(":", 1)[1])
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / (name.name if is_terraform(str(name)) else str(name))
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                counts[data] = len(run_review([Path(tmp)], rules, Config()).findings)
        return counts[data]

    out: dict[str, int] = {}
    for sha, pairs in specs.items():
        out[sha] = sum(count(after) - count(before) for before, after in pairs)
    return out
