"""A second streaming pass over the Terraform patches only (`git log -p -U0 -- '*.tf'`): which
resources a commit added, removed or changed, and of which kinds."""

from __future__ import annotations

import re
from typing import Any

from copilot.risk.features import IacDelta
from copilot.risk.mine import RECORD

_HEADER = re.compile(r'^([+-])\s*resource\s+"([\w-]+)"\s+"[\w-]+"')
_HUNK_CONTEXT = re.compile(r'^@@[^@]*@@\s*resource\s+"([\w-]+)"')
_IAM = re.compile(r"_iam_|_role|_policy|role_assignment|service_account")
_NETWORK = re.compile(r"security_group|firewall|_vpc|subnet|route|network|_lb|nat_gateway|peering")


def _stateful_types() -> set[str]:
    from copilot.rollback.plan import stateful

    return set(stateful())


def terraform_deltas(
    repo: Any, rev: str = "HEAD", max_commits: int | None = None
) -> dict[str, IacDelta]:
    args = [
        rev,
        f"--format={RECORD}%H",
        "-p",
        "-U0",
        "--first-parent",
        "--diff-merges=first-parent",
        "--no-color",
    ]
    if max_commits:
        args.append(f"--max-count={max_commits}")
    args += ["--", "*.tf", "*.tf.json"]
    raw = repo.git.log(*args, stdout_as_string=False)
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    stateful = _stateful_types()
    out: dict[str, IacDelta] = {}
    for chunk in text.split(RECORD):
        lines = chunk.splitlines()
        if not lines:
            continue
        delta = IacDelta()
        touched: set[str] = set()
        for line in lines[1:]:
            header = _HEADER.match(line)
            if header:
                kind, type_ = header.groups()
                if kind == "+":
                    delta.added += 1
                else:
                    delta.removed += 1
                touched.add(type_)
                continue
            context = _HUNK_CONTEXT.match(line)
            if context:
                delta.changed += 1
                touched.add(context.group(1))
        delta.stateful = sum(1 for t in touched if t in stateful)
        delta.iam = sum(1 for t in touched if _IAM.search(t))
        delta.network = sum(1 for t in touched if _NETWORK.search(t))
        out[lines[0].strip()] = delta
    return out
