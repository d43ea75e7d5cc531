"""Feature contributions as sentences a reviewer reads."""

from __future__ import annotations

from collections.abc import Callable


def _n(value: float, one: str, many: str) -> str:
    """`1 file`, `3 files`: the count and the noun in the number that fits it."""
    count = round(value)
    return f"{count:,} {one if count == 1 else many}"


PHRASES: dict[str, Callable[[float], str]] = {
    "la": lambda v: f"{_n(v, 'line', 'lines')} added",
    "ld": lambda v: f"{_n(v, 'line', 'lines')} deleted",
    "lt": lambda v: f"touches files {_n(v, 'line', 'lines')} long",
    "nf": lambda v: f"touches {_n(v, 'file', 'files')}",
    "nd": lambda v: f"spread over {_n(v, 'directory', 'directories')}",
    "ns": lambda v: f"spans {_n(v, 'top-level subsystem', 'top-level subsystems')}",
    "entropy": lambda v: f"changes spread evenly over its files (entropy {v:.2f})",
    "fix": lambda v: "is a fix (fixes are often followed by more fixes)" if v else "is not a fix",
    "ndev": lambda v: f"files changed before by {_n(v, 'developer', 'developers')}",
    "age": lambda v: f"files last changed {_n(v, 'day', 'days')} ago",
    "nuc": lambda v: f"files with {_n(v, 'earlier change', 'earlier changes')}",
    "exp": lambda v: (
        "first change by this author"
        if v == 0
        else f"author has {_n(v, 'earlier commit', 'earlier commits')}"
    ),
    "rexp": lambda v: (
        "little recent experience of this author" if v < 1 else f"recent experience {v:.1f}"
    ),
    "sexp": lambda v: (
        "first change by this author to this module"
        if v == 0
        else f"author changed this module {_n(v, 'time', 'times')}"
    ),
    "tf_files": lambda v: f"changes {_n(v, 'Terraform file', 'Terraform files')}",
    "pipeline_files": lambda v: f"changes {_n(v, 'CI/CD pipeline file', 'CI/CD pipeline files')}",
    "res_added": lambda v: f"adds {_n(v, 'Terraform resource', 'Terraform resources')}",
    "res_removed": lambda v: f"removes {_n(v, 'Terraform resource', 'Terraform resources')}",
    "res_changed": lambda v: f"changes {_n(v, 'Terraform resource', 'Terraform resources')}",
    "stateful": lambda v: (
        f"touches {_n(v, 'stateful resource type', 'stateful resource types')} (databases, buckets, volumes...)"
    ),
    "iam": lambda v: "touches an IAM policy or role" if v else "touches no IAM policy or role",
    "network": lambda v: (
        "touches network or security-group rules" if v else "touches no network rules"
    ),
    "findings": lambda v: f"introduces {_n(v, 'review finding', 'review findings')}",
    "hour": lambda v: f"made at {int(v):02d}:00 UTC",
    "weekday": lambda v: [
        "made on a Monday",
        "made on a Tuesday",
        "made on a Wednesday",
        "made on a Thursday",
        "made on a Friday",
        "made on a Saturday",
        "made on a Sunday",
    ][int(v) % 7],
}


def reasons(top: list[tuple[str, float]], values: dict[str, float]) -> list[str]:
    return [PHRASES[name](values.get(name, 0.0)) for name, _ in top if name in PHRASES]
