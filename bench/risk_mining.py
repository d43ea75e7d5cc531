#!/usr/bin/env python3
"""Mining speed: commits per second for devops-copilot's history mining and features, next to
PyDriller on the same generated repository.

    python bench/risk_mining.py [--commits 3000] [--pydriller PATH | --install-pydriller]

PyDriller runs from its own environment (bench/.venv-pydriller with --install-pydriller); its
loop reads what our features need: each commit's files and their added and deleted lines.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from peers import find_peer

PYDRILLER_LOOP = """
import sys, time
from pydriller import Repository
start = time.perf_counter()
n = 0
for commit in Repository(sys.argv[1]).traverse_commits():
    for m in commit.modified_files:
        m.added_lines, m.deleted_lines, m.new_path
    n += 1
print(n, time.perf_counter() - start)
"""


def generate(target: Path, commits: int, seed: int = 1) -> None:
    """A repository of Terraform and workflow files, written with one `git fast-import` stream."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    files: dict[str, list[str]] = {}
    stream = []
    when = 1_600_000_000
    for i in range(commits):
        when += rng.randrange(600, 86400)
        author = rng.choice(["alice", "bob", "carol", "dave", "erin"])
        touched = rng.sample(range(60), rng.randrange(1, 4))
        changes = []
        for t in touched:
            name = (
                f"stack{t % 6}/{'main' if t % 3 else 'iam'}.tf"
                if t % 10
                else f".github/workflows/w{t}.yml"
            )
            lines = files.setdefault(name, [])
            for _ in range(rng.randrange(1, 12)):
                lines.insert(
                    rng.randrange(len(lines) + 1), f'locals {{ v{rng.randrange(10_000)} = "{i}" }}'
                )
            if lines and rng.random() < 0.4:
                del lines[rng.randrange(len(lines))]
            data = ("\n".join(lines) + "\n").encode()
            changes.append(f"M 100644 inline {name}\ndata {len(data)}\n".encode() + data + b"\n")
        message = (f"fix: issue {i}" if rng.random() < 0.2 else f"change {i}").encode()
        stream.append(
            f"commit refs/heads/main\nauthor {author} <{author}@example.com> {when} +0000\n"
            f"committer {author} <{author}@example.com> {when} +0000\ndata {len(message)}\n".encode()
            + message
            + b"\n"
            + b"".join(changes)
            + b"\n"
        )
    subprocess.run(
        ["git", "fast-import", "--quiet"], input=b"".join(stream), cwd=target, check=True
    )
    subprocess.run(["git", "checkout", "-q", "main"], cwd=target, check=True)


def ours(path: Path) -> tuple[int, float]:
    import git

    from copilot.risk.features import compute
    from copilot.risk.iac import terraform_deltas
    from copilot.risk.mine import mine

    start = time.perf_counter()
    repo = git.Repo(path)
    commits = mine(repo)
    compute(commits, terraform_deltas(repo))
    return len(commits), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--pydriller", type=Path, help="python of an environment with pydriller")
    parser.add_argument("--install-pydriller", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch) / "repo"
        generate(repo, args.commits)
        n, seconds = ours(repo)
        print(
            f"devops-copilot: {n} commits in {seconds:.2f} s = {n / seconds:,.0f} commits/s (mining and features)"
        )
        python = find_peer(
            "pydriller", "python", args.pydriller, args.install_pydriller, on_path=False
        )
        if python is None or not shutil.which(python):
            print("PyDriller: not installed (use --install-pydriller)")
            return 0
        out = subprocess.run(
            [str(python), "-c", PYDRILLER_LOOP, str(repo)],
            capture_output=True,
            text=True,
            check=True,
        )
        m, theirs = out.stdout.split()
        print(
            f"PyDriller:      {m} commits in {float(theirs):.2f} s = {int(m) / float(theirs):,.0f} commits/s"
        )
        print(f"ratio: {float(theirs) / seconds:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
