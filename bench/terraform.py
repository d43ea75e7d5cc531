#!/usr/bin/env python3
"""Time `devops-copilot review` on Terraform, side by side with checkov, and print the ratio.

    python bench/terraform.py [--corpus DIR] [--checkov PATH | --install-checkov] [--repeat N]

Without --corpus, a corpus of a few hundred files is generated from the rule fixtures and the
examples. checkov installs its own fork of python-hcl2 under the import name `hcl2`, so it never
shares our environment: give its executable with --checkov, or let --install-checkov create
bench/.venv-checkov for it. Timings are wall-clock medians; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

from peers import find_peer, timed

ROOT = Path(__file__).resolve().parents[1]
SMALL_FILE = 'resource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  size = 50\n  type = "gp2"\n}\n'


def generate_corpus(target: Path, copies: int = 3) -> Path:
    fixtures = sorted((ROOT / "tests" / "fixtures" / "rules").glob("*/*.tf"))
    for i in range(copies):
        for fixture in fixtures:
            folder = target / f"stack{i}" / fixture.parent.name / fixture.stem
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(fixture, folder / "main.tf")
    shutil.copytree(ROOT / "examples", target / "examples")
    return target


def count_files(corpus: Path) -> int:
    return sum(1 for p in corpus.rglob("*.tf") if ".terraform" not in p.parts)


def review_time(command: list[str], repeat: int, cwd: Path, cache: str = "cold") -> float:
    """Median wall time. `cache`: "cold" gives every run a new, empty cache folder; "warm" one
    folder filled by a first, untimed run."""
    env = dict(os.environ)

    def new_cache() -> None:
        env["DEVOPS_COPILOT_CACHE_DIR"] = tempfile.mkdtemp(prefix="devops-copilot-cache-")

    if cache == "warm":
        new_cache()
        timed(command, 1, cwd, env)
        return timed(command, repeat, cwd, env)[0]
    return timed(command, repeat, cwd, env, before_each=new_cache)[0]


def ours(target: Path) -> list[str]:
    return [sys.executable, "-m", "copilot", "review", str(target), "-f", "json", "-o", os.devnull]


def checkov_command(checkov: str, target: Path) -> list[str]:
    flag = "-f" if target.is_file() else "-d"
    return [
        checkov,
        flag,
        str(target),
        "--framework",
        "terraform",
        "-o",
        "json",
        "--quiet",
        "--skip-download",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, help="folder of Terraform to review (default: generated)"
    )
    parser.add_argument("--checkov", type=Path, help="checkov executable (in its own environment)")
    parser.add_argument("--install-checkov", action="store_true", help="create bench/.venv-checkov")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        corpus = args.corpus.resolve() if args.corpus else generate_corpus(work / "corpus")
        files = count_files(corpus)
        small = work / "one" / "main.tf"
        small.parent.mkdir()
        small.write_text(SMALL_FILE)
        checkov = find_peer("checkov", "checkov", args.checkov, args.install_checkov)

        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        )
        print(f"corpus: {corpus} ({files} .tf files)\n")

        cold = review_time(ours(small), max(args.repeat, 5), work, cache="cold")
        throughput = review_time(ours(corpus), args.repeat, work, cache="cold")
        rerun = review_time(ours(corpus), args.repeat, work, cache="warm")
        print(f"devops-copilot  cold start (one file): {cold:6.2f} s")
        print(
            f"devops-copilot  corpus, empty cache:  {throughput:6.2f} s  {files / throughput:8.1f} files/s"
        )
        print(
            f"devops-copilot  corpus, unchanged re-run: {rerun:6.2f} s "
            f"({rerun / throughput:.2f} of a cold run, from the parse cache)"
        )
        if checkov is None:
            print("\ncheckov: not found (use --checkov PATH or --install-checkov)")
            return 0
        checkov_cold = timed(checkov_command(checkov, small), max(1, args.repeat), work)[0]
        checkov_run = timed(
            checkov_command(checkov, corpus), 1 if files > 300 else args.repeat, work
        )[0]
        print(f"checkov         cold start (one file): {checkov_cold:6.2f} s")
        print(
            f"checkov         corpus:               {checkov_run:6.2f} s  {files / checkov_run:8.1f} files/s"
        )
        print(
            f"\nratio (checkov time / devops-copilot time): cold start {checkov_cold / cold:.1f}x, "
            f"corpus {checkov_run / throughput:.1f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
