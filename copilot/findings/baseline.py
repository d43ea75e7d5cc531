"""Baselines: findings that already exist are recorded, so only new ones fail CI.

Entries are keyed by rule, file (relative to the baseline's folder) and subject (a resource
address, or a workflow job and step), never by line number: an unrelated edit that moves lines
does not bring a finding back. A key seen N times in the baseline absorbs N findings.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from copilot.atomic import replace_file
from copilot.findings.model import Finding

VERSION = 1


class BaselineError(Exception):
    pass


def _relative(display_path: str, base: Path) -> str:
    path = Path(display_path).resolve()
    try:
        return path.relative_to(base.resolve()).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, base.resolve())).as_posix()


def _key(finding: Finding, base: Path) -> tuple[str, str, str]:
    return (finding.rule_id, _relative(finding.location.path, base), finding.subject)


def create(findings: list[Finding], path: Path) -> int:
    base = path.parent
    counts = Counter(_key(f, base) for f in findings if not f.suppressed_by)
    entries = [
        {"rule": rule, "path": file, "subject": subject, "count": count}
        for (rule, file, subject), count in sorted(counts.items())
    ]
    document = {"version": VERSION, "tool": "devops-copilot", "findings": entries}
    text = json.dumps(document, indent=2) + "\n"
    base.mkdir(parents=True, exist_ok=True)
    replace_file(path, text.encode("utf-8"))
    return sum(counts.values())


def load(path: Path) -> Counter[tuple[str, str, str]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file does not exist") from None
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: not a readable baseline: {exc}") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise BaselineError(f"{path}: not a devops-copilot baseline of version {VERSION}")
    counts: Counter[tuple[str, str, str]] = Counter()
    for i, entry in enumerate(document.get("findings", [])):
        try:
            key = (str(entry["rule"]), str(entry["path"]), str(entry["subject"]))
            counts[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: findings[{i}] needs rule, path and subject") from None
    return counts


def split(findings: list[Finding], path: Path) -> tuple[list[Finding], int]:
    """(findings not in the baseline, how many were in it)."""
    remaining = load(path)
    base = path.parent
    fresh: list[Finding] = []
    known = 0
    for finding in findings:
        key = _key(finding, base)
        if remaining[key] > 0:
            remaining[key] -= 1
            known += 1
        else:
            fresh.append(finding)
    return fresh, known
