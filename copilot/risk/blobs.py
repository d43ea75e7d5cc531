"""File contents at a revision through one `git cat-file --batch` process: line counts for the
history before a `--max-commits` window, and the texts the findings feature reviews."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path


def read_blobs(git_dir: Path, specs: Iterable[str]) -> dict[str, bytes | None]:
    """`rev:path` -> content (None when missing), read in one streaming process."""
    wanted = list(dict.fromkeys(specs))
    if not wanted:
        return {}
    process = subprocess.Popen(
        ["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    out: dict[str, bytes | None] = {}
    try:
        for spec in wanted:
            process.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) < 3 or header[1] != b"blob":
                out[spec] = None
                continue
            size = int(header[2])
            out[spec] = process.stdout.read(size)
            process.stdout.read(1)  # the newline after the content
    finally:
        process.stdin.close()
        process.wait()
    return out


def line_counts(git_dir: Path, rev: str, paths: Iterable[str]) -> dict[str, int]:
    blobs = read_blobs(git_dir, (f"{rev}:{p}" for p in paths))
    return {
        spec.split(":", 1)[1]: data.count(b"\n") for spec, data in blobs.items() if data is not None
    }
